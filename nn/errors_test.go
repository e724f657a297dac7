package nn

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
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

// Every mistake a student can make gets an error that names the problem and
// the fix; none panics.
func TestBadInput(t *testing.T) {
	x, y := titanicLike(20)
	clf := func() *Sequential {
		return compiled(t, CategoricalCrossentropy, Dense{Units: 4, Activation: ReLU, InputDim: 10}, Dense{Units: 2, Activation: Softmax})
	}

	// Shapes.
	_, err := clf().Fit([][]float64{{1, 2, 3}}, [][]float64{{0, 1}}, FitOptions{})
	wantErr(t, "x with too few columns", err, "layer 0 (dense)", "expects 10 input columns", "x is 1x3")
	_, err = clf().Fit(x, [][]float64{{0, 1}}, FitOptions{})
	wantErr(t, "rows differ", err, "x has 20 rows but y has 1")
	_, err = clf().Fit(x, [][]float64{{0, 1, 0}}, FitOptions{})
	wantErr(t, "rows differ", err, "x has 20 rows but y has 1")
	y3 := make([][]float64, 20)
	for i := range y3 {
		y3[i] = []float64{1, 0, 0}
	}
	_, err = clf().Fit(x, y3, FitOptions{})
	wantErr(t, "y columns vs output units", err, "y has 3 columns but the output layer has 2 units")
	_, err = clf().Predict([][]float64{{1, 2}})
	wantErr(t, "predict shape", err, "Predict", "expects 10 input columns", "x is 1x2")
	_, err = clf().Fit([][]float64{{1, 2}, {3}}, [][]float64{{0, 1}, {1, 0}}, FitOptions{})
	wantErr(t, "ragged rows", err, "x row 1 has 1 values but row 0 has 2")
	err = NewSequential(Dense{Units: 2, Kernel: [][]float64{{1, 2, 3}}}).Build(0)
	wantErr(t, "kernel shape", err, "layer 0 (dense)", "Kernel row 0 has 3 values but the layer has 2 units")
	err = NewSequential(Dense{Units: 2, InputDim: 3, Kernel: [][]float64{{1, 2}}}).Build(0)
	wantErr(t, "kernel rows", err, "Kernel has 1 rows but the layer has 3 inputs")
	err = NewSequential(Dense{Units: 2, InputDim: 3}, Dense{Units: 1, InputDim: 5}).Build(0)
	wantErr(t, "InputDim on a later layer", err, "layer 1 (dense_1)", "InputDim is 5 but the layer before it has 2 units")
	err = NewSequential(Dense{Units: 0, InputDim: 3}).Build(0)
	wantErr(t, "no units", err, "Units is 0")
	err = NewSequential(Dense{Units: 2, InputDim: 3}).SetWeights(0, [][]float64{{1, 2}}, nil)
	wantErr(t, "SetWeights shape", err, "SetWeights(0)", "Kernel has 1 rows but the layer has 3 inputs")
	err = NewSequential(Dense{Units: 2, InputDim: 3}).SetWeights(3, nil, nil)
	wantErr(t, "SetWeights layer", err, "the model has 1 layers")
	_, err = NewSequential(Dense{Units: 2}).Layer(0)
	wantErr(t, "unbuilt layer", err, "does not know its input size yet", "InputDim")

	// Empty data.
	_, err = clf().Fit([][]float64{}, [][]float64{}, FitOptions{})
	wantErr(t, "empty x", err, "x is empty")
	_, err = clf().Fit(&mat.Dense{}, y, FitOptions{})
	wantErr(t, "empty matrix", err, "x is empty")
	_, err = clf().Fit(nil, y, FitOptions{})
	wantErr(t, "nil x", err, "x is nil")
	_, err = clf().Fit("data.csv", y, FitOptions{})
	wantErr(t, "wrong type", err, "x has type string", "*mat.Dense")

	// NaN and Inf.
	bad := [][]float64{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {1, 2, 3, 4, math.NaN(), 6, 7, 8, 9, 10}}
	_, err = clf().Fit(bad, [][]float64{{0, 1}, {1, 0}}, FitOptions{})
	wantErr(t, "NaN in x", err, "x row 1, column 4 is NaN")
	bad[1][4] = math.Inf(1)
	_, err = clf().Predict(bad)
	wantErr(t, "Inf in x", err, "x row 1, column 4 is +Inf")
	_, err = clf().Fit(x[:2], [][]float64{{0, 1}, {math.NaN(), 0}}, FitOptions{})
	wantErr(t, "NaN in y", err, "y row 1, column 0 is NaN")
	// Large data is checked in parallel parts: the first bad value is named,
	// with its row in the user's data, also in the validation part.
	bx, by := titanicLike(20000)
	bx[9000][3], bx[3000][5] = math.NaN(), math.Inf(-1)
	_, err = clf().Fit(bx, by, FitOptions{ValidationSplit: 0.3})
	wantErr(t, "first of two bad values", err, "x row 3000, column 5 is -Inf")
	bx[9000][3], bx[3000][5] = 0, 0
	bx[19000][7] = math.NaN()
	_, err = clf().Fit(bx, by, FitOptions{ValidationSplit: 0.3})
	wantErr(t, "NaN in the validation part", err, "x row 19000, column 7 is NaN")
	_, err = clf().Fit(x, y, FitOptions{ValidationX: bx[19000:], ValidationY: by[19000:]})
	wantErr(t, "NaN in validation data", err, "validation data: x row 0, column 7 is NaN")

	// Labels that don't fit the loss.
	classes := make([]float64, 20)
	_, err = clf().Fit(x, classes, FitOptions{})
	wantErr(t, "class numbers for categorical_crossentropy", err, "nn.ToCategorical(y, 2)", "sparse_categorical_crossentropy")
	notOneHot := [][]float64{{1, 1}, {0, 1}}
	_, err = clf().Fit(x[:2], notOneHot, FitOptions{})
	wantErr(t, "not one-hot", err, "y row 0 sums to 2, not 1", "one-hot")
	_, err = clf().Fit(x[:2], [][]float64{{2, -1}, {0, 1}}, FitOptions{})
	wantErr(t, "not one-hot values", err, "y row 0 has the value 2", "one-hot")
	sparse := compiled(t, SparseCategoricalCrossentropy, Dense{Units: 3, Activation: Softmax, InputDim: 10})
	_, err = sparse.Fit(x[:2], []float64{0, 3}, FitOptions{})
	wantErr(t, "class out of range", err, "y row 1 is 3", "class numbers 0..2")
	_, err = sparse.Fit(x[:2], []float64{0, 1.5}, FitOptions{})
	wantErr(t, "fractional class", err, "y row 1 is 1.5")
	_, err = sparse.Fit(x[:2], notOneHot, FitOptions{})
	wantErr(t, "sparse with one-hot", err, "needs one column of class numbers", "categorical_crossentropy")
	bin := compiled(t, BinaryCrossentropy, Dense{Units: 1, Activation: Sigmoid, InputDim: 10})
	_, err = bin.Fit(x[:2], []float64{0, 2}, FitOptions{})
	wantErr(t, "binary labels", err, "y row 1 has the value 2", "between 0 and 1")

	// Unknown names.
	m := NewSequential(Dense{Units: 2, InputDim: 10})
	wantErr(t, "loss", m.Compile(SGD{}, "mean_squared_eror"), `unknown loss "mean_squared_eror"`, `"mean_squared_error"`)
	wantErr(t, "metric", m.Compile(SGD{}, MeanSquaredError, "acuracy"), `unknown metric "acuracy"`, `"accuracy"`)
	wantErr(t, "optimizer", m.Compile(nil, MeanSquaredError), "optimizer is nil")
	wantErr(t, "learning rate", m.Compile(SGD{LearningRate: -1}, MeanSquaredError), "LearningRate is -1", "positive")
	wantErr(t, "activation", NewSequential(Dense{Units: 2, InputDim: 3, Activation: "rectifier"}).Build(0), `unknown activation "rectifier"`, `"relu"`)
	wantErr(t, "output activation", NewSequential(Dense{Units: 2, Activation: "Softmax"}).Compile(SGD{}, MeanSquaredError), `unknown activation "Softmax"`)
	wantErr(t, "initializer", NewSequential(Dense{Units: 2, InputDim: 3, KernelInitializer: "xavier"}).Build(0), `unknown initializer "xavier"`, "glorot_uniform")
	_, err = clf().Fit(x, y, FitOptions{Callbacks: []Callback{&EarlyStopping{Monitor: "val_los"}}, ValidationSplit: 0.2, Epochs: 2})
	wantErr(t, "early stopping monitor", err, `monitors "val_los"`, `"val_loss"`)
	_, err = clf().Fit(x, y, FitOptions{Callbacks: []Callback{&EarlyStopping{}}, Epochs: 2})
	wantErr(t, "early stopping without validation", err, "no validation data", "ValidationSplit")

	// Validation split.
	for _, s := range []float64{-0.1, 1, 1.5, math.NaN()} {
		_, err = clf().Fit(x, y, FitOptions{ValidationSplit: s})
		wantErr(t, "split outside (0,1)", err, "ValidationSplit is", "between 0 and 1")
	}
	_, err = clf().Fit(x[:1], y[:1], FitOptions{ValidationSplit: 0.5})
	wantErr(t, "split leaving nothing to train", err, "leaves 0 for training and 1 for validation")
	_, err = clf().Fit(x[:3], y[:3], FitOptions{ValidationSplit: 1e-17}) // 1 - 1e-17 rounds to 1
	wantErr(t, "split leaving nothing to validate", err, "leaves 3 for training and 0 for validation")
	_, err = clf().Fit(x, y, FitOptions{ValidationX: x[:3], ValidationY: y3[:3]})
	wantErr(t, "validation data shape", err, "validation data", "y has 3 columns")

	// Order of calls and options.
	_, err = NewSequential(Dense{Units: 2}).Fit(x, y, FitOptions{})
	wantErr(t, "fit before compile", err, "not compiled", "call Compile")
	_, err = (&Sequential{}).Fit(x, y, FitOptions{})
	wantErr(t, "no layers", err, "no layers")
	_, err = NewSequential(Dense{Units: 2}).Predict(x)
	if err != nil {
		t.Errorf("predict without compile should work as in Keras: %v", err)
	}
	_, err = NewSequential(Dense{Units: 2}).Evaluate(x, y)
	wantErr(t, "evaluate before compile", err, "not compiled")
	_, err = clf().Fit(x, y, FitOptions{Epochs: -1})
	wantErr(t, "epochs", err, "Epochs is -1")
	_, err = clf().Fit(x, y, FitOptions{Verbose: 3})
	wantErr(t, "verbose", err, "Verbose is 3")
	dt := clf()
	dt.Build(0)
	dt.DType = Float64
	_, err = dt.Fit(x, y, FitOptions{})
	wantErr(t, "dtype changed", err, "DType changed to float64 after the model was built in float32")
	sd := clf()
	sd.Summary()
	sd.Seed = 7
	_, err = sd.Fit(x, y, FitOptions{})
	wantErr(t, "seed changed", err, "Seed changed to 7 after the model was built with seed 0")
	_, err = clf().TraceStep(x[:1], y[:1])
	if err != nil {
		t.Errorf("trace with sgd: %v", err)
	}
	_, err = clf().TraceStep(x[:2], y[:2])
	wantErr(t, "trace two rows", err, "one example, but x has 2 rows")
	adam := NewSequential(Dense{Units: 2, InputDim: 10, Activation: Softmax})
	adam.Compile(Adam{}, CategoricalCrossentropy)
	_, err = adam.TraceStep(x[:1], y[:1])
	wantErr(t, "trace adam", err, "plain gradient descent", "adam")
	_, err = clf().GradientCheck(x, y, -1)
	wantErr(t, "gradient step", err, "the step h is -1")
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
