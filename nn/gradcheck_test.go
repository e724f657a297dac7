package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// labelsFor returns random targets that fit the loss, for rows x units outputs.
func labelsFor(r *rand.Rand, loss Loss, rows, units int) [][]float64 {
	y := make([][]float64, rows)
	for i := range y {
		switch loss {
		case SparseCategoricalCrossentropy:
			y[i] = []float64{float64(r.IntN(units))}
		case CategoricalCrossentropy:
			y[i] = make([]float64, units)
			y[i][r.IntN(units)] = 1
		case BinaryCrossentropy:
			y[i] = make([]float64, units)
			for j := range y[i] {
				y[i][j] = float64(r.IntN(2))
			}
		default:
			y[i] = make([]float64, units)
			for j := range y[i] {
				y[i][j] = r.NormFloat64()
			}
		}
	}
	return y
}

func randomRows(r *rand.Rand, rows, cols int) [][]float64 {
	x := make([][]float64, rows)
	for i := range x {
		x[i] = make([]float64, cols)
		for j := range x[i] {
			x[i][j] = r.NormFloat64()
		}
	}
	return x
}

// Every activation, as a hidden layer and (where the loss takes its values)
// as the output layer, with every loss: backpropagation must agree with
// central finite differences. Tolerance: relative error 1e-6 in float64 (the
// finite differences themselves are good to about 1e-8 here).
func TestGradientCheckEveryActivationAndLoss(t *testing.T) {
	for _, loss := range lossNames {
		for _, act := range activationNames {
			out := act
			switch {
			case loss == CategoricalCrossentropy || loss == SparseCategoricalCrossentropy:
				if act != Sigmoid && act != Softmax {
					out = Softmax
				}
			case loss == BinaryCrossentropy:
				if act != Sigmoid && act != Softmax {
					out = Sigmoid
				}
			}
			t.Run(fmt.Sprintf("%s/hidden=%s/output=%s", loss, act, out), func(t *testing.T) {
				r := rand.New(rand.NewPCG(7, 7))
				m := NewSequential(
					Dense{Units: 5, Activation: act, InputDim: 4, BiasInitializer: "random_normal"},
					Dense{Units: 4, Activation: act, BiasInitializer: "random_normal"},
					Dense{Units: 3, Activation: out, BiasInitializer: "random_normal"},
				)
				m.DType = Float64
				if err := m.Compile(SGD{}, loss); err != nil {
					t.Fatal(err)
				}
				x := randomRows(r, 6, 4)
				y := labelsFor(r, loss, 6, 3)
				res, err := m.GradientCheck(x, y, 0)
				if err != nil {
					t.Fatal(err)
				}
				if res.Checked != 4*5+5+5*4+4+4*3+3 {
					t.Errorf("checked %d weights, want every one", res.Checked)
				}
				if res.MaxRelError > 1e-6 {
					t.Errorf("%v", res)
				}
			})
		}
	}
}

// The check works on float32 models too (it copies them into float64), and
// on frozen layers.
func TestGradientCheckFloat32Frozen(t *testing.T) {
	m := NewSequential(Dense{Units: 3, Activation: Tanh, InputDim: 2, Frozen: true}, Dense{Units: 2, Activation: Softmax, FreezeBias: true})
	if err := m.Compile(Adam{}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	res, err := m.GradientCheck(randomRows(r, 5, 2), labelsFor(r, CategoricalCrossentropy, 5, 2), 1e-6)
	if err != nil {
		t.Fatal(err)
	}
	if res.MaxRelError > 1e-6 {
		t.Errorf("%v", res)
	}
}

// Softmax with cross-entropy stays finite for logits far beyond exp's range.
func TestSoftmaxCrossEntropyLargeLogits(t *testing.T) {
	m := NewSequential(Dense{Units: 2, Activation: Softmax, Kernel: [][]float64{{1000, -1000}}, Bias: []float64{0, 0}})
	if err := m.Compile(SGD{}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	for _, dt := range []DType{Float32, Float64} {
		m.DType = dt
		m.eng = nil
		ev, err := m.Evaluate([][]float64{{1}, {-1}}, [][]float64{{0, 1}, {0, 1}})
		if err != nil {
			t.Fatal(err)
		}
		// Row 1 is right with certainty (loss 0), row 0 wrong by a logit gap of 2000.
		near(t, dt.String()+" loss", ev["loss"], 1000, 1e-3)
		h, err := m.Fit([][]float64{{1}}, [][]float64{{0, 1}}, FitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		near(t, dt.String()+" training loss", h.Last("loss"), 2000, 1e-2)
	}
}
