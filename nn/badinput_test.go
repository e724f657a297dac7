package nn

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputs is the package's table of bad input found by probing the
// public API (issue 20): every row is a mistake a user makes, or a file an
// attacker crafts, with the words its error must contain (the problem and,
// where there is one, the fix). None may panic. A new option (Dropout rate,
// class weights, schedules, checkpoints...) gets its rows here when it lands;
// the earlier rows of shapes, labels and names are in TestBadInput
// (errors_test.go).
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
