package fastblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dlnb/dlnb/internal/asmtest"
)

// The generated kernels run in internal/asmtest's interpreter, which reads
// kernel_amd64.s itself. It lets every machine check the AVX-512 kernels,
// which most of the CPUs this project runs on cannot execute: run inside
// gemm, an interpreted kernel must give C bit-identical to the AVX2 kernel
// (interpreted, and run for real where the CPU has AVX2, which checks the
// interpreter), and the interpreter checks every memory access against the
// bounds of the slices the kernel was given.

// interpGathers counts the interpreted float32 gather kernels run.
var interpGathers int

// interpKernels returns gemmArchs whose kernels are the interpreted assembly.
func interpKernels(t testing.TB) (s map[string]*gemmArch[float32], d map[string]*gemmArch[float64]) {
	funcs := asmtest.Parse(t, "kernel_amd64.s")
	get := func(name string) *asmtest.Func {
		f := funcs[name]
		if f == nil {
			t.Fatalf("kernel_amd64.s has no %s", name)
		}
		return f
	}
	s, d = map[string]*gemmArch[float32]{}, map[string]*gemmArch[float64]{}
	for _, v := range []struct {
		name, suffix string
		snr, dnr     int
	}{{"avx2", "", 16, 8}, {"avx512", "AVX512", 32, 16}} {
		sk, sg := get(fmt.Sprintf("sgemmKernel6x%d%s", v.snr, v.suffix)), get(fmt.Sprintf("sgemmKernel6x%dGather%s", v.snr, v.suffix))
		dk, dg := get(fmt.Sprintf("dgemmKernel6x%d%s", v.dnr, v.suffix)), get(fmt.Sprintf("dgemmKernel6x%dGather%s", v.dnr, v.suffix))
		s[v.name] = &gemmArch[float32]{name: "interpreted-" + v.name, mr: 6, nr: v.snr, kc: 256, mc: 120, nc: 2048,
			kernel: func(k int, a []float32, aRow, aK int, b []float32, bK int, c []float32, ldc int, alpha, beta float32) {
				m := asmtest.New(t, sk)
				m.Args(k, a, aRow, aK, b, bK, c, ldc, alpha, beta)
				m.Run()
			},
			gather: func(k int, a []float32, idx []int32, b []float32, bK int, c []float32, ldc int, alpha, beta float32) {
				m := asmtest.New(t, sg)
				interpGathers++
				m.Args(k, a[:6*k], idx[:k], b, bK, c, ldc, alpha, beta)
				m.Run()
			}}
		d[v.name] = &gemmArch[float64]{name: "interpreted-" + v.name, mr: 6, nr: v.dnr, kc: 256, mc: 72, nc: 1024,
			kernel: func(k int, a []float64, aRow, aK int, b []float64, bK int, c []float64, ldc int, alpha, beta float64) {
				m := asmtest.New(t, dk)
				m.Args(k, a, aRow, aK, b, bK, c, ldc, alpha, beta)
				m.Run()
			},
			gather: func(k int, a []float64, idx []int32, b []float64, bK int, c []float64, ldc int, alpha, beta float64) {
				m := asmtest.New(t, dg)
				m.Args(k, a[:6*k], idx[:k], b, bK, c, ldc, alpha, beta)
				m.Run()
			}}
	}
	return s, d
}

// TestInterpretedKernels runs every generated kernel, interpreted, inside
// gemm at sizes that cover the edges of both tile widths, and checks that the
// AVX-512 kernels give C bit-identical to the AVX2 ones, that the interpreted
// AVX2 kernels match the real ones bit for bit where the CPU has AVX2 (so the
// interpreter is right), and that all are within the error bound of the
// exact product (checkOne).
func TestInterpretedKernels(t *testing.T) {
	s, d := interpKernels(t)
	realS, realD := supported()
	rng := rand.New(rand.NewPCG(31, 32))
	type shape struct{ m, n, k int }
	var shapes []shape
	for _, m := range []int{1, 6, 7, 13} {
		for _, n := range []int{1, 15, 16, 17, 32, 33, 49} {
			for _, k := range []int{0, 1, 3, 4, 9} {
				shapes = append(shapes, shape{m, n, k})
			}
		}
	}
	// Large enough for the sparse path (compressed panels, gather kernels).
	shapes = append(shapes, shape{40, 33, 64}, shape{37, 49, 100}, shape{64, 17, 300})
	count := 0
	for _, sh := range shapes {
		m, n, k := sh.m, sh.n, sh.k
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}} {
			aT, bT := tr[0], tr[1]
			count++
			sparse := count%2 == 0
			alpha, beta := 1.25, []float64{0, 1, -0.5}[count%3]
			gotS := map[string][]float32{}
			for _, name := range []string{"avx2", "avx512"} {
				checkOne(t, s[name], rng, aT, bT, m, n, k, float32(alpha), float32(beta), count%3)
				checkOne(t, d[name], rng, aT, bT, m, n, k, alpha, beta, count%3)
			}
			// Same inputs through each kernel, for the bitwise comparisons.
			a, b, c := interpInputs(rng, aT, bT, m, n, k, sparse)
			lda, ldb := k, n
			if aT {
				lda = m
			}
			if bT {
				ldb = k
			}
			run := func(arch *gemmArch[float32]) []float32 {
				out := append([]float32(nil), c...)
				gemm(arch, aT, bT, m, n, k, float32(alpha), a, max(lda, 1), b, max(ldb, 1), float32(beta), out, max(n, 1))
				return out
			}
			runD := func(arch *gemmArch[float64]) []float64 {
				out := widen(c)
				gemm(arch, aT, bT, m, n, k, alpha, widen(a), max(lda, 1), widen(b), max(ldb, 1), beta, out, max(n, 1))
				return out
			}
			gotS["avx2"], gotS["avx512"] = run(s["avx2"]), run(s["avx512"])
			for _, r := range realS {
				gotS["real "+r.name] = run(r)
			}
			d2, d512 := runD(d["avx2"]), runD(d["avx512"])
			for i := range d2 {
				if math.Float64bits(d2[i]) != math.Float64bits(d512[i]) {
					t.Fatalf("float64 %dx%dx%d aT=%v bT=%v: interpreted avx512 C[%d] = %v, avx2 %v", m, n, k, aT, bT, i, d512[i], d2[i])
				}
			}
			for _, r := range realD {
				got := runD(r)
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(d2[i]) {
						t.Fatalf("float64 %dx%dx%d aT=%v bT=%v: real %s C[%d] = %v, interpreted avx2 %v", m, n, k, aT, bT, r.name, i, got[i], d2[i])
					}
				}
			}
			for name, got := range gotS {
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(gotS["avx2"][i]) {
						t.Fatalf("float32 %dx%dx%d aT=%v bT=%v sparse=%v: %s C[%d] = %v, interpreted avx2 %v", m, n, k, aT, bT, sparse, name, i, got[i], gotS["avx2"][i])
					}
				}
			}
		}
	}
	if interpGathers == 0 {
		t.Fatal("no gather kernel ran: the sparse shapes no longer reach the sparse path")
	}
	t.Logf("%d shapes, %d gather calls; real kernels compared: %d", count, interpGathers, len(realS))
}

func interpInputs(rng *rand.Rand, aT, bT bool, m, n, k int, sparse bool) (a, b, c []float32) {
	a = randSlice[float32](rng, max(m*k, 1))
	if sparse {
		for i := range a {
			if rng.IntN(20) < 17 {
				a[i] = 0
			}
		}
	}
	return a, randSlice[float32](rng, max(k*n, 1)), randSlice[float32](rng, max(m*n, 1))
}
