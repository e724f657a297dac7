package nn

// precisionRecall counts, over every output value, the predictions above
// 0.5 (positives) against the labels that are 1, as Keras' Precision and
// Recall with their default threshold: precision = true positives / predicted
// positives, recall = true positives / actual positives. Over one-hot rows
// each column counts as a yes/no question, as in Keras.
func precisionRecall[T number](y, out matrix[T], recall bool) (num, den float64) {
	for i, o := range out.data {
		predicted, actual := o > 0.5, y.data[i] == 1
		if predicted && actual {
			num++
		}
		if recall && actual || !recall && predicted {
			den++
		}
	}
	return num, den
}

// ratio is a metric's value from its accumulated numerator and denominator
// (sums[2i], sums[2i+1]); 0 when nothing was counted, as Keras' divide_no_nan.
func ratio(sums []float64, i int) float64 {
	if sums[2*i+1] == 0 {
		return 0
	}
	return sums[2*i] / sums[2*i+1]
}
