package nn

import (
	"math"
	"testing"
)

// Precision and Recall against their definitions: tp / (tp + fp) and
// tp / (tp + fn), counted over the whole data, not averaged over batches.
func TestPrecisionRecall(t *testing.T) {
	y := []float64{1, 1, 1, 0, 0, 0, 0, 1}
	p := []float64{0.9, 0.6, 0.2, 0.7, 0.1, 0.3, 0.4, 0.8}
	// predicted 1: rows 0, 1, 3, 7; tp = 3 (0, 1, 7), fp = 1 (3), fn = 1 (2)
	prec, err := Precision.Compute(y, p)
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := Recall.Compute(y, p)
	if prec != 0.75 || rec != 0.75 {
		t.Errorf("precision %v, recall %v, want 0.75 and 0.75", prec, rec)
	}
	if v, _ := Precision.Compute([]float64{1, 0}, []float64{0.1, 0.2}); v != 0 {
		t.Errorf("no predicted positives: precision %v, want 0 as Keras", v)
	}
	// One-hot rows: every column is a yes/no question.
	oh, _ := Recall.Compute([][]float64{{0, 1}, {1, 0}}, [][]float64{{0.3, 0.7}, {0.4, 0.6}})
	if oh != 0.5 {
		t.Errorf("one-hot recall %v, want 0.5", oh)
	}
	_, err = Precision.Compute([]float64{2}, []float64{0.5})
	wantErr(t, "labels", err, "binary_crossentropy needs labels between 0 and 1")

	// In Fit, in batches of 3, the epoch's value is the counts' ratio over
	// all rows: the same as Compute on the predictions before the step.
	x := make([][]float64, len(y))
	for i := range x {
		x[i] = []float64{float64(i)}
	}
	m := NewSequential(Dense{Units: 1, InputDim: 1, Activation: Sigmoid, Kernel: [][]float64{{0.3}}, Bias: []float64{-1}})
	m.DType = Float64
	if err := m.Compile(SGD{LearningRate: 1e-300}, BinaryCrossentropy, Precision, Recall); err != nil {
		t.Fatal(err)
	}
	pred, _ := m.Predict(x)
	want, _ := Precision.Compute(y, pred)
	wantR, _ := Recall.Compute(y, pred)
	h, err := m.Fit(x, y, FitOptions{BatchSize: 3, NoShuffle: true, ValidationX: x, ValidationY: y})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(h.History["precision"][0]-want) > 1e-12 || h.History["val_recall"][0] != wantR {
		t.Errorf("Fit: precision %v, val_recall %v; Compute: %v, %v", h.History["precision"][0], h.History["val_recall"][0], want, wantR)
	}
	c := NewSequential(Dense{Units: 3, Activation: Softmax})
	if err := c.Compile(Adam{}, SparseCategoricalCrossentropy, Precision); err != nil {
		t.Fatal(err)
	}
	_, err = c.Fit([][]float64{{1}, {2}}, []int{0, 2}, FitOptions{})
	wantErr(t, "sparse", err, "the metric precision needs y with one column per output unit")
}
