package nn

import (
	"strings"
	"testing"
)

func wantErr(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want one saying %q", what, parts)
		return
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not say %q", what, err, p)
		}
	}
}

func compiled(t *testing.T, loss Loss, layers ...Dense) *Sequential {
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
