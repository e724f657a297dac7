package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The penalty is in the loss, and its gradient in the step, by the formulas:
// one weight w = 0.5, x = 2, y = 3, mse (out-y)² = 4, dE/dw = 2(out-y)x = -8;
// L1 0.05 and L2 0.1 add 0.05*|w| + 0.1*w² = 0.05 to the loss and
// 0.05*sign(w) + 2*0.1*w = 0.15 to the gradient.
func TestKernelRegularizerFormulas(t *testing.T) {
	m := NewSequential(Dense{Units: 1, InputDim: 1, Kernel: [][]float64{{0.5}}, KernelRegularizer: &L1L2{L1: 0.05, L2: 0.1}})
	m.DType = Float64
	if err := m.Compile(SGD{LearningRate: 0.01}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	ev, err := m.Evaluate([]float64{2}, []float64{3})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Evaluate's loss", ev["loss"], 4.05, 1e-15)
	logs, err := m.TrainOnBatch([]float64{2}, []float64{3})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "TrainOnBatch's loss", logs["loss"], 4.05, 1e-15)
	l, _ := m.Layer(0)
	near(t, "w after one step", l.Kernel.At(0, 0), 0.5-0.01*(-8+0.15), 1e-15)
	near(t, "b after one step (no penalty on biases)", l.Bias[0], -0.01*2*(1-3), 1e-15)
}

// Backpropagation's gradients with penalties agree with finite differences
// of the penalized loss.
func TestKernelRegularizerGradientCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	m := NewSequential(Dense{Units: 4, Activation: Tanh, KernelRegularizer: &L1L2{L1: 0.01, L2: 0.05}},
		Dense{Units: 3, Activation: Softmax, KernelRegularizer: &L1L2{L2: 0.2}})
	if err := m.Compile(SGD{}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	res, err := m.GradientCheck(randomRows(r, 6, 3), labelsFor(r, CategoricalCrossentropy, 6, 3), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.MaxRelError > 1e-6 {
		t.Errorf("%v", res)
	}
}

func TestKernelRegularizerSavedAndChecked(t *testing.T) {
	m := NewSequential(Dense{Units: 2, InputDim: 3, KernelRegularizer: &L1L2{L2: 0.01}}, Dense{Units: 1})
	if err := m.Compile(Adam{}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	back := saveAndLoad(t, m, SaveJSON)
	x, y := [][]float64{{1, 2, 3}}, []float64{1}
	a, _ := m.Evaluate(x, y)
	b, _ := back.Evaluate(x, y)
	if a["loss"] != b["loss"] {
		t.Errorf("loss %v before saving, %v after loading: the penalty was not saved", a["loss"], b["loss"])
	}
	bad := NewSequential(Dense{Units: 1, InputDim: 1, KernelRegularizer: &L1L2{L2: -1}})
	wantErr(t, "negative", bad.Build(0), "layer 0 (dense): KernelRegularizer L1 0, L2 -1: both must be finite and at least 0")
	if math.IsNaN(a["loss"]) {
		t.Fatal("NaN loss")
	}
}

// A training step measures the penalty in the pass that adds its gradient
// (addPenaltyGradient), at the weights of the batch, before the update: the
// very number a separate pass over the weights before the step gives,
// bit for bit, in both precisions, with a frozen layer's penalty too.
func TestKernelRegularizerStepPenalty(t *testing.T) {
	xs, ys := titanicLike(64)
	for _, dt := range []DType{Float32, Float64} {
		m := NewSequential(Dense{Units: 8, Activation: ReLU, KernelRegularizer: &L1L2{L1: 1e-3, L2: 0.01}},
			Dense{Units: 4, Activation: Tanh},
			Dense{Units: 2, Activation: Softmax, KernelRegularizer: &L1L2{L2: 0.02}, Frozen: true})
		m.DType = dt
		if err := m.Compile(Adam{LearningRate: 0.05}, CategoricalCrossentropy); err != nil {
			t.Fatal(err)
		}
		if err := m.Build(10); err != nil {
			t.Fatal(err)
		}
		penalties := func() (before func() float64, step func() float64) {
			switch n := m.eng.(type) {
			case *net[float32]:
				return n.penalty, n.stepPenalty
			case *net[float64]:
				return n.penalty, n.stepPenalty
			}
			t.Fatalf("engine %T", m.eng)
			return nil, nil
		}
		before, step := penalties()
		for s := 0; s < 8; s++ {
			want := before()
			if _, err := m.TrainOnBatch(xs[s*8:s*8+8], ys[s*8:s*8+8]); err != nil {
				t.Fatal(err)
			}
			if got := step(); math.Float64bits(got) != math.Float64bits(want) || want == 0 {
				t.Fatalf("%v step %d: the step's penalty %v, a separate pass before the step %v", dt, s, got, want)
			}
			if after := before(); after == want {
				t.Fatalf("%v step %d: the weights did not change", dt, s)
			}
		}
	}
}

// The penalty's gradient and value, by the formulas exactly as they read
// before the penalty moved into the gradient's pass: a branch for the sign,
// both sums, L1*a + L2*q.
func formulaPenalty[T number](r *L1L2, w, dw []T) float64 {
	l1, l2 := T(r.L1), T(2*r.L2)
	var a, q float64
	for i, v := range w {
		sign := T(0)
		if v > 0 {
			sign = 1
		} else if v < 0 {
			sign = -1
		}
		dw[i] += l1*sign + l2*v
		a += math.Abs(float64(v))
		q += float64(v) * float64(v)
	}
	return r.L1*a + r.L2*q
}

func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

// addPenaltyGradient gives the formulas' numbers bit for bit, signed zeros,
// subnormals and overflows included, on both of its paths (L2 alone; L1).
func TestPenaltyGradientBits(t *testing.T) {
	negZero := math.Copysign(0, -1)
	inf := math.Inf(1)
	for _, r := range []*L1L2{{L2: 0.01}, {L1: 1e-3, L2: 0.01}, {L1: 0.01}, {}} {
		for _, ws := range [][]float64{
			{0, negZero, 0.5, -0.5, 1e-45, -1e-45, 1e-300, -1e-300, 3, -2e-8},
			{1e200, -0.25, 2},         // the squares overflow, the sum of |w| does not
			{inf, 1, negZero},         // both overflow: 0*Inf is NaN
			{math.NaN(), 0.5, -0.125}, // NaN stays NaN
		} {
			checkPenaltyBits[float32](t, r, ws)
			checkPenaltyBits[float64](t, r, ws)
		}
	}
}

func checkPenaltyBits[T number](t *testing.T, r *L1L2, ws []float64) {
	t.Helper()
	w, dw, want := make([]T, len(ws)), make([]T, len(ws)), make([]T, len(ws))
	for i, v := range ws {
		w[i] = T(v)
		dw[i] = T(math.Copysign(0, float64(1-2*(i%2)))) // +0, -0, +0, ...
		want[i] = dw[i]
	}
	l := &dense[T]{cfg: Dense{KernelRegularizer: r}, w: matrix[T]{1, len(w), w}, dw: matrix[T]{1, len(w), dw}}
	l.addPenaltyGradient()
	pen := formulaPenalty(r, w, want)
	if !sameBits(l.pen, pen) {
		t.Errorf("%T %+v %v: penalty %v, the formula %v", w, *r, ws, l.pen, pen)
	}
	for i := range dw {
		if !sameBits(float64(dw[i]), float64(want[i])) {
			t.Errorf("%T %+v %v: gradient %d is %v (bits %x), the formula's %v", w, *r, ws, i, dw[i], math.Float64bits(float64(dw[i])), want[i])
		}
	}
	if k := l.kernelPenalty(); !sameBits(k, pen) {
		t.Errorf("%T %+v %v: kernelPenalty %v, the formula %v", w, *r, ws, k, pen)
	}
}
