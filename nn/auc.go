package nn

import "math"

// AUC is Keras' keras.metrics.AUC() with its defaults: num_thresholds=200,
// curve="ROC", summation_method="interpolation", for one sigmoid output
// against labels 0 and 1.
//
// The ROC curve plots, for every threshold t, the true-positive rate (the
// share of the 1s predicted above t, the recall) against the false-positive
// rate (the share of the 0s predicted above t). A model that ranks every 1
// above every 0 has an area of 1 under it, one that guesses 0.5, one that
// ranks them backwards 0. Keras measures the curve at 200 thresholds: -ε,
// 1/199, 2/199, ..., 198/199, 1+ε (ε = 1e-7, so that a prediction of
// exactly 0 is above the first and one of 1 below the last), and sums the
// area as trapezoids between neighbouring thresholds:
//
//	AUC = Σ_i (fpr_i - fpr_i+1) * (tpr_i + tpr_i+1) / 2
//
// Two predictions between the same two thresholds count as a tie (half a
// pair), so the value is the exact area only up to 1/199 of a probability.
//
// Like Keras, nn does not compare each prediction with 200 thresholds: it
// puts it in its bucket, ceil(p*199) - 1 (0 for p <= 1/199), computed in
// the model's precision as Keras computes it in float32, after clipping p
// to [0, 1]; a threshold's counts are the buckets' from it up. The buckets'
// counts (each row weighted by its sample weight) are summed over every
// batch of an epoch, or over the whole validation set, and the area is
// computed once from the sums.
const aucThresholds = 200

// aucMetric keeps, per bucket, the weight of the 1s (sums[:200]) and of
// the 0s (sums[200:]) predicted in it.
func aucMetric[T number]() metricImpl[T] {
	return metricImpl[T]{size: 2 * aucThresholds, add: aucAdd[T], value: aucValue}
}

func aucAdd[T number](y, out matrix[T], w float64, s []float64) {
	pos, neg := s[:aucThresholds], s[aucThresholds:]
	for i, o := range out.data {
		v := min(max(o, 0), 1) * T(aucThresholds-1)
		b := 0 // also for a NaN, which the loss reports
		if v > 1 {
			b = int(math.Ceil(float64(v))) - 1
		}
		if y.data[i] != 0 { // Keras casts the labels to bool
			pos[b] += w
		} else {
			neg[b] += w
		}
	}
}

// aucValue sums the trapezoids from the last threshold down: at threshold
// i the true positives are the 1s of buckets i and up, the false positives
// the 0s. At the last threshold (1+ε) both are 0.
func aucValue(s []float64) float64 {
	pos, neg := s[:aucThresholds], s[aucThresholds:]
	var p, n float64 // all the 1s and all the 0s
	for b := range pos {
		p += pos[b]
		n += neg[b]
	}
	var area, tp, fp, tpr, fpr float64
	for i := aucThresholds - 2; i >= 0; i-- {
		tp += pos[i]
		fp += neg[i]
		t, f := ratio(tp, p), ratio(fp, n)
		area += (f - fpr) * (t + tpr) / 2
		tpr, fpr = t, f
	}
	return area
}
