package nn

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// number is the element type a network computes in: float32 (Keras' default,
// fast) or float64 (exact teaching examples).
type number interface{ ~float32 | ~float64 }

// matrix is a row-major dense matrix: everything a layer sees. It is smaller
// than mat.Dense because the layers need only a buffer that can be reused from
// batch to batch, in either precision.
type matrix[T number] struct {
	rows, cols int
	data       []T
}

func newMatrix[T number](r, c int) matrix[T] {
	return matrix[T]{rows: r, cols: c, data: make([]T, r*c)}
}

// resize reshapes m to r x c, reusing its storage when it is large enough, so
// the training loop allocates only for the first (largest) batch.
func (m *matrix[T]) resize(r, c int) {
	if cap(m.data) < r*c {
		m.data = make([]T, r*c)
	}
	m.rows, m.cols, m.data = r, c, m.data[:r*c]
}

func (m matrix[T]) row(i int) []T { return m.data[i*m.cols : (i+1)*m.cols] }

func (m matrix[T]) at(i, j int) T { return m.data[i*m.cols+j] }

// gemmFunc computes c = alpha*op(a)*op(b) + beta*c for row-major matrices.
type gemmFunc[T number] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// gemmFor picks the BLAS routine for T once. It goes through gonum's
// blas32/blas64 Implementation on every call, so a faster GEMM installed with
// blas32.Use or blas64.Use is picked up without touching the layers.
func gemmFor[T number]() gemmFunc[T] {
	var zero T
	switch any(zero).(type) {
	case float32:
		var f gemmFunc[float32] = func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			blas32.Implementation().Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		}
		return any(f).(gemmFunc[T])
	default:
		var f gemmFunc[float64] = func(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
			blas64.Implementation().Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		}
		return any(f).(gemmFunc[T])
	}
}

// mul sets c = op(a)*op(b) (+ c when accumulate), the one matrix product the
// layers use. transA/transB say whether a or b is used transposed.
func mul[T number](g gemmFunc[T], a matrix[T], transA bool, b matrix[T], transB bool, c matrix[T], accumulate bool) {
	ta, tb := blas.NoTrans, blas.NoTrans
	m, k := a.rows, a.cols
	if transA {
		ta, m, k = blas.Trans, a.cols, a.rows
	}
	n := b.cols
	if transB {
		tb, n = blas.Trans, b.rows
	}
	if m == 0 || n == 0 {
		return
	}
	beta := T(0)
	if accumulate {
		beta = 1
	}
	if k == 0 {
		if !accumulate {
			clear(c.data)
		}
		return
	}
	g(ta, tb, m, n, k, 1, a.data, max(a.cols, 1), b.data, max(b.cols, 1), beta, c.data, max(c.cols, 1))
}
