package nn

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Loss returns the loss the model is compiled with, or "" before Compile
// (Keras' model.loss).
func (m *Sequential) Loss() Loss {
	if m.compiled == nil {
		return ""
	}
	return m.compiled.loss
}

// Optimizer returns the optimizer the model is compiled with, every setting
// filled in (the ones left at zero show Keras' defaults), or nil before
// Compile (Keras' model.optimizer).
func (m *Sequential) Optimizer() Optimizer {
	if m.compiled == nil {
		return nil
	}
	o, _ := optimizerFromConfig(m.compiled.opt)
	return o
}

// Metrics returns the metrics the model is compiled with.
func (m *Sequential) Metrics() []Metric {
	if m.compiled == nil {
		return nil
	}
	return append([]Metric(nil), m.compiled.metrics...)
}

// Layer is one layer of a Sequential model: an nn.Dense, nn.Dropout or
// nn.Normalization (or a pointer to one).
type Layer interface{ isLayer() }

func (Dense) isLayer()         {}
func (Dropout) isLayer()       {}
func (Normalization) isLayer() {}

// asDense returns a Dense layer given to Add; a Dropout it adds itself.
func (m *Sequential) asDense(layer Layer) (Dense, bool) {
	switch l := layer.(type) {
	case Dense:
		return l, true
	case *Dense:
		if l != nil {
			return *l, true
		}
	case Dropout:
		m.addDropout(l)
		return Dense{}, false
	case *Dropout:
		if l != nil {
			m.addDropout(*l)
			return Dense{}, false
		}
	case Normalization:
		m.addNormalization(l)
		return Dense{}, false
	case *Normalization:
		if l != nil {
			m.addNormalization(*l)
			return Dense{}, false
		}
	}
	m.fail(fmt.Errorf("layer %d is %#v: add an nn.Dense, nn.Dropout or nn.Normalization", m.NumLayers(), layer))
	return Dense{}, false
}

// keepWeights turns a built model back into layer settings that hold its
// weights, so that it is built again with one more layer.
func (m *Sequential) keepWeights() {
	if m.eng == nil {
		return
	}
	w := m.eng.getWeights()
	for i := range m.specs {
		info := m.eng.layerInfo(i)
		m.specs[i].InputDim = info.InputDim
		m.specs[i].Kernel = rows(info.Kernel)
		m.specs[i].Bias = w[2*i+1]
	}
	m.eng, m.compiled = nil, nil
}

// LayerInfo describes one layer and holds a copy of its weights. A
// Dropout's has Units and InputDim (the width it passes on), its Rate, no
// Kernel (nil) and no Bias.
type LayerInfo struct {
	Name       string
	Type       string    // "Dense", "Dropout" or "Normalization" (Keras' class name)
	Rate       float64   // a Dropout's rate
	Mean       []float64 // a Normalization's, per column
	Variance   []float64 // a Normalization's, per column
	Units      int
	InputDim   int
	Activation Activation
	Kernel     *mat.Dense // InputDim x Units: Kernel.At(i, j) is the weight from input i to unit j
	Bias       []float64
	Params     int
	FreezeBias bool
	Frozen     bool
	NoBias     bool // the layer has no biases (Bias holds zeros)
}

// NumLayers returns the number of layers, Dense and Dropout.
func (m *Sequential) NumLayers() int { return modelIndex(m.norm, m.drops, len(m.specs)) }

// Layer returns layer k's description and weights (a Dropout has none). The
// model must be built (see Build); for a model that is not, or a k out of
// range, it returns an error.
func (m *Sequential) Layer(k int) (LayerInfo, error) {
	i, drop := m.at(k)
	if i == -1 {
		return LayerInfo{}, fmt.Errorf("nn.Layer(%d): the model has %d layers, numbered 0 to %d", k, m.NumLayers(), m.NumLayers()-1)
	}
	if err := m.build(0); err != nil {
		return LayerInfo{}, fmt.Errorf("nn.Layer(%d): %w", k, err)
	}
	if i == normIndex {
		return m.normInfo(), nil
	}
	if drop {
		return m.dropoutInfo(i), nil
	}
	return m.eng.layerInfo(i), nil
}

// denseAt returns the Dense layer that is model layer k, or an error for
// the caller who that names k.
func (m *Sequential) denseAt(who string, k int) (int, error) {
	i, drop := m.at(k)
	switch i {
	case -1:
		return 0, fmt.Errorf("nn.%s(%d): the model has %d layers, numbered 0 to %d", who, k, m.NumLayers(), m.NumLayers()-1)
	case normIndex:
		return 0, fmt.Errorf("nn.%s(%d): layer %d (%s) is a Normalization layer: its weights come from Adapt", who, k, k, m.norm.Name)
	}
	if drop {
		return 0, fmt.Errorf("nn.%s(%d): layer %d (%s) is a Dropout layer: it has no weights", who, k, k, m.drops[i].Name)
	}
	return i, nil
}

// SetWeights sets layer k's kernel (one row per input, one column per unit)
// and biases by hand, as Keras' layer.set_weights([kernel, bias]). A nil
// kernel or bias is left as it is.
func (m *Sequential) SetWeights(k int, kernel [][]float64, bias []float64) error {
	i, err := m.denseAt("SetWeights", k)
	if err != nil {
		return err
	}
	inputDim := 0
	if i == 0 && kernel != nil {
		inputDim = len(kernel)
	}
	if err := m.build(inputDim); err != nil {
		return fmt.Errorf("nn.SetWeights(%d): %w", k, err)
	}
	if err := m.eng.setLayer(i, kernel, bias); err != nil {
		return fmt.Errorf("nn.SetWeights(%d): layer %d (%s): %w", k, k, m.specs[i].Name, err)
	}
	return nil
}

// rows turns a matrix back into rows of numbers.
func rows(d *mat.Dense) [][]float64 {
	r, _ := d.Dims()
	out := make([][]float64, r)
	for i := range r {
		out[i] = mat.Row(nil, i, d)
	}
	return out
}

func (l *dense[T]) setKernel(k [][]float64) error {
	if len(k) != l.in {
		return fmt.Errorf("Kernel has %d rows but the layer has %d inputs: give one row per input, one column per unit (Kernel[input][unit])", len(k), l.in)
	}
	for i, row := range k {
		if len(row) != l.units {
			return fmt.Errorf("Kernel row %d has %d values but the layer has %d units: give one column per unit (Kernel[input][unit])", i, len(row), l.units)
		}
		for j, v := range row {
			t, err := convert[T](v)
			if err != nil {
				return fmt.Errorf("Kernel[%d][%d] %w", i, j, err)
			}
			l.w.data[i*l.units+j] = t
		}
	}
	return nil
}

func (l *dense[T]) setBias(b []float64) error {
	if l.cfg.NoBias && slices.ContainsFunc(b, func(v float64) bool { return v != 0 }) {
		return fmt.Errorf("Bias is %v but the layer has NoBias: it has no biases to set (leave Bias nil)", b)
	}
	if len(b) != l.units {
		return fmt.Errorf("Bias has %d values but the layer has %d units: give one per unit", len(b), l.units)
	}
	for j, v := range b {
		t, err := convert[T](v)
		if err != nil {
			return fmt.Errorf("Bias[%d] %w", j, err)
		}
		l.b[j] = t
	}
	return nil
}

// convert turns a weight given in float64 into T, refusing NaN, infinities
// and values a float32 cannot hold (they would become infinite).
func convert[T number](v float64) (T, error) {
	if err := finite(v); err != nil {
		return 0, err
	}
	t := T(v)
	if math.IsInf(float64(t), 0) {
		return 0, fmt.Errorf("is %v, beyond float32's range (±3.4e38): scale the weights, or set the model's DType to nn.Float64", v)
	}
	return t, nil
}

// SetNodeWeights sets layer i's weights in the course's layout, one row per
// node (unit) holding its weights from every input, so a course dictionary
// such as node_0: [2, 4], node_1: [-3, 1] is copied as written:
// SetNodeWeights(0, [][]float64{{2, 4}, {-3, 1}}, bias). It is SetWeights
// with the kernel transposed (Keras' layout is one row per input). A nil
// bias is left as it is.
func (m *Sequential) SetNodeWeights(k int, nodes [][]float64, bias []float64) error {
	i, err := m.denseAt("SetNodeWeights", k)
	if err != nil {
		return err
	}
	where := fmt.Sprintf("nn.SetNodeWeights(%d): layer %d (%s)", k, k, m.specs[i].Name)
	if units := m.specs[i].Units; len(nodes) != units || units == 0 {
		return fmt.Errorf("%s: nodes has %d rows but the layer has %d units: give one row per node, its weights from every input", where, len(nodes), units)
	}
	inputs := len(nodes[0])
	if m.eng != nil || i > 0 {
		if err := m.build(0); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		inputs = m.eng.layerInfo(i).InputDim
	}
	kernel := make([][]float64, inputs)
	for in := range kernel {
		kernel[in] = make([]float64, len(nodes))
	}
	for j, node := range nodes {
		if len(node) != inputs {
			return fmt.Errorf("%s: node %d has %d weights but the layer has %d inputs: give each node one weight per input", where, j, len(node), inputs)
		}
		for in, w := range node {
			kernel[in][j] = w
		}
	}
	return m.SetWeights(k, kernel, bias)
}
