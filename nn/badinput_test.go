package nn

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestBadInputs is the package's table of bad input found by probing the
// public API (issue 20): every row is a mistake a user makes, or a file an
// attacker crafts, with the words its error must contain (the problem and,
// where there is one, the fix). None may panic. A new option (Dropout rate,
// class weights, schedules, checkpoints...) gets its rows here when it lands;
// the earlier ones, of shapes, labels, names and the order of calls, are in
// TestBadInput below, in this file too.
func TestBadInputs(t *testing.T) {
	x, y := titanicLike(20)
	clf := func() *Sequential {
		return compiled(t, CategoricalCrossentropy, Dense{Units: 4, Activation: ReLU, InputDim: 10}, Dense{Units: 2, Activation: Softmax})
	}
	sparse := func() *Sequential {
		return compiled(t, SparseCategoricalCrossentropy, Dense{Units: 3, Activation: Softmax, InputDim: 10})
	}
	compile := func(o Optimizer) error {
		return NewSequential(Dense{Units: 2, InputDim: 3}).Compile(o, MeanSquaredError)
	}
	nan, inf := math.NaN(), math.Inf(1)
	huge := []float64{0, 1e19}
	file := func(layers string) []byte {
		return []byte(`{"format":"dlnb-nn-sequential","version":1,"seed":0,"dtype":"float32","layers":[` + layers + `]}`)
	}
	good, err := clf().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	os.WriteFile(notDir, nil, 0o644)

	cases := []struct {
		name string
		run  func() error
		want []string
	}{
		// Sizes: refused before anything is allocated.
		{"Dense Units -3 before a layer", func() error {
			return NewSequential(Dense{Units: -3, InputDim: 4}, Dense{Units: 2}).Build(0)
		}, []string{"layer 0 (dense): Units is -3", "at least 1 unit"}},
		{"Dense Units -3 last", func() error { return NewSequential(Dense{Units: 2, InputDim: 4}, Dense{Units: -3}).Build(0) },
			[]string{"layer 1 (dense_1): Units is -3"}},
		{"Dense Units overflowing", func() error { return NewSequential(Dense{Units: 1 << 40, InputDim: 3}).Build(0) },
			[]string{"3 inputs x 1099511627776 units", "larger than 2147483648 weights", "typo"}},
		{"Dense Units overflowing in a product", func() error {
			return NewSequential(Dense{Units: 1 << 31, InputDim: 3}, Dense{Units: 1 << 31}).Build(0)
		}, []string{"layer 0 (dense): 3 inputs x 2147483648 units"}},
		{"InputDim overflowing", func() error { return NewSequential(Dense{Units: 1, InputDim: 1 << 40}).Build(0) },
			[]string{"the input has 1099511627776 columns", "between 1 and"}},
		{"Dense Units too many", func() error {
			return NewSequential(Dense{Units: 100000, InputDim: 100000}).Build(0)
		}, []string{"100000 inputs x 100000 units", "larger than"}},
		{"float32 overflow in Kernel", func() error {
			return NewSequential(Dense{Units: 1, Kernel: [][]float64{{3.4e39}}}).Build(0)
		}, []string{"Kernel[0][0] is 3.4e+39", "beyond float32's range", "Float64"}},
		{"float32 overflow in SetWeights", func() error {
			return NewSequential(Dense{Units: 1, InputDim: 1}).SetWeights(0, nil, []float64{-1e300})
		}, []string{"Bias[0] is -1e+300", "beyond float32's range"}},

		// Labels: bounded before they index anything.
		{"sparse label 1e19 in Fit", func() error { _, err := sparse().Fit(x[:2], huge, FitOptions{}); return err },
			[]string{"y row 1 is 1e+19", "class numbers 0..2"}},
		{"sparse label 1e19 in Evaluate", func() error { _, err := sparse().Evaluate(x[:2], huge); return err },
			[]string{"Evaluate", "y row 1 is 1e+19", "class numbers 0..2"}},
		{"sparse label 1e19 in validation", func() error {
			_, err := sparse().Fit(x[:2], []float64{0, 1}, FitOptions{ValidationX: x[:2], ValidationY: huge})
			return err
		}, []string{"validation data", "y row 1 is 1e+19"}},
		{"sparse label -1", func() error { _, err := sparse().Fit(x[:2], []float64{0, -1}, FitOptions{}); return err },
			[]string{"y row 1 is -1"}},
		{"ToCategorical 1e300", func() error { _, err := ToCategorical([]float64{0, 1e300}, 0); return err },
			[]string{"2 labels with 1e+300 classes", "really a class label"}},
		{"ToCategorical 1e19 with numClasses", func() error { _, err := ToCategorical([]float64{1e19}, 3); return err },
			[]string{"class 1e+19 but numClasses is 3"}},
		{"ToCategorical huge numClasses", func() error { _, err := ToCategorical([]int{0, 1}, 1<<30); return err },
			[]string{"really a class label"}},
		{"ToCategorical negative numClasses", func() error { _, err := ToCategorical([]int{0, 1}, -2); return err },
			[]string{"numClasses is -2"}},
		{"ToCategorical NaN", func() error { _, err := ToCategorical([]float64{nan}, 0); return err },
			[]string{"y row 0, column 0 is NaN"}},

		// Optimizer settings: every NaN or infinite one refused at Compile,
		// naming the setting.
		{"SGD Momentum NaN", func() error { return compile(SGD{Momentum: nan}) }, []string{"Compile: sgd Momentum is NaN", "in [0, 1)"}},
		{"SGD Momentum 1", func() error { return compile(SGD{Momentum: 1}) }, []string{"sgd Momentum is 1"}},
		{"SGD LearningRate NaN", func() error { return compile(SGD{LearningRate: nan}) }, []string{"sgd LearningRate is NaN", "positive"}},
		{"SGD LearningRate +Inf", func() error { return compile(SGD{LearningRate: inf}) }, []string{"sgd LearningRate is +Inf"}},
		{"Adam Beta1 NaN", func() error { return compile(Adam{Beta1: nan}) }, []string{"adam Beta1 is NaN", "in [0, 1)"}},
		{"Adam Beta2 NaN", func() error { return compile(Adam{Beta2: nan}) }, []string{"adam Beta2 is NaN"}},
		{"Adam Beta2 -0.5", func() error { return compile(Adam{Beta2: -0.5}) }, []string{"adam Beta2 is -0.5"}},
		{"Adam Epsilon NaN", func() error { return compile(Adam{Epsilon: nan}) }, []string{"adam Epsilon is NaN", "1e-7"}},
		{"Adam Epsilon +Inf", func() error { return compile(Adam{Epsilon: inf}) }, []string{"adam Epsilon is +Inf"}},
		{"RMSprop Rho NaN", func() error { return compile(RMSprop{Rho: nan}) }, []string{"rmsprop Rho is NaN"}},
		{"RMSprop Momentum NaN", func() error { return compile(RMSprop{Momentum: nan}) }, []string{"rmsprop Momentum is NaN"}},
		{"RMSprop Epsilon -1", func() error { return compile(RMSprop{Epsilon: -1}) }, []string{"rmsprop Epsilon is -1"}},

		// Files.
		{"Load: declared sizes past the weights held", func() error {
			return new(Sequential).UnmarshalBinary(file(`{"name":"dense","units":8000,"activation":"relu","input_dim":8000,"kernel":[[1]],"bias":[1]}`))
		}, []string{"layer 0 (dense) declares 8000 inputs x 8000 units but holds a kernel of 1 rows and 1 biases"}},
		{"Load: overflowing sizes", func() error {
			return new(Sequential).UnmarshalBinary(file(`{"name":"dense","units":9223372036854775807,"input_dim":9223372036854775807,"kernel":[[1]],"bias":[1]}`))
		}, []string{"declares 9223372036854775807 inputs"}},
		{"Load: negative sizes", func() error {
			return new(Sequential).UnmarshalBinary(file(`{"name":"dense","units":-3,"input_dim":1,"kernel":[[1]],"bias":[1]}`))
		}, []string{"1 inputs and -3 units", "at least 1"}},
		{"Load: layers that do not chain", func() error {
			return new(Sequential).UnmarshalBinary(file(`{"name":"a","units":1,"input_dim":1,"kernel":[[1]],"bias":[1]},{"name":"b","units":1,"input_dim":2,"kernel":[[1],[1]],"bias":[1]}`))
		}, []string{"layer 1 (b) has 2 inputs but the layer before it has 1 units"}},
		{"Load: ragged kernel", func() error {
			return new(Sequential).UnmarshalBinary(file(`{"name":"dense","units":2,"input_dim":1,"kernel":[[1]],"bias":[1,2]}`))
		}, []string{"kernel row 0 has 1 values but the layer has 2 units"}},
		{"Load: 3.4e39 into float32", func() error {
			return new(Sequential).UnmarshalBinary(file(`{"name":"dense","units":1,"input_dim":1,"kernel":[[3.4e39]],"bias":[0]}`))
		}, []string{"Kernel[0][0] is 3.4e+39", "beyond float32's range"}},
		{"Load: data after the JSON", func() error {
			return new(Sequential).UnmarshalBinary(append(append([]byte(nil), good...), `{"x":1}`...))
		}, []string{"data after the model's JSON", "appended to or corrupted"}},
		{"Load: a future version", func() error {
			return new(Sequential).UnmarshalBinary([]byte(`{"format":"dlnb-nn-sequential","version":7,"new_field":{"a":1}}`))
		}, []string{"model file version 7", "this nn reads version"}},
		{"Load: no layers", func() error { return new(Sequential).UnmarshalBinary(file(``)) }, []string{"no layers"}},
		{"Load: not JSON", func() error { return new(Sequential).UnmarshalBinary([]byte("PK\x03\x04")) },
			[]string{"not a model file written by nn.Save"}},
		{"Save: empty path", func() error { return clf().Save("") }, []string{"Save: the path is empty", "model.json"}},
		{"Save: missing directory", func() error { return clf().Save(filepath.Join(dir, "no", "such", "m.json")) },
			[]string{"the directory " + filepath.Join(dir, "no", "such") + " does not exist", "MkdirAll"}},
		{"Save: a file as directory", func() error { return clf().Save(filepath.Join(notDir, "m.json")) },
			[]string{notDir + " is not a directory"}},
		{"Save: a directory as file", func() error { return clf().Save(dir) }, []string{dir + " is a directory", "model.json"}},
	}
	if st, err := os.Stat("/sys"); err == nil && st.IsDir() && runtime.GOOS == "linux" {
		// A directory nobody may write in, even root: the error names it, not the temporary file.
		cases = append(cases, struct {
			name string
			run  func() error
			want []string
		}{"Save: a directory one cannot write in", func() error { return clf().Save("/sys/m.json") }, []string{"Save /sys/m.json: cannot create a file in /sys:"}})
	}
	for _, c := range cases {
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic: %v", c.name, r)
				}
			}()
			err = c.run()
		}()
		wantErr(t, c.name, err, c.want...)
		if err != nil && strings.Contains(err.Error(), ".tmp") {
			t.Errorf("%s: the error names a temporary file: %v", c.name, err)
		}
	}

	// Not errors, but once silently wrong: a batch larger than the data (even
	// MaxInt) is one batch of all the rows, as in Keras, and trains.
	m := clf()
	before, _ := m.Predict(x)
	h, err := m.Fit(x, y, FitOptions{BatchSize: math.MaxInt, Epochs: 2})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := m.Predict(x)
	if l := h.History["loss"]; len(l) != 2 || l[0] == 0 || l[0] == l[1] {
		t.Errorf("BatchSize MaxInt: losses %v, want two epochs of one batch", l)
	}
	if before.At(0, 0) == after.At(0, 0) {
		t.Error("BatchSize MaxInt trained nothing")
	}
}

// TestBadInput: every mistake a student can make with shapes, labels,
// names and the order of calls gets an error that names the problem and
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
	// Predict converts and checks large chunks in parallel parts (1,024 rows
	// of 200 values: two parts on two cores), and names the first bad value.
	wide := NewSequential(Dense{Units: 2, Activation: Softmax, InputDim: 200})
	wx := mat.NewDense(3000, 200, nil)
	wx.Set(2900, 1, math.NaN())
	wx.Set(1900, 99, math.Inf(1)) // in the second chunk's second part
	wx.Set(1100, 3, math.Inf(-1)) // in its first part
	_, err = wide.Predict(wx)
	wantErr(t, "first of three bad values", err, "x row 1100, column 3 is -Inf")
	wx.Set(1100, 3, 0)
	_, err = wide.Predict(wx)
	wantErr(t, "bad value in a second part", err, "x row 1900, column 99 is +Inf")
	wx.Set(1900, 99, 0)
	wx.Set(2900, 1, 0)
	wx.Set(2999, 199, math.NaN()) // the last value
	_, err = wide.Predict(wx)
	wantErr(t, "last value", err, "x row 2999, column 199 is NaN")
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
