// Package onehot is the one implementation of one-hot encoding behind
// nn.ToCategorical and datasets.OneHot: the same rules for a label and the
// same bound on the matrix, each package wording the errors its own way.
package onehot

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// MaxCells bounds the size of a one-hot matrix (128 MiB of float64, 200
// times MNIST's 60,000x10): a column of ids or amounts passed by mistake
// would otherwise ask for gigabytes, or overflow.
const MaxCells = 1 << 24

// Problem says what is wrong with a call of Encode.
type Problem int

const (
	None          Problem = iota
	NoLabels              // no labels at all
	NegativeCount         // numClasses < 0
	NotClass              // Labels[Index] = Value is not a whole number >= 0
	AboveCount            // Labels[Index] = Value >= numClasses
	TooLarge              // Rows x Classes > MaxCells
)

// Error describes a Problem with what it concerns.
type Error struct {
	Problem
	Index   int     // the label (NotClass, AboveCount)
	Value   float64 // its value
	Rows    int     // TooLarge: the number of labels
	Classes float64 // TooLarge: the number of classes asked for
}

// Encode one-hot encodes labels into len(labels) x numClasses (0:
// max(labels)+1) rows with a 1 in the label's column.
func Encode(labels []float64, numClasses int) (*mat.Dense, *Error) {
	if len(labels) == 0 {
		return nil, &Error{Problem: NoLabels}
	}
	if numClasses < 0 {
		return nil, &Error{Problem: NegativeCount}
	}
	top := 0.0
	for i, v := range labels {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v != math.Trunc(v) {
			return nil, &Error{Problem: NotClass, Index: i, Value: v}
		}
		if numClasses > 0 && v >= float64(numClasses) {
			return nil, &Error{Problem: AboveCount, Index: i, Value: v}
		}
		top = max(top, v)
	}
	classes := float64(numClasses)
	if numClasses == 0 {
		classes = top + 1
	}
	if classes*float64(len(labels)) > MaxCells {
		return nil, &Error{Problem: TooLarge, Rows: len(labels), Classes: classes}
	}
	out := mat.NewDense(len(labels), int(classes), nil)
	for i, v := range labels {
		out.Set(i, int(v), 1)
	}
	return out, nil
}
