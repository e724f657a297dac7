package nn

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// DType is the precision a model computes in.
type DType int

const (
	// Float32 is Keras' default precision, and the fast one.
	Float32 DType = iota
	// Float64 gives the exact numbers of hand-computed examples.
	Float64
)

func (d DType) String() string {
	if d == Float64 {
		return "float64"
	}
	return "float32"
}

// Sequential is a stack of Dense layers, Keras' Sequential model. The zero
// value is an empty model ready for Add.
type Sequential struct {
	Name string // "" = "sequential"

	// Seed makes training reproducible: the same seed, data and options give
	// bit-identical weights and history. Unlike Keras, which draws a new seed
	// on every run unless you call set_random_seed, the default is seed 0.
	Seed uint64

	// DType is the precision: Float32 (the default, like Keras) or Float64.
	// Seed and DType are read when the model is built (at the first Fit,
	// Predict or Summary), so set them before.
	DType DType

	// StopTraining ends Fit after the current epoch when a callback sets it.
	StopTraining bool

	specs     []Dense
	eng       engine
	builtSeed uint64 // the Seed the weights were drawn with
	compiled  *compileConfig
	rng       *rand.PCG // shuffling
}

type compileConfig struct {
	opt     optimizerConfig
	loss    Loss
	metrics []Metric
}

// NewSequential returns a model made of the given layers, as
// keras.Sequential([...]).
func NewSequential(layers ...Dense) *Sequential {
	m := &Sequential{}
	for _, l := range layers {
		m.Add(l)
	}
	return m
}

// Add appends a layer. Adding to a model that is already built keeps the
// weights of the layers it has; the model must then be compiled again.
func (m *Sequential) Add(l Dense) {
	if l.Name == "" {
		l.Name = "dense"
		if n := len(m.specs); n > 0 {
			l.Name = fmt.Sprintf("dense_%d", n)
		}
	}
	if m.eng != nil {
		w := m.eng.getWeights()
		for i := range m.specs {
			info := m.eng.layerInfo(i)
			m.specs[i].InputDim = info.InputDim
			m.specs[i].Kernel = rows(info.Kernel)
			m.specs[i].Bias = w[2*i+1]
		}
		m.eng, m.compiled = nil, nil
	}
	m.specs = append(m.specs, l)
}

// Build creates the weights for inputDim input columns (0: the first layer's
// InputDim or the size of its explicit Kernel). Fit and Predict build the
// model themselves; call Build to look at the weights before training.
func (m *Sequential) Build(inputDim int) error {
	if err := m.build(inputDim); err != nil {
		return err
	}
	if inputDim != 0 && inputDim != m.eng.inputDim() {
		return fmt.Errorf("the model is built for %d input columns, not %d", m.eng.inputDim(), inputDim)
	}
	return nil
}

// build builds the model if it is not built yet. The first layer's InputDim
// or Kernel size wins over dataCols, the number of columns of the data at
// hand, so that a mismatch is reported by the caller with both shapes.
func (m *Sequential) build(dataCols int) error {
	if m.eng != nil {
		if m.eng.dtype() != m.DType {
			return fmt.Errorf("DType changed to %v after the model was built in %v: set DType before the first Fit", m.DType, m.eng.dtype())
		}
		if m.Seed != m.builtSeed {
			return fmt.Errorf("Seed changed to %d after the model was built with seed %d: set Seed before the first Fit, Predict or Summary (or make a new model)", m.Seed, m.builtSeed)
		}
		return nil
	}
	if len(m.specs) == 0 {
		return errors.New("the model has no layers: Add a Dense layer first")
	}
	first := m.specs[0]
	inputDim := first.InputDim
	if inputDim == 0 && first.Kernel != nil {
		inputDim = len(first.Kernel)
	}
	if inputDim == 0 {
		inputDim = dataCols
	}
	if inputDim <= 0 {
		return errors.New("the model does not know its input size yet: give the first layer InputDim, or call Fit first")
	}
	var err error
	if m.DType == Float64 {
		m.eng, err = buildNet[float64](m.specs, inputDim, m.Seed)
	} else {
		m.eng, err = buildNet[float32](m.specs, inputDim, m.Seed)
	}
	if err != nil {
		m.eng = nil
		return err
	}
	m.rng, m.builtSeed = rand.NewPCG(m.Seed, shuffleStream), m.Seed
	if m.compiled != nil {
		m.eng.compile(m.compiled.loss, m.compiled.opt)
	}
	return nil
}

// Compile sets how the model trains: the optimizer (nn.SGD{}, nn.Adam{},
// nn.RMSprop{}), the loss, and metrics to report, as Keras' compile. It can
// be called again, which starts the optimizer afresh.
func (m *Sequential) Compile(opt Optimizer, loss Loss, metrics ...Metric) error {
	if len(m.specs) == 0 {
		return errors.New("Compile: the model has no layers: Add a Dense layer first")
	}
	if opt == nil {
		return errors.New("Compile: the optimizer is nil: pass nn.SGD{}, nn.Adam{} or nn.RMSprop{}")
	}
	c, err := opt.config()
	if err != nil {
		return fmt.Errorf("Compile: %v", err)
	}
	if loss, err = loss.canonical(); err != nil {
		return fmt.Errorf("Compile: %v", err)
	}
	var ms []Metric
	for _, mt := range metrics {
		mt, err := mt.canonical()
		if err != nil {
			return fmt.Errorf("Compile: %v", err)
		}
		ms = append(ms, mt)
	}
	out := m.specs[len(m.specs)-1]
	if _, err := out.Activation.canonical(); err != nil {
		return fmt.Errorf("Compile: layer %d (%s): %v", len(m.specs)-1, out.Name, err)
	}
	m.compiled = &compileConfig{opt: c, loss: loss, metrics: ms}
	if m.eng != nil {
		m.eng.compile(loss, c)
	}
	return nil
}

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
		return LayerInfo{}, fmt.Errorf("Layer(%d): %v", i, err)
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
		return fmt.Errorf("SetWeights(%d): %v", i, err)
	}
	if err := m.eng.setLayer(i, kernel, bias); err != nil {
		return fmt.Errorf("SetWeights(%d): layer %d (%s): %v", i, i, m.specs[i].Name, err)
	}
	return nil
}

// CountParams returns the number of weights and biases, or 0 for a model
// that is not built yet.
func (m *Sequential) CountParams() int {
	total, _ := m.countParams()
	return total
}

func (m *Sequential) countParams() (total, trainable int) {
	if m.build(0) != nil {
		return 0, 0
	}
	for i, s := range m.specs {
		units, params := m.eng.layerParams(i)
		total += params
		switch {
		case s.Frozen:
		case s.FreezeBias:
			trainable += params - units
		default:
			trainable += params
		}
	}
	return total, trainable
}

// Summary returns the Keras table of the model's layers: name and type,
// output shape, parameter count, and the totals.
func (m *Sequential) Summary() string {
	name := m.Name
	if name == "" {
		name = "sequential"
	}
	built := m.build(0) == nil
	var b strings.Builder
	line := func(c byte) { b.WriteString(strings.Repeat(string(c), 65) + "\n") }
	row := func(cols ...string) {
		b.WriteString(strings.TrimRight(fmt.Sprintf(" %-27s %-25s %s", cols[0], cols[1], cols[2]), " ") + "\n")
	}
	fmt.Fprintf(&b, "Model: %q\n", name)
	line('_')
	row("Layer (type)", "Output Shape", "Param #")
	line('=')
	for i, s := range m.specs {
		params := "0 (unbuilt)"
		if built {
			_, p := m.eng.layerParams(i)
			params = fmt.Sprint(p)
		}
		row(s.Name+" (Dense)", fmt.Sprintf("(None, %d)", s.Units), params)
		if i < len(m.specs)-1 {
			b.WriteString("\n")
		}
	}
	line('=')
	total, trainable := m.countParams()
	fmt.Fprintf(&b, "Total params: %s\nTrainable params: %s\nNon-trainable params: %s\n", thousands(total), thousands(trainable), thousands(total-trainable))
	line('_')
	return b.String()
}

// thousands writes n with commas between groups of three digits, as Keras'
// summary does: 2,165.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
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
