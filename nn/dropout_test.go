package nn

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// In training each value is 0 or x/(1-rate), its gradient 0 or g/(1-rate),
// in either precision, and the share of zeros is the rate: over 100,000
// values, within 4 standard errors (sqrt(r(1-r)/n) = 0.0014 for rate 0.3).
func TestDropoutFormula(t *testing.T) {
	const n, rate = 100000, 0.3
	for _, zeros := range []int{dropoutFormula[float32](t, rate), dropoutFormula[float64](t, rate)} {
		share, se := float64(zeros)/n, math.Sqrt(rate*(1-rate)/n)
		if math.Abs(share-rate) > 4*se {
			t.Errorf("%.4f of the values dropped, want %.1f ± %.4f", share, rate, 4*se)
		}
	}
}

// dropoutFormula checks one forward and backward pass of 1000 x 100 values
// in T and returns how many were dropped.
func dropoutFormula[T number](t *testing.T, rate float64) (zeros int) {
	d := newDropout[T](&Dropout{Rate: rate})
	x, g := newMatrix[T](1000, 100), newMatrix[T](1000, 100)
	for i := range x.data {
		x.data[i], g.data[i] = T(i%97)+1, 1
	}
	out := d.forward(x, rand.New(rand.NewPCG(1, 2)), false)
	dx := d.backward(g)
	keep := T(1 - rate)
	for i, v := range out.data {
		switch {
		case v == 0 && dx.data[i] == 0:
			zeros++
		case v != x.data[i]/keep || dx.data[i] != 1/keep:
			t.Fatalf("%T: %v became %v with the gradient %v: want 0 and 0, or x/(1-rate) = %v and 1/(1-rate) = %v", v, x.data[i], v, dx.data[i], x.data[i]/keep, 1/keep)
		}
	}
	return zeros
}

func dropoutModel(rate float64) *Sequential {
	return NewSequential(Dense{Units: 8, Activation: ReLU}, Dropout{Rate: rate}, Dense{Units: 2, Activation: Softmax})
}

// Dropout changes neither the initial weights nor inference: Predict and
// Evaluate are those of the same network without it.
func TestDropoutIsIdentityInInference(t *testing.T) {
	x, y := titanicLike(50)
	a, b := dropoutModel(0.5), NewSequential(Dense{Units: 8, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
	for _, m := range []*Sequential{a, b} {
		if err := m.Compile(SGD{}, CategoricalCrossentropy, Accuracy); err != nil {
			t.Fatal(err)
		}
	}
	pa, err := a.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := b.Predict(x)
	if !slices.Equal(pa.RawMatrix().Data, pb.RawMatrix().Data) {
		t.Error("Predict with Dropout differs from Predict without it")
	}
	ea, _ := a.Evaluate(x, y)
	eb, _ := b.Evaluate(x, y)
	if ea["loss"] != eb["loss"] || ea["accuracy"] != eb["accuracy"] {
		t.Errorf("Evaluate with Dropout %v, without %v", ea, eb)
	}
	fa, _ := a.ForwardPass(x[:1])
	if len(fa) != 3 || fa[1].Name != "dropout" || fa[1].Net != nil || !slices.Equal(fa[1].Out.RawMatrix().Data, fa[0].Out.RawMatrix().Data) {
		t.Errorf("ForwardPass: the Dropout layer's entry should pass its input through: %+v", fa[1])
	}
	// Rate 0 trains exactly as no Dropout layer.
	z := dropoutModel(0)
	if err := z.Compile(SGD{}, CategoricalCrossentropy, Accuracy); err != nil {
		t.Fatal(err)
	}
	hz, err := z.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	hb, _ := b.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 8})
	if !slices.Equal(hz.History["loss"], hb.History["loss"]) || !slices.Equal(z.eng.getWeights()[2], b.eng.getWeights()[2]) {
		t.Errorf("Dropout{Rate: 0} trains differently from no Dropout: %v vs %v", hz.History["loss"], hb.History["loss"])
	}
}

// One training step's loss is the formula's, with the mask the step drew:
// hidden = relu(x·W1), dropped = hidden*mask/(1-rate), out = dropped·W2,
// loss = mean (out-y)².
func TestDropoutTrainOnBatchFormula(t *testing.T) {
	const rate = 0.5
	m := NewSequential(Dense{Units: 6, Activation: ReLU, InputDim: 2, NoBias: true}, Dropout{Rate: rate}, Dense{Units: 1, NoBias: true})
	m.DType, m.Seed = Float64, 7
	if err := m.Compile(SGD{LearningRate: 0.1}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	x, y := [][]float64{{1, 2}, {-1, 0.5}, {0.3, 0.7}}, []float64{1, 0, 2}
	if err := m.Build(0); err != nil {
		t.Fatal(err)
	}
	w := m.eng.getWeights()
	logs, err := m.TrainOnBatch(x, y)
	if err != nil {
		t.Fatal(err)
	}
	mask := m.eng.(*net[float64]).drops[0].mask
	var want float64
	for r, row := range x {
		var out float64
		for j := range 6 {
			h := max(0, row[0]*w[0][j]+row[1]*w[0][6+j])
			out += h * mask.at(r, j) / (1 - rate) * w[2][j]
		}
		want += (out - y[r]) * (out - y[r]) / 3
	}
	near(t, "TrainOnBatch's loss with Dropout", logs["loss"], want, 1e-12)
	if dropped := slices.Index(mask.data, 0); dropped < 0 {
		t.Errorf("the mask %v drops nothing: pick another seed", mask.data)
	}
}

// Backpropagation through Dropout agrees with finite differences (one mask
// for every loss of the check).
func TestDropoutGradientCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	m := NewSequential(Dense{Units: 7, Activation: Tanh}, Dropout{Rate: 0.4}, Dense{Units: 5, Activation: Sigmoid},
		Dropout{Rate: 0.2}, Dense{Units: 3, Activation: Softmax})
	if err := m.Compile(SGD{}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	x, y := randomRows(r, 6, 4), labelsFor(r, CategoricalCrossentropy, 6, 3)
	if err := m.Build(4); err != nil {
		t.Fatal(err)
	}
	before := m.eng.getWeights()
	res, err := m.GradientCheck(x, y, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.MaxRelError > 1e-6 || len(res.Layers) != 3 {
		t.Errorf("%v", res)
	}
	if !slices.EqualFunc(before, m.eng.getWeights(), slices.Equal) {
		t.Error("GradientCheck changed the model")
	}
}

// The same seed gives the same run; the masks come from a stream of their
// own, so another seed changes the run, and Save records the stream: a
// loaded model trains on with the masks the original draws.
func TestDropoutSeededAndSaved(t *testing.T) {
	x, y := titanicLike(64)
	train := func(m *Sequential, epochs int) []float64 {
		t.Helper()
		h, err := m.Fit(x, y, FitOptions{Epochs: epochs, BatchSize: 16})
		if err != nil {
			t.Fatal(err)
		}
		return h.History["loss"]
	}
	newModel := func(seed uint64) *Sequential {
		m := dropoutModel(0.5)
		m.Seed = seed
		if err := m.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b, c := newModel(1), newModel(1), newModel(2)
	la, lb, lc := train(a, 2), train(b, 2), train(c, 2)
	if !slices.Equal(la, lb) {
		t.Errorf("the same seed gave %v and %v", la, lb)
	}
	if slices.Equal(la, lc) {
		t.Errorf("seeds 1 and 2 gave the same losses %v", la)
	}
	for _, f := range []SaveFormat{SaveJSON, SaveCompact} {
		l := saveAndLoad(t, a, f)
		if l.NumLayers() != 3 {
			t.Fatalf("format %d: the loaded model has %d layers, want 3", f, l.NumLayers())
		}
		info, err := l.Layer(1)
		if err != nil || info.Type != "Dropout" || info.Rate != 0.5 || info.Name != "dropout" || info.Params != 0 {
			t.Errorf("format %d: layer 1 is %+v (%v), want the Dropout of rate 0.5", f, info, err)
		}
		copyA := newModel(1)
		train(copyA, 2)
		if ll, la3 := train(l, 1), train(copyA, 1); !slices.Equal(ll, la3) {
			t.Errorf("format %d: the loaded model trains on to %v, the original to %v", f, ll, la3)
		}
	}
}

func TestDropoutSummary(t *testing.T) {
	m := NewSequential(Dense{Units: 32, Activation: ReLU, InputDim: 10}, Dropout{Rate: 0.2}, Dense{Units: 2, Activation: Softmax})
	want := ` dense (Dense)               (None, 32)                352

 dropout (Dropout)           (None, 32)                0

 dense_1 (Dense)             (None, 2)                 66
`
	if s := m.Summary(); !strings.Contains(s, want) || !strings.Contains(s, "Total params: 418\n") {
		t.Errorf("Summary:\n%s\nwant the rows\n%s", s, want)
	}
}

// Wrong places and rates get errors that say where and what to do.
func TestDropoutErrors(t *testing.T) {
	for _, c := range []struct {
		layers []Layer
		want   string
	}{
		{[]Layer{Dropout{Rate: 0.2}, Dense{Units: 1}}, "layer 0 (dropout): a Dropout layer drops the outputs of the Dense layer before it, and there is none"},
		{[]Layer{Dense{Units: 3}, Dropout{Rate: 0.2}}, "layer 1 (dropout): the last layer is a Dropout layer"},
		{[]Layer{Dense{Units: 3}, Dropout{Rate: 0.2}, Dropout{Rate: 0.1}, Dense{Units: 1}}, "layer 2 (dropout_1): two Dropout layers in a row"},
		{[]Layer{Dense{Units: 3}, Dropout{Rate: 1}, Dense{Units: 1}}, "layer 1 (dropout): Rate is 1: it is the fraction of values dropped, at least 0 and below 1"},
		{[]Layer{Dense{Units: 3}, Dropout{Rate: math.NaN()}, Dense{Units: 1}}, "Rate is NaN"},
		{[]Layer{Dense{Units: 3}, &Dropout{Rate: -0.1}, Dense{Units: 1}}, "Rate is -0.1"},
		{[]Layer{Dense{Units: 3}, (*Dense)(nil)}, "layer 1 is (*nn.Dense)(nil): add an nn.Dense, nn.Dropout or nn.Normalization"},
	} {
		err := NewSequential(c.layers...).Compile(SGD{}, MeanSquaredError)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: Compile said %v, want %q", c.layers, err, c.want)
		}
	}
	m := NewSequential(Dense{Units: 3, InputDim: 2}, Dropout{Rate: 0.5}, Dense{Units: 1})
	if err := m.Compile(SGD{}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	if err := m.SetWeights(1, [][]float64{{1}}, nil); err == nil || !strings.Contains(err.Error(), "SetWeights(1): layer 1 (dropout) is a Dropout layer: it has no weights") {
		t.Errorf("SetWeights on a Dropout layer: %v", err)
	}
	if err := m.SetWeights(2, [][]float64{{1}, {2}, {3}}, []float64{4}); err != nil {
		t.Errorf("SetWeights(2), the Dense layer after the Dropout: %v", err)
	}
	if _, err := m.Layer(3); err == nil || !strings.Contains(err.Error(), "the model has 3 layers, numbered 0 to 2") {
		t.Errorf("Layer(3): %v", err)
	}
	if _, err := m.TraceStep([][]float64{{1, 2}}, []float64{1}); err == nil || !strings.Contains(err.Error(), "without Dropout layers") {
		t.Errorf("TraceStep with Dropout: %v", err)
	}
	// A bad layer added to a built model stops Fit too.
	m.Add(Dropout{Rate: 2})
	if _, err := m.Fit([][]float64{{1, 2}}, []float64{1}, FitOptions{}); err == nil || !strings.Contains(err.Error(), "Rate is 2") {
		t.Errorf("Fit after adding a bad Dropout: %v", err)
	}
	if errors.Is(m.Compile(SGD{}, MeanSquaredError), ErrShape) {
		t.Error("a layer error is not a shape error")
	}
}
