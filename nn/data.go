package nn

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/dlnb/dlnb/internal/fastops"
	"github.com/dlnb/dlnb/internal/onehot"
	"github.com/dlnb/dlnb/internal/parallel"
)

// toMatrix turns what a user passed as x or y into a row-major matrix,
// checking it on the way: it must be non-empty, rectangular and finite.
func toMatrix(name string, v any) (matrix[float64], error) {
	m, err := readMatrix(name, v)
	if err != nil {
		return m, err
	}
	return m, checkFiniteParallel(name, m, 0)
}

// readMatrix is toMatrix without the check for NaN and infinite values, for
// data that is checked later as it is converted (Fit's x).
// Accepted: mat.Matrix (e.g. *mat.Dense), [][]float64, [][]float32, and one
// column as []float64, []float32 or []int. A *mat.Dense whose rows are
// contiguous is used in place, not copied: nn never writes to its inputs.
func readMatrix(name string, v any) (matrix[float64], error) {
	var m matrix[float64]
	switch d := v.(type) {
	case nil:
		return m, fmt.Errorf("%s is nil: pass a *mat.Dense, [][]float64 or []float64", name)
	case *mat.Dense:
		if d == nil || d.IsEmpty() {
			return m, fmt.Errorf("%s is empty: it has no rows", name)
		}
		raw := d.RawMatrix()
		if raw.Stride == raw.Cols {
			m = matrix[float64]{raw.Rows, raw.Cols, raw.Data[:raw.Rows*raw.Cols]}
			break
		}
		m = newMatrix[float64](raw.Rows, raw.Cols)
		for r := range raw.Rows {
			copy(m.row(r), raw.Data[r*raw.Stride:r*raw.Stride+raw.Cols])
		}
	case mat.Matrix:
		r, c := d.Dims()
		m = newMatrix[float64](r, c)
		for i := range r {
			for j := range c {
				m.data[i*c+j] = d.At(i, j)
			}
		}
	case [][]float64:
		return fromRows(name, d, func(x float64) float64 { return x })
	case [][]float32:
		return fromRows(name, d, func(x float32) float64 { return float64(x) })
	case []float64:
		m = matrix[float64]{len(d), 1, append([]float64(nil), d...)}
	case []float32:
		m = newMatrix[float64](len(d), 1)
		for i, x := range d {
			m.data[i] = float64(x)
		}
	case []int:
		m = newMatrix[float64](len(d), 1)
		for i, x := range d {
			m.data[i] = float64(x)
		}
	default:
		return m, fmt.Errorf("%s has type %T: pass a *mat.Dense, [][]float64, []float64 or []int", name, v)
	}
	if m.rows == 0 || m.cols == 0 {
		return m, fmt.Errorf("%s is empty (%d rows, %d columns): there is nothing to learn from", name, m.rows, m.cols)
	}
	return m, nil
}

// checkFinite reports the first NaN or infinite value; row0 is the row of
// the user's data where m starts. x-x is 0 for every finite x and NaN
// otherwise, so one comparison per value finds both.
func checkFinite(name string, m matrix[float64], row0 int) error {
	if i := firstNotFinite(m.data); i >= 0 {
		return notFinite(name, m, row0, i)
	}
	return nil
}

// firstNotFinite is the index of x's first NaN or infinite value, -1 if
// none: a vector pass (fastops.Finite) over the data, which is finite in
// the common case, and a search only when it is not.
func firstNotFinite(x []float64) int {
	if fastops.Finite(x) {
		return -1
	}
	return fastops.FirstNotFinite(x)
}

func notFinite(name string, m matrix[float64], row0, i int) error {
	return fmt.Errorf("%s row %d, column %d %v: clean or drop that row first", name, row0+i/m.cols, i%m.cols, finite(m.data[i]))
}

// checkFiniteParallel is checkFinite split over the cores
// (internal/parallel), for large data (MNIST's 47 million values, 376 MB
// to read: two cores read it faster than one). The first bad value is reported, whatever the split.
func checkFiniteParallel(name string, m matrix[float64], row0 int) error {
	parts := min(parallel.Procs(), 4, max(len(m.data)/(1<<20), 1))
	if parts == 1 {
		return checkFinite(name, m, row0)
	}
	bad := make([]int, parts)
	parallel.Do(parts, parallel.Func(func(p int) {
		lo, hi := p*len(m.data)/parts, (p+1)*len(m.data)/parts
		if bad[p] = firstNotFinite(m.data[lo:hi]); bad[p] >= 0 {
			bad[p] += lo
		}
	}))
	for _, i := range bad {
		if i >= 0 {
			return notFinite(name, m, row0, i)
		}
	}
	return nil
}

func fromRows[E float32 | float64](name string, rows [][]E, conv func(E) float64) (matrix[float64], error) {
	if len(rows) == 0 || len(rows[0]) == 0 {
		return matrix[float64]{}, fmt.Errorf("%s is empty: it has no rows or no columns", name)
	}
	m := newMatrix[float64](len(rows), len(rows[0]))
	for r, row := range rows {
		if len(row) != m.cols {
			return m, fmt.Errorf("%s row %d has %d values but row 0 has %d: every row needs the same number of columns", name, r, len(row), m.cols)
		}
		for j, x := range row {
			m.data[r*m.cols+j] = conv(x)
		}
	}
	return m, nil
}

func finite(x float64) error {
	if math.IsNaN(x) {
		return fmt.Errorf("is NaN (a missing value?)")
	}
	if math.IsInf(x, 0) {
		return fmt.Errorf("is %v", x)
	}
	return nil
}

// dense returns the matrix as a *mat.Dense, in float64.
func (m matrix[T]) dense() *mat.Dense {
	d := make([]float64, len(m.data))
	for i, x := range m.data {
		d[i] = float64(x)
	}
	return mat.NewDense(m.rows, m.cols, d)
}

// FromRows builds a matrix from rows of numbers, the way a notebook writes
// data by hand: nn.FromRows([][]float64{{3, 5}, {1, -1}}).
func FromRows(rows [][]float64) (*mat.Dense, error) {
	m, err := toMatrix("rows", rows)
	if err != nil {
		return nil, err
	}
	return mat.NewDense(m.rows, m.cols, m.data), nil
}

// Column returns column j of m as a slice: Column(predictions, 1) is Keras'
// predictions[:, 1], the probability of class 1. It returns nil if j is out of range.
func Column(m mat.Matrix, j int) []float64 {
	_, c := m.Dims()
	if j < 0 || j >= c {
		return nil
	}
	return mat.Col(nil, j, m)
}

// ToCategorical one-hot encodes class numbers, as Keras' to_categorical:
// class k becomes a row with a 1 in column k. y is a []int, a []float64 or a
// one-column matrix of whole numbers 0, 1, 2, ...; numClasses 0 means max(y)+1.
// It is datasets.OneHot's encoding, with the same limit (16,777,216 numbers):
// a column of ids or amounts passed by mistake is refused, not given gigabytes.
func ToCategorical(y any, numClasses int) (*mat.Dense, error) {
	out, err := toCategorical(y, numClasses)
	if err != nil {
		return nil, fmt.Errorf("nn.ToCategorical: %w", err)
	}
	return out, nil
}

func toCategorical(y any, numClasses int) (*mat.Dense, error) {
	m, err := toMatrix("y", y)
	if err != nil {
		return nil, err
	}
	if m.cols != 1 {
		return nil, fmt.Errorf("it needs one column of class numbers, y has %d columns", m.cols)
	}
	out, e := onehot.Encode(m.data, numClasses)
	if e == nil {
		return out, nil
	}
	switch e.Problem {
	case onehot.NegativeCount:
		return nil, fmt.Errorf("numClasses is %d: pass the number of classes, or 0 to count them (max(y)+1)", numClasses)
	case onehot.NotClass:
		return nil, fmt.Errorf("y row %d is %v: class numbers must be whole numbers 0, 1, 2, ...", e.Index, e.Value)
	case onehot.AboveCount:
		return nil, fmt.Errorf("y row %d has the class %v but numClasses is %d: classes must be 0..%d (or pass 0 to count them)", e.Index, e.Value, numClasses, numClasses-1)
	}
	return nil, fmt.Errorf("%d labels with %v classes would need %v numbers (the limit is %d): is this column really a class label?", e.Rows, e.Classes, e.Classes*float64(e.Rows), onehot.MaxCells)
}
