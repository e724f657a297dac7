package nn

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// Adapt measures each column's mean and population variance (numpy's var,
// ddof=0), and the layer computes (x - mean) / max(sqrt(var), 1e-7): Keras'
// own example, [[0 7 4] [2 9 6] [0 7 4] [2 9 6]] adapted, maps [0 7 4] to
// [-1 -1 -1]; a constant column is only centred.
func TestNormalizationFormula(t *testing.T) {
	var norm Normalization
	if err := norm.Adapt([][]float64{{0, 7, 4, 0}, {2, 9, 6, 0}, {0, 7, 4, 0}, {2, 9, 6, 0}}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(norm.Mean, []float64{1, 8, 5, 0}) || !slices.Equal(norm.Variance, []float64{1, 1, 1, 0}) {
		t.Fatalf("Adapt: mean %v, variance %v; want [1 8 5 0] and [1 1 1 0]", norm.Mean, norm.Variance)
	}
	for _, dt := range []DType{Float32, Float64} {
		// An identity Dense layer shows what the Normalization passes on.
		m := NewSequential(norm, Dense{Units: 4, Kernel: [][]float64{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}})
		m.DType = dt
		p, err := m.Predict([][]float64{{0, 7, 4, 0}, {3, 8, 5, 1e-6}})
		if err != nil {
			t.Fatal(err)
		}
		want := []float64{-1, -1, -1, 0, 2, 0, 0, 10} // 1e-6 / 1e-7: the variance 0 is replaced by epsilon
		for i, v := range p.RawMatrix().Data {
			if math.Abs(v-want[i]) > 1e-5*math.Max(1, math.Abs(want[i])) {
				t.Errorf("%v: output %d is %v, want %v", dt, i, v, want[i])
			}
		}
		fp, _ := m.ForwardPass([][]float64{{0, 7, 4, 0}})
		if len(fp) != 2 || fp[0].Name != "normalization" || fp[0].Net != nil || fp[0].Out.At(0, 0) != -1 {
			t.Errorf("ForwardPass: the Normalization's entry is %+v", fp[0])
		}
	}
}

// A model with a Normalization trains and predicts on raw rows exactly as
// the same model on rows standardized by hand, and keeps its scaler when
// saved: the loaded model predicts the same from raw rows.
func TestNormalizationInsideTheModel(t *testing.T) {
	x, y := titanicLike(80)
	var norm Normalization
	if err := norm.Adapt(x); err != nil {
		t.Fatal(err)
	}
	scaled := make([][]float64, len(x))
	for r, row := range x {
		scaled[r] = make([]float64, len(row))
		for j, v := range row {
			scaled[r][j] = float64((float32(v) - float32(norm.Mean[j])) / float32(math.Sqrt(float64(float32(norm.Variance[j])))))
		}
	}
	a := NewSequential(norm, Dense{Units: 8, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
	b := NewSequential(Dense{Units: 8, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
	for _, m := range []*Sequential{a, b} {
		if err := m.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
			t.Fatal(err)
		}
	}
	ha, err := a.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 16, ValidationSplit: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	hb, _ := b.Fit(scaled, y, FitOptions{Epochs: 3, BatchSize: 16, ValidationSplit: 0.25})
	if !slices.Equal(ha.History["val_loss"], hb.History["val_loss"]) {
		t.Errorf("val_loss with the Normalization %v, on rows scaled by hand %v", ha.History["val_loss"], hb.History["val_loss"])
	}
	pa, _ := a.Predict(x)
	pb, _ := b.Predict(scaled)
	if !slices.Equal(pa.RawMatrix().Data, pb.RawMatrix().Data) {
		t.Error("Predict on raw rows with the Normalization differs from Predict on rows scaled by hand")
	}
	res, err := a.GradientCheck(x[:5], y[:5], 0)
	if err != nil || res.MaxRelError > 1e-6 {
		t.Errorf("gradient check: %v %v", res, err)
	}
	for _, f := range []SaveFormat{SaveJSON, SaveCompact} {
		l := saveAndLoad(t, a, f)
		pl, err := l.Predict(x)
		if err != nil || !slices.Equal(pl.RawMatrix().Data, pa.RawMatrix().Data) {
			t.Errorf("format %d: the loaded model predicts differently from raw rows (%v)", f, err)
		}
		info, _ := l.Layer(0)
		if info.Type != "Normalization" || !slices.Equal(info.Mean, norm.Mean) || !slices.Equal(info.Variance, norm.Variance) {
			t.Errorf("format %d: layer 0 is %+v", f, info)
		}
	}
}

// Summary counts the mean, the variance and Keras' count (2d+1) as
// non-trainable, as Keras does.
func TestNormalizationSummary(t *testing.T) {
	norm := Normalization{Mean: make([]float64, 10), Variance: make([]float64, 10)}
	m := NewSequential(norm, Dense{Units: 32, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
	s := m.Summary()
	for _, want := range []string{" normalization (Normalization) (None, 10)                21\n", "Total params: 439\n", "Trainable params: 418\n", "Non-trainable params: 21\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("Summary:\n%s\nwant %q", s, want)
		}
	}
}

func TestNormalizationErrors(t *testing.T) {
	adapted := Normalization{Mean: []float64{1, 2}, Variance: []float64{1, 4}}
	for _, c := range []struct {
		layers []Layer
		want   string
	}{
		{[]Layer{Normalization{}, Dense{Units: 1}}, "layer 0 (normalization): Adapt was not called: call Adapt(xTrain) on the layer before adding it to the model"},
		{[]Layer{Dense{Units: 2}, adapted, Dense{Units: 1}}, "layer 1 (normalization): a Normalization layer standardizes the model's inputs: make it the first layer"},
		{[]Layer{Normalization{Mean: []float64{1}, Variance: []float64{1, 2}}, Dense{Units: 1}}, "has 1 means and 2 variances"},
		{[]Layer{Normalization{Mean: []float64{1}, Variance: []float64{-1}}, Dense{Units: 1}}, "column 0 has the mean 1 and the variance -1"},
		{[]Layer{adapted, Dense{Units: 1, InputDim: 3}}, "layer 1 (dense): InputDim is 3 but the Normalization before it was adapted to 2 columns"},
	} {
		m := NewSequential(c.layers...)
		err := m.Compile(SGD{}, MeanSquaredError)
		if err == nil {
			err = m.Build(0)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.layers, err, c.want)
		}
	}
	m := NewSequential(adapted, Dense{Units: 1})
	if err := m.Compile(SGD{}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	_, err := m.Predict([][]float64{{1, 2, 3}})
	if err == nil || !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "layer 0 (normalization) was adapted to 2 input columns, but x is 1x3") {
		t.Errorf("Predict with 3 columns: %v", err)
	}
	if err := m.SetWeights(0, [][]float64{{1}}, nil); err == nil || !strings.Contains(err.Error(), "is a Normalization layer: its weights come from Adapt") {
		t.Errorf("SetWeights(0): %v", err)
	}
	var n Normalization
	if err := n.Adapt([][]float64{{1, math.NaN()}}); err == nil || !strings.Contains(err.Error(), "Normalization.Adapt: x row 0, column 1 is NaN") {
		t.Errorf("Adapt of a NaN: %v", err)
	}
}
