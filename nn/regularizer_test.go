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
