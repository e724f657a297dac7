package nn

// precisionRecall counts, over every output value, the predictions above
// 0.5 (positives) against the labels that are 1, as Keras' Precision and
// Recall with their default threshold: precision = true positives / predicted
// positives, recall = true positives / actual positives. Over one-hot rows
// each column counts as a yes/no question, as in Keras. The counts are
// summed over the batches of an epoch (metric_state.go), as Keras' are.
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
