package nn

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// recorder keeps what Fit told the callbacks.
type recorder struct {
	BaseCallback
	params TrainParams
	logs   []map[string]float64
}

func (r *recorder) OnTrainBegin(_ *Sequential, p TrainParams) error { r.params = p; return nil }
func (r *recorder) OnEpochEnd(_ *Sequential, _ int, logs map[string]float64) error {
	r.logs = append(r.logs, logs)
	return nil
}

func titanicLike(rows int) ([][]float64, [][]float64) {
	r := rand.New(rand.NewPCG(3, 4))
	x := randomRows(r, rows, 10)
	y := make([][]float64, rows)
	for i := range y {
		c := 0
		if x[i][0]+0.5*x[i][1] > 0 {
			c = 1
		}
		y[i] = []float64{1 - float64(c), float64(c)}
	}
	return x, y
}

// validation_split keeps floor(n*(1-split)) rows for training and the last
// rows for validation; the sizes are the course's.
func TestValidationSplitSizes(t *testing.T) {
	for _, c := range []struct {
		rows         int
		split        float64
		train, valid int
	}{{891, 0.3, 623, 268}, {891, 0.2, 712, 179}, {891, 0.4, 534, 357}, {2500, 0.3, 1750, 750}} {
		x, y := titanicLike(c.rows)
		m := NewSequential(Dense{Units: 4, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
		if err := m.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
			t.Fatal(err)
		}
		rec := &recorder{}
		if _, err := m.Fit(x, y, FitOptions{ValidationSplit: c.split, Callbacks: []Callback{rec}}); err != nil {
			t.Fatal(err)
		}
		if rec.params.Samples != c.train || rec.params.ValSamples != c.valid {
			t.Errorf("%d rows, split %v: %d train / %d validation, want %d / %d", c.rows, c.split, rec.params.Samples, rec.params.ValSamples, c.train, c.valid)
		}
		// The validation rows are the last ones: evaluating them gives val_loss.
		ev, err := m.Evaluate(x[c.train:], y[c.train:])
		if err != nil {
			t.Fatal(err)
		}
		if got := rec.logs[0]["val_loss"]; got != ev["loss"] || rec.logs[0]["val_accuracy"] != ev["accuracy"] {
			t.Errorf("val_loss %v, val_accuracy %v; evaluating the last %d rows gives %v", got, rec.logs[0]["val_accuracy"], c.valid, ev)
		}
	}
}

// The epoch's training loss is the mean of the per-batch losses weighted by
// batch size, each computed before that batch's update, as Keras reports it.
func TestTrainingLossIsRunningMean(t *testing.T) {
	x, y := titanicLike(10)
	newModel := func() *Sequential {
		m := NewSequential(Dense{Units: 3, Activation: Tanh, InputDim: 10}, Dense{Units: 2, Activation: Softmax})
		m.DType = Float64
		if err := m.Compile(SGD{LearningRate: 0.1}, CategoricalCrossentropy, Accuracy); err != nil {
			t.Fatal(err)
		}
		return m
	}
	ref := newModel()
	var want, acc float64
	for from := 0; from < 10; from += 4 { // batches of 4, 4, 2
		to := min(from+4, 10)
		ev, _ := ref.Evaluate(x[from:to], y[from:to])
		want += ev["loss"] * float64(to-from)
		acc += ev["accuracy"] * float64(to-from)
		if _, err := ref.Fit(x[from:to], y[from:to], FitOptions{BatchSize: 4}); err != nil {
			t.Fatal(err)
		}
	}
	h, err := newModel().Fit(x, y, FitOptions{BatchSize: 4, NoShuffle: true})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "epoch loss", h.History["loss"][0], want/10, 1e-15)
	near(t, "epoch accuracy", h.History["accuracy"][0], acc/10, 1e-15)
}

func TestParamCountsAndSummary(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     int
		units  []int
		params int
	}{
		{"titanic", 10, []int{32, 2}, 418},
		{"wages", 9, []int{50, 32, 1}, 2165},
		{"get_new_model", 10, []int{100, 100, 2}, 11402},
		{"mnist capacity", 784, []int{50, 50, 10}, 42310},
		{"narrow", 10, []int{10, 10, 2}, 242},
	} {
		m := &Sequential{}
		for i, u := range c.units {
			l := Dense{Units: u, Activation: ReLU}
			if i == 0 {
				l.InputDim = c.in
			}
			m.Add(l)
		}
		if got := m.CountParams(); got != c.params {
			t.Errorf("%s: %d params, want %d", c.name, got, c.params)
		}
	}
	m := NewSequential(Dense{Units: 32, Activation: ReLU, InputDim: 10}, Dense{Units: 2, Activation: Softmax})
	want := `Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 dense (Dense)               (None, 32)                352

 dense_1 (Dense)             (None, 2)                 66
=================================================================
Total params: 418
Trainable params: 418
Non-trainable params: 0
_________________________________________________________________
`
	if got := m.Summary(); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
	mz := mazurModel(t)
	if s := mz.Summary(); !strings.Contains(s, "Trainable params: 8\nNon-trainable params: 4") {
		t.Errorf("Mazur's frozen biases are not counted as non-trainable:\n%s", s)
	}
	big := NewSequential(Dense{Units: 128, InputDim: 784}, Dense{Units: 10})
	if s := big.Summary(); !strings.Contains(s, "Total params: 101,770\nTrainable params: 101,770\nNon-trainable params: 0") {
		t.Errorf("totals are written with commas, as in Keras:\n%s", s)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	unbuilt := NewSequential(Dense{Units: 3})
	if s := unbuilt.Summary(); !strings.Contains(s, "0 (unbuilt)") {
		t.Errorf("an unbuilt model's summary:\n%s", s)
	}
}

func TestKerasDefaults(t *testing.T) {
	check := func(o Optimizer, want optimizerConfig) {
		t.Helper()
		c, err := o.config()
		if err != nil || c != want {
			t.Errorf("%T{} = %+v, %v; want %+v", o, c, err, want)
		}
	}
	check(SGD{}, optimizerConfig{Name: "sgd", LearningRate: 0.01})
	check(Adam{}, optimizerConfig{Name: "adam", LearningRate: 0.001, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-7})
	check(RMSprop{}, optimizerConfig{Name: "rmsprop", LearningRate: 0.001, Rho: 0.9, Epsilon: 1e-7})

	// What a model was compiled with, as Keras' model.loss and model.optimizer.
	c := NewSequential(Dense{Units: 1})
	if c.Loss() != "" || c.Optimizer() != nil || c.Metrics() != nil {
		t.Errorf("an uncompiled model reports %q %v %v", c.Loss(), c.Optimizer(), c.Metrics())
	}
	if err := c.Compile(Adam{LearningRate: 0.01}, "mse", "acc"); err != nil {
		t.Fatal(err)
	}
	if c.Loss() != MeanSquaredError || c.Optimizer() != (Adam{0.01, 0.9, 0.999, 1e-7}) || len(c.Metrics()) != 1 || c.Metrics()[0] != Accuracy {
		t.Errorf("compiled with %q %+v %v", c.Loss(), c.Optimizer(), c.Metrics())
	}

	// Fit's defaults: 1 epoch, batches of 32, shuffled.
	x, y := titanicLike(891)
	m := NewSequential(Dense{Units: 32, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
	if err := m.Compile(SGD{}, CategoricalCrossentropy); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	h, err := m.Fit(x, y, FitOptions{Callbacks: []Callback{rec}})
	if err != nil {
		t.Fatal(err)
	}
	if rec.params.Epochs != 1 || rec.params.BatchSize != 32 || rec.params.Steps != 28 || len(h.Epoch) != 1 {
		t.Errorf("defaults: %+v, %d epochs", rec.params, len(h.Epoch))
	}

	// Dense's defaults: glorot_uniform kernel within its limit, zero biases.
	m = NewSequential(Dense{Units: 32, InputDim: 10})
	l, err := m.Layer(0)
	if err != nil {
		t.Fatal(err)
	}
	limit := math.Sqrt(6.0 / 42)
	var maxAbs float64
	for _, v := range l.Kernel.RawMatrix().Data {
		maxAbs = max(maxAbs, math.Abs(v))
	}
	if maxAbs > limit || maxAbs < 0.9*limit {
		t.Errorf("glorot_uniform kernel max |w| = %v, want just under %v", maxAbs, limit)
	}
	for _, b := range l.Bias {
		if b != 0 {
			t.Fatalf("bias %v, want zeros", l.Bias)
		}
	}
	if l.Activation != Linear || l.Name != "dense" {
		t.Errorf("default activation %q, name %q", l.Activation, l.Name)
	}
}

// One Adam step follows Keras 3's formula.
func TestAdamStep(t *testing.T) {
	m := NewSequential(Dense{Units: 1, InputDim: 1, Kernel: [][]float64{{0.5}}, Bias: []float64{0}, FreezeBias: true})
	m.DType = Float64
	if err := m.Compile(Adam{LearningRate: 0.1}, MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	w := 0.5
	mom, v := 0.0, 0.0
	for step := 1; step <= 3; step++ {
		if _, err := m.Fit([]float64{2}, []float64{3}, FitOptions{}); err != nil {
			t.Fatal(err)
		}
		g := 2 * (w*2 - 3) * 2 // d/dw (2w - 3)^2
		mom += (g - mom) * (1 - 0.9)
		v += (g*g - v) * (1 - 0.999)
		alpha := 0.1 * math.Sqrt(1-math.Pow(0.999, float64(step))) / (1 - math.Pow(0.9, float64(step)))
		w -= alpha * mom / (math.Sqrt(v) + 1e-7)
		l, _ := m.Layer(0)
		near(t, "w after step", l.Kernel.At(0, 0), w, 1e-15)
	}
}

// SGD with momentum and Nesterov, and RMSprop, against Keras 3's formulas.
func TestMomentumAndRMSprop(t *testing.T) {
	for _, c := range []struct {
		opt  Optimizer
		step func(w, g float64, s []float64) float64
	}{
		{SGD{LearningRate: 0.1, Momentum: 0.9}, func(w, g float64, s []float64) float64 { s[0] = 0.9*s[0] - 0.1*g; return w + s[0] }},
		{SGD{LearningRate: 0.1, Momentum: 0.9, Nesterov: true}, func(w, g float64, s []float64) float64 {
			s[0] = 0.9*s[0] - 0.1*g
			return w + 0.9*s[0] - 0.1*g
		}},
		{RMSprop{LearningRate: 0.01}, func(w, g float64, s []float64) float64 {
			s[0] = 0.9*s[0] + 0.1*g*g
			return w - 0.01*g/math.Sqrt(s[0]+1e-7)
		}},
	} {
		m := NewSequential(Dense{Units: 1, InputDim: 1, Kernel: [][]float64{{0.5}}, Bias: []float64{0}, FreezeBias: true})
		m.DType = Float64
		if err := m.Compile(c.opt, MeanSquaredError); err != nil {
			t.Fatal(err)
		}
		w, s := 0.5, make([]float64, 1)
		for range 3 {
			if _, err := m.Fit([]float64{2}, []float64{3}, FitOptions{}); err != nil {
				t.Fatal(err)
			}
			w = c.step(w, 2*(w*2-3)*2, s)
		}
		l, _ := m.Layer(0)
		near(t, "w", l.Kernel.At(0, 0), w, 1e-15)
	}
}

// runES feeds EarlyStopping a sequence of monitored values and returns at
// which epoch training would stop (-1: never) and its best epoch.
func runES(t *testing.T, es *EarlyStopping, values []float64) (int, int) {
	t.Helper()
	m := NewSequential(Dense{Units: 1, InputDim: 1})
	if err := m.Build(0); err != nil {
		t.Fatal(err)
	}
	if err := es.OnTrainBegin(m, TrainParams{ValSamples: 1}); err != nil {
		t.Fatal(err)
	}
	for epoch, v := range values {
		if err := es.OnEpochEnd(m, epoch, map[string]float64{"val_loss": v, "val_accuracy": v}); err != nil {
			t.Fatal(err)
		}
		if m.StopTraining {
			return epoch, bestEpoch(t, m, es)
		}
	}
	return -1, bestEpoch(t, m, es)
}

// bestEpoch is the best epoch EarlyStopping writes into the History.
func bestEpoch(t *testing.T, m *Sequential, es *EarlyStopping) int {
	t.Helper()
	h := newHistory(TrainParams{})
	if err := es.OnTrainEnd(m, h); err != nil {
		t.Fatal(err)
	}
	return h.BestEpoch
}

// EarlyStopping counts like Keras: wait grows every epoch, resets on an
// improvement larger than MinDelta, and stops when it reaches Patience.
func TestEarlyStoppingCounting(t *testing.T) {
	for _, c := range []struct {
		name      string
		es        EarlyStopping
		values    []float64
		stop      int
		bestEpoch int
	}{
		{"patience 2", EarlyStopping{Patience: 2}, []float64{1, .9, .95, .93, .8}, 3, 1},
		{"improves in time", EarlyStopping{Patience: 2}, []float64{1, .9, .95, .85, .86, .87}, 5, 3},
		{"patience 0 stops at the first non-improvement", EarlyStopping{}, []float64{1, .9, .91}, 2, 1},
		{"patience 0 never stops at epoch 0", EarlyStopping{}, []float64{1}, -1, 0},
		{"min_delta", EarlyStopping{Patience: 1, MinDelta: 0.05}, []float64{1, .97, .9}, 1, 0},
		{"equal is no improvement", EarlyStopping{Patience: 1}, []float64{1, 1}, 1, 0},
		{"accuracy is maximized", EarlyStopping{Monitor: "val_accuracy", Patience: 1}, []float64{.5, .6, .55}, 2, 1},
		{"mode min on accuracy", EarlyStopping{Monitor: "val_accuracy", Mode: "min", Patience: 1}, []float64{.5, .6}, 1, 0},
	} {
		es := c.es
		stop, best := runES(t, &es, c.values)
		if stop != c.stop || best != c.bestEpoch {
			t.Errorf("%s: stopped at %d with best epoch %d, want %d and %d", c.name, stop, best, c.stop, c.bestEpoch)
		}
	}
}

// In a real Fit: the History records the stop, and RestoreBestWeights brings
// back the best epoch's weights.
func TestEarlyStoppingInFit(t *testing.T) {
	x, y := titanicLike(300)
	for _, restore := range []bool{false, true} {
		m := NewSequential(Dense{Units: 16, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
		m.DType = Float64
		// A learning rate this large makes the validation loss jump around.
		if err := m.Compile(SGD{LearningRate: 3}, CategoricalCrossentropy, Accuracy); err != nil {
			t.Fatal(err)
		}
		es := &EarlyStopping{Patience: 1, RestoreBestWeights: restore}
		h, err := m.Fit(x, y, FitOptions{Epochs: 50, ValidationSplit: 0.3, Callbacks: []Callback{es}})
		if err != nil {
			t.Fatal(err)
		}
		if !h.Stopped() || h.StopReason != StopEarlyStopping || h.StoppedEpoch != len(h.Epoch)-1 || h.Monitor != "val_loss" {
			t.Fatalf("history: stopped %q at %d after %d epochs, monitor %q", h.StopReason, h.StoppedEpoch, len(h.Epoch), h.Monitor)
		}
		vl := h.History["val_loss"]
		best := 0
		for i, v := range vl {
			if v < vl[best] {
				best = i
			}
		}
		if h.BestEpoch != best {
			t.Errorf("best epoch %d, want %d (val_loss %v)", h.BestEpoch, best, vl)
		}
		ev, _ := m.Evaluate(x[210:], y[210:])
		want := vl[len(vl)-1]
		if restore {
			want = vl[best]
		}
		if ev["loss"] != want {
			t.Errorf("restore=%v: the model's val_loss is %v, want %v (history %v)", restore, ev["loss"], want, vl)
		}
	}
}

func TestProgressLines(t *testing.T) {
	x, y := titanicLike(100)
	m := NewSequential(Dense{Units: 4, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
	if err := m.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
		t.Fatal(err)
	}
	for verbose, bar := range map[int]string{1: "4/4 ━━━━━━━━━━━━━━━━━━━━ ", 2: "4/4 - "} {
		var b bytes.Buffer
		if _, err := m.Fit(x, y, FitOptions{Epochs: 2, Verbose: verbose, Output: &b, ValidationSplit: 0.2}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		if lines[0] != "Train on 80 samples, validate on 20 samples" {
			t.Errorf("verbose %d: first line %q", verbose, lines[0])
		}
		lines = lines[1:]
		if len(lines) != 4 || lines[0] != "Epoch 1/2" || lines[2] != "Epoch 2/2" || !strings.HasPrefix(lines[1], "3/3") && !strings.HasPrefix(lines[1], bar[:3]) {
			t.Fatalf("verbose %d:\n%s", verbose, b.String())
		}
		for _, want := range []string{"/step - accuracy: ", " - loss: ", " - val_accuracy: ", " - val_loss: "} {
			if !strings.Contains(lines[3], want) {
				t.Errorf("verbose %d: %q lacks %q", verbose, lines[3], want)
			}
		}
	}
	var b bytes.Buffer
	if _, err := m.Fit(x, y, FitOptions{Output: &b}); err != nil || b.Len() != 0 {
		t.Errorf("verbose 0 printed %q", b.String())
	}
}

func TestToCategorical(t *testing.T) {
	y, err := ToCategorical([]int{0, 2, 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := y.Dims(); r != 3 || c != 3 || y.At(1, 2) != 1 || y.At(1, 0) != 0 || y.At(2, 1) != 1 {
		t.Errorf("ToCategorical = %v", y)
	}
	y, _ = ToCategorical([]float64{1, 0}, 4)
	if _, c := y.Dims(); c != 4 {
		t.Errorf("numClasses 4 gave %d columns", c)
	}
}
