package fastops

import (
	"math"
	"math/rand/v2"
	"testing"
)

// convertCases are float64 values whose conversion to float32 is easy to
// get wrong: halfway cases (round to even), float32's subnormals and its
// overflow to infinity (a finite float64: ToFloat32 reports true), -0, and
// random values of every magnitude.
func convertCases(rng *rand.Rand, n int) []float64 {
	special := []float64{0, math.Copysign(0, -1), 1, -1, 1 + 0x1p-24, 1 + 3*0x1p-24, 1 + 0x1p-24 + 0x1p-52,
		0x1p-149, 0x1p-150, 0x1.8p-149, 1e-40, -1e-45, math.MaxFloat32, 0x1.ffffffp127, 1e39, -1e300,
		math.SmallestNonzeroFloat64, 255, 0.1}
	x := make([]float64, n)
	for i := range x {
		if i < len(special) && n > 2*len(special) {
			x[i] = special[i]
			continue
		}
		x[i] = (rng.Float64()*2 - 1) * math.Pow(10, float64(rng.IntN(80)-40))
	}
	return x
}

// TestToFloat32 checks every path bit for bit against Go's float32(v), at
// every length from 0 to 40 (the assembly does groups of 8, Go the rest)
// and at 1000, and that one NaN or infinity anywhere, in the assembly's part
// or in the tail, makes it report false.
func TestToFloat32(t *testing.T) {
	eachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, n := range append(seq(41), 1000) {
			src := convertCases(rng, n)
			dst := make([]float32, n+1)
			dst[n] = 7 // past src: left alone
			if !ToFloat32(dst, src) {
				t.Fatalf("n=%d: reported a non-finite value in finite data", n)
			}
			for i, v := range src {
				if math.Float32bits(dst[i]) != math.Float32bits(float32(v)) {
					t.Fatalf("n=%d: float32(%g) = %g (bits %#x), want %g (bits %#x)", n, v, dst[i], math.Float32bits(dst[i]), float32(v), math.Float32bits(float32(v)))
				}
			}
			if dst[n] != 7 {
				t.Fatalf("n=%d: wrote past len(src)", n)
			}
			if !Finite(src) {
				t.Fatalf("n=%d: Finite false on finite data", n)
			}
			for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
				for _, at := range []int{0, n / 2, n - 1} {
					if n == 0 {
						continue
					}
					x := append([]float64(nil), src...)
					x[at] = bad
					if ToFloat32(dst, x) {
						t.Fatalf("n=%d: %v at %d not reported", n, bad, at)
					}
					if Finite(x) {
						t.Fatalf("n=%d: Finite true with %v at %d", n, bad, at)
					}
					if got := FirstNotFinite(x); got > at || x[got]-x[got] == 0 {
						t.Fatalf("n=%d: FirstNotFinite = %d, want %d", n, got, at)
					}
				}
			}
		}
	})
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func BenchmarkToFloat32(b *testing.B) {
	src := convertCases(rand.New(rand.NewPCG(1, 2)), 1024*784) // one Predict chunk of MNIST
	dst := make([]float32, len(src))
	b.SetBytes(int64(len(src) * 8))
	for range b.N {
		ToFloat32(dst, src)
	}
}

func BenchmarkFinite(b *testing.B) {
	src := convertCases(rand.New(rand.NewPCG(1, 2)), 1024*784)
	b.SetBytes(int64(len(src) * 8))
	for range b.N {
		Finite(src)
	}
}

func BenchmarkToFloat32L1(b *testing.B) {
	src := convertCases(rand.New(rand.NewPCG(1, 2)), 2048)
	dst := make([]float32, len(src))
	b.SetBytes(int64(len(src) * 8))
	for range b.N {
		ToFloat32(dst, src)
	}
}
