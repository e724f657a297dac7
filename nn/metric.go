package nn

import (
	"math"
)

// Metric names a number reported during training but not minimized.
type Metric string

// The metrics Compile accepts. Accuracy picks categorical, binary or sparse
// accuracy from the shapes of the labels and the output, as Keras does.
// Precision, Recall and AUC count yes/no answers against labels 0 and 1.
// AUC, Keras' AUC() with its defaults, is the area under the ROC curve (the
// share of the 1s predicted above a threshold against the share of the 0s,
// at 200 thresholds from 0 to 1): the chance that the model predicts a 1
// higher than a 0 (1: a perfect ranking, 0.5: guessing). It needs one
// output column, such as one sigmoid unit (auc.go computes it).
// "acc", "mean_squared_error", "mean_absolute_error", "AUC", "Precision" and
// "Recall" are aliases.
const (
	Accuracy  Metric = "accuracy"
	MSE       Metric = "mse"
	MAE       Metric = "mae"
	Precision Metric = "precision" // of the predictions above 0.5, the share that are 1
	Recall    Metric = "recall"    // of the 1s, the share predicted above 0.5
	AUC       Metric = "auc"       // the area under the ROC curve, for one sigmoid output
)

var metricNames = []Metric{Accuracy, MSE, MAE, Precision, Recall, AUC}

// Metrics are stateful, as Keras' are: every batch adds its counts to
// running sums, and the epoch's value is read from the sums of all its
// batches (never a mean of per-batch values); the validation value is the
// whole validation set's (metric_state.go keeps the sums).

// metricFunc returns a batch's contribution to a mean metric as a
// fraction's numerator and denominator: the sum of each row's value and
// the number of rows, or counts of predictions for Precision and Recall.
// The metric is the sum of the numerators over the sum of the denominators.
type metricFunc[T number] func(y, out matrix[T]) (num, den float64)

// metricFor resolves a metric for the given label columns and output units.
func metricFor[T number](m Metric, loss Loss, yCols, units int) metricImpl[T] {
	switch m {
	case MSE:
		return mean(func(y, out matrix[T]) (float64, float64) { return mseForward(y, out, out), float64(y.rows) })
	case MAE:
		return mean(maeMetric[T])
	case Precision, Recall:
		return mean(func(y, out matrix[T]) (float64, float64) { return precisionRecall(y, out, m == Recall) })
	case AUC:
		return aucMetric[T]()
	}
	switch {
	case loss == BinaryCrossentropy || (units == 1 && yCols == 1):
		return mean(binaryAccuracy[T])
	case loss == SparseCategoricalCrossentropy || yCols == 1:
		return mean(sparseAccuracy[T])
	}
	return mean(categoricalAccuracy[T])
}

func maeMetric[T number](y, out matrix[T]) (float64, float64) {
	var s float64
	for i, o := range out.data {
		s += math.Abs(float64(o - y.data[i]))
	}
	return s / float64(out.cols), float64(out.rows)
}

// binaryAccuracy: a prediction above 0.5 means 1.
func binaryAccuracy[T number](y, out matrix[T]) (float64, float64) {
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
	return s / float64(out.cols), float64(out.rows)
}

// categoricalAccuracy: the largest output is at the same place as the largest label.
func categoricalAccuracy[T number](y, out matrix[T]) (float64, float64) {
	var s float64
	for r := range out.rows {
		if argmax(out.row(r)) == argmax(y.row(r)) {
			s++
		}
	}
	return s, float64(out.rows)
}

// sparseAccuracy: the largest output is at the label's class number.
func sparseAccuracy[T number](y, out matrix[T]) (float64, float64) {
	var s float64
	for r := range out.rows {
		if argmax(out.row(r)) == int(y.data[r]) {
			s++
		}
	}
	return s, float64(out.rows)
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
