package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func auc(t *testing.T, y, p []float64) float64 {
	t.Helper()
	v, err := AUC.Compute(y, p)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// AUC against hand-computed cases. With every prediction in a bucket of
// its own (buckets are 1/199 wide) the trapezoids give the exact area: the
// share of (1, 0) pairs the model ranks right, a tie counting half.
func TestAUCFormula(t *testing.T) {
	for _, c := range []struct {
		what string
		y, p []float64
		want float64
	}{
		// pairs: 0.35 > 0.1, 0.35 < 0.4, 0.8 > 0.1, 0.8 > 0.4: 3 of 4
		{"scikit-learn's example", []float64{0, 0, 1, 1}, []float64{0.1, 0.4, 0.35, 0.8}, 0.75},
		{"perfect", []float64{0, 1, 0, 1}, []float64{0.2, 0.7, 0.1, 0.9}, 1},
		// 0 is above the first threshold (-1e-7), 1 below the last (1+1e-7):
		// without the epsilon ends this would be 0.
		{"perfect at 0 and 1", []float64{0, 1}, []float64{0, 1}, 1},
		{"inverted", []float64{1, 1, 0}, []float64{0.1, 0.2, 0.9}, 0},
		{"inverted at 0 and 1", []float64{1, 0}, []float64{0, 1}, 0},
		{"all tied", []float64{0, 1, 1, 0, 1}, []float64{0.5, 0.5, 0.5, 0.5, 0.5}, 0.5},
		// 0.3 against 0.3 is a tie: (0.5 + 1 + 1 + 1) / 4
		{"one tie", []float64{0, 1, 1, 0}, []float64{0.3, 0.3, 0.9, 0.1}, 0.875},
		// 0.501*199 = 99.7 and 0.502*199 = 99.9: the same bucket, a tie for
		// Keras' 200 thresholds; 0.51*199 = 101.5 is two buckets up.
		{"within a bucket", []float64{0, 1}, []float64{0.501, 0.502}, 0.5},
		{"two buckets apart", []float64{0, 1}, []float64{0.501, 0.51}, 1},
		// Keras clips predictions to [0, 1] first.
		{"outside [0, 1]", []float64{0, 1, 0}, []float64{-3, 7, 0.5}, 1},
		// Only 1s: the false-positive rate is 0/0, 0 as Keras' divide_no_nan.
		{"only one class", []float64{1, 1}, []float64{0.2, 0.9}, 0},
	} {
		near(t, c.what, auc(t, c.y, c.p), c.want, 1e-15)
	}
}

// aucByThresholds is the definition, computed the slow way: Keras' 200
// thresholds, each prediction compared with each, then the trapezoids.
func aucByThresholds(y, p []float64) float64 {
	th := []float64{-1e-7}
	for i := 1; i < 199; i++ {
		th = append(th, float64(i)/199)
	}
	th = append(th, 1+1e-7)
	tpr, fpr := make([]float64, len(th)), make([]float64, len(th))
	var pos, neg float64
	for _, v := range y {
		pos += v
		neg += 1 - v
	}
	for i, t := range th {
		for j, v := range p {
			if v > t {
				tpr[i] += y[j] / pos
				fpr[i] += (1 - y[j]) / neg
			}
		}
	}
	var area float64
	for i := range len(th) - 1 {
		area += (fpr[i] - fpr[i+1]) * (tpr[i] + tpr[i+1]) / 2
	}
	return area
}

// aucByPairs is the exact area: the share of (1, 0) pairs ranked right.
func aucByPairs(y, p []float64) float64 {
	var right, pairs float64
	for i := range y {
		for j := range y {
			if y[i] == 1 && y[j] == 0 {
				pairs++
				switch {
				case p[i] > p[j]:
					right++
				case p[i] == p[j]:
					right += 0.5
				}
			}
		}
	}
	return right / pairs
}

// Random predictions: the buckets give what 200 comparisons per prediction
// give; and with every prediction at the centre of a bucket (so that two
// predictions in one bucket are equal) the exact area.
func TestAUCAgainstDefinitions(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	y, p, q := make([]float64, 500), make([]float64, 500), make([]float64, 500)
	for i := range y {
		if r.Float64() < 0.4 {
			y[i] = 1
		}
		p[i] = min(max(r.NormFloat64()*0.25+0.5+0.2*y[i], 0), 1)
		q[i] = (math.Floor(p[i]*199) + 0.5) / 199
	}
	got := auc(t, y, p)
	near(t, "AUC against 200 thresholds", got, aucByThresholds(y, p), 1e-12)
	near(t, "AUC at the buckets' centres against the pairs", auc(t, y, q), aucByPairs(y, q), 1e-12)
	if exact := aucByPairs(y, p); math.Abs(got-exact) > 1e-3 || got < 0.6 {
		t.Errorf("AUC %v, the exact area %v: 200 thresholds should come within 1e-3", got, exact)
	}
}

// The epoch's AUC is that of all its rows together, as Keras' (which sums
// the per-threshold counts over the batches), not the mean of the batches'
// AUCs; and the validation AUC is that of the whole validation set.
func TestAUCOverAnEpoch(t *testing.T) {
	y := []float64{1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0}
	x := make([][]float64, len(y))
	for i := range x {
		x[i] = []float64{float64((i * 7) % 12)}
	}
	m := NewSequential(Dense{Units: 1, InputDim: 1, Activation: Sigmoid, Kernel: [][]float64{{0.3}}, Bias: []float64{-1.5}})
	m.DType = Float64
	if err := m.Compile(SGD{LearningRate: 1e-300}, BinaryCrossentropy, AUC, Precision, Recall); err != nil {
		t.Fatal(err)
	}
	pred, _ := m.Predict(x)
	p := pred.RawMatrix().Data
	whole := auc(t, y, p)
	var mean float64
	for b := 0; b < len(y); b += 4 {
		mean += auc(t, y[b:b+4], p[b:b+4]) / 3
	}
	if math.Abs(whole-mean) < 0.05 {
		t.Fatalf("the test's data do not tell the two apart: whole %v, mean of batches %v", whole, mean)
	}
	h, err := m.Fit(x, y, FitOptions{BatchSize: 4, NoShuffle: true, ValidationX: x, ValidationY: y})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Fit's auc", h.History["auc"][0], whole, 1e-15)
	near(t, "Fit's val_auc", h.History["val_auc"][0], whole, 1e-15)
	ev, _ := m.Evaluate(x, y)
	near(t, "Evaluate's auc", ev["auc"], whole, 1e-15)
	// TrainOnBatch measures its one batch (Keras' reset_metrics=True).
	logs, err := m.TrainOnBatch(x[:4], y[:4])
	if err != nil {
		t.Fatal(err)
	}
	near(t, "TrainOnBatch's auc", logs["auc"], auc(t, y[:4], p[:4]), 1e-15)

	// Class weights weigh the counts, as Keras passes sample_weight to its
	// metrics: weighing the 1s 2 is counting each of them twice.
	h, err = m.Fit(x, y, FitOptions{BatchSize: 4, NoShuffle: true, ClassWeight: map[int]float64{1: 2}})
	if err != nil {
		t.Fatal(err)
	}
	var y2, p2 []float64
	for i, v := range y {
		for range 1 + int(v) {
			y2, p2 = append(y2, v), append(p2, p[i])
		}
	}
	near(t, "auc with ClassWeight {1: 2}", h.History["auc"][0], auc(t, y2, p2), 1e-15)
	prec, _ := Precision.Compute(y2, p2)
	near(t, "precision with ClassWeight {1: 2}", h.History["precision"][0], prec, 1e-15)
}

// Evaluate reads the rows 1,024 at a time: its AUC is still that of all
// the rows together.
func TestAUCEvaluateOverChunks(t *testing.T) {
	xs, ys := titanicLike(2500)
	y := make([]float64, len(ys))
	for i, r := range ys {
		y[i] = r[1]
	}
	m := NewSequential(Dense{Units: 4, Activation: Tanh}, Dense{Units: 1, Activation: Sigmoid})
	m.DType = Float64
	if err := m.Compile(SGD{}, BinaryCrossentropy, AUC); err != nil {
		t.Fatal(err)
	}
	ev, err := m.Evaluate(xs, y)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := m.Predict(xs)
	near(t, "Evaluate's auc over 3 chunks", ev["auc"], auc(t, y, p.RawMatrix().Data), 1e-15)
}

func TestAUCBadInput(t *testing.T) {
	_, err := AUC.Compute([]float64{0, 2}, []float64{0.1, 0.9})
	wantErr(t, "label 2", err, "y row 1 is 2", "auc needs labels 0 or 1")
	_, err = AUC.Compute([]float64{0, 0.5}, []float64{0.1, 0.9})
	wantErr(t, "label 0.5", err, "y row 1 is 0.5")
	_, err = AUC.Compute([][]float64{{1, 0}, {0, 1}}, [][]float64{{0.8, 0.2}, {0.3, 0.7}})
	wantErr(t, "two columns", err, "auc is for a yes/no question", "2 output columns", "Units: 1, Activation: nn.Sigmoid")

	// In Fit: a softmax over 2 classes.
	c := NewSequential(Dense{Units: 2, Activation: Softmax})
	if err := c.Compile(Adam{}, CategoricalCrossentropy, AUC); err != nil {
		t.Fatal(err)
	}
	_, err = c.Fit([][]float64{{1}, {2}}, [][]float64{{1, 0}, {0, 1}}, FitOptions{})
	wantErr(t, "Fit with 2 units", err, "Fit: ", "auc is for a yes/no question", "2 output columns")
	// Regression targets.
	r := NewSequential(Dense{Units: 1})
	if err := r.Compile(Adam{}, MeanSquaredError, "AUC"); err != nil {
		t.Fatalf("Keras' class name AUC: %v", err)
	}
	_, err = r.Evaluate([][]float64{{1}, {2}}, []float64{3.5, 1})
	wantErr(t, "regression", err, "y row 0 is 3.5", "auc needs labels 0 or 1")
}

// Keras' EarlyStopping, ReduceLROnPlateau and ModelCheckpoint maximize
// metrics whose direction is "up" (accuracies, precision, recall, auc) in
// mode "auto".
func TestMonitorDirection(t *testing.T) {
	for _, c := range []struct {
		monitor string
		max     bool
	}{{"val_auc", true}, {"auc", true}, {"val_precision", true}, {"recall", true}, {"val_accuracy", true},
		{"val_loss", false}, {"mae", false}, {"val_mse", false}} {
		if got, _ := maximize("", c.monitor, ""); got != c.max {
			t.Errorf("%s: maximize %v, want %v", c.monitor, got, c.max)
		}
	}
	for _, alias := range []Metric{"AUC", "Precision", "Recall"} { // Keras' class names
		if m, err := alias.canonical(); err != nil || m != Metric(strings.ToLower(string(alias))) {
			t.Errorf("%s: %q, %v", alias, m, err)
		}
	}
	if !slices.Contains(metricNames, AUC) {
		t.Error("AUC is not among the metric names errors list")
	}
}
