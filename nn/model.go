package nn

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

const (
	// Float32 is Keras' default precision, and the fast one.
	Float32 DType = iota
	// Float64 gives the exact numbers of hand-computed examples.
	Float64
)

// Sequential is a stack of layers (Dense, Dropout), Keras' Sequential model.
// The zero value is an empty model ready for Add.
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

	specs     []Dense        // the Dense layers
	drops     []*Dropout     // drops[i]: the Dropout after specs[i], or nil (dropout.go)
	norm      *Normalization // the first layer, or nil (normalization.go)
	layerErr  error          // what is wrong with the layers Add was given
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
func NewSequential(layers ...Layer) *Sequential {
	m := &Sequential{}
	for _, l := range layers {
		m.Add(l)
	}
	return m
}

// Add appends a layer: an nn.Dense, nn.Dropout or nn.Normalization. Adding to a model that
// is already built keeps the weights of the layers it has; the model must
// then be compiled again. A layer that cannot go where it is added is
// reported by Compile and Fit.
func (m *Sequential) Add(layer Layer) {
	l, ok := m.asDense(layer) // a Dropout joins the Dense layer before it (dropout.go)
	if !ok {
		return
	}
	if l.Name == "" {
		l.Name = "dense"
		if n := len(m.specs); n > 0 {
			l.Name = fmt.Sprintf("dense_%d", n)
		}
	}
	m.keepWeights()
	m.specs, m.drops = append(m.specs, l), append(m.drops, nil)
}

// Build creates the weights for inputDim input columns (0: the first layer's
// InputDim or the size of its explicit Kernel). Fit and Predict build the
// model themselves; call Build to look at the weights before training.
func (m *Sequential) Build(inputDim int) error {
	if err := m.build(inputDim); err != nil {
		return fmt.Errorf("nn.Build: %w", err)
	}
	if inputDim != 0 && inputDim != m.eng.inputDim() {
		return fmt.Errorf("nn.Build: the model is built for %d input columns, not %d", m.eng.inputDim(), inputDim)
	}
	return nil
}

// Compile sets how the model trains: the optimizer (nn.SGD{}, nn.Adam{},
// nn.RMSprop{}), the loss, and metrics to report, as Keras' compile. It can
// be called again, which starts the optimizer afresh.
func (m *Sequential) Compile(opt Optimizer, loss Loss, metrics ...Metric) error {
	if err := m.checkLayers(); err != nil {
		return fmt.Errorf("nn.Compile: %w", err)
	}
	if opt == nil {
		return errors.New("nn.Compile: the optimizer is nil: pass nn.SGD{}, nn.Adam{} or nn.RMSprop{}")
	}
	c, err := opt.config()
	if err != nil {
		return fmt.Errorf("nn.Compile: %w", err)
	}
	if loss, err = loss.canonical(); err != nil {
		return fmt.Errorf("nn.Compile: %w", err)
	}
	var ms []Metric
	for _, mt := range metrics {
		mt, err := mt.canonical()
		if err != nil {
			return fmt.Errorf("nn.Compile: %w", err)
		}
		ms = append(ms, mt)
	}
	out := m.specs[len(m.specs)-1]
	if _, err := out.Activation.canonical(); err != nil {
		return fmt.Errorf("nn.Compile: layer %d (%s): %v", len(m.specs)-1, out.Name, err)
	}
	m.compiled = &compileConfig{opt: c, loss: loss, metrics: ms}
	if m.eng != nil {
		m.eng.compile(loss, c)
	}
	return nil
}
