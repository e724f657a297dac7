package datasets

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// maxOneHotCells bounds the size of a one-hot matrix (128 MiB of float64,
// 200 times MNIST's 60,000x10): a column of ids or amounts passed by mistake
// would otherwise ask for gigabytes before anyone notices.
const maxOneHotCells = 1 << 24

// OneHot encodes class labels 0, 1, 2, ... as rows of 0s with a 1 in the
// label's column, like Keras' to_categorical(labels, num_classes): row i has
// a 1 in column labels[i]. numClasses 0 means max(labels)+1, Keras' default.
//
// Labels must be whole numbers from 0 to numClasses-1; anything else is an
// error naming the first bad label and its index.
func OneHot(labels []float64, numClasses int) (*mat.Dense, error) {
	if len(labels) == 0 {
		return nil, fmt.Errorf("datasets: OneHot: no labels; pass at least one")
	}
	if numClasses < 0 {
		return nil, fmt.Errorf("datasets: OneHot: numClasses is %d; use 0 (max label + 1) or the number of classes", numClasses)
	}
	maxLabel := 0.0
	for i, v := range labels {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v != math.Trunc(v) {
			return nil, fmt.Errorf("datasets: OneHot: label %d is %v; labels must be whole numbers 0, 1, 2, ... (is this column a class label?)", i, v)
		}
		if numClasses > 0 && v >= float64(numClasses) {
			return nil, fmt.Errorf("datasets: OneHot: label %d is %v but numClasses is %d; labels must be below numClasses (or pass 0 to use max label + 1)", i, v, numClasses)
		}
		maxLabel = max(maxLabel, v)
	}
	classes := float64(numClasses)
	if numClasses == 0 {
		classes = maxLabel + 1
	}
	if classes*float64(len(labels)) > maxOneHotCells {
		return nil, fmt.Errorf("datasets: OneHot: %d labels with %v classes would need %v numbers; is this column really a class label?", len(labels), classes, classes*float64(len(labels)))
	}
	out := mat.NewDense(len(labels), int(classes), nil)
	for i, v := range labels {
		out.Set(i, int(v), 1)
	}
	return out, nil
}
