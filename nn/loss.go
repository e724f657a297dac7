package nn

import "math"

// Loss names what training minimizes, with Keras' names. Each row's loss is
// averaged over the batch, as Keras' default reduction "sum_over_batch_size".
type Loss string

// The losses Compile accepts ("mse" is an alias of mean_squared_error).
const (
	MeanSquaredError              Loss = "mean_squared_error"
	CategoricalCrossentropy       Loss = "categorical_crossentropy"
	BinaryCrossentropy            Loss = "binary_crossentropy"
	SparseCategoricalCrossentropy Loss = "sparse_categorical_crossentropy"
)

var lossNames = []Loss{MeanSquaredError, CategoricalCrossentropy, BinaryCrossentropy, SparseCategoricalCrossentropy}

// epsilon clips probabilities away from 0 and 1 before a log, as Keras does.
const epsilon = 1e-7

// lossImpl is a loss's forward pass (the sum over the batch of each row's
// loss) and its backward pass (the gradient of the batch mean). When fused is
// true the output layer's activation is folded into the loss: backward writes
// dE/dnet directly, computed from the logits, which is exact and cannot
// overflow (softmax + cross-entropy, sigmoid + binary cross-entropy).
type lossImpl[T number] struct {
	forward  func(y, out, net matrix[T]) float64
	backward func(y, out, net, grad matrix[T])
	fused    bool
}

func lossFor[T number](l Loss, outAct Activation) lossImpl[T] {
	outAct, _ = outAct.canonical()
	switch l {
	case CategoricalCrossentropy:
		if outAct == Softmax {
			return lossImpl[T]{softmaxCEForward[T], softmaxCEBackward[T], true}
		}
		return lossImpl[T]{ceForward[T], ceBackward[T], false}
	case SparseCategoricalCrossentropy:
		if outAct == Softmax {
			return lossImpl[T]{sparseSoftmaxCEForward[T], sparseSoftmaxCEBackward[T], true}
		}
		return lossImpl[T]{sparseCEForward[T], sparseCEBackward[T], false}
	case BinaryCrossentropy:
		if outAct == Sigmoid {
			return lossImpl[T]{sigmoidBCEForward[T], sigmoidBCEBackward[T], true}
		}
		return lossImpl[T]{bceForward[T], bceBackward[T], false}
	}
	return lossImpl[T]{mseForward[T], mseBackward[T], false}
}

// mean squared error: mean over outputs of (out - y)^2.
func mseForward[T number](y, out, _ matrix[T]) float64 {
	var s float64
	for i, o := range out.data {
		d := float64(o - y.data[i])
		s += d * d
	}
	return s / float64(out.cols)
}
func mseBackward[T number](y, out, _, grad matrix[T]) {
	k := T(2 / float64(out.rows*out.cols))
	for i, o := range out.data {
		grad.data[i] = k * (o - y.data[i])
	}
}

// categorical cross-entropy after softmax, from the logits:
// -sum_j y_j log softmax_j = logsumexp(net)*sum(y) - sum_j y_j net_j.
func softmaxCEForward[T number](y, _, net matrix[T]) float64 {
	var s float64
	for r := range net.rows {
		z, t := net.row(r), y.row(r)
		lse := logSumExp(z)
		for j, v := range z {
			s += float64(t[j]) * (lse - float64(v))
		}
	}
	return s
}
func softmaxCEBackward[T number](y, out, _, grad matrix[T]) {
	k := 1 / T(out.rows)
	for r := range out.rows {
		p, t, g := out.row(r), y.row(r), grad.row(r)
		var sum T
		for _, v := range t {
			sum += v
		}
		for j := range p {
			g[j] = k * (p[j]*sum - t[j])
		}
	}
}

// categorical cross-entropy on probabilities (any output activation):
// -sum_j y_j log(clip(out_j)).
func ceForward[T number](y, out, _ matrix[T]) float64 {
	var s float64
	for i, o := range out.data {
		if t := float64(y.data[i]); t != 0 {
			s -= t * math.Log(clip(float64(o)))
		}
	}
	return s
}
func ceBackward[T number](y, out, _, grad matrix[T]) {
	n := float64(out.rows)
	for i, o := range out.data {
		grad.data[i] = 0
		if p := float64(o); p > epsilon && p < 1-epsilon {
			grad.data[i] = T(-float64(y.data[i]) / p / n)
		}
	}
}

// sparse categorical cross-entropy: y holds the class index of each row.
func sparseSoftmaxCEForward[T number](y, _, net matrix[T]) float64 {
	var s float64
	for r := range net.rows {
		z := net.row(r)
		s += logSumExp(z) - float64(z[int(y.data[r])])
	}
	return s
}
func sparseSoftmaxCEBackward[T number](y, out, _, grad matrix[T]) {
	k := 1 / T(out.rows)
	copy(grad.data, out.data)
	for r := range out.rows {
		g := grad.row(r)
		g[int(y.data[r])] -= 1
		for j := range g {
			g[j] *= k
		}
	}
}
func sparseCEForward[T number](y, out, _ matrix[T]) float64 {
	var s float64
	for r := range out.rows {
		s -= math.Log(clip(float64(out.at(r, int(y.data[r])))))
	}
	return s
}
func sparseCEBackward[T number](y, out, _, grad matrix[T]) {
	clear(grad.data)
	for r := range out.rows {
		c := int(y.data[r])
		if p := float64(out.at(r, c)); p > epsilon && p < 1-epsilon {
			grad.row(r)[c] = T(-1 / p / float64(out.rows))
		}
	}
}

// binary cross-entropy after sigmoid, from the logits z:
// max(z,0) - z*y + log(1 + e^-|z|), averaged over the outputs.
func sigmoidBCEForward[T number](y, _, net matrix[T]) float64 {
	var s float64
	for i, v := range net.data {
		z, t := float64(v), float64(y.data[i])
		s += max(z, 0) - z*t + math.Log1p(math.Exp(-math.Abs(z)))
	}
	return s / float64(net.cols)
}
func sigmoidBCEBackward[T number](y, out, _, grad matrix[T]) {
	k := 1 / T(out.rows*out.cols)
	for i, p := range out.data {
		grad.data[i] = k * (p - y.data[i])
	}
}

// binary cross-entropy on probabilities: -(y log p + (1-y) log(1-p)).
func bceForward[T number](y, out, _ matrix[T]) float64 {
	var s float64
	for i, o := range out.data {
		p, t := clip(float64(o)), float64(y.data[i])
		s -= t*math.Log(p) + (1-t)*math.Log(1-p)
	}
	return s / float64(out.cols)
}
func bceBackward[T number](y, out, _, grad matrix[T]) {
	n := float64(out.rows * out.cols)
	for i, o := range out.data {
		grad.data[i] = 0
		if p := float64(o); p > epsilon && p < 1-epsilon {
			grad.data[i] = T((p - float64(y.data[i])) / (p * (1 - p)) / n)
		}
	}
}

func clip(p float64) float64 { return min(max(p, epsilon), 1-epsilon) }

func logSumExp[T number](z []T) float64 {
	m := float64(z[0])
	for _, v := range z {
		m = max(m, float64(v))
	}
	var s float64
	for _, v := range z {
		s += math.Exp(float64(v) - m)
	}
	return m + math.Log(s)
}
