package nn

import (
	"gonum.org/v1/gonum/blas"

	"github.com/dlnb/dlnb/internal/fastblas"
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

// The BLAS every layer multiplies with: gonum's BLAS with the packed
// AVX-512 or AVX2/FMA matrix products of internal/fastblas (a portable Go
// kernel on other CPUs). SetBLAS swaps it without touching the layers.
var (
	blas32Impl blas.Float32 = fastblas.Implementation{}
	blas64Impl blas.Float64 = fastblas.Implementation{}
)

// SetBLAS makes models multiply with the given gonum BLAS implementations
// (e.g. gonum.Implementation{} for gonum's pure-Go BLAS, or an OpenBLAS
// binding); nil leaves one as it is. Models built before the call keep theirs.
func SetBLAS(f32 blas.Float32, f64 blas.Float64) {
	if f32 != nil {
		blas32Impl = f32
	}
	if f64 != nil {
		blas64Impl = f64
	}
}

// gemmFor picks the BLAS routine for T, once per network.
func gemmFor[T number]() gemmFunc[T] {
	var zero T
	switch any(zero).(type) {
	case float32:
		var f gemmFunc[float32] = blas32Impl.Sgemm
		return any(f).(gemmFunc[T])
	default:
		var f gemmFunc[float64] = blas64Impl.Dgemm
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
