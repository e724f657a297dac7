package fastblas

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/dlnb/dlnb/internal/cputime"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// The shapes of nn's MLP on MNIST (784 -> 128 -> 10) at batch b: the forward
// products, the kernel gradients dW = Xᵀ·dNet and the input gradient dX = dNet·Wᵀ,
// and prediction of the 10,000 test images.
type gemmShape struct {
	name    string
	tA, tB  blas.Transpose
	m, n, k int
}

var (
	flagPackAll = flag.Bool("fastblas.packall", false, "benchmark with A and B always packed")
	flagPackB   = flag.Bool("fastblas.packb", false, "benchmark with B always packed")
)

func setFlags() {
	packAlways = *flagPackAll
	allowInPlaceB = !*flagPackB
}

func mnistShapes() []gemmShape {
	var s []gemmShape
	for _, b := range []int{32, 128} {
		s = append(s,
			gemmShape{fmt.Sprintf("fwd1/b=%d", b), blas.NoTrans, blas.NoTrans, b, 128, 784},
			gemmShape{fmt.Sprintf("dW1/b=%d", b), blas.Trans, blas.NoTrans, 784, 128, b},
			gemmShape{fmt.Sprintf("fwd2/b=%d", b), blas.NoTrans, blas.NoTrans, b, 10, 128},
			gemmShape{fmt.Sprintf("dW2/b=%d", b), blas.Trans, blas.NoTrans, 128, 10, b},
			gemmShape{fmt.Sprintf("dX2/b=%d", b), blas.NoTrans, blas.Trans, b, 128, 10},
		)
	}
	return append(s, gemmShape{"predict/10000", blas.NoTrans, blas.NoTrans, 10000, 128, 784})
}

func benchSgemm(b *testing.B, impl blas.Float32, s gemmShape) {
	setFlags()
	rng := rand.New(rand.NewPCG(1, 1))
	A := randSlice[float32](rng, s.m*s.k)
	B := randSlice[float32](rng, s.k*s.n)
	C := make([]float32, s.m*s.n)
	lda, ldb := s.k, s.n
	if s.tA == blas.Trans {
		lda = s.m
	}
	if s.tB == blas.Trans {
		ldb = s.k
	}
	b.ResetTimer()
	cpu0 := cputime.Now()
	for range b.N {
		impl.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, A, lda, B, ldb, 0, C, s.n)
	}
	reportFlops(b, s.m*s.n*s.k, cputime.Now()-cpu0)
}

// BenchmarkSgemm compares this package's Sgemm with gonum's at nn's shapes
// (dense random data: gonum skips zero elements of A, so on MNIST's sparse
// pixels it does better than here).
func BenchmarkSgemm(b *testing.B) {
	for _, s := range mnistShapes() {
		b.Run(s.name+"/fast", func(b *testing.B) { benchSgemm(b, Implementation{}, s) })
		b.Run(s.name+"/gonum", func(b *testing.B) { benchSgemm(b, gonum.Implementation{}, s) })
	}
}

// BenchmarkSgemmSquare measures the kernel's peak on a square product.
func BenchmarkSgemmSquare(b *testing.B) {
	for _, n := range []int{256, 1024} {
		s := gemmShape{fmt.Sprint(n), blas.NoTrans, blas.NoTrans, n, n, n}
		b.Run(s.name, func(b *testing.B) { benchSgemm(b, Implementation{}, s) })
	}
}

func BenchmarkDgemm(b *testing.B) {
	for _, impl := range []blas.Float64{Implementation{}, gonum.Implementation{}} {
		for _, s := range []gemmShape{{"fwd1/b=128", blas.NoTrans, blas.NoTrans, 128, 128, 784}, {"dW1/b=128", blas.Trans, blas.NoTrans, 784, 128, 128}} {
			b.Run(fmt.Sprintf("%s/%T", s.name, impl), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 1))
				A := randSlice[float64](rng, s.m*s.k)
				B := randSlice[float64](rng, s.k*s.n)
				C := make([]float64, s.m*s.n)
				lda := s.k
				if s.tA == blas.Trans {
					lda = s.m
				}
				b.ResetTimer()
				cpu0 := cputime.Now()
				for range b.N {
					impl.Dgemm(s.tA, s.tB, s.m, s.n, s.k, 1, A, lda, B, s.n, 0, C, s.n)
				}
				reportFlops(b, s.m*s.n*s.k, cputime.Now()-cpu0)
			})
		}
	}
}

// reportFlops reports GFLOP/s by the wall clock and, with -cpu 1, by the
// process's CPU time (cpuGFLOP/s), which other load on the machine disturbs less.
func reportFlops(b *testing.B, fmas int, cpu time.Duration) {
	flops := 2 * float64(fmas) * float64(b.N)
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	if runtime.GOMAXPROCS(0) == 1 && cpu > 0 {
		b.ReportMetric(flops/cpu.Seconds()/1e9, "cpuGFLOP/s")
	}
}
