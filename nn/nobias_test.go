package nn

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// A layer without biases computes x·W, keeps no biases through training,
// counts only its kernel, and survives Save and Load.
func TestNoBias(t *testing.T) {
	m := NewSequential(Dense{Units: 2, InputDim: 2, NoBias: true, BiasInitializer: "ones", Kernel: [][]float64{{2, -3}, {4, 1}}},
		Dense{Units: 1, NoBias: true, Kernel: [][]float64{{5}, {4}}})
	m.DType = Float64
	if err := m.Compile(SGD{LearningRate: 0.01}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	p, err := m.Predict([][]float64{{3, 5}})
	if err != nil {
		t.Fatal(err)
	}
	// node 0: 2*3 + 4*5 = 26, node 1: -3*3 + 1*5 = -4; out 5*26 + 4*(-4) = 114
	if p.At(0, 0) != 114 {
		t.Errorf("prediction %v, want 114", p.At(0, 0))
	}
	if m.CountParams() != 6 || !strings.Contains(m.Summary(), "Trainable params: 6") {
		t.Errorf("%d parameters, want 6:\n%s", m.CountParams(), m.Summary())
	}
	if _, err := m.Fit([][]float64{{3, 5}, {1, 1}}, []float64{100, 3}, FitOptions{Epochs: 3}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		l, _ := m.Layer(i)
		for _, b := range l.Bias {
			if b != 0 || !l.NoBias {
				t.Fatalf("layer %d: biases %v after training, NoBias %v", i, l.Bias, l.NoBias)
			}
		}
	}
	back := saveAndLoad(t, m, SaveJSON)
	if l, _ := back.Layer(0); !l.NoBias || back.CountParams() != 6 {
		t.Errorf("after Load: NoBias %v, %d parameters", l.NoBias, back.CountParams())
	}
	wantErr(t, "bias given", m.SetWeights(0, nil, []float64{1, 0}), "the layer has NoBias")
	bad := NewSequential(Dense{Units: 1, InputDim: 1, NoBias: true, Bias: []float64{2}})
	wantErr(t, "bias in Dense", bad.Build(0), "the layer has NoBias")
	// Leaving the biases out does not change the random stream: the next
	// layer draws the same weights.
	a := NewSequential(Dense{Units: 3, InputDim: 2, NoBias: true}, Dense{Units: 2})
	b := NewSequential(Dense{Units: 3, InputDim: 2}, Dense{Units: 2})
	la, _ := a.Layer(1)
	lb, _ := b.Layer(1)
	if la.Kernel.At(2, 1) != lb.Kernel.At(2, 1) {
		t.Error("NoBias changed the next layer's initial weights")
	}
}

// Backpropagation without biases agrees with finite differences, and only
// the kernels are compared.
func TestNoBiasGradientCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	m := NewSequential(Dense{Units: 4, Activation: Tanh, NoBias: true}, Dense{Units: 2, Activation: Softmax})
	if err := m.Compile(SGD{}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	res, err := m.GradientCheck(randomRows(r, 5, 3), labelsFor(r, CategoricalCrossentropy, 5, 2), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.MaxRelError > 1e-6 || res.Checked != 3*4+4*2+2 {
		t.Errorf("%v (checked %d, want 22)", res, res.Checked)
	}
}
