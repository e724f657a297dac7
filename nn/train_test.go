package nn

import (
	"errors"
	"math"
	"path/filepath"
	"slices"
	"testing"
)

// Fit on one batch of every row, unshuffled, is exactly one TrainOnBatch:
// the same weights and the same loss and metrics, bit for bit.
func TestTrainOnBatchIsOneStepOfFit(t *testing.T) {
	x, y := titanicLike(40)
	for _, dt := range []DType{Float32, Float64} {
		for _, opt := range []Optimizer{SGD{Momentum: 0.9}, Adam{}, RMSprop{}} {
			a, b := clf(), clf()
			for _, m := range []*Sequential{a, b} {
				m.DType = dt
				if err := m.Compile(opt, CategoricalCrossentropy, Accuracy); err != nil {
					t.Fatal(err)
				}
			}
			h, err := a.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 40, NoShuffle: true})
			if err != nil {
				t.Fatal(err)
			}
			for epoch := range 3 {
				logs, err := b.TrainOnBatch(x, y)
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range logs {
					if h.History[k][epoch] != v {
						t.Errorf("%v %T epoch %d: %s %v from TrainOnBatch, %v from Fit", dt, opt, epoch, k, v, h.History[k][epoch])
					}
				}
			}
			for i := range a.NumLayers() {
				la, _ := a.Layer(i)
				lb, _ := b.Layer(i)
				if !slices.Equal(la.Kernel.RawMatrix().Data, lb.Kernel.RawMatrix().Data) || !slices.Equal(la.Bias, lb.Bias) {
					t.Errorf("%v %T: layer %d's weights differ between Fit and TrainOnBatch", dt, opt, i)
				}
			}
		}
	}
}

func clf() *Sequential {
	return NewSequential(Dense{Units: 8, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
}

func TestTrainOnBatchErrors(t *testing.T) {
	x, y := titanicLike(10)
	_, err := clf().TrainOnBatch(x, y)
	wantErr(t, "not compiled", err, "TrainOnBatch: the model is not compiled")
	m := clf()
	if err := m.Compile(SGD{}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	_, err = m.TrainOnBatch(x, y[:5])
	wantErr(t, "rows", err, "x has 10 rows but y has 5")
	r := NewSequential(Dense{Units: 1, InputDim: 1, Kernel: [][]float64{{3e38}}})
	if err := r.Compile(SGD{}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	_, err = r.TrainOnBatch([]float64{1e10}, []float64{0})
	wantErr(t, "diverged", err, "the loss became +Inf in this batch", "lower the learning rate")
}

// sabotage makes the run go wrong on purpose: after epoch 1 (the second) it
// keeps the weights and makes them worse, after epoch 2 it makes them so
// large that the loss of epoch 3 overflows.
type sabotage struct {
	BaseCallback
	kept [][]float64
}

func (s *sabotage) OnEpochEnd(m *Sequential, epoch int, _ map[string]float64) error {
	switch epoch {
	case 1:
		s.kept = m.eng.getWeights()
		w := m.eng.getWeights()
		for _, t := range w {
			for i := range t {
				t[i] *= 3
			}
		}
		m.eng.setWeights(w)
	case 2:
		w := m.eng.getWeights()
		for _, t := range w {
			for i := range t {
				t[i] = 1e300
			}
		}
		m.eng.setWeights(w)
	}
	return nil
}

// Training that diverges still ends with OnTrainEnd: EarlyStopping restores
// the best epoch's weights, the History says why and where it stopped, and
// the model can be saved.
func TestDivergenceRestoresBestWeights(t *testing.T) {
	x, y := titanicLike(100)
	m := NewSequential(Dense{Units: 4, Activation: Tanh}, Dense{Units: 2})
	m.DType = Float64
	if err := m.Compile(SGD{LearningRate: 0.05}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	s := &sabotage{}
	es := &EarlyStopping{Patience: 10, RestoreBestWeights: true}
	h, err := m.Fit(x, y, FitOptions{Epochs: 10, ValidationSplit: 0.2, Callbacks: []Callback{es, s}})
	if !errors.Is(err, ErrDiverged) {
		t.Fatalf("Fit returned %v, want the divergence", err)
	}
	wantErr(t, "diverged", err, "the loss became +Inf in epoch 4, batch 1 of 3")
	if h.StopReason != StopDiverged || h.StoppedEpoch != 3 || h.BestEpoch != 1 || h.Monitor != "val_loss" || len(h.Epoch) != 3 {
		t.Fatalf("history: %q at epoch %d, best %s epoch %d, %d epochs; want diverged at 3, best val_loss 1, 3 epochs",
			h.StopReason, h.StoppedEpoch, h.Monitor, h.BestEpoch, len(h.Epoch))
	}
	if h.Best != h.History["val_loss"][1] {
		t.Errorf("Best is %v, the val_loss of epoch 1 is %v", h.Best, h.History["val_loss"][1])
	}
	for i, w := range m.eng.getWeights() {
		if !slices.Equal(w, s.kept[i]) {
			t.Fatalf("tensor %d is %v, want the best epoch's %v", i, w, s.kept[i])
		}
	}
	if err := m.Save(filepath.Join(t.TempDir(), "m.json")); err != nil {
		t.Fatalf("Save after restoring: %v", err)
	}
}

// nanVal makes the validation loss NaN after the first epoch by giving the
// weights NaN values, which no training batch sees before the check.
func TestValLossDivergence(t *testing.T) {
	x, y := titanicLike(50)
	m := clf()
	m.DType = Float64
	if err := m.Compile(SGD{}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	cb := &funcCallback{end: func(m *Sequential, epoch int) {
		if epoch == 0 {
			w := m.eng.getWeights()
			w[3][0] = math.Inf(1)
			m.eng.setWeights(w)
		}
	}}
	h, err := m.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 50, ValidationX: x, ValidationY: y, Callbacks: []Callback{cb}})
	wantErr(t, "val_loss", err, "became NaN in epoch 2")
	if h.StopReason != StopDiverged || h.StoppedEpoch != 1 || len(h.Epoch) != 1 {
		t.Errorf("history: %q at %d after %d epochs", h.StopReason, h.StoppedEpoch, len(h.Epoch))
	}
}

type funcCallback struct {
	BaseCallback
	end     func(m *Sequential, epoch int)
	trained bool
}

func (f *funcCallback) OnEpochEnd(m *Sequential, epoch int, _ map[string]float64) error {
	f.end(m, epoch)
	return nil
}

func (f *funcCallback) OnTrainEnd(*Sequential, *History) error {
	f.trained = true
	return nil
}

type failing struct{ BaseCallback }

func (failing) OnEpochEnd(*Sequential, int, map[string]float64) error {
	return errors.New("disk full")
}

func TestCallbackErrors(t *testing.T) {
	x, y := titanicLike(20)
	m := clf()
	if err := m.Compile(SGD{}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	_, err := m.Fit(x, y, FitOptions{Callbacks: []Callback{&EarlyStopping{Monitor: "loss"}, nil}})
	wantErr(t, "nil", err, "Callbacks[1] is nil")
	begun, after := &funcCallback{}, &funcCallback{}
	_, err = m.Fit(x, y, FitOptions{Callbacks: []Callback{begun, &EarlyStopping{Mode: "up"}, after}})
	wantErr(t, "begin", err, `callback 1 (*nn.EarlyStopping): EarlyStopping Mode "up"`)
	if !begun.trained || after.trained {
		t.Errorf("OnTrainEnd of the callback started before the failure: %v, of the one after it: %v", begun.trained, after.trained)
	}
	end := &funcCallback{end: func(*Sequential, int) {}}
	h, err := m.Fit(x, y, FitOptions{Epochs: 3, Callbacks: []Callback{end, failing{}}})
	wantErr(t, "named", err, "callback 1 (nn.failing): disk full")
	if !end.trained || h.StopReason != StopError || h.StoppedEpoch != 0 || len(h.Epoch) != 0 { // the History records after the user's callbacks, as Keras'
		t.Errorf("OnTrainEnd called: %v; history %q at %d after %d epochs", end.trained, h.StopReason, h.StoppedEpoch, len(h.Epoch))
	}
}

// A History records the run: the parameters, the best epoch of the default
// monitor, and "none" as -1 and "".
func TestHistoryRecord(t *testing.T) {
	x, y := titanicLike(100)
	m := clf()
	if err := m.Compile(Adam{LearningRate: 0.01}, CategoricalCrossentropy, Accuracy); err != nil {
		t.Fatal(err)
	}
	h, err := m.Fit(x, y, FitOptions{Epochs: 5, BatchSize: 16, ValidationSplit: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	want := TrainParams{Epochs: 5, Steps: 5, BatchSize: 16, Samples: 70, ValSamples: 30}
	if h.Params != want || h.Stopped() || h.StoppedEpoch != -1 || h.Monitor != "val_loss" {
		t.Errorf("history %+v, stop %q at %d, monitor %q", h.Params, h.StopReason, h.StoppedEpoch, h.Monitor)
	}
	vl := h.History["val_loss"]
	best := 0
	for i, v := range vl {
		if v < vl[best] {
			best = i
		}
	}
	if h.BestEpoch != best || h.Best != vl[best] {
		t.Errorf("best epoch %d (%v), want %d (%v)", h.BestEpoch, h.Best, best, vl[best])
	}
	stopper := &funcCallback{end: func(m *Sequential, epoch int) { m.StopTraining = epoch == 1 }}
	h, err = m.Fit(x, y, FitOptions{Epochs: 5, Callbacks: []Callback{stopper}})
	if err != nil || h.StopReason != StopTraining || h.StoppedEpoch != 1 || h.Monitor != "loss" {
		t.Errorf("stopped by a callback: %v, %q at %d, monitor %q", err, h.StopReason, h.StoppedEpoch, h.Monitor)
	}
}

func TestSetNodeWeightsErrors(t *testing.T) {
	m := NewSequential(Dense{Units: 2}, Dense{Units: 1})
	wantErr(t, "units", m.SetNodeWeights(0, [][]float64{{1, 2}}, nil), "nodes has 1 rows but the layer has 2 units")
	wantErr(t, "ragged", m.SetNodeWeights(0, [][]float64{{1, 2}, {3}}, nil), "node 1 has 1 weights but the layer has 2 inputs")
	wantErr(t, "range", m.SetNodeWeights(2, nil, nil), "numbered 0 to 1")
	if err := m.SetNodeWeights(0, [][]float64{{1, 2, 3}, {4, 5, 6}}, nil); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "inputs after build", m.SetNodeWeights(1, [][]float64{{1}}, nil), "node 0 has 1 weights but the layer has 2 inputs")
	l, _ := m.Layer(0)
	if l.InputDim != 3 || l.Kernel.At(2, 1) != 6 || l.Kernel.At(0, 1) != 4 {
		t.Errorf("kernel %v", l.Kernel.RawMatrix().Data)
	}
}

// ExampleSequential_TrainOnBatch's loop is Fit without shuffling: the same
// losses, bit for bit.
func TestTrainOnBatchLoopIsFit(t *testing.T) {
	x, y := [][]float64{{1}, {2}, {3}, {4}}, []float64{2, 4, 6, 8}
	models := [2]*Sequential{}
	for i := range models {
		models[i] = NewSequential(Dense{Units: 1, InputDim: 1, Kernel: [][]float64{{0}}})
		if err := models[i].Compile(SGD{LearningRate: 0.05}, MeanSquaredError); err != nil {
			t.Fatal(err)
		}
	}
	h, err := models[0].Fit(x, y, FitOptions{Epochs: 3, BatchSize: 2, NoShuffle: true})
	if err != nil {
		t.Fatal(err)
	}
	for epoch := range 3 {
		var loss float64
		for start := 0; start < 4; start += 2 {
			logs, err := models[1].TrainOnBatch(x[start:start+2], y[start:start+2])
			if err != nil {
				t.Fatal(err)
			}
			loss += logs["loss"] * 2
		}
		if got := loss / 4; got != h.History["loss"][epoch] {
			t.Errorf("epoch %d: %v from the loop, %v from Fit", epoch, got, h.History["loss"][epoch])
		}
	}
}
