package fastblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// archs returns every kernel this machine can run (whatever DLNB_KERNELS
// chose), each with its own blocking, the AVX-512 one also without its narrow
// fallback (so that small n run it too), and each with a tiny blocking that
// makes small matrices cross every cache-block boundary.
func archs[T float]() []*gemmArch[T] {
	var all []*gemmArch[T]
	s, d := supported()
	var zero T
	switch any(zero).(type) {
	case float32:
		all = append(all, any(sGeneric).(*gemmArch[T]))
		for _, a := range s {
			all = append(all, any(a).(*gemmArch[T]))
		}
	case float64:
		all = append(all, any(dGeneric).(*gemmArch[T]))
		for _, a := range d {
			all = append(all, any(a).(*gemmArch[T]))
		}
	}
	for _, a := range all {
		if a.narrow != nil {
			all = append(all, &gemmArch[T]{name: a.name + "-wide", mr: a.mr, nr: a.nr,
				kc: a.kc, mc: a.mc, nc: a.nc, kernel: a.kernel, gather: a.gather})
		}
	}
	n := len(all)
	for _, a := range all[:n] {
		all = append(all, &gemmArch[T]{name: a.name + "-tinyblocks", mr: a.mr, nr: a.nr,
			kc: 5, mc: 2 * a.mr, nc: 3 * a.nr, kernel: a.kernel, gather: a.gather})
	}
	return all
}

func randSlice[T float](rng *rand.Rand, n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T(rng.Float64()*2 - 1)
	}
	return s
}

// refGemm is the textbook triple loop in float64, with an error bound per
// element: the sum of the magnitudes of the terms.
func refGemm[T float](aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) (want, bound []float64) {
	want = make([]float64, m*n)
	bound = make([]float64, m*n)
	for i := range m {
		for j := range n {
			var s, mag float64
			for p := range k {
				var av, bv float64
				if aTrans {
					av = float64(a[p*lda+i])
				} else {
					av = float64(a[i*lda+p])
				}
				if bTrans {
					bv = float64(b[j*ldb+p])
				} else {
					bv = float64(b[p*ldb+j])
				}
				s += av * bv
				mag += math.Abs(av * bv)
			}
			x := float64(alpha) * s
			mag *= math.Abs(float64(alpha))
			if beta != 0 {
				x += float64(beta) * float64(c[i*ldc+j])
				mag += math.Abs(float64(beta) * float64(c[i*ldc+j]))
			}
			want[i*n+j] = x
			bound[i*n+j] = mag
		}
	}
	return want, bound
}

func eps[T float]() float64 {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return 0x1p-24
	}
	return 0x1p-53
}

// sizes of m and n cover every remainder modulo the tiles (6x32, 6x16, 6x8,
// 4x4);
// ksizes cover the unrolled loop's remainders and, with the tiny blocking,
// several k blocks.
var (
	sizes  = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 16, 17, 23, 31, 33, 47, 64}
	ksizes = []int{0, 1, 2, 3, 4, 5, 7, 12, 33}
)

func checkAll[T float](t *testing.T, a8 *gemmArch[T]) {
	rng := rand.New(rand.NewPCG(1, 2))
	trans := []bool{false, true}
	scalars := [][2]T{{1, 0}, {1, 1}, {-0.5, 2}, {0, 0.5}, {0, 1}, {0, 0}, {1.5, 0}}
	count := 0
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range ksizes {
				for _, aT := range trans {
					for _, bT := range trans {
						// A few alpha/beta pairs and strides per size keep the
						// test quick while every pair meets every size class.
						ab := scalars[count%len(scalars)]
						pad := count % 3 // lda, ldb, ldc larger than needed
						count++
						checkOne(t, a8, rng, aT, bT, m, n, k, ab[0], ab[1], pad)
					}
				}
			}
		}
	}
}

func checkOne[T float](t *testing.T, arch *gemmArch[T], rng *rand.Rand, aT, bT bool, m, n, k int, alpha, beta T, pad int) {
	t.Helper()
	ar, ac := m, k
	if aT {
		ar, ac = k, m
	}
	br, bc := k, n
	if bT {
		br, bc = n, k
	}
	lda, ldb, ldc := max(ac, 1)+pad, max(bc, 1)+2*pad, max(n, 1)+pad
	a := randSlice[T](rng, max(ar*lda, 1))
	if pad == 2 { // a third of the cases: mostly zeros, for the sparse path
		for i := range a {
			if rng.IntN(10) < 8 {
				a[i] = 0
			}
		}
	}
	b := randSlice[T](rng, max(br*ldb, 1))
	c := randSlice[T](rng, max(m*ldc, 1))
	if beta == 0 {
		for i := range c {
			c[i] = T(math.NaN()) // must be overwritten, never read
		}
	}
	orig := append([]T(nil), c...)
	want, bound := refGemm(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, orig, ldc)
	gemm(arch, aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	tol := 4 * float64(k+2) * eps[T]()
	for i := range m {
		for j := range ldc {
			got := float64(c[i*ldc+j])
			if j >= n { // padding must be untouched
				if math.Float64bits(got) != math.Float64bits(float64(orig[i*ldc+j])) {
					t.Fatalf("%s aT=%v bT=%v m=%d n=%d k=%d: wrote C[%d][%d] outside the matrix", arch.name, aT, bT, m, n, k, i, j)
				}
				continue
			}
			w := want[i*n+j]
			if math.IsNaN(got) || math.Abs(got-w) > tol*bound[i*n+j]+1e-30 {
				t.Fatalf("%s aT=%v bT=%v m=%d n=%d k=%d alpha=%v beta=%v pad=%d: C[%d][%d] = %v, want %v",
					arch.name, aT, bT, m, n, k, alpha, beta, pad, i, j, got, w)
			}
		}
	}
}

func TestGemmFloat32(t *testing.T) {
	for _, pack := range []bool{false, true} {
		packAlways = pack
		for _, a := range archs[float32]() {
			checkAll(t, a)
		}
	}
	packAlways = false
}

func TestGemmFloat64(t *testing.T) {
	for _, pack := range []bool{false, true} {
		packAlways = pack
		for _, a := range archs[float64]() {
			checkAll(t, a)
		}
	}
	packAlways = false
}

// TestGemmLarge crosses the real blocking (kc, mc, nc) of each kernel.
func TestGemmLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, a := range archs[float32]()[:len(archs[float32]())/2] {
		for _, s := range [][3]int{{130, 37, 600}, {7, 2100, 20}, {250, 129, 270}} {
			for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				checkOne(t, a, rng, tr[0], tr[1], s[0], s[1], s[2], 1, 0.5, 1)
			}
		}
	}
	for _, a := range archs[float64]()[:len(archs[float64]())/2] {
		checkOne(t, a, rng, true, false, 100, 300, 513, -1, 1, 0)
	}
}

// TestGemmMatchesGonum compares the exported Sgemm and Dgemm with gonum's
// reference implementation at the shapes nn uses.
func TestGemmMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var impl Implementation
	var ref gonum.Implementation
	for _, s := range [][3]int{{32, 128, 784}, {128, 10, 128}, {784, 128, 32}, {32, 128, 10}, {891, 32, 10}, {1, 1, 1}, {1, 50, 3}, {50, 1, 3}} {
		m, n, k := s[0], s[1], s[2]
		for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				a := randSlice[float32](rng, m*k)
				b := randSlice[float32](rng, k*n)
				c := randSlice[float32](rng, m*n)
				c2 := append([]float32(nil), c...)
				lda, ldb := k, n
				if tA == blas.Trans {
					lda = m
				}
				if tB == blas.Trans {
					ldb = k
				}
				impl.Sgemm(tA, tB, m, n, k, 0.7, a, lda, b, ldb, 0.3, c, n)
				ref.Sgemm(tA, tB, m, n, k, 0.7, a, lda, b, ldb, 0.3, c2, n)
				for i := range c {
					if d := math.Abs(float64(c[i] - c2[i])); d > 1e-5*float64(k) {
						t.Fatalf("Sgemm %v%v %dx%dx%d: element %d = %v, gonum %v", tA, tB, m, n, k, i, c[i], c2[i])
					}
				}
				a64, b64, c64 := widen(a), widen(b), widen(c2)
				d64 := append([]float64(nil), c64...)
				impl.Dgemm(tA, tB, m, n, k, 0.7, a64, lda, b64, ldb, 0.3, c64, n)
				ref.Dgemm(tA, tB, m, n, k, 0.7, a64, lda, b64, ldb, 0.3, d64, n)
				for i := range c64 {
					if d := math.Abs(c64[i] - d64[i]); d > 1e-13*float64(k) {
						t.Fatalf("Dgemm %v%v %dx%dx%d: element %d = %v, gonum %v", tA, tB, m, n, k, i, c64[i], d64[i])
					}
				}
			}
		}
	}
}

func widen(s []float32) []float64 {
	d := make([]float64, len(s))
	for i, v := range s {
		d[i] = float64(v)
	}
	return d
}

// TestGemmDeterministic checks that results are bit-identical for any number
// of goroutines: the split is over tiles of C, never over k.
func TestGemmDeterministic(t *testing.T) {
	defer func(p, g int) { minParallelFMAs = p; runtime.GOMAXPROCS(g) }(minParallelFMAs, runtime.GOMAXPROCS(0))
	minParallelFMAs = 1
	rng := rand.New(rand.NewPCG(7, 8))
	for _, a := range archs[float32]() {
		for _, s := range [][3]int{{32, 128, 784}, {784, 128, 32}, {37, 21, 300}, {5, 100, 9}} {
			m, n, k := s[0], s[1], s[2]
			A := randSlice[float32](rng, m*k)
			B := randSlice[float32](rng, k*n)
			C0 := randSlice[float32](rng, m*n)
			var first []float32
			for procs := 1; procs <= 5; procs++ {
				runtime.GOMAXPROCS(procs)
				C := append([]float32(nil), C0...)
				gemm(a, false, true, m, n, k, 1, A, k, B, k, 0.5, C, n)
				if first == nil {
					first = C
					continue
				}
				for i := range C {
					if math.Float32bits(C[i]) != math.Float32bits(first[i]) {
						t.Fatalf("%s %v: GOMAXPROCS=%d gives C[%d] = %v, GOMAXPROCS=1 gives %v", a.name, s, procs, i, C[i], first[i])
					}
				}
			}
		}
	}
}

// TestGemmPanics checks each bad argument panics with gonum's message, and
// that gonum's own Sgemm still panics with the same one for the same call.
func TestGemmPanics(t *testing.T) {
	s := make([]float32, 100)
	cases := []struct {
		name string
		f    func(blas.Float32)
		want string
	}{
		{"bad transpose", func(i blas.Float32) { i.Sgemm('x', blas.NoTrans, 2, 2, 2, 1, s, 2, s, 2, 0, s, 2) }, badTranspose},
		{"m<0", func(i blas.Float32) { i.Sgemm(blas.NoTrans, blas.NoTrans, -1, 2, 2, 1, s, 2, s, 2, 0, s, 2) }, mLT0},
		{"n<0", func(i blas.Float32) { i.Sgemm(blas.NoTrans, blas.NoTrans, 2, -1, 2, 1, s, 2, s, 2, 0, s, 2) }, nLT0},
		{"k<0", func(i blas.Float32) { i.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, -1, 1, s, 2, s, 2, 0, s, 2) }, kLT0},
		{"lda", func(i blas.Float32) { i.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, s, 2, s, 2, 0, s, 2) }, badLdA},
		{"lda trans", func(i blas.Float32) { i.Sgemm(blas.Trans, blas.NoTrans, 3, 2, 2, 1, s, 2, s, 2, 0, s, 2) }, badLdA},
		{"ldb", func(i blas.Float32) { i.Sgemm(blas.NoTrans, blas.Trans, 2, 2, 3, 1, s, 3, s, 2, 0, s, 2) }, badLdB},
		{"ldc", func(i blas.Float32) { i.Sgemm(blas.NoTrans, blas.NoTrans, 2, 3, 2, 1, s, 2, s, 3, 0, s, 2) }, badLdC},
		{"short a", func(i blas.Float32) { i.Sgemm(blas.NoTrans, blas.NoTrans, 20, 2, 20, 1, s, 20, s, 2, 0, s, 2) }, shortA},
		{"short b", func(i blas.Float32) { i.Sgemm(blas.NoTrans, blas.NoTrans, 2, 20, 20, 1, s, 20, s, 20, 0, s, 20) }, shortB},
		{"short c", func(i blas.Float32) { i.Sgemm(blas.NoTrans, blas.NoTrans, 20, 20, 2, 1, s, 2, s, 20, 0, s, 20) }, shortC},
	}
	for _, c := range cases {
		for _, impl := range []blas.Float32{Implementation{}, gonum.Implementation{}} {
			t.Run(fmt.Sprintf("%s/%T", c.name, impl), func(t *testing.T) {
				defer func() {
					if r := recover(); r != c.want {
						t.Fatalf("panic %v, want %q", r, c.want)
					}
				}()
				c.f(impl)
			})
		}
	}
}

// TestGemmZeroPanels checks that skipping the all-zero panels of A (MNIST's
// blank borders) gives bit-identical results to multiplying them.
func TestGemmZeroPanels(t *testing.T) {
	defer func() { sparseA, packAlways = true, false }()
	rng := rand.New(rand.NewPCG(11, 12))
	for _, arch := range archs[float32]() {
		for _, s := range [][3]int{{32, 128, 784}, {784, 128, 32}, {37, 21, 300}} {
			m, n, k := s[0], s[1], s[2]
			for _, aT := range []bool{false, true} {
				A := randSlice[float32](rng, m*k)
				// Zero whole rows and columns of op(A), as blank pixels do.
				for i := range m {
					for p := range k {
						if i%13 < 7 || p%50 < 30 {
							if aT {
								A[p*m+i] = 0
							} else {
								A[i*k+p] = 0
							}
						}
					}
				}
				lda := k
				if aT {
					lda = m
				}
				B := randSlice[float32](rng, k*n)
				C0 := randSlice[float32](rng, m*n)
				var results [][]float32
				for _, skip := range []bool{true, false} {
					for _, pack := range []bool{false, true} {
						sparseA, packAlways = skip, pack
						for _, beta := range []float32{0, 0.5} {
							C := append([]float32(nil), C0...)
							gemm(arch, aT, false, m, n, k, -1.5, A, lda, B, n, beta, C, n)
							results = append(results, C)
						}
					}
				}
				for r := 2; r < len(results); r++ {
					for i := range results[r] {
						if math.Float32bits(results[r][i]) != math.Float32bits(results[r%2][i]) {
							t.Fatalf("%s %v aT=%v: variant %d gives C[%d] = %v, variant %d %v", arch.name, s, aT, r, i, results[r][i], r%2, results[r%2][i])
						}
					}
				}
			}
		}
	}
}
