//go:build parity

package parity

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/nn"
	"gonum.org/v1/gonum/mat"
)

// A case's spec, written as NAME.spec.json for keras_cases.py. The optimizer
// settings are written out in full (Keras' defaults included), so both sides
// read the same numbers.
type spec struct {
	Kind            string       `json:"kind,omitempty"`
	Seed            int          `json:"seed"`
	X               string       `json:"x,omitempty"`
	Y               string       `json:"y,omitempty"`
	Rows            int          `json:"rows,omitempty"`
	Cols            int          `json:"cols,omitempty"`
	YCols           int          `json:"ycols,omitempty"`
	Sparse          bool         `json:"sparse,omitempty"`
	FromLogits      bool         `json:"from_logits,omitempty"`
	Layers          []layerSpec  `json:"layers,omitempty"`
	Optimizer       optSpec      `json:"optimizer"`
	Loss            string       `json:"loss,omitempty"`
	Metrics         []string     `json:"metrics,omitempty"`
	Epochs          int          `json:"epochs,omitempty"`
	BatchSize       int          `json:"batch_size,omitempty"`
	ValidationSplit float64      `json:"validation_split,omitempty"`
	EarlyStopping   *earlyStopSp `json:"early_stopping,omitempty"`
	Initializer     string       `json:"initializer,omitempty"`
	FanIn           int          `json:"fan_in,omitempty"`
	FanOut          int          `json:"fan_out,omitempty"`
	// L2 is a kernel_regularizer L2(L2) on every Dense layer; Dropout a
	// Dropout(Dropout) after every hidden one. Draws (kind "dropout") is how
	// many training-mode losses Keras computes on the whole data.
	L2      float64 `json:"l2,omitempty"`
	Dropout float64 `json:"dropout,omitempty"`
	Draws   int     `json:"draws,omitempty"`
	// Normalize puts a Normalization layer first, adapted to x.
	Normalize bool `json:"normalize,omitempty"`
	// Pairs (kind "metrics") are labels and predictions that Keras' AUC,
	// Precision and Recall measure on their own (metrics_test.go).
	Pairs []metricPair `json:"pairs,omitempty"`
}

type layerSpec struct {
	Units      int    `json:"units"`
	Activation string `json:"activation"`
}

type optSpec struct {
	Name         string  `json:"name,omitempty"`
	LearningRate float64 `json:"learning_rate,omitempty"`
	Momentum     float64 `json:"momentum,omitempty"`
	Nesterov     bool    `json:"nesterov,omitempty"`
	Beta1        float64 `json:"beta_1,omitempty"`
	Beta2        float64 `json:"beta_2,omitempty"`
	Epsilon      float64 `json:"epsilon,omitempty"`
	Rho          float64 `json:"rho,omitempty"`
}

type earlyStopSp struct {
	Monitor            string `json:"monitor"`
	Patience           int    `json:"patience"`
	RestoreBestWeights bool   `json:"restore_best_weights"`
}

func sgd(lr, momentum float64, nesterov bool) optSpec {
	return optSpec{Name: "sgd", LearningRate: lr, Momentum: momentum, Nesterov: nesterov}
}

// adam and rmsprop are Keras' defaults.
var (
	adam    = optSpec{Name: "adam", LearningRate: 0.001, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-7}
	rmsprop = optSpec{Name: "rmsprop", LearningRate: 0.001, Rho: 0.9, Epsilon: 1e-7}
)

func (o optSpec) nn() nn.Optimizer {
	switch o.Name {
	case "sgd":
		return nn.SGD{LearningRate: o.LearningRate, Momentum: o.Momentum, Nesterov: o.Nesterov}
	case "adam":
		return nn.Adam{LearningRate: o.LearningRate, Beta1: o.Beta1, Beta2: o.Beta2, Epsilon: o.Epsilon}
	case "rmsprop":
		return nn.RMSprop{LearningRate: o.LearningRate, Rho: o.Rho, Momentum: o.Momentum, Epsilon: o.Epsilon}
	}
	panic("parity: unknown optimizer " + o.Name) // a typo in this file, not input
}

// A case: a model, its data and how close nn must come to Keras.
type kcase struct {
	name  string
	large bool // only with DLNB_PARITY_LARGE=1 (make test-parity-large)
	spec  spec
	x, y  *mat.Dense
	// tol bounds |nn - keras| / max(1, |keras|) for every loss (per epoch,
	// training and validation), final weight and prediction; accTol bounds
	// the absolute difference of accuracies, precisions and recalls (shares
	// of counted rows); aucTol that of the AUCs.
	tol, accTol, aucTol float64
	why                 string // why the tolerance is what it is
	// clipped runs Keras with its JAX backend's cross-entropy of
	// probabilities clipped to [1e-7, 1-1e-7], which nn does not do (it
	// computes from the logits, as Keras' TensorFlow backend): the case is
	// reported as a known difference, not checked.
	clipped bool
	// probabilities runs Keras as a student writes it, the output's own
	// activation and the loss and metrics by their names (no from_logits):
	// Keras-JAX then computes the cross-entropy of clipped probabilities,
	// which is nn's arithmetic as long as no probability comes near 1e-7 of
	// 0 or 1 (normalized inputs keep them away).
	probabilities bool
}

// Keras' results, as keras_cases.py writes them.
type kerasResult struct {
	Keras        string           `json:"keras"`
	Backend      string           `json:"backend"`
	Initial      []layerWeights   `json:"initial"`
	History      map[string][]num `json:"history"`
	StoppedEpoch *int             `json:"stopped_epoch"`
	BestEpoch    *int             `json:"best_epoch"`
	Final        []layerWeights   `json:"final"`
	Predictions  [][]num          `json:"predictions"`
	// kind "dropout": Keras' evaluate() loss, and its training-mode losses
	Evaluate    float64   `json:"evaluate"`
	TrainLosses []float64 `json:"train_losses"`
	// initializer statistics
	Min, Max, Mean, Std float64
	// kind "metrics": each metric's value on each pair
	Values map[string][]float64 `json:"values"`
}

// num reads a JSON number or keras_cases.py's "NaN", "+Inf", "-Inf".
type num float64

func (n *num) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`:
		*n = num(math.NaN())
	case `"+Inf"`:
		*n = num(math.Inf(1))
	case `"-Inf"`:
		*n = num(math.Inf(-1))
	default:
		var f float64
		if err := json.Unmarshal(b, &f); err != nil {
			return err
		}
		*n = num(f)
	}
	return nil
}

// layerWeights reads Keras' [kernel, bias] pair.
type layerWeights struct {
	Kernel [][]float64
	Bias   []float64
}

func (l *layerWeights) UnmarshalJSON(b []byte) error {
	var pair [2]json.RawMessage
	if err := json.Unmarshal(b, &pair); err != nil {
		return err
	}
	var k [][]num
	var bias []num
	if err := json.Unmarshal(pair[0], &k); err != nil {
		return err
	}
	if err := json.Unmarshal(pair[1], &bias); err != nil {
		return err
	}
	l.Kernel = make([][]float64, len(k))
	for i, r := range k {
		l.Kernel[i] = floats(r)
	}
	l.Bias = floats(bias)
	return nil
}

func floats(v []num) []float64 {
	f := make([]float64, len(v))
	for i, x := range v {
		f[i] = float64(x)
	}
	return f
}

// diff is |a - b| / max(1, |b|), b being Keras' value: relative for big
// numbers, absolute for small ones. NaN against NaN, or an infinity against
// the same infinity, is 0; NaN or an infinity against anything else is +Inf.
func diff(a, b float64) float64 {
	switch {
	case math.IsNaN(a) && math.IsNaN(b), math.IsInf(a, 1) && math.IsInf(b, 1), math.IsInf(a, -1) && math.IsInf(b, -1):
		return 0
	case math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0):
		return math.Inf(1)
	}
	return math.Abs(a-b) / math.Max(1, math.Abs(b))
}

func oneHot(t *testing.T, d *datasets.Dataset) *mat.Dense {
	t.Helper()
	y, err := d.YOneHot()
	if err != nil {
		t.Fatal(err)
	}
	return y
}

// cases returns the suite. The data are the course's (datasets embeds them).
func cases(t *testing.T) []kcase {
	wages := datasets.HourlyWages()
	titanic := datasets.Titanic()
	tY := oneHot(t, titanic)
	model := func(units ...int) []layerSpec {
		var l []layerSpec
		for _, u := range units[:len(units)-1] {
			l = append(l, layerSpec{u, "relu"})
		}
		return append(l, layerSpec{units[len(units)-1], "softmax"})
	}
	titanicFit := func(name string, opt optSpec, layers []layerSpec, metrics ...string) kcase {
		return kcase{name: name, x: titanic.X, y: tY, tol: 1e-4, accTol: 0.0025,
			why:  "10 epochs of float32 on unscaled inputs (fare up to 512)",
			spec: spec{Layers: layers, Optimizer: opt, Loss: "categorical_crossentropy", Metrics: metrics, Epochs: 10}}
	}
	cs := []kcase{
		{name: "wages 50-32-1 adam mse", x: wages.X, y: wages.Y, tol: 1e-4,
			why:  "10 epochs, float32 MSE of targets up to 44",
			spec: spec{Layers: []layerSpec{{50, "relu"}, {32, "relu"}, {1, "linear"}}, Optimizer: adam, Loss: "mean_squared_error", Epochs: 10}},
		titanicFit("titanic 32-2 sgd cce", sgd(0.01, 0, false), model(32, 2), "accuracy"),
		titanicFit("titanic 32-2 rmsprop", rmsprop, model(32, 2), "accuracy"),
		titanicFit("titanic 32-2 rmsprop momentum 0.9", optSpec{Name: "rmsprop", LearningRate: 0.001, Rho: 0.9, Momentum: 0.9, Epsilon: 1e-7}, model(32, 2), "accuracy"),
		titanicFit("titanic 32-2 sgd momentum 0.9", sgd(0.01, 0.9, false), model(32, 2), "accuracy"),
		titanicFit("titanic 32-2 sgd nesterov 0.9", sgd(0.01, 0.9, true), model(32, 2), "accuracy"),
		titanicFit("titanic 32-2 adam", adam, model(32, 2), "accuracy"),
		l2Case(titanicFit("titanic 32-2 sgd cce l2 0.01", sgd(0.01, 0, false), model(32, 2), "accuracy")),
		{name: "wages normalization 50-32-1 adam mse", x: wages.X, y: wages.Y, tol: 1e-4,
			why:  "as wages; Keras adapts in float32, nn in float64",
			spec: spec{Layers: []layerSpec{{50, "relu"}, {32, "relu"}, {1, "linear"}}, Optimizer: adam, Loss: "mean_squared_error", Epochs: 10, Normalize: true}},
		{name: "wages 50-32-1 dropout 0.5 mse", x: wages.X, y: wages.Y, tol: 1e-5,
			why: "one float32 forward pass (predict, evaluate); the training losses' mean and standard deviation within 4 standard errors",
			spec: spec{Kind: "dropout", Layers: []layerSpec{{50, "relu"}, {32, "relu"}, {1, "linear"}}, Optimizer: sgd(0.01, 0, false),
				Loss: "mean_squared_error", Dropout: 0.5, Draws: 1000}},
		{name: "titanic 32-1 sigmoid bce", x: titanic.X, y: titanic.Y, tol: 1e-4, accTol: 0.0025,
			why:  "as titanic 32-2",
			spec: spec{Layers: []layerSpec{{32, "relu"}, {1, "sigmoid"}}, Optimizer: sgd(0.01, 0, false), Loss: "binary_crossentropy", Metrics: []string{"accuracy"}, Epochs: 10}},
		// Keras' stateful metrics: the per-threshold counts of AUC (and
		// Precision's and Recall's) summed over an epoch's batches, and over
		// the whole validation set.
		{name: "titanic normalization 32-1 sigmoid auc precision recall", x: titanic.X, y: titanic.Y, tol: 1e-4, accTol: 0.0025, aucTol: 1e-4,
			probabilities: true,
			why:           "as titanic 32-1; the AUC's buckets are 1/199 wide, so a prediction 1e-6 apart can change bucket",
			spec: spec{Layers: []layerSpec{{32, "relu"}, {1, "sigmoid"}}, Optimizer: adam, Loss: "binary_crossentropy",
				Metrics: []string{"accuracy", "auc", "precision", "recall"}, Epochs: 10, ValidationSplit: 0.3, Normalize: true}},
		{name: "titanic 32-2 sparse cce", x: titanic.X, y: titanic.Y, tol: 1e-4, accTol: 0.0025,
			why:  "as titanic 32-2",
			spec: spec{Layers: model(32, 2), Optimizer: adam, Loss: "sparse_categorical_crossentropy", Metrics: []string{"accuracy"}, Epochs: 10, Sparse: true}},
	}
	// Lesson 6: get_new_model() (100-100-2) with SGD at three learning rates.
	for _, lr := range []float64{1e-6, 0.01, 1} {
		c := titanicFit(fmt.Sprintf("lesson 6 100-100-2 sgd lr %g", lr), sgd(lr, 0, false), model(100, 100, 2))
		switch lr {
		case 1:
			c.tol = 1e-3
			c.why = "the first steps at rate 1 multiply the weights' float32 rounding by the huge gradients"
		case 0.01:
			// Measured: in step 143 (epoch 6) a hidden ReLU unit's input is
			// 8.5e-7 for one passenger, as small as the two sides' float32
			// differences in its sum, so one side's unit fires and the
			// other's does not, and the runs part (Keras in float64 agrees
			// with Keras in float32, nn's with nn's: each side is stable, the
			// kink is where they meet). Five epochs agree to 1e-7; ten to 2.7e-2
			// with the portable kernels (DLNB_KERNELS=generic), to 1.8e-7 with
			// the AVX2 and AVX-512 ones, whose sums round that input differently
			// (measured on an AMD Zen 4).
			short := c
			short.name += " 5 epochs"
			short.spec.Epochs = 5
			cs = append(cs, short)
			c.tol = 5e-2
			c.why = "a ReLU unit's input crosses 0 at 8.5e-7 in epoch 6: the runs part there with the portable kernels"
		}
		cs = append(cs, c)
		c.name += " (Keras-JAX clipped probabilities)"
		c.clipped, c.large = true, true
		cs = append(cs, c)
	}
	// Lesson 7: validation_split 0.3 and EarlyStopping(patience=2) on 100-100-2 with adam.
	for _, restore := range []bool{false, true} {
		c := titanicFit(fmt.Sprintf("lesson 7 100-100-2 early stopping restore=%v", restore), adam, model(100, 100, 2), "accuracy")
		c.spec.Epochs, c.spec.ValidationSplit = 30, 0.3
		c.spec.EarlyStopping = &earlyStopSp{Monitor: "val_loss", Patience: 2, RestoreBestWeights: restore}
		c.why = "up to 30 epochs of float32 on unscaled inputs"
		cs = append(cs, c)
	}
	// Lesson 8: the shallow and the deep model, adam, validation_split 0.4 and
	// EarlyStopping(patience=2), as the course; from five of Keras' seeds (CI
	// runs the first), to tell the arithmetic from the statistics of the
	// starting weights (issue 12's open question on the deep model's val_loss).
	for _, hidden := range [][]int{{50}, {50, 50, 50}} {
		for seed := 1; seed <= 5; seed++ {
			units := append(append([]int(nil), hidden...), 2)
			c := titanicFit(fmt.Sprintf("lesson 8 %s early stopping seed %d", strings.Trim(strings.ReplaceAll(fmt.Sprint(units), " ", "-"), "[]"), seed),
				adam, model(units...), "accuracy")
			c.spec.Epochs, c.spec.ValidationSplit, c.spec.Seed = 15, 0.4, seed
			c.spec.EarlyStopping = &earlyStopSp{Monitor: "val_loss", Patience: 2}
			c.large = seed > 1
			c.why = "up to 15 epochs of float32 on unscaled inputs"
			// Measured: seeds 1-4 agree to 2e-6 on both models. Seed 5 parts:
			// the shallow model's weights by 2e-4 after 15 epochs, the deep
			// model's runs from epoch 3 (loss 1e-4 apart, 1e-2 by epoch 8),
			// with nn in float32 and float64 agreeing to 2e-6, as lesson 6 at
			// rate 0.01; both still stop after 11 epochs, at best val_loss
			// 0.5880 (nn) and 0.5891 (Keras).
			if seed == 5 && len(hidden) == 1 {
				c.tol, c.why = 1e-3, "15 epochs: one weight's float32 difference grows to 2e-4"
			}
			if seed == 5 && len(hidden) == 3 {
				c.tol, c.accTol, c.why = 0.1, 0.02, "the runs part from epoch 3 (measured 9e-2 by the end), as lesson 6 at rate 0.01"
			}
			cs = append(cs, c)
		}
	}
	// Lesson 9: MNIST, 2,500 images (10,000 in the large suite), 50-50-10 adam, validation_split 0.3.
	for _, n := range []int{datasets.MNISTCourseSize, 10000} {
		d, err := datasets.MNISTSubset(n)
		if err != nil {
			t.Fatalf("MNIST: %v", err)
		}
		cs = append(cs, kcase{name: fmt.Sprintf("lesson 9 mnist %d 50-50-10 adam", n), large: n > datasets.MNISTCourseSize,
			x: d.X, y: oneHot(t, d), tol: 1e-4, accTol: 0.002,
			why:  "10 epochs of 784-input float32 dot products",
			spec: spec{Layers: model(50, 50, 10), Optimizer: adam, Loss: "categorical_crossentropy", Metrics: []string{"accuracy"}, Epochs: 10, ValidationSplit: 0.3}})
	}
	// Longer runs, where float32 differences have time to grow.
	cs = append(cs, kcase{name: "wages 50-32-1 adam mse 100 epochs", large: true, x: wages.X, y: wages.Y, tol: 1e-3,
		why:  "100 epochs: float32 differences accumulate",
		spec: spec{Layers: []layerSpec{{50, "relu"}, {32, "relu"}, {1, "linear"}}, Optimizer: adam, Loss: "mean_squared_error", Epochs: 100}})
	return cs
}

// l2Case puts L2(0.01) on every kernel of c.
func l2Case(c kcase) kcase {
	c.spec.L2 = 0.01
	c.why += ", with the penalty in every loss"
	return c
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// meanSD returns the mean of v, its standard deviation, and the standard
// errors of both: sd/sqrt(n), and for the standard deviation
// sqrt((m4 - sd⁴)/n) / (2 sd), m4 the fourth central moment (the delta
// method, which holds whatever the distribution).
func meanSD(v []float64) (mean, sd, seMean, seSD float64) {
	n := float64(len(v))
	for _, x := range v {
		mean += x
	}
	mean /= n
	var m2, m4 float64
	for _, x := range v {
		d := (x - mean) * (x - mean)
		m2, m4 = m2+d, m4+d*d
	}
	m2, m4 = m2/n, m4/n
	sd = math.Sqrt(m2)
	return mean, sd, sd / math.Sqrt(n), math.Sqrt((m4-m2*m2)/n) / (2 * sd)
}

// compareDropout checks a model with Dropout layers against Keras: Predict
// and Evaluate (where Dropout passes everything through) to c.tol, and the
// training-mode loss, which depends on the random masks, by its
// distribution: Keras' and nn's masks come from different generators, so
// the same batch gives other numbers on each side, but over Draws masks the
// mean and the standard deviation of the loss must agree within 4 standard
// errors of their difference. A wrong rate or a missing 1/(1-rate) scaling
// moves the mean by dozens of standard errors (measured: see the report
// line).
func compareDropout(t *testing.T, c kcase, k *kerasResult) {
	m := nnModel(c, k, true) // frozen: TrainOnBatch measures the training loss and changes nothing
	if err := m.Compile(c.spec.Optimizer.nn(), nn.Loss(c.spec.Loss)); err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	p, err := m.Predict(c.x)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range k.Predictions {
		for j, v := range row {
			worst = math.Max(worst, diff(p.At(i, j), float64(v)))
		}
	}
	ev, err := m.Evaluate(c.x, c.y)
	if err != nil {
		t.Fatal(err)
	}
	worst = math.Max(worst, diff(ev["loss"], k.Evaluate))
	if worst > c.tol {
		t.Errorf("Predict and Evaluate with Dropout differ from Keras' by %.3g > %.0e", worst, c.tol)
	}
	var losses []float64
	for range len(k.TrainLosses) {
		logs, err := m.TrainOnBatch(c.x, c.y)
		if err != nil {
			t.Fatal(err)
		}
		losses = append(losses, logs["loss"])
	}
	nm, ns, nsem, nses := meanSD(losses)
	km, ks, ksem, kses := meanSD(k.TrainLosses)
	zMean := math.Abs(nm-km) / math.Hypot(nsem, ksem)
	zSD := math.Abs(ns-ks) / math.Hypot(nses, kses)
	if zMean > 4 || zSD > 4 {
		t.Errorf("training losses over %d masks: nn mean %.5g sd %.4g, Keras mean %.5g sd %.4g: %.1f and %.1f standard errors apart, more than 4",
			len(losses), nm, ns, km, ks, zMean, zSD)
	}
	status := "ok"
	if t.Failed() {
		status = "FAIL"
	}
	report = append(report, fmt.Sprintf("%-4s %-46s predict/evaluate max diff %.1e tolerance %.0e; training loss over %d masks: mean nn %.4g Keras %.4g (%.1f SE), sd nn %.4g Keras %.4g (%.1f SE), tolerance 4 SE",
		status, c.name, worst, c.tol, len(losses), nm, km, zMean, ns, ks, zSD))
}

// An initializer case: statistics of a fanIn x fanOut draw.
type initCase struct {
	name          string
	fanIn, fanOut int
}

var initCases = []initCase{
	{"glorot_uniform", 300, 200}, {"glorot_normal", 300, 200},
	{"he_uniform", 300, 200}, {"he_normal", 300, 200},
	{"lecun_uniform", 300, 200}, {"lecun_normal", 300, 200},
}

func fileName(name string) string {
	return strings.NewReplacer(" ", "_", "=", "-", "/", "-").Replace(name)
}

func writeMatrix(path string, m *mat.Dense) error {
	r, c := m.Dims()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	var b [8]byte
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(m.At(i, j)))
			w.Write(b[:])
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// python returns the parity environment's interpreter, making the
// environment first if needed (scripts/setup-parity.sh: cached, seconds when
// it exists). DLNB_PARITY_PYTHON overrides it.
func python(t *testing.T) string {
	if p := os.Getenv("DLNB_PARITY_PYTHON"); p != "" {
		return p
	}
	out, err := exec.Command("bash", "../scripts/setup-parity.sh").Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg += ": " + string(ee.Stderr)
		}
		t.Fatalf("cannot make the Keras environment with scripts/setup-parity.sh: %s", msg)
	}
	return strings.TrimSpace(string(out))
}

var report []string

func TestMain(m *testing.M) {
	code := m.Run()
	if len(report) > 0 {
		text := "parity: nn against Keras 3 (diff = |nn - keras| / max(1, |keras|); accuracies absolute)\n" + strings.Join(report, "\n") + "\n"
		fmt.Print("\n" + text)
		// scripts/test-parity.sh prints it whether the tests pass or not
		// (go test shows a passing package's output only with -v).
		if path := os.Getenv("DLNB_PARITY_REPORT"); path != "" {
			if err := os.WriteFile(path+".tmp", []byte(text), 0o644); err == nil {
				os.Rename(path+".tmp", path)
			}
		}
	}
	os.Exit(code)
}

func TestKeras(t *testing.T) {
	large := os.Getenv("DLNB_PARITY_LARGE") == "1"
	only := os.Getenv("DLNB_PARITY_ONLY") // a substring of the case names to run (debugging)
	dir := t.TempDir()
	var run []kcase
	for _, c := range cases(t) {
		if c.large && !large || only != "" && !strings.Contains(c.name, only) {
			continue
		}
		if c.spec.Seed == 0 {
			c.spec.Seed = 1 // Keras' seed for the starting weights
		}
		c.spec.BatchSize = 32
		out := c.spec.Layers[len(c.spec.Layers)-1].Activation
		c.spec.FromLogits = !c.clipped && !c.probabilities && strings.HasSuffix(c.spec.Loss, "crossentropy") && (out == "softmax" || out == "sigmoid")
		base := fileName(c.name)
		c.spec.X, c.spec.Y = base+".x", base+".y"
		c.spec.Rows, c.spec.Cols = c.x.Dims()
		_, c.spec.YCols = c.y.Dims()
		if err := writeMatrix(filepath.Join(dir, c.spec.X), c.x); err != nil {
			t.Fatal(err)
		}
		if err := writeMatrix(filepath.Join(dir, c.spec.Y), c.y); err != nil {
			t.Fatal(err)
		}
		if err := writeJSON(filepath.Join(dir, base+".spec.json"), c.spec); err != nil {
			t.Fatal(err)
		}
		run = append(run, c)
	}
	for _, c := range initCases {
		if only != "" {
			break
		}
		s := spec{Kind: "initializer", Seed: 1, Initializer: c.name, FanIn: c.fanIn, FanOut: c.fanOut}
		if err := writeJSON(filepath.Join(dir, "init_"+c.name+".spec.json"), s); err != nil {
			t.Fatal(err)
		}
	}

	withMetrics := only == "" || only == "metrics"
	if withMetrics {
		if err := writeJSON(filepath.Join(dir, "metrics.spec.json"), spec{Kind: "metrics", Pairs: metricPairs()}); err != nil {
			t.Fatal(err)
		}
	}

	ls, ld := layoutSpec(t)
	withLayout := only == "" || only == "layout"
	if withLayout {
		ls.X, ls.Y = "layout.x", "layout.y"
		ls.Rows, ls.Cols = ld.X.Dims()
		ly := oneHot(t, ld)
		_, ls.YCols = ly.Dims()
		if err := writeMatrix(filepath.Join(dir, ls.X), ld.X); err != nil {
			t.Fatal(err)
		}
		if err := writeMatrix(filepath.Join(dir, ls.Y), ly); err != nil {
			t.Fatal(err)
		}
		if err := writeJSON(filepath.Join(dir, "layout.spec.json"), ls); err != nil {
			t.Fatal(err)
		}
	}

	py := python(t)
	start := time.Now()
	cmd := exec.Command(py, "keras_cases.py", dir)
	cmd.Env = append(os.Environ(), "KERAS_BACKEND=jax")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("Keras (%s keras_cases.py) failed: %v\n%s", py, err, out)
	}
	t.Logf("Keras ran %d cases in %.1f s", len(run)+len(initCases), time.Since(start).Seconds())

	for _, c := range run {
		t.Run(c.name, func(t *testing.T) {
			var k kerasResult
			readResult(t, filepath.Join(dir, fileName(c.name)+".keras.json"), &k)
			if c.spec.Kind == "dropout" {
				compareDropout(t, c, &k)
				return
			}
			compare(t, c, &k)
		})
	}
	if withMetrics {
		t.Run("metrics", func(t *testing.T) {
			var k kerasResult
			readResult(t, filepath.Join(dir, "metrics.keras.json"), &k)
			compareMetrics(t, &k)
		})
	}
	if withLayout {
		t.Run("layout", func(t *testing.T) {
			var k map[string]string
			readResult(t, filepath.Join(dir, "layout.keras.json"), &k)
			compareLayout(t, ld, k)
		})
	}
	for _, c := range initCases {
		if only != "" {
			break
		}
		t.Run("initializer "+c.name, func(t *testing.T) {
			var k kerasResult
			readResult(t, filepath.Join(dir, "init_"+c.name+".keras.json"), &k)
			compareInitializer(t, c, &k)
		})
	}
}

func readResult(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("Keras wrote no result: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// trainNN trains nn from Keras' initial weights as the case says.
func trainNN(t *testing.T, c kcase, k *kerasResult, dtype nn.DType) (*nn.Sequential, *nn.History, *nn.EarlyStopping, error) {
	m := nnModel(c, k, false)
	m.DType = dtype
	var metrics []nn.Metric
	for _, s := range c.spec.Metrics {
		metrics = append(metrics, nn.Metric(s))
	}
	if err := m.Compile(c.spec.Optimizer.nn(), nn.Loss(c.spec.Loss), metrics...); err != nil {
		t.Fatal(err)
	}
	opts := nn.FitOptions{Epochs: c.spec.Epochs, BatchSize: c.spec.BatchSize, NoShuffle: true, ValidationSplit: c.spec.ValidationSplit}
	var es *nn.EarlyStopping
	if s := c.spec.EarlyStopping; s != nil {
		es = &nn.EarlyStopping{Monitor: s.Monitor, Patience: s.Patience, RestoreBestWeights: s.RestoreBestWeights}
		opts.Callbacks = []nn.Callback{es}
	}
	h, err := m.Fit(c.x, c.y, opts)
	if h == nil {
		h = &nn.History{History: map[string][]float64{}}
	}
	return m, h, es, err
}

// nnModel is the case's model with Keras' initial weights: a Dense layer per
// spec layer, L2 on each kernel and a Dropout after each hidden one as the
// spec says; frozen, nothing is trained.
func nnModel(c kcase, k *kerasResult, frozen bool) *nn.Sequential {
	var layers []nn.Layer
	if c.spec.Normalize {
		var norm nn.Normalization
		if err := norm.Adapt(c.x); err != nil {
			panic(err) // the course's data: finite
		}
		layers = append(layers, norm)
	}
	for i, l := range c.spec.Layers {
		d := nn.Dense{Units: l.Units, Activation: nn.Activation(l.Activation), Kernel: k.Initial[i].Kernel, Bias: k.Initial[i].Bias, Frozen: frozen}
		if c.spec.L2 != 0 {
			d.KernelRegularizer = &nn.L1L2{L2: c.spec.L2}
		}
		layers = append(layers, d)
		if c.spec.Dropout != 0 && i < len(c.spec.Layers)-1 {
			layers = append(layers, nn.Dropout{Rate: c.spec.Dropout})
		}
	}
	return nn.NewSequential(layers...)
}

// compare trains nn from Keras' initial weights and compares everything.
func compare(t *testing.T, c kcase, k *kerasResult) {
	if len(k.Initial) != len(c.spec.Layers) {
		t.Fatalf("Keras has %d layers, the case %d", len(k.Initial), len(c.spec.Layers))
	}
	m, h, es, fitErr := trainNN(t, c, k, nn.Float32)
	// The same training in float64: how far float32's rounding alone moves
	// the losses (reported beside the difference from Keras).
	_, h64, _, _ := trainNN(t, c, k, nn.Float64)
	drift := 0.0
	for e := 0; e < len(h.History["loss"]) && e < len(h64.History["loss"]); e++ {
		drift = math.Max(drift, diff(h.History["loss"][e], h64.History["loss"][e]))
	}
	fail := t.Errorf
	if c.clipped {
		fail = func(string, ...any) {}
	}

	worst := map[string]float64{}
	at, first := map[string]string{}, map[string]string{}
	note := func(part, where string, d float64) {
		if d > worst[part] || math.IsNaN(d) {
			worst[part], at[part] = d, where
		}
		tol := c.tol
		switch part {
		case "accuracy":
			tol = c.accTol
		case "auc":
			tol = c.aucTol
		}
		if _, ok := first[part]; !ok && !(d <= tol) {
			first[part] = where
		}
	}
	// Per-epoch history: the same names, epochs and values.
	kEpochs := len(k.History["loss"])
	diverged := -1 // Keras' first epoch with a non-finite loss
	for e, v := range k.History["loss"] {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			diverged = e
			break
		}
	}
	switch {
	case diverged >= 0:
		if fitErr == nil {
			fail("Keras' loss overflowed in epoch %d; nn trained all %d epochs without an error", diverged+1, len(h.Epoch))
		} else if len(h.Epoch) != diverged {
			fail("Keras' loss overflowed in epoch %d, nn stopped after %d complete epochs (%v)", diverged+1, len(h.Epoch), fitErr)
		}
		kEpochs = diverged
	case fitErr != nil:
		fail("nn's Fit failed where Keras trained: %v", fitErr)
		if !c.clipped {
			return
		}
	case len(h.Epoch) != kEpochs:
		fail("nn trained %d epochs, Keras %d (EarlyStopping?)", len(h.Epoch), kEpochs)
	}
	var kKeys, nKeys []string
	for key := range k.History {
		kKeys = append(kKeys, key)
	}
	for key := range h.History {
		nKeys = append(nKeys, key)
	}
	sort.Strings(kKeys)
	sort.Strings(nKeys)
	if strings.Join(kKeys, ",") != strings.Join(nKeys, ",") {
		fail("history names: nn %v, Keras %v", nKeys, kKeys)
	}
	for _, key := range kKeys {
		part := "loss"
		switch {
		case strings.Contains(key, "accuracy"), strings.HasSuffix(key, "precision"), strings.HasSuffix(key, "recall"):
			part = "accuracy" // shares of counted rows
		case strings.HasSuffix(key, "auc"):
			part = "auc"
		}
		for e := 0; e < kEpochs && e < len(h.History[key]); e++ {
			note(part, fmt.Sprintf("%s epoch %d: nn %.7g, Keras %.7g", key, e+1, h.History[key][e], float64(k.History[key][e])),
				diff(h.History[key][e], float64(k.History[key][e])))
		}
	}
	// DLNB_PARITY_DUMP=1 prints every case's values per epoch, not only a failing one's.
	if os.Getenv("DLNB_PARITY_DUMP") != "" || worst["loss"] > c.tol && !c.clipped {
		for _, key := range kKeys {
			t.Logf("%s per epoch:\n  nn    %.7g\n  Keras %.7g", key, h.History[key], floats(k.History[key]))
		}
	}
	if es != nil {
		// Keras counts epochs from 0 and leaves stopped_epoch 0 when it did not stop.
		if k.StoppedEpoch == nil || k.BestEpoch == nil {
			t.Fatal("Keras wrote no stopped_epoch/best_epoch")
		}
		// nn's History keeps the run's record (-1: it did not stop).
		stopped := max(h.StoppedEpoch, 0)
		if stopped != *k.StoppedEpoch || h.BestEpoch != *k.BestEpoch {
			fail("EarlyStopping: nn stopped at epoch %d (best %d), Keras at %d (best %d)", stopped, h.BestEpoch, *k.StoppedEpoch, *k.BestEpoch)
		}
	}
	if diverged < 0 {
		for i := range c.spec.Layers {
			info, err := m.Layer(i*(1+b2i(c.spec.Dropout != 0)) + b2i(c.spec.Normalize))
			if err != nil {
				t.Fatal(err)
			}
			kw := k.Final[i]
			for r := range kw.Kernel {
				for j, v := range kw.Kernel[r] {
					note("weights", fmt.Sprintf("layer %d kernel[%d][%d]: nn %.7g, Keras %.7g", i, r, j, info.Kernel.At(r, j), v), diff(info.Kernel.At(r, j), v))
				}
			}
			for j, v := range kw.Bias {
				note("weights", fmt.Sprintf("layer %d bias[%d]: nn %.7g, Keras %.7g", i, j, info.Bias[j], v), diff(info.Bias[j], v))
			}
		}
		p, err := m.Predict(c.x)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range k.Predictions {
			for j, v := range row {
				note("predictions", fmt.Sprintf("row %d column %d: nn %.7g, Keras %.7g", i, j, p.At(i, j), float64(v)), diff(p.At(i, j), float64(v)))
			}
		}
	}

	maxDiff, maxAcc := 0.0, worst["accuracy"]
	for _, part := range []string{"loss", "weights", "predictions"} {
		maxDiff = math.Max(maxDiff, worst[part])
	}
	ok := maxDiff <= c.tol && maxAcc <= c.accTol && worst["auc"] <= c.aucTol
	if c.clipped {
		report = append(report, fmt.Sprintf("info %-46s epochs %2d  max diff %.1e (loss %.1e: %s) known difference, not checked",
			c.name, kEpochs, maxDiff, worst["loss"], at["loss"]))
		return
	}
	for _, part := range []string{"loss", "accuracy", "auc", "weights", "predictions"} {
		tol := c.tol
		switch part {
		case "accuracy":
			tol = c.accTol
		case "auc":
			tol = c.aucTol
		}
		if worst[part] > tol || math.IsNaN(worst[part]) {
			fail("%s differ by %.3g > tolerance %.0e, worst at %s; first beyond the tolerance at %s", part, worst[part], tol, at[part], first[part])
		}
	}
	status := "ok"
	if !ok || t.Failed() {
		status = "FAIL"
	}
	line := fmt.Sprintf("%-4s %-46s epochs %2d  max diff %.1e (loss %.1e, weights %.1e, predictions %.1e) tolerance %.0e; nn float32-float64 loss drift %.1e",
		status, c.name, kEpochs, maxDiff, worst["loss"], worst["weights"], worst["predictions"], c.tol, drift)
	if len(c.spec.Metrics) > 0 {
		line += fmt.Sprintf("; accuracy %.1e tolerance %.1e", maxAcc, c.accTol)
	}
	if slices.Contains(c.spec.Metrics, "auc") {
		line += fmt.Sprintf("; auc %.1e tolerance %.0e", worst["auc"], c.aucTol)
	}
	if diverged >= 0 {
		line += fmt.Sprintf("; both overflow in epoch %d", kEpochs+1)
	}
	report = append(report, line)
}

// The initializers' formulas: uniform on [-limit, limit], or a normal
// truncated at two standard deviations and rescaled to stddev.
func initTheory(name string, in, out int) (uniform bool, scale float64) {
	switch name {
	case "glorot_uniform":
		return true, math.Sqrt(6 / float64(in+out))
	case "he_uniform":
		return true, math.Sqrt(6 / float64(in))
	case "lecun_uniform":
		return true, math.Sqrt(3 / float64(in))
	case "glorot_normal":
		return false, math.Sqrt(2 / float64(in+out))
	case "he_normal":
		return false, math.Sqrt(2 / float64(in))
	case "lecun_normal":
		return false, math.Sqrt(1 / float64(in))
	}
	panic("parity: no formula for " + name)
}

// compareInitializer draws the same shape in nn and checks both draws against
// the formula: the same limits (uniform: within [-limit, limit] and reaching
// it; truncated normal: within 2 standard deviations of the underlying
// normal, stddev/0.8796), the mean 0 and the standard deviation within 4
// standard errors.
func compareInitializer(t *testing.T, c initCase, k *kerasResult) {
	m := nn.NewSequential(nn.Dense{Units: c.fanOut, InputDim: c.fanIn, KernelInitializer: c.name})
	m.Seed = 1
	if err := m.Build(c.fanIn); err != nil {
		t.Fatal(err)
	}
	info, err := m.Layer(0)
	if err != nil {
		t.Fatal(err)
	}
	vals := info.Kernel.RawMatrix().Data
	n := float64(len(vals))
	var lo, hi, mean, sq float64 = math.Inf(1), math.Inf(-1), 0, 0
	for _, v := range vals {
		lo, hi, mean = math.Min(lo, v), math.Max(hi, v), mean+v
	}
	mean /= n
	for _, v := range vals {
		sq += (v - mean) * (v - mean)
	}
	std := math.Sqrt(sq / n)

	uniform, scale := initTheory(c.name, c.fanIn, c.fanOut)
	wantStd, bound := scale, 2*scale/0.87962566103423978
	if uniform {
		wantStd, bound = scale/math.Sqrt(3), scale
	}
	// Standard errors of the mean and of the standard deviation (kurtosis of
	// a uniform: 1.8; of this truncated normal: about 2.4; 3 is safe for both).
	seMean, seStd := wantStd/math.Sqrt(n), wantStd*math.Sqrt((3-1)/(4*n))
	var worst float64
	for _, side := range []struct {
		who                 string
		min, max, mean, std float64
	}{{"nn", lo, hi, mean, std}, {"Keras", k.Min, k.Max, k.Mean, k.Std}} {
		if side.min < -bound*(1+1e-6) || side.max > bound*(1+1e-6) {
			t.Errorf("%s: %s draws from [%.5f, %.5f], outside the bound ±%.5f", c.name, side.who, side.min, side.max, bound)
		}
		if uniform && (side.max < 0.99*bound || side.min > -0.99*bound) {
			t.Errorf("%s: %s draws from [%.5f, %.5f], not reaching the limit ±%.5f", c.name, side.who, side.min, side.max, bound)
		}
		if math.Abs(side.mean) > 4*seMean {
			t.Errorf("%s: %s mean %.2e, more than 4 standard errors (%.1e) from 0", c.name, side.who, side.mean, seMean)
		}
		if math.Abs(side.std-wantStd) > 4*seStd {
			t.Errorf("%s: %s standard deviation %.5f, want %.5f within %.1e", c.name, side.who, side.std, wantStd, 4*seStd)
		}
		worst = math.Max(worst, math.Abs(side.std-wantStd)/seStd)
	}
	status := "ok"
	if t.Failed() {
		status = "FAIL"
	}
	report = append(report, fmt.Sprintf("%-4s initializer %-34s std nn %.5f, Keras %.5f, formula %.5f (worst %.1f standard errors, tolerance 4); bound ±%.4f",
		status, fmt.Sprintf("%s %dx%d", c.name, c.fanIn, c.fanOut), std, k.Std, wantStd, worst, bound))
}
