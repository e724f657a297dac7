package nn

import (
	"math"
	"path/filepath"
	"slices"
	"testing"
)

// ReduceLROnPlateau follows Keras' counting: cooldown first, then an
// improvement by more than MinDelta, else a bad epoch; a reduction at
// Patience bad epochs, never below MinLR (compared in float32, as Keras
// compares its float32 variable).
func TestReduceLROnPlateauCounting(t *testing.T) {
	m := NewSequential(Dense{Units: 1, InputDim: 1})
	if err := m.Compile(Adam{LearningRate: 0.001}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	r := &ReduceLROnPlateau{Factor: 0.5, Patience: 2, Cooldown: 1, MinLR: 0.0002}
	if err := r.OnTrainBegin(m, TrainParams{ValSamples: 1}); err != nil {
		t.Fatal(err)
	}
	values := []float64{1, .9, .95, .93, .94, .96, .97, .98, .99, 1.0}
	// Worked by hand with Keras 3's on_epoch_end.
	want := []float64{.001, .001, .001, .0005, .0005, .00025, .00025, .0002, .0002, .0002}
	for epoch, v := range values {
		logs := map[string]float64{"val_loss": v}
		if err := r.OnEpochEnd(m, epoch, logs); err != nil {
			t.Fatal(err)
		}
		if got := m.LearningRate(); math.Abs(got-want[epoch]) > 1e-15 {
			t.Errorf("epoch %d: learning rate %v, want %v", epoch, got, want[epoch])
		}
	}
	// Keras' defaults: factor 0.1 after 10 epochs without an improvement of 1e-4.
	d := &ReduceLROnPlateau{Monitor: "loss"}
	if err := m.SetLearningRate(0.01); err != nil {
		t.Fatal(err)
	}
	if err := d.OnTrainBegin(m, TrainParams{}); err != nil {
		t.Fatal(err)
	}
	for epoch := range 11 {
		if err := d.OnEpochEnd(m, epoch, map[string]float64{"loss": 1 - 0.00005*float64(epoch%2)}); err != nil {
			t.Fatal(err)
		}
	}
	if got := m.LearningRate(); math.Abs(got-0.001) > 1e-15 {
		t.Errorf("with the defaults: learning rate %v after 10 epochs of improvements below MinDelta, want 0.001", got)
	}
	for _, c := range []struct {
		r    ReduceLROnPlateau
		want string
	}{
		{ReduceLROnPlateau{Factor: 1}, "Factor is 1"},
		{ReduceLROnPlateau{Mode: "up"}, `Mode "up"`},
		{ReduceLROnPlateau{Cooldown: -1}, "none can be negative"},
	} {
		wantErrText(t, c.want, c.r.OnTrainBegin(m, TrainParams{ValSamples: 1}), c.want)
	}
	wantErrText(t, "no validation", (&ReduceLROnPlateau{}).OnTrainBegin(m, TrainParams{}), "no validation data")
}

// A schedule sets the rate at the start of each epoch, the History records
// it, and training takes it: the same weights as TrainOnBatch with the same
// rates set by hand.
func TestLearningRateScheduler(t *testing.T) {
	x, y := titanicLike(40)
	a, b := clf(), clf()
	for _, m := range []*Sequential{a, b} {
		if err := m.Compile(SGD{Momentum: 0.9}, CategoricalCrossentropy); err != nil {
			t.Fatal(err)
		}
	}
	s := &LearningRateScheduler{Schedule: func(epoch int, lr float64) float64 { return 0.1 / float64(epoch+1) }}
	h, err := a.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 40, NoShuffle: true, Callbacks: []Callback{s}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0.1, 0.05, 0.1 / 3}; !slices.Equal(h.History["learning_rate"], want) {
		t.Errorf("learning_rate %v, want %v", h.History["learning_rate"], want)
	}
	for epoch := range 3 {
		if err := b.SetLearningRate(0.1 / float64(epoch+1)); err != nil {
			t.Fatal(err)
		}
		if _, err := b.TrainOnBatch(x, y); err != nil {
			t.Fatal(err)
		}
	}
	for i, w := range a.eng.getWeights() {
		if !slices.Equal(w, b.eng.getWeights()[i]) {
			t.Fatalf("tensor %d differs between the scheduled Fit and TrainOnBatch", i)
		}
	}
	bad := &LearningRateScheduler{Schedule: func(int, float64) float64 { return math.NaN() }}
	_, err = a.Fit(x, y, FitOptions{Callbacks: []Callback{bad}})
	wantErr(t, "NaN rate", err, "callback 0 (*nn.LearningRateScheduler): LearningRateScheduler: Schedule(0, 0.0333", "returned NaN")
	_, err = a.Fit(x, y, FitOptions{Callbacks: []Callback{&LearningRateScheduler{}}})
	wantErr(t, "no schedule", err, "has no Schedule")
	wantErr(t, "not compiled", clf().SetLearningRate(1), "not compiled")
	wantErr(t, "negative", a.SetLearningRate(-1), "must be a positive number")
}

// SaveBestOnly keeps the best epoch's model in the file: loaded, it gives
// that epoch's val_loss.
func TestModelCheckpoint(t *testing.T) {
	x, y := titanicLike(200)
	m := clf()
	m.DType = Float64
	if err := m.Compile(SGD{LearningRate: 3}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	best := &ModelCheckpoint{Path: filepath.Join(dir, "best.json"), SaveBestOnly: true}
	every := &ModelCheckpoint{Path: filepath.Join(dir, "m-{epoch}.json")}
	padded := &ModelCheckpoint{Path: filepath.Join(dir, "p-{epoch:02d}.json")}
	h, err := m.Fit(x, y, FitOptions{Epochs: 7, ValidationSplit: 0.3, Callbacks: []Callback{best, every, padded}})
	if err != nil {
		t.Fatal(err)
	}
	vl := h.History["val_loss"]
	if h.BestEpoch == len(vl)-1 {
		t.Fatalf("the best epoch is the last (%v): the test needs a run that gets worse", vl)
	}
	saved, err := Load(best.Path)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := saved.Evaluate(x[140:], y[140:])
	if err != nil {
		t.Fatal(err)
	}
	if ev["loss"] != h.Best {
		t.Errorf("the saved model's val_loss is %v, the best epoch's (%d) %v", ev["loss"], h.BestEpoch, h.Best)
	}
	for epoch := 1; epoch <= 7; epoch++ {
		if _, err := Load(filepath.Join(dir, "m-"+string(rune('0'+epoch))+".json")); err != nil {
			t.Errorf("epoch %d's file: %v", epoch, err)
		}
	}
	if _, err := Load(filepath.Join(dir, "p-07.json")); err != nil {
		t.Errorf("{epoch:02d}: %v", err)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(matches) != 15 {
		t.Errorf("the directory holds %d files, want 15 (no temporary file left): %v", len(matches), matches)
	}
	_, err = m.Fit(x, y, FitOptions{Callbacks: []Callback{&ModelCheckpoint{}}})
	wantErr(t, "no path", err, "has no Path")
}
