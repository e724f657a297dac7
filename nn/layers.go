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

// LayerInfo describes one layer and holds a copy of its weights.
type LayerInfo struct {
	Name       string
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

// NumLayers returns the number of layers.
func (m *Sequential) NumLayers() int { return len(m.specs) }

// Layer returns layer i's description and weights. The model must be built
// (see Build); for a model that is not, or an i out of range, it returns an
// error.
func (m *Sequential) Layer(i int) (LayerInfo, error) {
	if i < 0 || i >= len(m.specs) {
		return LayerInfo{}, fmt.Errorf("Layer(%d): the model has %d layers, numbered 0 to %d", i, len(m.specs), len(m.specs)-1)
	}
	if err := m.build(0); err != nil {
		return LayerInfo{}, fmt.Errorf("Layer(%d): %w", i, err)
	}
	return m.eng.layerInfo(i), nil
}

// SetWeights sets layer i's kernel (one row per input, one column per unit)
// and biases by hand, as Keras' layer.set_weights([kernel, bias]). A nil
// kernel or bias is left as it is.
func (m *Sequential) SetWeights(i int, kernel [][]float64, bias []float64) error {
	if i < 0 || i >= len(m.specs) {
		return fmt.Errorf("SetWeights(%d): the model has %d layers, numbered 0 to %d", i, len(m.specs), len(m.specs)-1)
	}
	inputDim := 0
	if i == 0 && kernel != nil {
		inputDim = len(kernel)
	}
	if err := m.build(inputDim); err != nil {
		return fmt.Errorf("SetWeights(%d): %w", i, err)
	}
	if err := m.eng.setLayer(i, kernel, bias); err != nil {
		return fmt.Errorf("SetWeights(%d): layer %d (%s): %w", i, i, m.specs[i].Name, err)
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
func (m *Sequential) SetNodeWeights(i int, nodes [][]float64, bias []float64) error {
	if i < 0 || i >= len(m.specs) {
		return fmt.Errorf("SetNodeWeights(%d): the model has %d layers, numbered 0 to %d", i, len(m.specs), len(m.specs)-1)
	}
	where := fmt.Sprintf("SetNodeWeights(%d): layer %d (%s)", i, i, m.specs[i].Name)
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
	return m.SetWeights(i, kernel, bias)
}
