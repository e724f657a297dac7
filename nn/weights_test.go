package nn

import (
	"math"
	"slices"
	"testing"
)

// One step with sample weights s, by the formulas: the loss is
// sum(s_i * (out_i - y_i)²) / N, and its gradient sum(s_i * 2(out_i - y_i) x_i) / N.
func TestSampleWeightFormulas(t *testing.T) {
	m := NewSequential(Dense{Units: 1, InputDim: 1, Kernel: [][]float64{{0.5}}})
	m.DType = Float64
	if err := m.Compile(SGD{LearningRate: 0.1}, MeanSquaredError, MAE); err != nil {
		t.Fatal(err)
	}
	x, y, s := []float64{1, 2}, []float64{2, 0}, []float64{2, 0.5}
	h, err := m.Fit(x, y, FitOptions{BatchSize: 2, NoShuffle: true, SampleWeight: s})
	if err != nil {
		t.Fatal(err)
	}
	// out = 0.5, 1; errors -1.5, 1
	near(t, "loss", h.History["loss"][0], (2*2.25+0.5*1)/2, 1e-15)
	near(t, "mae, a weighted mean", h.History["mae"][0], (2*1.5+0.5*1)/2.5, 1e-15)
	l, _ := m.Layer(0)
	near(t, "w", l.Kernel.At(0, 0), 0.5-0.1*(2*2*(-1.5)*1+0.5*2*1*2)/2, 1e-15)
	near(t, "b", l.Bias[0], -0.1*(2*2*(-1.5)+0.5*2*1)/2, 1e-15)
}

// Weights of 1 change nothing; ClassWeight is SampleWeight by class, from
// one-hot rows or class numbers, a missing class weighing 1.
func TestClassWeight(t *testing.T) {
	x, y := titanicLike(60)
	fit := func(o FitOptions, yy any) *History {
		t.Helper()
		m := clf()
		m.DType = Float64
		if err := m.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
			t.Fatal(err)
		}
		o.Epochs, o.ValidationSplit = 3, 0.2
		h, err := m.Fit(x, yy, o)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	plain := fit(FitOptions{}, y)
	ones := fit(FitOptions{SampleWeight: slices.Repeat([]float64{1}, 60)}, y)
	for k, v := range plain.History {
		for e := range v {
			if math.Abs(v[e]-ones.History[k][e]) > 1e-12 {
				t.Errorf("%s epoch %d: %v unweighted, %v with weights 1", k, e, v[e], ones.History[k][e])
			}
		}
	}
	byHand := make([]float64, 60)
	for i, row := range y {
		byHand[i] = 1
		if row[1] == 1 {
			byHand[i] = 3
		}
	}
	a := fit(FitOptions{ClassWeight: map[int]float64{1: 3}}, y)
	b := fit(FitOptions{SampleWeight: byHand}, y)
	if !slices.Equal(a.History["loss"], b.History["loss"]) || !slices.Equal(a.History["val_loss"], b.History["val_loss"]) {
		t.Errorf("ClassWeight %v, SampleWeight by hand %v", a.History["loss"], b.History["loss"])
	}
	if slices.Equal(a.History["loss"], plain.History["loss"]) {
		t.Error("class weights changed nothing")
	}
	classes := make([]int, 60)
	for i, row := range y {
		classes[i] = int(row[1])
	}
	m := clf()
	m.DType = Float64
	if err := m.Compile(Adam{}, SparseCategoricalCrossentropy, Accuracy); err != nil {
		t.Fatal(err)
	}
	c, err := m.Fit(x, classes, FitOptions{Epochs: 3, ValidationSplit: 0.2, ClassWeight: map[int]float64{0: 1, 1: 3}})
	if err != nil {
		t.Fatal(err)
	}
	for e := range 3 {
		near(t, "sparse labels, same weights", c.History["loss"][e], a.History["loss"][e], 1e-12)
	}
}

func TestSampleWeightErrors(t *testing.T) {
	x, y := titanicLike(10)
	m := clf()
	if err := m.Compile(SGD{}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		o    FitOptions
		want string
	}{
		{FitOptions{SampleWeight: []float64{1}}, "SampleWeight has 1 values but x has 10 rows"},
		{FitOptions{SampleWeight: slices.Repeat([]float64{-1}, 10)}, "SampleWeight row 0 is -1"},
		{FitOptions{SampleWeight: make([]float64, 10)}, "every training row the weight 0"},
		{FitOptions{ClassWeight: map[int]float64{1: math.NaN()}}, "ClassWeight[1] is NaN"},
		{FitOptions{ClassWeight: map[int]float64{0: 1}, SampleWeight: make([]float64, 10)}, "both ClassWeight and SampleWeight"},
		{FitOptions{ValidationSplit: 0.5, SampleWeight: append(make([]float64, 5), 1, 1, 1, 1, 1)}, "training rows are all 0"},
	} {
		_, err := m.Fit(x, y, c.o)
		wantErr(t, c.want, err, c.want)
	}
}

// Weighted training allocates nothing per batch either.
func TestWeightedTrainingDoesNotAllocatePerBatch(t *testing.T) {
	x, y := titanicLike(320)
	m := clf()
	if err := m.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
		t.Fatal(err)
	}
	allocs := func(batch int) float64 {
		return testing.AllocsPerRun(10, func() {
			if _, err := m.Fit(x, y, FitOptions{BatchSize: batch, ClassWeight: map[int]float64{1: 2}}); err != nil {
				t.Fatal(err)
			}
		})
	}
	if few, many := allocs(64), allocs(1); many > few {
		t.Errorf("an epoch of 320 weighted batches allocates %v times, one of 5 batches %v", many, few)
	}
}
