package fastblas

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPathsAgree runs every kernel this machine supports at nn's MNIST shapes
// (dense and mostly-zero A, each transpose) and compares it with the portable
// kernel: each element may differ from the portable one by at most
// 8(k+2)·2⁻²⁴·Σ|alpha·a·b| + |beta·c| (twice the error bound each has against
// the exact sum, since the portable kernel rounds products that FMA does
// not). The assembly kernels must agree with one another bit for bit: they
// do the same FMAs in the same order, only with wider registers.
func TestPathsAgree(t *testing.T) {
	s, _ := supported()
	if len(s) == 0 {
		t.Logf("no assembly kernel on this machine: only the portable one runs (TestGemmFloat32 checks it)")
	}
	rng := rand.New(rand.NewPCG(21, 22))
	shapes := [][3]int{{32, 128, 784}, {128, 128, 784}, {784, 128, 32}, {784, 128, 128},
		{32, 10, 128}, {128, 10, 32}, {32, 128, 10}, {61, 77, 300}}
	for _, sh := range shapes {
		m, n, k := sh[0], sh[1], sh[2]
		for _, sparse := range []bool{false, true} {
			for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}} {
				aT, bT := tr[0], tr[1]
				a := randSlice[float32](rng, m*k)
				if sparse {
					for i := range a {
						if rng.IntN(10) < 8 {
							a[i] = 0
						}
					}
				}
				b := randSlice[float32](rng, k*n)
				c0 := randSlice[float32](rng, m*n)
				lda, ldb := k, n
				if aT {
					lda = m
				}
				if bT {
					ldb = k
				}
				const alpha, beta = 0.75, -0.5
				_, bound := refGemm(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c0, n)
				want := append([]float32(nil), c0...)
				gemm(sGeneric, aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, want, n)
				var first []float32
				for _, arch := range s {
					got := append([]float32(nil), c0...)
					gemm(arch, aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, got, n)
					tol := 8 * float64(k+2) * 0x1p-24
					for i := range got {
						if d := math.Abs(float64(got[i]) - float64(want[i])); !(d <= tol*bound[i]+1e-30) {
							t.Fatalf("%s %dx%dx%d aT=%v bT=%v sparse=%v: C[%d] = %v, portable %v (tolerance %g)",
								arch.name, m, n, k, aT, bT, sparse, i, got[i], want[i], tol*bound[i])
						}
					}
					if first == nil {
						first = got
						continue
					}
					for i := range got {
						if math.Float32bits(got[i]) != math.Float32bits(first[i]) {
							t.Fatalf("%s and %s differ at %dx%dx%d aT=%v bT=%v sparse=%v: C[%d] = %v and %v",
								arch.name, s[0].name, m, n, k, aT, bT, sparse, i, got[i], first[i])
						}
					}
				}
			}
		}
	}
}
