package check

import (
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/nn"
)

// The course's chapter 2 data.
var (
	ch2In      = []float64{0, 3}
	ch2Weights = map[string][]float64{"node_0": {2, 1}, "node_1": {1, 2}, "output": {1, 1}}
	ch2Rows    = [][]float64{{0, 3}, {1, 2}, {-1, -2}, {4, 0}}
	ch2Targets = []float64{1, 3, 5, 7}
	ch2W1      = map[string][]float64{"node_0": {2, 1}, "node_1": {1, 1.5}, "output": {1, 1.5}}
	slopeIn    = []float64{1, 2, 3}
	slopeW     = []float64{0, 2, 1}
)

func TestPredictionError(t *testing.T) {
	runCases(t, []tcase{
		{"right", func() bool { return PredictionError(ch2In, ch2Weights, 3, 6) }, true, []string{"✓ error: right (6)"}},
		{"sign", func() bool { return PredictionError(ch2In, ch2Weights, 3, -6) }, false, []string{"you have -6", "prediction minus the target, not the other way round"}},
		{"blank", func() bool { return PredictionError(ch2In, ch2Weights, 3, 0) }, false, []string{"you have 0", "then subtract the target"}},
		{"bad weights", func() bool { return PredictionError(ch2In, map[string][]float64{}, 3, 0) }, false, []string{"cannot check"}},
	})
}

func TestZeroError(t *testing.T) {
	w := func(out0, out1 float64) map[string][]float64 {
		return map[string][]float64{"node_0": {2, 1}, "node_1": {1, 2}, "output": {out0, out1}}
	}
	runCases(t, []tcase{
		{"one weight", func() bool { return ZeroError(ch2In, 3, ch2Weights, w(1, 0)) }, true, []string{"✓ weights1: right (error 0)\n"}},
		{"two weights", func() bool { return ZeroError(ch2In, 3, ch2Weights, w(0, 0.5)) }, true, []string{"2 weights changed; one is enough"}},
		{"unchanged", func() bool { return ZeroError(ch2In, 3, ch2Weights, w(1, 1)) }, false,
			[]string{"weights1 is the same as weights0: the prediction is 9, the target 3", "change one weight"}},
		{"changed, still wrong", func() bool { return ZeroError(ch2In, 3, ch2Weights, w(1, 2)) }, false,
			[]string{"with weights1 the network predicts 15, the target is 3 (error 12)", "the hidden values are [3 6]"}},
		{"nil", func() bool { return ZeroError(ch2In, 3, ch2Weights, nil) }, false, []string{"the weights map is nil", "start from a copy of weights0"}},
		{"missing node", func() bool { return ZeroError(ch2In, 3, ch2Weights, map[string][]float64{"output": {1}}) }, false, []string{"not yet"}},
	})
}

func mseRight(p, t []float64) float64 {
	var s float64
	for i := range p {
		s += (p[i] - t[i]) * (p[i] - t[i])
	}
	return s / float64(len(p))
}

func TestMeanSquaredError(t *testing.T) {
	sum := func(p, t []float64) float64 { return mseRight(p, t) * float64(len(p)) }
	root := func(p, t []float64) float64 { return math.Sqrt(mseRight(p, t)) }
	abs := func(p, t []float64) float64 {
		var s float64
		for i := range p {
			s += math.Abs(p[i] - t[i])
		}
		return s / float64(len(p))
	}
	mean := func(p, t []float64) float64 {
		var s float64
		for i := range p {
			s += p[i] - t[i]
		}
		return s / float64(len(p))
	}
	runCases(t, []tcase{
		{"right", func() bool { return MeanSquaredError(mseRight) }, true, []string{"✓ meanSquaredError: right\n"}},
		{"blank", func() bool { return MeanSquaredError(func(_, _ []float64) float64 { return 0 }) }, false,
			[]string{"meanSquaredError([3 7 1], [1 3 5]) gives 0", "square prediction minus target"}},
		{"sum", func() bool { return MeanSquaredError(sum) }, false, []string{"gives 36", "divide it by the number of rows"}},
		{"root", func() bool { return MeanSquaredError(root) }, false, []string{"square root"}},
		{"absolute", func() bool { return MeanSquaredError(abs) }, false, []string{"mean absolute error"}},
		{"not squared", func() bool { return MeanSquaredError(mean) }, false, []string{"square each row's error before taking the mean"}},
		{"panics", func() bool { return MeanSquaredError(func(p, _ []float64) float64 { return p[5] }) }, false, []string{"panicked", "index out of range"}},
		{"nil", func() bool { return MeanSquaredError(nil) }, false, []string{"the function is nil"}},
	})
}

func TestNetworkMSE(t *testing.T) {
	runCases(t, []tcase{
		{"weights0", func() bool { return NetworkMSE("mse0", ch2Rows, ch2Targets, ch2Weights, 37.5) }, true, []string{"✓ mse0: right (37.5)"}},
		{"weights1", func() bool { return NetworkMSE("mse1", ch2Rows, ch2Targets, ch2W1, 49.890625) }, true, []string{"✓ mse1: right (49.890625)"}},
		{"sum", func() bool { return NetworkMSE("mse0", ch2Rows, ch2Targets, ch2Weights, 150) }, false, []string{"you have 150", "divide by the number of rows"}},
		{"blank", func() bool { return NetworkMSE("mse0", ch2Rows, ch2Targets, ch2Weights, 0) }, false, []string{"✗ mse0: not yet: you have 0", "meanSquaredError"}},
		{"targets missing", func() bool { return NetworkMSE("mse0", ch2Rows, nil, ch2Weights, 0) }, false, []string{"cannot check: 4 input rows and 0 targets"}},
	})
}

func TestSlope(t *testing.T) {
	runCases(t, []tcase{
		{"right", func() bool { return Slope(slopeIn, slopeW, 0, []float64{14, 28, 42}) }, true, []string{"✓ slope: right ([14 28 42])"}},
		{"half", func() bool { return Slope(slopeIn, slopeW, 0, []float64{7, 14, 21}) }, false, []string{"you have [7 14 21]", "half the slope"}},
		{"sign", func() bool { return Slope(slopeIn, slopeW, 0, []float64{-14, -28, -42}) }, false, []string{"the sign is wrong"}},
		{"weights instead of inputs", func() bool { return Slope(slopeIn, slopeW, 0, []float64{0, 28, 14}) }, false, []string{"not by the weight"}},
		{"blank", func() bool { return Slope(slopeIn, slopeW, 0, []float64{}) }, false, []string{"you have 0 numbers, want one per weight (3)", "2 * input[i] * error"}},
		{"other", func() bool { return Slope(slopeIn, slopeW, 0, []float64{1, 2, 3}) }, false, []string{"the slope for weight i is 2 * input[i] * error"}},
		{"mismatched weights", func() bool { return Slope(slopeIn, []float64{1}, 0, []float64{1, 2, 3}) }, false, []string{"cannot check: 1 weight for 3 inputs"}},
	})
}

func TestUpdate(t *testing.T) {
	runCases(t, []tcase{
		{"right", func() bool { return Update("weightsUpdated", slopeIn, slopeW, 0, 0.01, []float64{-0.14, 1.72, 0.58}) }, true,
			[]string{"✓ weightsUpdated: right ([-0.14 1.72 0.58])"}},
		{"up the slope", func() bool { return Update("w", slopeIn, slopeW, 0, 0.01, []float64{0.14, 2.28, 1.42}) }, false, []string{"you moved up the slope"}},
		{"no learning rate", func() bool { return Update("w", slopeIn, slopeW, 0, 0.01, []float64{-14, -26, -41}) }, false, []string{"multiply the slope by the learning rate"}},
		{"unchanged", func() bool { return Update("w", slopeIn, slopeW, 0, 0.01, []float64{0, 2, 1}) }, false, []string{"those are the weights before the update"}},
		{"blank", func() bool { return Update("w", slopeIn, slopeW, 0, 0.01, nil) }, false, []string{"you have 0 numbers, want one per weight (3)"}},
		{"other", func() bool { return Update("w", slopeIn, slopeW, 0, 0.01, []float64{1, 1, 1}) }, false, []string{"the old weight minus learning_rate * its slope"}},
	})
}

func slopeRight(in []float64, target float64, w []float64) []float64 {
	e := dot(in, w) - target
	s := make([]float64, len(in))
	for i := range in {
		s[i] = 2 * in[i] * e
	}
	return s
}

func TestGetSlope(t *testing.T) {
	inPlace := func(in []float64, target float64, w []float64) []float64 {
		s := slopeRight(in, target, w)
		copy(w, s)
		return w
	}
	runCases(t, []tcase{
		{"right", func() bool { return GetSlope(slopeRight) }, true, []string{"✓ getSlope: right\n"}},
		{"blank", func() bool { return GetSlope(func([]float64, float64, []float64) []float64 { return nil }) }, false,
			[]string{"getSlope([1 2 3], 0, [0 2 1]) returns 0 numbers, want one per weight (3)"}},
		{"half", func() bool {
			return GetSlope(func(in []float64, tg float64, w []float64) []float64 {
				s := slopeRight(in, tg, w)
				for i := range s {
					s[i] /= 2
				}
				return s
			})
		}, false, []string{"returns [7 14 21]", "half the slope"}},
		{"ignores the target", func() bool {
			return GetSlope(func(in []float64, _ float64, w []float64) []float64 { return slopeRight(in, 0, w) })
		}, false, []string{"getSlope([3 -1 0.5 2], 4, [1 0.5 -2 0.25])"}},
		{"changes its arguments", func() bool { return GetSlope(inPlace) }, false, []string{"changed its arguments", "return a new slice"}},
		{"panics", func() bool { return GetSlope(func(in []float64, _ float64, _ []float64) []float64 { return in[:10] }) }, false, []string{"panicked"}},
		{"nil", func() bool { return GetSlope(nil) }, false, []string{"the function is nil"}},
	})
}

func TestGetMSE(t *testing.T) {
	right := func(in []float64, target float64, w []float64) float64 { e := dot(in, w) - target; return e * e }
	runCases(t, []tcase{
		{"right", func() bool { return GetMSE(right) }, true, []string{"✓ getMSE: right\n"}},
		{"blank", func() bool { return GetMSE(func([]float64, float64, []float64) float64 { return 0 }) }, false,
			[]string{"getMSE([1 2 3], 0, [0 2 1]) returns 0", "error squared"}},
		{"not squared", func() bool {
			return GetMSE(func(in []float64, tg float64, w []float64) float64 { return dot(in, w) - tg })
		}, false,
			[]string{"returns 7", "that is the error itself: square it"}},
		{"changes its arguments", func() bool {
			return GetMSE(func(in []float64, tg float64, w []float64) float64 { v := right(in, tg, w); w[0] = 99; return v })
		}, false, []string{"changed its arguments"}},
		{"panics", func() bool { return GetMSE(func([]float64, float64, []float64) float64 { panic("no") }) }, false, []string{"panicked: no"}},
		{"nil", func() bool { return GetMSE(nil) }, false, []string{"the function is nil"}},
	})
}

func TestMSEHistory(t *testing.T) {
	before, after, final := descent(slopeIn, 0, slopeW, 0.01, 20)
	if len(before) != 20 || before[0] != 49 || !within(after[0], 5.04*5.04, HandTol) {
		t.Fatalf("descent: before %v, after %v", before, after)
	}
	if !slices.Equal(slopeW, []float64{0, 2, 1}) {
		t.Fatal("descent changed its argument")
	}
	constant := make([]float64, 20)
	for i := range constant {
		constant[i] = after[0]
	}
	runCases(t, []tcase{
		{"right", func() bool { return MSEHistory(slopeIn, 0, slopeW, 0.01, 20, after) }, true, []string{"✓ mseHist: right (25.4 -> 9.627e-05)"}},
		{"blank", func() bool { return MSEHistory(slopeIn, 0, slopeW, 0.01, 20, nil) }, false, []string{"you have 0 values, want 20 (one per update)"}},
		{"before each update", func() bool { return MSEHistory(slopeIn, 0, slopeW, 0.01, 20, before) }, false,
			[]string{"update 1: you have 49", "those are the MSEs before each update"}},
		{"weights not updated", func() bool { return MSEHistory(slopeIn, 0, slopeW, 0.01, 20, constant) }, false,
			[]string{"update 2: you have 25.4016", "does not change from one round to the next"}},
		{"the weights after the loop", func() bool { return MSEHistory(slopeIn, 0, final, 0.01, 20, after) }, false, []string{"update 1"}},
		{"bad input", func() bool { return MSEHistory(nil, 0, slopeW, 0.01, 20, after) }, false, []string{"cannot check: the input row is empty"}},
	})
}

// byHand trains the course's one-unit model with nn as the exercise asks
// (changed by opt), and returns it with its history.
func byHand(t *testing.T, opt func(*nn.Dense, *nn.SGD, *nn.FitOptions)) (*nn.Sequential, *nn.History) {
	t.Helper()
	d := nn.Dense{Units: 1, Kernel: [][]float64{{0}, {2}, {1}}, FreezeBias: true}
	sgd := nn.SGD{LearningRate: 0.01}
	fo := nn.FitOptions{Epochs: 20}
	if opt != nil {
		opt(&d, &sgd, &fo)
	}
	m := nn.NewSequential(d)
	m.DType = nn.Float64
	if err := m.Compile(sgd, nn.MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	h, err := m.Fit([][]float64{slopeIn}, []float64{0}, fo)
	if err != nil {
		t.Fatal(err)
	}
	return m, h
}

func TestSameAsByHand(t *testing.T) {
	check := func(m *nn.Sequential, h *nn.History) func() bool {
		return func() bool { return SameAsByHand(m, h, slopeIn, 0, slopeW, 0.01, 20) }
	}
	right, rh := byHand(t, nil)
	f32 := func() bool {
		m := nn.NewSequential(nn.Dense{Units: 1, Kernel: [][]float64{{0}, {2}, {1}}, FreezeBias: true})
		must(t, m.Compile(nn.SGD{LearningRate: 0.01}, nn.MeanSquaredError))
		h, err := m.Fit([][]float64{slopeIn}, []float64{0}, nn.FitOptions{Epochs: 20})
		must(t, err)
		return SameAsByHand(m, h, slopeIn, 0, slopeW, 0.01, 20)
	}
	bias, bh := byHand(t, func(d *nn.Dense, _ *nn.SGD, _ *nn.FitOptions) { d.FreezeBias = false })
	rate, lh := byHand(t, func(_ *nn.Dense, s *nn.SGD, _ *nn.FitOptions) { s.LearningRate = 0.02 })
	kern, kh := byHand(t, func(d *nn.Dense, _ *nn.SGD, _ *nn.FitOptions) { d.Kernel = [][]float64{{1}, {2}, {1}} })
	short, shh := byHand(t, func(_ *nn.Dense, _ *nn.SGD, f *nn.FitOptions) { f.Epochs = 10 })
	two := nn.NewSequential(nn.Dense{Units: 2, InputDim: 3}, nn.Dense{Units: 1})
	relu := nn.NewSequential(nn.Dense{Units: 1, InputDim: 3, Activation: nn.ReLU})
	runCases(t, []tcase{
		{"right", check(right, rh), true, []string{"✓ nn model: right (loss 49 -> 0.0001857, the weights as by hand)"}},
		{"float32 is close enough", f32, true, nil},
		{"bias trains", check(bias, bh), false, []string{"epoch 2: loss", "the bias trained too"}},
		{"learning rate", check(rate, lh), false, []string{"epoch 2: loss", "compare the learning rate"}},
		{"starting weights", check(kern, kh), false, []string{"epoch 1: loss 64, by hand 49", "the first loss is the MSE of the starting weights"}},
		{"10 epochs", check(short, shh), false, []string{"the history has 10 epochs, want 20"}},
		{"two layers", check(two, rh), false, []string{"the model has 2 layers, want 1"}},
		{"relu", check(relu, rh), false, []string{"activation relu", "one linear unit"}},
		{"empty model", check(nn.NewSequential(), nil), false, []string{"the model has 0 layers, want 1"}},
		{"no history", check(right, nil), false, []string{"the history is nil"}},
		{"nil model", check(nil, nil), false, []string{"the model is nil"}},
		{"no input size", check(nn.NewSequential(nn.Dense{Units: 1}), nil), false, []string{"does not know its input size"}},
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
