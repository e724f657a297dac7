package nn

import (
	"errors"
	"strings"
	"testing"
)

// wantErr checks that err says every part, and that it follows the
// package's error style.
func wantErr(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	if wantErrText(t, what, err, parts...) {
		// The package's error style: it starts with the call that failed
		// ("nn.Fit: ...", "nn.Load model.json: ..."), said once.
		msg := err.Error()
		call, _, _ := strings.Cut(msg, ": ")
		if !strings.HasPrefix(msg, "nn.") || strings.HasPrefix(strings.TrimPrefix(msg, call+": "), call+":") {
			t.Errorf("%s: error %q does not start with the call that failed (nn.Fit: ..., nn.Compile: ...), once", what, err)
		}
	}
}

// wantErrText is wantErr for a callback's own method called directly: its
// error names the callback ("ReduceLROnPlateau Factor is 1: ..."), and Fit,
// the call a user makes, adds "nn.Fit: callback 0 (*nn.ReduceLROnPlateau): ".
// It reports whether there was an error.
func wantErrText(t *testing.T, what string, err error, parts ...string) bool {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want one saying %q", what, parts)
		return false
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not say %q", what, err, p)
		}
	}
	return true
}

func compiled(t *testing.T, loss Loss, layers ...Layer) *Sequential {
	t.Helper()
	m := NewSequential(layers...)
	if err := m.Compile(SGD{}, loss, Accuracy); err != nil {
		t.Fatal(err)
	}
	return m
}

// A loss that blows up stops training with an error that says what to do,
// and returns the history so far.
func TestDivergenceStops(t *testing.T) {
	x, y := titanicLike(100)
	for i := range x {
		for j := range x[i] {
			x[i][j] *= 1e3
		}
	}
	m := compiled(t, MeanSquaredError, Dense{Units: 50, Activation: ReLU}, Dense{Units: 2})
	m.Compile(SGD{LearningRate: 1}, MeanSquaredError)
	h, err := m.Fit(x, y, FitOptions{Epochs: 20})
	wantErr(t, "diverging", err, "the loss became", "lower the learning rate (it is 1)")
	if h == nil {
		t.Error("no history returned with the error")
	}
}

// The errors a program tests for match their sentinels through every
// wrapping of Fit, Evaluate, Predict and TrainOnBatch.
func TestSentinelErrors(t *testing.T) {
	x, y := titanicLike(10)
	m := clf()
	_, err := m.Fit(x, y, FitOptions{})
	if !errors.Is(err, ErrNotCompiled) {
		t.Errorf("Fit before Compile: %v does not match ErrNotCompiled", err)
	}
	if _, err := m.Evaluate(x, y); !errors.Is(err, ErrNotCompiled) {
		t.Errorf("Evaluate before Compile: %v does not match ErrNotCompiled", err)
	}
	if err := m.Compile(SGD{}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Evaluate(x, y); err != nil { // builds the model for x's 10 columns
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"Fit rows":        second(m.Fit(x, y[:5], FitOptions{})),
		"Evaluate rows":   second(m.Evaluate(x, y[:5])),
		"TrainOnBatch":    second(m.TrainOnBatch(x, y[:5])),
		"Predict columns": second(m.Predict([][]float64{{1, 2}})),
	} {
		if !errors.Is(err, ErrShape) {
			t.Errorf("%s: %v does not match ErrShape", name, err)
		}
	}
	r := NewSequential(Dense{Units: 1, InputDim: 1, Kernel: [][]float64{{3e38}}})
	if err := r.Compile(SGD{}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Fit([]float64{1e10}, []float64{0}, FitOptions{}); !errors.Is(err, ErrDiverged) {
		t.Errorf("a diverging Fit: %v does not match ErrDiverged", err)
	}
}

func second[T any](_ T, err error) error { return err }
