package datasets

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// StandardScaler standardizes columns: (x - mean) / std, with the mean and
// the standard deviation of each column of the data it was fitted on, like
// scikit-learn's StandardScaler.
//
// Fit it on the training part only, then Transform the training, test and
// prediction data with the same numbers: fitting on all the data would let
// the test rows leak into training.
//
//	var sc datasets.StandardScaler
//	xTrain, err := sc.FitTransform(train.X)
//	xTest, err := sc.Transform(test.X)
//
// The zero value is ready to Fit. Its fields are exported so that a fitted
// scaler can be saved (encoding/gob, encoding/json) with the model.
type StandardScaler struct {
	// Mean is each column's mean on the data Fit saw.
	Mean []float64
	// Scale is each column's population standard deviation (ddof=0, as
	// scikit-learn), or 1 for a constant column, which is then only
	// centred (scikit-learn does the same, to avoid dividing by zero).
	Scale []float64
	// Rows is the number of rows Fit saw.
	Rows int
}

// Fit computes the mean and standard deviation of every column of x.
func (s *StandardScaler) Fit(x mat.Matrix) error {
	if x == nil {
		return fmt.Errorf("datasets: StandardScaler.Fit: x is nil; pass the training predictors, e.g. train.X")
	}
	r, c := x.Dims()
	if r == 0 || c == 0 {
		return fmt.Errorf("datasets: StandardScaler.Fit: x is %dx%d; it needs at least one row and one column", r, c)
	}
	if err := checkFinite("StandardScaler.Fit", x); err != nil {
		return err
	}
	mean := make([]float64, c)
	scale := make([]float64, c)
	for j := 0; j < c; j++ {
		sum := 0.0
		for i := 0; i < r; i++ {
			sum += x.At(i, j)
		}
		m := sum / float64(r)
		ss := 0.0
		for i := 0; i < r; i++ {
			d := x.At(i, j) - m
			ss += d * d
		}
		variance := ss / float64(r)
		sd := math.Sqrt(variance)
		// A column constant up to rounding counts as constant, so that it
		// is not blown up into noise; the bound is scikit-learn's
		// (_is_constant_feature): n*eps*var + (n*mean*eps)^2.
		const eps = 0x1p-52
		n := float64(r)
		if variance <= n*eps*variance+(n*m*eps)*(n*m*eps) {
			sd = 1
		}
		mean[j], scale[j] = m, sd
	}
	s.Mean, s.Scale, s.Rows = mean, scale, r
	return nil
}

// Transform returns (x - Mean) / Scale, column by column, in a new matrix.
// x must have the columns the scaler was fitted on.
func (s *StandardScaler) Transform(x mat.Matrix) (*mat.Dense, error) {
	return s.apply("Transform", x, func(v, m, sd float64) float64 { return (v - m) / sd })
}

// InverseTransform undoes Transform: x*Scale + Mean, for example to show
// standardized predictions in the original units.
func (s *StandardScaler) InverseTransform(x mat.Matrix) (*mat.Dense, error) {
	return s.apply("InverseTransform", x, func(v, m, sd float64) float64 { return v*sd + m })
}

// FitTransform fits the scaler on x and returns x transformed.
func (s *StandardScaler) FitTransform(x mat.Matrix) (*mat.Dense, error) {
	if err := s.Fit(x); err != nil {
		return nil, err
	}
	return s.Transform(x)
}

func (s *StandardScaler) apply(name string, x mat.Matrix, f func(v, m, sd float64) float64) (*mat.Dense, error) {
	if s == nil || s.Mean == nil {
		return nil, fmt.Errorf("datasets: StandardScaler.%s: the scaler is not fitted; call Fit (or FitTransform) on the training data first", name)
	}
	if len(s.Scale) != len(s.Mean) {
		return nil, fmt.Errorf("datasets: StandardScaler.%s: Mean has %d values but Scale %d; fit the scaler again", name, len(s.Mean), len(s.Scale))
	}
	if x == nil {
		return nil, fmt.Errorf("datasets: StandardScaler.%s: x is nil", name)
	}
	r, c := x.Dims()
	if c != len(s.Mean) {
		return nil, fmt.Errorf("datasets: StandardScaler.%s: x is %dx%d but the scaler was fitted on %dx%d data; the columns must be the same (same features, same order)", name, r, c, s.Rows, len(s.Mean))
	}
	if err := checkFinite("StandardScaler."+name, x); err != nil {
		return nil, err
	}
	out := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		row := out.RawRowView(i)
		for j := range row {
			row[j] = f(x.At(i, j), s.Mean[j], s.Scale[j])
		}
	}
	return out, nil
}

// checkFinite reports the first NaN or infinite value: statistics with one
// are NaN, and a model trained on them learns nothing.
func checkFinite(where string, x mat.Matrix) error {
	r, c := x.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := x.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("datasets: %s: x[%d][%d] is %v; fill missing values first (e.g. LoadCSV with Missing: datasets.MissingMean)", where, i, j, v)
			}
		}
	}
	return nil
}
