package datasets

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/dlnb/dlnb/internal/onehot"
)

// OneHot encodes class labels 0, 1, 2, ... as rows of 0s with a 1 in the
// label's column, like Keras' to_categorical(labels, num_classes): row i has
// a 1 in column labels[i]. numClasses 0 means max(labels)+1, Keras' default.
//
// Labels must be whole numbers from 0 to numClasses-1; anything else is an
// error naming the first bad label and its index. nn.ToCategorical is the
// same encoding, with the same limits.
func OneHot(labels []float64, numClasses int) (*mat.Dense, error) {
	out, e := onehot.Encode(labels, numClasses)
	if e == nil {
		return out, nil
	}
	switch e.Problem {
	case onehot.NoLabels:
		return nil, fmt.Errorf("datasets: OneHot: no labels; pass at least one")
	case onehot.NegativeCount:
		return nil, fmt.Errorf("datasets: OneHot: numClasses is %d; use 0 (max label + 1) or the number of classes", numClasses)
	case onehot.NotClass:
		return nil, fmt.Errorf("datasets: OneHot: label %d is %v; labels must be whole numbers 0, 1, 2, ... (is this column a class label?)", e.Index, e.Value)
	case onehot.AboveCount:
		return nil, fmt.Errorf("datasets: OneHot: label %d is %v but numClasses is %d; labels must be below numClasses (or pass 0 to use max label + 1)", e.Index, e.Value, numClasses)
	}
	return nil, fmt.Errorf("datasets: OneHot: %d labels with %v classes would need %v numbers; is this column really a class label?", e.Rows, e.Classes, e.Classes*float64(e.Rows))
}
