package fastblas

import (
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkCompress times the compression of A's panels at the shapes of the
// MNIST MLP's first layer (81% zeros, as MNIST's pixels), per element of A.
func BenchmarkCompress(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	sparse := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			if rng.IntN(100) >= 81 {
				s[i] = rng.Float32()
			}
		}
		return s
	}
	const kc = 256
	b.Run("trans/784x128", func(b *testing.B) { // dW1 = Xᵀ·dNet at batch 128: X is 128 x 784
		x := sparse(128 * 784)
		dst, idx, nnz := make([]float32, 130*6*kc), make([]int32, 130*6*kc), make([]int, 130)
		for range b.N {
			compressTrans6(dst, idx, kc, x, 784, 0, 130, 0, 128, nnz)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(128*780), "ns/element")
	})
	b.Run("rows/128x196", func(b *testing.B) { // X·W at batch 128, one k block of 196
		x := sparse(128 * 784)
		dst, idx := make([]float32, 6*kc), make([]int32, kc)
		for range b.N {
			for i := 0; i+6 <= 128; i += 6 {
				compressRows6(dst, idx, x, i*784, 784, 196)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(126*196), "ns/element")
	})
}

// TestCompressVariants checks the assembly compression against the Go one,
// bit for bit, including values whose only set bit is the sign (-0).
func TestCompressVariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a := make([]float32, 40*50)
	for i := range a {
		switch rng.IntN(4) {
		case 0:
			a[i] = rng.Float32() - 0.5
		case 1:
			a[i] = float32(math.Copysign(0, -1))
		}
	}
	const kc = 16
	for _, kb := range []int{0, 1, 7, 16} {
		d1, d2 := make([]float32, 8*6*kc), make([]float32, 8*6*kc)
		i1, i2 := make([]int32, 8*6*kc), make([]int32, 8*6*kc)
		n1, n2 := make([]int, 8), make([]int, 8)
		compressTrans6(d1, i1, kc, a, 50, 1, 8, 3, kb, n1)
		compressTrans6Go(d2, i2, kc, a, 50, 1, 8, 3, kb, n2)
		for r := range 8 {
			if n1[r] != n2[r] {
				t.Fatalf("trans kb=%d panel %d: kept %d steps, Go kept %d", kb, r, n1[r], n2[r])
			}
			for q := range n1[r] {
				if i1[r*6*kc+q] != i2[r*6*kc+q] {
					t.Fatalf("trans kb=%d panel %d: idx differ", kb, r)
				}
				for v := range 6 {
					if math.Float32bits(d1[r*6*kc+6*q+v]) != math.Float32bits(d2[r*6*kc+6*q+v]) {
						t.Fatalf("trans kb=%d panel %d: values differ", kb, r)
					}
				}
			}
		}
		m1 := compressRows6(d1, i1, a, 53, 50, kb)
		m2 := compressRows6Go(d2, i2, a, 53, 50, kb)
		if m1 != m2 {
			t.Fatalf("rows kb=%d: kept %d steps, Go kept %d", kb, m1, m2)
		}
		for q := range m1 {
			if i1[q] != i2[q] {
				t.Fatalf("rows kb=%d: idx differ", kb)
			}
			for v := range 6 {
				if math.Float32bits(d1[6*q+v]) != math.Float32bits(d2[6*q+v]) {
					t.Fatalf("rows kb=%d: values differ", kb)
				}
			}
		}
	}
}
