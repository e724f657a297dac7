package plotting

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// The prediction charts take data as nn gives it (a *mat.Dense from Predict
// or ToCategorical) or as plain slices.

// column reads one column of numbers: []float64, []int, or a matrix with one
// column; what names the argument in errors.
func column(v any, what string) ([]float64, error) {
	switch v := v.(type) {
	case nil:
		return nil, fmt.Errorf("%s is nil: pass a []float64 or a one-column matrix", what)
	case []float64:
		return v, nil
	case []int:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out, nil
	case mat.Matrix:
		r, c := v.Dims()
		if c != 1 {
			return nil, fmt.Errorf("%s is a %dx%d matrix: pass one column (mat.Col(nil, j, m) takes column j)", what, r, c)
		}
		return mat.Col(nil, 0, v), nil
	default:
		return nil, fmt.Errorf("%s is a %T: pass a []float64, []int or a one-column *mat.Dense", what, v)
	}
}

// classes reads class labels: []int, or a matrix with a row per example
// (one-hot targets or predicted probabilities: the class is the column with
// the largest value; a single column of probabilities is class 1 at 0.5 and
// above, as Keras' binary accuracy counts it).
func classes(v any, what string) ([]int, error) {
	switch v := v.(type) {
	case nil:
		return nil, fmt.Errorf("%s is nil: pass class labels ([]int) or a matrix of one-hot rows or probabilities", what)
	case []int:
		for i, c := range v {
			if c < 0 {
				return nil, fmt.Errorf("%s[%d] is %d: class labels are 0, 1, 2, ...", what, i, c)
			}
		}
		return v, nil
	case mat.Matrix:
		r, c := v.Dims()
		out := make([]int, r)
		for i := range r {
			for j := range c {
				if x := v.At(i, j); math.IsNaN(x) || math.IsInf(x, 0) {
					return nil, fmt.Errorf("%s row %d holds %v in column %d: a class cannot be read from it (predictions of a model whose training diverged? check its loss)", what, i, x, j)
				}
			}
			if c == 1 {
				if v.At(i, 0) >= 0.5 {
					out[i] = 1
				}
				continue
			}
			best := 0
			for j := 1; j < c; j++ {
				if v.At(i, j) > v.At(i, best) {
					best = j
				}
			}
			out[i] = best
		}
		return out, nil
	default:
		return nil, fmt.Errorf("%s is a %T: pass class labels ([]int) or a *mat.Dense of one-hot rows or probabilities", what, v)
	}
}

// Classes returns the class of each row of m: the column with the largest
// value (one-hot targets, softmax probabilities), or for a single column of
// probabilities 1 at 0.5 and above, else 0. It returns nil if m is nil or
// holds NaN or an infinity, which has no class (the chart functions say
// which row).
func Classes(m mat.Matrix) []int {
	c, _ := classes(m, "m")
	return c
}
