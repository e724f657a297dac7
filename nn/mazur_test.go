package nn

import (
	"math"
	"strings"
	"testing"
)

// Mazur's "A Step by Step Backpropagation Example" (2015): a 2-2-2 sigmoid
// network, biases not updated, learning rate 0.5, E = sum 1/2 (target-out)^2,
// which for two outputs is exactly Keras' mean_squared_error.
func mazurModel(t testing.TB) *Sequential {
	t.Helper()
	m := NewSequential(
		Dense{Units: 2, Activation: Sigmoid, Kernel: [][]float64{{.15, .25}, {.20, .30}}, Bias: []float64{.35, .35}, FreezeBias: true},
		Dense{Units: 2, Activation: Sigmoid, Kernel: [][]float64{{.40, .50}, {.45, .55}}, Bias: []float64{.60, .60}, FreezeBias: true},
	)
	m.DType = Float64
	if err := m.Compile(SGD{LearningRate: 0.5}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	return m
}

var (
	mazurX = [][]float64{{0.05, 0.10}}
	mazurY = [][]float64{{0.01, 0.99}}
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.12g, want %.12g (tolerance %g)", what, got, want, tol)
	}
}

func TestMazurForward(t *testing.T) {
	m := mazurModel(t)
	layers, err := m.ForwardPass(mazurX)
	if err != nil {
		t.Fatal(err)
	}
	// The article's printed values, to its 9 digits.
	near(t, "net_h1", layers[0].Net.At(0, 0), 0.3775, 1e-9)
	near(t, "out_h1", layers[0].Out.At(0, 0), 0.593269992, 1e-9)
	near(t, "out_h2", layers[0].Out.At(0, 1), 0.596884378, 1e-9)
	near(t, "net_o1", layers[1].Net.At(0, 0), 1.105905967, 1e-9)
	near(t, "out_o1", layers[1].Out.At(0, 0), 0.75136507, 1e-9)
	near(t, "out_o2", layers[1].Out.At(0, 1), 0.772928465, 1e-9)
}

func TestMazurTrace(t *testing.T) {
	m := mazurModel(t)
	tr, err := m.TraceStep(mazurX, mazurY)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "E_o1", tr.OutputLoss[0], 0.274811083, 1e-9)
	near(t, "E_o2", tr.OutputLoss[1], 0.023560026, 1e-9)
	near(t, "E_total", tr.LossBefore, 0.298371109, 1e-9)
	near(t, "dE/dout_o1", tr.Layers[1].DEdOut[0], 0.74136507, 1e-9)
	near(t, "dout_o1/dnet_o1", tr.Layers[1].DOutDNet[0], 0.186815602, 1e-9)
	near(t, "delta_o1", tr.Layers[1].DEdNet[0], 0.138498562, 1e-9)
	near(t, "dE/dout_h1", tr.Layers[0].DEdOut[0], 0.036350306, 1e-9)
	near(t, "dout_h1/dnet_h1", tr.Layers[0].DOutDNet[0], 0.241300709, 1e-9)
	w5, _ := tr.Weight("w5")
	near(t, "dnet_o1/dw5", w5.DNetDW, 0.593269992, 1e-9)
	near(t, "dE/dw5", w5.Grad, 0.082167041, 1e-9)
	w1, _ := tr.Weight("w1")
	near(t, "dE/dw1", w1.Grad, 0.000438568, 1e-9)
	// The updated weights: reference values computed independently in plain
	// Python floats (the standard algorithm, 12 digits), checked to 1e-9; and the
	// article's printed values, checked to half a unit of their last digit.
	want := []struct {
		name           string
		exact, article float64
		digits         int
	}{
		{"w1", 0.149780716133, 0.149780716, 9}, {"w2", 0.199561432266, 0.19956143, 8},
		{"w3", 0.249751143632, 0.24975114, 8}, {"w4", 0.299502287265, 0.29950229, 8},
		{"w5", 0.358916479718, 0.35891648, 8}, {"w6", 0.408666186076, 0.408666186, 9},
		{"w7", 0.511301270239, 0.511301270, 9}, {"w8", 0.561370121108, 0.561370121, 9},
	}
	for _, c := range want {
		w, ok := tr.Weight(c.name)
		if !ok {
			t.Fatalf("no weight %s in the trace", c.name)
		}
		near(t, c.name+" updated", w.New, c.exact, 1e-9)
		near(t, c.name+" as printed in the article", w.New, c.article, 0.5*math.Pow(10, -float64(c.digits)))
	}
	if w, _ := tr.Weight("b_o1"); !w.Frozen || w.New != 0.6 {
		t.Errorf("b_o1 = %+v, want frozen at 0.6", w)
	}
	near(t, "E after one update", tr.LossAfter, 0.291027773694, 1e-12)
	// The model itself took the step.
	l, _ := m.Layer(1)
	near(t, "model w5", l.Kernel.At(0, 0), 0.35891648, 1e-9)
	for _, s := range []string{"w5", "h1->o1", "0.082167041", "0.358916480", "(frozen)", "0.291027774"} {
		if !strings.Contains(tr.String(), s) {
			t.Errorf("the printed trace lacks %q:\n%s", s, tr)
		}
	}
}

func TestMazur10000(t *testing.T) {
	m := mazurModel(t)
	if _, err := m.Fit(mazurX, mazurY, FitOptions{Epochs: 1, BatchSize: 1}); err != nil {
		t.Fatal(err)
	}
	ev, err := m.Evaluate(mazurX, mazurY)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "E after one update", ev["loss"], 0.291027773694, 1e-12)
	if _, err := m.Fit(mazurX, mazurY, FitOptions{Epochs: 9999, BatchSize: 1}); err != nil {
		t.Fatal(err)
	}
	ev, _ = m.Evaluate(mazurX, mazurY)
	near(t, "E after 10,000 updates", ev["loss"], 3.5101877830e-05, 1e-12)
	p, _ := m.Predict(mazurX)
	near(t, "out_o1", p.At(0, 0), 0.015913620, 1e-9)
	near(t, "out_o2", p.At(0, 1), 0.984064274, 1e-9)
}
