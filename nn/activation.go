package nn

import (
	"math"

	"github.com/dlnb/dlnb/internal/fastops"
)

// Activation names a layer's activation function, with Keras' names.
// The empty string means linear, as Keras' activation=None does.
type Activation string

// The activations a Dense layer can use.
const (
	Linear    Activation = "linear"
	ReLU      Activation = "relu"
	LeakyReLU Activation = "leaky_relu" // slope 0.2 below zero, as keras.activations.leaky_relu
	Tanh      Activation = "tanh"
	Sigmoid   Activation = "sigmoid"
	Softmax   Activation = "softmax"
)

// leakySlope is Keras' default negative_slope for the "leaky_relu" activation.
const leakySlope = 0.2

var activationNames = []Activation{Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Softmax}

// Func returns the activation's value at x. Softmax is not elementwise (it
// normalizes a whole row), so its Func is NaN; unknown names give NaN too.
func (a Activation) Func(x float64) float64 {
	f, err := activationFor[float64](a)
	if err != nil || a == Softmax {
		return math.NaN()
	}
	net, out := matrix[float64]{1, 1, []float64{x}}, newMatrix[float64](1, 1)
	f.forward(net, out)
	return out.data[0]
}

// Derivative returns the activation's slope at x: what backpropagation
// multiplies by. It is 0 for relu below zero (a unit stuck there stops
// learning: the dying-neuron problem) and close to 0 for sigmoid and tanh far
// from zero (the vanishing-gradient problem). Softmax gives NaN, as for Func.
func (a Activation) Derivative(x float64) float64 {
	f, err := activationFor[float64](a)
	if err != nil || a == Softmax {
		return math.NaN()
	}
	net, out := matrix[float64]{1, 1, []float64{x}}, newMatrix[float64](1, 1)
	f.forward(net, out)
	dnet := newMatrix[float64](1, 1)
	f.backward(net, out, matrix[float64]{1, 1, []float64{1}}, dnet)
	return dnet.data[0]
}

// activationImpl is an activation's forward pass and, right next to it, its
// backward pass: given dE/dout it writes dE/dnet = dE/dout * dout/dnet.
type activationImpl[T number] struct {
	forward  func(net, out matrix[T])
	backward func(net, out, dout, dnet matrix[T])
}

func activationFor[T number](a Activation) (activationImpl[T], error) {
	a, err := a.canonical()
	switch a {
	case Linear:
		return activationImpl[T]{linearForward[T], linearBackward[T]}, nil
	case ReLU:
		return activationImpl[T]{reluForward[T], reluBackward[T]}, nil
	case LeakyReLU:
		return activationImpl[T]{leakyForward[T], leakyBackward[T]}, nil
	case Tanh:
		return activationImpl[T]{tanhForward[T], tanhBackward[T]}, nil
	case Sigmoid:
		return activationImpl[T]{sigmoidForward[T], sigmoidBackward[T]}, nil
	case Softmax:
		return activationImpl[T]{softmaxForward[T], softmaxBackward[T]}, nil
	}
	return activationImpl[T]{}, err
}

// linear: out = net, slope 1.
func linearForward[T number](net, out matrix[T]) { copy(out.data, net.data) }
func linearBackward[T number](_, _, dout, dnet matrix[T]) {
	copy(dnet.data, dout.data)
}

// relu: out = max(0, net); slope 1 above zero, 0 below (and at zero, as in
// TensorFlow). The slope only needs out: out > 0 exactly where net > 0.
func reluForward[T number](net, out matrix[T]) {
	for i, v := range net.data {
		out.data[i] = max(v, 0)
	}
}
func reluBackward[T number](_, out, dout, dnet matrix[T]) {
	copy(dnet.data, dout.data)
	fastops.ReLUGrad(dnet.data, out.data)
}

// leaky relu: like relu but with a small slope below zero, so units never die.
func leakyForward[T number](net, out matrix[T]) {
	for i, v := range net.data {
		if v < 0 {
			v *= leakySlope
		}
		out.data[i] = v
	}
}
func leakyBackward[T number](net, _, dout, dnet matrix[T]) {
	for i, v := range net.data {
		d := dout.data[i]
		if v <= 0 {
			d *= leakySlope
		}
		dnet.data[i] = d
	}
}

// tanh: slope 1 - out^2, which vanishes for large |net|.
func tanhForward[T number](net, out matrix[T]) {
	for i, v := range net.data {
		out.data[i] = T(math.Tanh(float64(v)))
	}
}
func tanhBackward[T number](_, out, dout, dnet matrix[T]) {
	for i, y := range out.data {
		dnet.data[i] = dout.data[i] * (1 - y*y)
	}
}

// sigmoid (logistic): 1/(1+e^-net); slope out(1-out), at most 0.25.
func sigmoidForward[T number](net, out matrix[T]) {
	for i, v := range net.data {
		out.data[i] = T(sigmoid(float64(v)))
	}
}
func sigmoidBackward[T number](_, out, dout, dnet matrix[T]) {
	for i, y := range out.data {
		dnet.data[i] = dout.data[i] * y * (1 - y)
	}
}

// sigmoid computed without overflow for large |x|.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softmax normalizes each row to probabilities. Subtracting the row's maximum
// first keeps exp from overflowing for large inputs. Its backward pass is the
// Jacobian-vector product dnet_j = out_j * (dout_j - sum_k dout_k*out_k).
func softmaxForward[T number](net, out matrix[T]) {
	for r := range net.rows {
		x, y := net.row(r), out.row(r)
		m := x[0]
		for _, v := range x {
			m = max(m, v)
		}
		var sum float64
		for j, v := range x {
			e := math.Exp(float64(v - m))
			y[j] = T(e)
			sum += e
		}
		for j := range y {
			y[j] = T(float64(y[j]) / sum)
		}
	}
}
func softmaxBackward[T number](_, out, dout, dnet matrix[T]) {
	for r := range out.rows {
		y, g, d := out.row(r), dout.row(r), dnet.row(r)
		var dot T
		for j := range y {
			dot += g[j] * y[j]
		}
		for j := range y {
			d[j] = y[j] * (g[j] - dot)
		}
	}
}
