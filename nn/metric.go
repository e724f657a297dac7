package nn

import (
	"math"
)

// Metric names a number reported during training but not minimized.
type Metric string

// The metrics Compile accepts. Accuracy picks categorical, binary or sparse
// accuracy from the shapes of the labels and the output, as Keras does.
// "acc", "mean_squared_error" and "mean_absolute_error" are aliases.
const (
	Accuracy Metric = "accuracy"
	MSE      Metric = "mse"
	MAE      Metric = "mae"
)

var metricNames = []Metric{Accuracy, MSE, MAE}

// metricFunc returns the sum over the batch's rows of each row's value.
type metricFunc[T number] func(y, out matrix[T]) float64

// metricFor resolves a metric for the given label columns and output units.
func metricFor[T number](m Metric, loss Loss, yCols, units int) metricFunc[T] {
	switch m {
	case MSE:
		return func(y, out matrix[T]) float64 { return mseForward(y, out, out) }
	case MAE:
		return maeMetric[T]
	}
	switch {
	case loss == BinaryCrossentropy || (units == 1 && yCols == 1):
		return binaryAccuracy[T]
	case loss == SparseCategoricalCrossentropy || yCols == 1:
		return sparseAccuracy[T]
	}
	return categoricalAccuracy[T]
}

func maeMetric[T number](y, out matrix[T]) float64 {
	var s float64
	for i, o := range out.data {
		s += math.Abs(float64(o - y.data[i]))
	}
	return s / float64(out.cols)
}

// binaryAccuracy: a prediction above 0.5 means 1.
func binaryAccuracy[T number](y, out matrix[T]) float64 {
	var s float64
	for i, o := range out.data {
		p := T(0)
		if o > 0.5 {
			p = 1
		}
		if p == y.data[i] {
			s++
		}
	}
	return s / float64(out.cols)
}

// categoricalAccuracy: the largest output is at the same place as the largest label.
func categoricalAccuracy[T number](y, out matrix[T]) float64 {
	var s float64
	for r := range out.rows {
		if argmax(out.row(r)) == argmax(y.row(r)) {
			s++
		}
	}
	return s
}

// sparseAccuracy: the largest output is at the label's class number.
func sparseAccuracy[T number](y, out matrix[T]) float64 {
	var s float64
	for r := range out.rows {
		if argmax(out.row(r)) == int(y.data[r]) {
			s++
		}
	}
	return s
}

// argmax returns the first index of the largest value, as numpy does.
func argmax[T number](v []T) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
