package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/internal/fastops"
)

// Dense is a fully connected layer's configuration: every unit computes
// net = inputs · weights + bias and outputs activation(net). The zero value of
// each field is Keras' default, so nn.Dense{Units: 32, Activation: nn.ReLU}
// is keras.layers.Dense(32, activation="relu").
type Dense struct {
	Units      int
	Activation Activation // "" means linear

	// InputDim is the number of input columns, Keras' input_shape=(InputDim,).
	// Only the first layer needs it, and only if it is to be known before the
	// first Fit; otherwise it is taken from the data.
	InputDim int

	// KernelInitializer draws the starting weights ("" = "glorot_uniform");
	// BiasInitializer the starting biases ("" = "zeros").
	KernelInitializer string
	BiasInitializer   string

	// Kernel and Bias set the starting values by hand instead. Kernel has one
	// row per input and one column per unit (Keras' layout): Kernel[i][j] is
	// the weight from input i to unit j.
	Kernel [][]float64
	Bias   []float64

	// KernelRegularizer adds a penalty on the kernel's weights to the loss
	// (nil: none, Keras' default). See L1L2.
	KernelRegularizer *L1L2

	NoBias     bool   // no biases: net = x·W (Keras' use_bias=False)
	FreezeBias bool   // the biases keep their values during training
	Frozen     bool   // nothing in the layer is trained (Keras' trainable=False)
	Name       string // "" = "dense", "dense_1", ... in the model's order
}

// dense is a Dense layer at work, in the network's precision. It keeps the
// last batch's input, net input and output for the backward pass, in buffers
// reused from batch to batch.
type dense[T number] struct {
	cfg       Dense
	in, units int
	act       activationImpl[T]
	w, dw     matrix[T] // in x units
	b, db     []T

	x                   matrix[T] // the input of the last forward pass (not owned)
	net, out, dnet, dxb matrix[T]
	relu                bool
	pen                 float64 // the kernel's penalty, measured by the last backward pass
}

// newDense checks a layer's configuration and draws or copies its weights.
// Its weights and biases live in p, their gradients in g (in*units + units
// values each): slices of the network's flat parameter storage.
func newDense[T number](cfg Dense, index, in int, r *rand.Rand, p, g []T) (*dense[T], error) {
	where := fmt.Sprintf("layer %d (%s)", index, cfg.Name)
	if cfg.Units <= 0 {
		return nil, fmt.Errorf("%s: Units is %d: a Dense layer needs at least 1 unit", where, cfg.Units)
	}
	if cfg.InputDim != 0 && cfg.InputDim != in {
		if index == 0 {
			return nil, fmt.Errorf("%s: InputDim is %d but the data has %d columns: make them agree", where, cfg.InputDim, in)
		}
		return nil, fmt.Errorf("%s: InputDim is %d but the layer before it has %d units: only the first layer needs InputDim", where, cfg.InputDim, in)
	}
	act, err := activationFor[T](cfg.Activation)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	kinit, err := initializerFor(cfg.KernelInitializer, "glorot_uniform")
	if err != nil {
		return nil, fmt.Errorf("%s: kernel: %w", where, err)
	}
	binit, err := initializerFor(cfg.BiasInitializer, "zeros")
	if err != nil {
		return nil, fmt.Errorf("%s: bias: %w", where, err)
	}
	if cfg.KernelRegularizer, err = cfg.KernelRegularizer.checked(); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	nw := in * cfg.Units
	l := &dense[T]{cfg: cfg, in: in, units: cfg.Units, act: act,
		w: matrix[T]{in, cfg.Units, p[:nw]}, b: p[nw:],
		dw: matrix[T]{in, cfg.Units, g[:nw]}, db: g[nw:]}
	a, _ := cfg.Activation.canonical()
	l.relu = a == ReLU
	// Draw first, then overwrite with explicit values, so the random stream
	// (and every later layer's weights) does not depend on what was set by hand.
	for i := range l.w.data {
		l.w.data[i] = T(kinit(r, in, cfg.Units))
	}
	for i := range l.b {
		l.b[i] = T(binit(r, in, cfg.Units))
	}
	if cfg.NoBias {
		clear(l.b) // drawn all the same, so later layers' weights do not change
	}
	if cfg.Kernel != nil {
		if err := l.setKernel(cfg.Kernel); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
	}
	if cfg.Bias != nil {
		if err := l.setBias(cfg.Bias); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
	}
	return l, nil
}

func (l *dense[T]) params() int {
	if l.cfg.NoBias {
		return l.in * l.units
	}
	return l.in*l.units + l.units
}

// forward computes net = x·W + b and out = activation(net) for a batch.
// A ReLU layer in training skips keeping net (its backward pass needs only
// out) and adds the bias and applies ReLU in one pass; keepNet keeps it for
// the teaching tools.
func (l *dense[T]) forward(g gemmFunc[T], x matrix[T], keepNet bool) matrix[T] {
	l.x = x
	l.out.resize(x.rows, l.units)
	if l.relu && !keepNet {
		mul(g, x, false, l.w, false, l.out, false)
		fastops.AddBias(l.out.data, x.rows, l.units, l.b, true)
		return l.out
	}
	l.net.resize(x.rows, l.units)
	mul(g, x, false, l.w, false, l.net, false)
	fastops.AddBias(l.net.data, x.rows, l.units, l.b, false)
	l.act.forward(l.net, l.out)
	return l.out
}

// backward takes the loss's gradient with respect to this layer's output
// (or, when the loss is fused with the activation, its net input), stores the
// gradients of W and b, and returns the gradient with respect to the input
// when the layer below needs it:
//
//	dnet = dout * activation'(net)   dW = xᵀ·dnet   db = column sums of dnet   dx = dnet·Wᵀ
func (l *dense[T]) backward(g gemmFunc[T], grad matrix[T], gradIsNet, needDx bool) matrix[T] {
	dnet := grad
	if !gradIsNet {
		l.dnet.resize(grad.rows, l.units)
		l.act.backward(l.net, l.out, grad, l.dnet)
		dnet = l.dnet
	}
	if !l.cfg.Frozen {
		mul(g, l.x, true, dnet, false, l.dw, false)
		fastops.ColSums(l.db, dnet.data, dnet.rows, l.units)
		l.addPenaltyGradient()
	}
	if !needDx {
		return matrix[T]{}
	}
	l.dxb.resize(dnet.rows, l.in)
	mul(g, dnet, false, l.w, true, l.dxb, false)
	return l.dxb
}
