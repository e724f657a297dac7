package fastops

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dlnb/dlnb/internal/cpufeat"
)

func randF[T Float](rng *rand.Rand, n int, scale float64) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T((rng.Float64()*2 - 1) * scale)
	}
	return s
}

func clone[T Float](s []T) []T { return append([]T(nil), s...) }

// adamRef is Keras' formula written out plainly in float64.
func adamRef(w, g, m, v []float64, alpha, b1, b2, eps float64) {
	for i := range w {
		m[i] += (g[i] - m[i]) * (1 - b1)
		v[i] += (g[i]*g[i] - v[i]) * (1 - b2)
		w[i] -= m[i] * alpha / (math.Sqrt(v[i]) + eps)
	}
}

func widen[T Float](s []T) []float64 {
	d := make([]float64, len(s))
	for i, x := range s {
		d[i] = float64(x)
	}
	return d
}

func TestAdamMatchesFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 8, 9, 31, 1000, 101770} {
		w, g := randF[float32](rng, n, 1), randF[float32](rng, n, 0.1)
		m, v := randF[float32](rng, n, 0.01), randF[float32](rng, n, 0.001)
		for i := range v {
			v[i] = float32(math.Abs(float64(v[i])))
		}
		w64, g64, m64, v64 := widen(w), widen(g), widen(m), widen(v)
		alpha := AdamAlpha[float32](0.001, 0.9, 0.999, 3)
		Adam(w, g, m, v, alpha, 0.9, 0.999, 1e-7)
		adamRef(w64, g64, m64, v64, float64(alpha), 0.9, 0.999, 1e-7)
		for i := range w {
			if d := math.Abs(float64(w[i]) - w64[i]); d > 1e-6*math.Abs(w64[i])+1e-9 {
				t.Fatalf("n=%d: w[%d] = %v, formula gives %v", n, i, w[i], w64[i])
			}
			if d := math.Abs(float64(v[i]) - v64[i]); d > 1e-6*v64[i] {
				t.Fatalf("n=%d: v[%d] = %v, formula gives %v", n, i, v[i], v64[i])
			}
		}
	}
}

// TestAdamPathsBitIdentical checks the float32 Adam of every path the CPU
// has (AVX-512, AVX2, portable) against the portable Go loop bit for bit,
// so results do not depend on the CPU. The lengths leave every tail.
func TestAdamPathsBitIdentical(t *testing.T) {
	eachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 31, 33, 101770, 300000} {
			w, g := randF[float32](rng, n, 1), randF[float32](rng, n, 0.1)
			m, v := randF[float32](rng, n, 0.01), randF[float32](rng, n, 0.001)
			for i := range v {
				v[i] = float32(math.Abs(float64(v[i])))
			}
			w, g, m, v = guarded(w), guarded(g), guarded(m), guarded(v)
			w2, g2, m2, v2 := clone(w), clone(g), clone(m), clone(v)
			for step := 1; step <= 3; step++ {
				alpha := AdamAlpha[float32](0.001, 0.9, 0.999, step)
				Adam(w, g, m, v, alpha, 0.9, 0.999, 1e-7)
				adamGo(w2, g2, m2, v2, alpha, float32(1-0.9), float32(1-0.999), 1e-7)
			}
			for i := range w {
				if math.Float32bits(w[i]) != math.Float32bits(w2[i]) || math.Float32bits(m[i]) != math.Float32bits(m2[i]) || math.Float32bits(v[i]) != math.Float32bits(v2[i]) {
					t.Fatalf("n=%d i=%d: w,m,v = %v,%v,%v; Go %v,%v,%v", n, i, w[i], m[i], v[i], w2[i], m2[i], v2[i])
				}
			}
			checkGuard(t, w, m, v)
		}
	})
}

func TestAdamAlpha(t *testing.T) {
	got := float64(AdamAlpha[float64](0.001, 0.9, 0.999, 1))
	want := 0.001 * math.Sqrt(1-0.999) / (1 - 0.9)
	if math.Abs(got-want) > 1e-15 {
		t.Fatalf("AdamAlpha(t=1) = %v, want %v", got, want)
	}
}

func TestSGD(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 3, 8, 19, 1000} {
		for _, mom := range []float32{0, 0.9} {
			for _, nest := range []bool{false, true} {
				w, g, vel := randF[float32](rng, n, 1), randF[float32](rng, n, 1), randF[float32](rng, n, 0.1)
				w64, g64, vel64 := widen(w), widen(g), widen(vel)
				SGD(w, g, vel, 0.01, mom, nest)
				for i := range w64 { // Keras 3's SGD.update_step
					if mom == 0 {
						w64[i] -= g64[i] * 0.01
						continue
					}
					vel64[i] = vel64[i]*float64(mom) - g64[i]*0.01
					if nest {
						w64[i] += vel64[i]*float64(mom) - g64[i]*0.01
					} else {
						w64[i] += vel64[i]
					}
				}
				for i := range w {
					if math.Abs(float64(w[i])-w64[i]) > 1e-6 {
						t.Fatalf("n=%d momentum=%v nesterov=%v: w[%d] = %v, want %v", n, mom, nest, i, w[i], w64[i])
					}
				}
			}
		}
	}
}

func TestSGDPathsBitIdentical(t *testing.T) {
	eachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		for _, n := range []int{1, 5, 8, 16, 23, 1003} {
			w, g := randF[float32](rng, n, 1), randF[float32](rng, n, 1)
			w2 := clone(w)
			SGD(w, g, nil, 0.01, 0, false)
			for i := range w2 {
				w2[i] -= float32(g[i] * 0.01)
			}
			for i := range w {
				if math.Float32bits(w[i]) != math.Float32bits(w2[i]) {
					t.Fatalf("n=%d: w[%d] = %v, Go gives %v", n, i, w[i], w2[i])
				}
			}
		}
	})
}

func TestAddBias(t *testing.T) {
	z := []float64{1, -2, 3, 99, -4, 5, -6, 99} // 2 x 3, stride 4
	AddBias(z, 2, 4, []float64{0.5, 1, -10}, false)
	want := []float64{1.5, -1, -7, 99, -3.5, 6, -16, 99}
	for i := range z {
		if z[i] != want[i] {
			t.Fatalf("linear: z = %v, want %v", z, want)
		}
	}
	z = []float64{1, -2, 3, 99, -4, 5, math.NaN(), 99}
	AddBias(z, 2, 4, []float64{0.5, 1, -1}, true)
	want = []float64{1.5, 0, 2, 99, 0, 6, math.NaN(), 99}
	for i := range z {
		if z[i] != want[i] && !(math.IsNaN(z[i]) && math.IsNaN(want[i])) {
			t.Fatalf("relu: z = %v, want %v", z, want)
		}
	}
}

func TestReLUGrad(t *testing.T) {
	d := []float32{1, 2, 3, 4}
	ReLUGrad(d, []float32{0.5, 0, -1, 2})
	if want := []float32{1, 0, 0, 4}; d[0] != want[0] || d[1] != want[1] || d[2] != want[2] || d[3] != want[3] {
		t.Fatalf("ReLUGrad = %v, want %v", d, want)
	}
}

func TestColSums(t *testing.T) {
	d := []float32{1, 2, 9, 3, 4, 9, 5, 6, 9} // 3 x 2, stride 3
	s := []float32{7, 7}
	ColSums(s, d, 3, 3)
	if s[0] != 9 || s[1] != 12 {
		t.Fatalf("ColSums = %v, want [9 12]", s)
	}
}

// TestSoftmaxCrossEntropy checks the probabilities, the loss against the
// textbook formula and the gradient against finite differences of the mean loss.
func TestSoftmaxCrossEntropy(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const rows, cols = 5, 4
	z := randF[float64](rng, rows*cols, 3)
	z[0] = 800 // overflow without the max shift
	y := make([]float64, rows*cols)
	for i := range rows {
		y[i*cols+rng.IntN(cols)] = 1
	}
	meanLoss := func(z []float64) float64 {
		var l float64
		for i := range rows {
			var s float64
			for j := range cols {
				s += math.Exp(z[i*cols+j] - 800)
			}
			for j := range cols {
				p := math.Exp(z[i*cols+j]-800) / s
				l -= y[i*cols+j] * math.Log(min(max(p, ProbEpsilon), 1-ProbEpsilon))
			}
		}
		return l / rows
	}
	p, grad := clone(z), make([]float64, rows*cols)
	loss := SoftmaxCrossEntropy(p, rows, cols, cols, y, grad, 1.0/rows)
	if want := meanLoss(z) * rows; math.Abs(loss-want) > 1e-9*math.Abs(want) {
		t.Fatalf("loss = %v, want %v", loss, want)
	}
	for i := range rows {
		var s float64
		for j := range cols {
			s += p[i*cols+j]
		}
		if math.Abs(s-1) > 1e-12 {
			t.Fatalf("row %d of probabilities sums to %v", i, s)
		}
	}
	for k := range z {
		if p[k] < ProbEpsilon || p[k] > 1-ProbEpsilon {
			continue // clipped: the loss is flat there, the logits gradient is not
		}
		h := 1e-6
		zp, zm := clone(z), clone(z)
		zp[k] += h
		zm[k] -= h
		num := (meanLoss(zp) - meanLoss(zm)) / (2 * h)
		if math.Abs(num-grad[k]) > 1e-6 {
			t.Fatalf("grad[%d] = %v, finite difference %v", k, grad[k], num)
		}
	}
}

func TestSoftmaxOnly(t *testing.T) {
	z := []float32{5, 5, 5, 1000, 0, 0}
	if l := SoftmaxCrossEntropy(z, 2, 3, 3, nil, nil, 0); l != 0 {
		t.Fatalf("loss without targets = %v, want 0", l)
	}
	want := []float32{1.0 / 3, 1.0 / 3, 1.0 / 3, 1, 0, 0}
	for i := range z {
		if math.Abs(float64(z[i]-want[i])) > 1e-7 {
			t.Fatalf("probabilities %v, want %v", z, want)
		}
	}
}

// TestLayerOpsFloat32 checks the float32 bias, ReLU and ReLU gradient of
// every path the CPU has bit for bit against plain loops, with NaN, ±0 and
// ±Inf among the values and row lengths that leave every tail.
func TestLayerOpsFloat32(t *testing.T) {
	eachPath(t, testLayerOpsFloat32)
}

func testLayerOpsFloat32(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	specials := []float32{float32(math.NaN()), 0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1))}
	for _, cols := range []int{1, 7, 8, 10, 15, 16, 17, 31, 32, 33, 128} {
		rows, ld := 5, cols+3
		z := randF[float32](rng, rows*ld, 2)
		bias := randF[float32](rng, cols, 1)
		for i := range z {
			if rng.IntN(10) == 0 {
				z[i] = specials[rng.IntN(len(specials))]
			}
		}
		for _, relu := range []bool{false, true} {
			got, want := clone(z), clone(z)
			AddBias(got, rows, ld, bias, relu)
			for i := range rows {
				for j := range cols {
					x := want[i*ld+j] + bias[j]
					if relu && x < 0 {
						x = 0
					}
					want[i*ld+j] = x
				}
			}
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("AddBias cols=%d relu=%v: z[%d] = %v, want %v", cols, relu, i, got[i], want[i])
				}
			}
		}
		d := randF[float32](rng, rows*cols, 1)
		out := clone(z[:rows*cols])
		got, want := guarded(clone(d)), clone(d)
		ReLUGrad(got, out)
		checkGuard(t, got)
		for i, o := range out {
			if !(o > 0) {
				want[i] = 0
			}
		}
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("ReLUGrad n=%d: d[%d] = %v (out %v), want %v", len(d), i, got[i], out[i], want[i])
			}
		}
	}
}

func TestRMSprop(t *testing.T) {
	eachPath(t, testRMSprop)
}

func testRMSprop(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, n := range []int{0, 1, 5, 8, 16, 21, 1000, 300000} {
		w, g, v := randF[float32](rng, n, 1), randF[float32](rng, n, 0.1), randF[float32](rng, n, 0.01)
		for i := range v {
			v[i] = float32(math.Abs(float64(v[i])))
		}
		w64, g64, v64 := widen(w), widen(g), widen(v)
		w2, g2, v2 := clone(w), clone(g), clone(v)
		RMSprop(w, g, v, 0.001, 0.9, 1e-7)
		rmspropGo(w2, g2, v2, 0.001, float32(0.9), float32(1-0.9), 1e-7)
		for i := range w64 { // Keras 3's RMSprop.update_step
			v64[i] = 0.9*v64[i] + (1-0.9)*g64[i]*g64[i]
			w64[i] -= 0.001 * g64[i] / math.Sqrt(v64[i]+1e-7)
		}
		for i := range w {
			if math.Abs(float64(w[i])-w64[i]) > 1e-6*math.Abs(w64[i])+1e-9 {
				t.Fatalf("n=%d: w[%d] = %v, formula gives %v", n, i, w[i], w64[i])
			}
			if math.Float32bits(w[i]) != math.Float32bits(w2[i]) || math.Float32bits(v[i]) != math.Float32bits(v2[i]) {
				t.Fatalf("n=%d: w[%d], v[%d] = %v, %v; the Go loop gives %v, %v", n, i, i, w[i], v[i], w2[i], v2[i])
			}
		}
	}
}

func TestRMSpropMomentum(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	const n = 50
	for _, centered := range []bool{false, true} {
		for _, momentum := range []float64{0, 0.9} {
			w, g := randF[float64](rng, n, 1), randF[float64](rng, n, 0.1)
			v, mom, avg := make([]float64, n), make([]float64, n), make([]float64, n)
			w2, v2, mom2, avg2 := clone(w), clone(v), clone(mom), clone(avg)
			var a []float64
			if centered {
				a = avg
			}
			for step := 0; step < 3; step++ {
				RMSpropMomentum(w, g, v, mom, a, 0.01, 0.9, momentum, 1e-7)
				for i := range w2 {
					v2[i] = 0.9*v2[i] + (1-0.9)*g[i]*g[i]
					den := v2[i] + 1e-7
					if centered {
						avg2[i] = 0.9*avg2[i] + (1-0.9)*g[i]
						den = v2[i] - avg2[i]*avg2[i] + 1e-7
					}
					inc := 0.01 * g[i] / math.Sqrt(den)
					if momentum > 0 {
						mom2[i] = momentum*mom2[i] + inc
						w2[i] -= mom2[i]
					} else {
						w2[i] -= inc
					}
				}
			}
			for i := range w {
				if math.Abs(w[i]-w2[i]) > 1e-12 {
					t.Fatalf("centered=%v momentum=%v: w[%d] = %v, want %v", centered, momentum, i, w[i], w2[i])
				}
			}
		}
	}
}

// guarded returns a copy of s followed, past its length, by 16 sentinel
// values that checkGuard requires unchanged: a vector store past the end
// would change them.
func guarded(s []float32) []float32 {
	g := make([]float32, len(s), len(s)+16)
	copy(g, s)
	for i := len(s); i < cap(g); i++ {
		g[:cap(g)][i] = 42
	}
	return g
}

func checkGuard(t *testing.T, ss ...[]float32) {
	t.Helper()
	for _, s := range ss {
		for i, x := range s[len(s):cap(s)] {
			if x != 42 {
				t.Fatalf("element %d past the end of a slice of %d was written: %v", i, len(s), x)
			}
		}
	}
}

// eachPath runs f once for each path the CPU has (generic, avx2, avx512)
// and for the interpreted AVX2 and AVX-512 assembly (asm_interp_test.go),
// with that path's float32 functions installed whatever DLNB_KERNELS chose,
// and restores the chosen path afterwards.
func eachPath(t *testing.T, f func(t *testing.T)) {
	eachPathOf(t, append(availablePaths(), interpAVX2, interpAVX512), f)
}

func eachPathOf(t *testing.T, paths []string, f func(t *testing.T)) {
	t.Cleanup(func() { installAsm(cpufeat.Path) })
	for _, p := range paths {
		if p == interpAVX2 || p == interpAVX512 {
			installInterpreted(t, p)
		} else {
			installAsm(p)
		}
		t.Run(p, f)
	}
}

// availablePaths lists the paths this CPU can run, portable first.
func availablePaths() []string {
	paths := []string{cpufeat.Generic}
	if cpufeat.X86.HasAVX2FMA {
		paths = append(paths, cpufeat.AVX2)
	}
	if cpufeat.X86.HasAVX512F {
		paths = append(paths, cpufeat.AVX512)
	}
	return paths
}

// TestNoAllocations: the steps a training loop runs on every batch allocate
// nothing, on every path the CPU has (the interpreter allocates).
func TestNoAllocations(t *testing.T) {
	eachPathOf(t, availablePaths(), func(t *testing.T) {
		rng := rand.New(rand.NewPCG(19, 20))
		const n = 1000
		w, g, m, v := randF[float32](rng, n, 1), randF[float32](rng, n, 0.1), make([]float32, n), make([]float32, n)
		z, bias := randF[float32](rng, 32*128, 1), randF[float32](rng, 128, 1)
		y, grad := make([]float32, 32*10), make([]float32, 32*10)
		for i := range 32 {
			y[i*10+i%10] = 1
		}
		allocs := testing.AllocsPerRun(20, func() {
			Adam(w, g, m, v, 1e-3, 0.9, 0.999, 1e-7)
			RMSprop(w, g, v, 1e-3, 0.9, 1e-7)
			SGD(w, g, nil, 0.01, 0, false)
			AddBias(z, 32, 128, bias, true)
			AddBias(z[:320], 32, 10, bias[:10], false)
			ReLUGrad(z, z)
			ColSums(bias, z, 32, 128)
			SoftmaxCrossEntropy(z[:320], 32, 10, 10, y, grad, 1.0/32)
		})
		if allocs != 0 {
			t.Fatalf("%v allocations per batch's steps, want 0", allocs)
		}
	})
}
