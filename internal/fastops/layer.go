package fastops

import "math"

// AddBias adds bias[j] to column j of the rows x len(bias) matrix z (row
// stride ld), and with relu replaces negative results by 0 (Keras' relu:
// max(x, 0); NaN stays NaN). It is the step after the product X·W.
func AddBias[T Float](z []T, rows, ld int, bias []T, relu bool) {
	cols := len(bias)
	if z32, ok := any(z).([]float32); ok && addBiasF32 != nil && cols > 0 {
		b32 := any(bias).([]float32)
		for i := range rows {
			addBiasF32(z32[i*ld:i*ld+cols], b32, relu)
		}
		return
	}
	for i := range rows {
		addBiasGo(z[i*ld:i*ld+cols], bias, relu)
	}
}

// addBiasGo is AddBias on one row, the portable loop.
func addBiasGo[T Float](row, bias []T, relu bool) {
	row = row[:len(bias)]
	for j, b := range bias {
		x := row[j] + b
		if relu && x < 0 {
			x = 0
		}
		row[j] = x
	}
}

// ReLUGrad turns the gradient with respect to a ReLU layer's output into the
// gradient with respect to its input, in place: d[i] = 0 where out[i] <= 0
// (Keras takes the slope at 0 to be 0). out is the layer's output.
func ReLUGrad[T Float](d, out []T) {
	if d32, ok := any(d).([]float32); ok && reluGradF32 != nil && len(d) > 0 {
		reluGradF32(d32, any(out).([]float32))
		return
	}
	reluGradGo(d, out)
}

func reluGradGo[T Float](d, out []T) {
	out = out[:len(d)]
	for i, o := range out {
		if !(o > 0) {
			d[i] = 0
		}
	}
}

// ColSums sets sums[j] to the sum of column j of the rows x len(sums) matrix
// d (row stride ld), adding the rows in order: the bias gradient.
func ColSums[T Float](sums, d []T, rows, ld int) {
	clear(sums)
	for i := range rows {
		row := d[i*ld : i*ld+len(sums)]
		for j, x := range row {
			sums[j] += x
		}
	}
}

// ProbEpsilon is Keras' epsilon: probabilities are clipped to
// [ProbEpsilon, 1-ProbEpsilon] before the logarithm of the cross-entropy.
const ProbEpsilon = 1e-7

// SoftmaxCrossEntropy turns each row of the rows x cols logits z (row stride
// ld) into softmax probabilities, in place, and returns the sum over rows of
// the categorical cross-entropy against the one-hot (or soft) targets y (same
// layout), with Keras' clipping of probabilities. If grad is not nil it
// receives (p - y) * scale, the gradient of the loss with respect to the
// logits; scale = 1/batch gives the gradient of the batch's mean loss (what
// Keras' TensorFlow backend computes from the logits of a softmax output).
// With y nil it only computes the probabilities (prediction) and returns 0.
func SoftmaxCrossEntropy[T Float](z []T, rows, cols, ld int, y []T, grad []T, scale T) (loss float64) {
	for i := range rows {
		row := z[i*ld : i*ld+cols]
		mx := row[0]
		for _, x := range row[1:] {
			if x > mx {
				mx = x
			}
		}
		var sum float64
		for j, x := range row {
			e := math.Exp(float64(x - mx))
			row[j] = T(e)
			sum += e
		}
		inv := 1 / sum
		if y == nil {
			for j := range row {
				row[j] = T(float64(row[j]) * inv)
			}
			continue
		}
		yr := y[i*ld : i*ld+cols]
		for j := range row {
			p := T(float64(row[j]) * inv)
			row[j] = p
			if t := yr[j]; t != 0 {
				loss -= float64(t) * math.Log(min(max(float64(p), ProbEpsilon), 1-ProbEpsilon))
			}
		}
		if grad != nil {
			gr := grad[i*ld : i*ld+cols]
			for j, p := range row {
				gr[j] = (p - yr[j]) * scale
			}
		}
	}
	return loss
}
