package check

import (
	"errors"
	"math"
	"testing"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/nn"
	"gonum.org/v1/gonum/mat"
)

func wagesSpec(first nn.Dense) *nn.Sequential {
	return nn.NewSequential(first, nn.Dense{Units: 32, Activation: nn.ReLU}, nn.Dense{Units: 1})
}

func wagesRight() *nn.Sequential {
	return wagesSpec(nn.Dense{Units: 50, Activation: nn.ReLU, InputDim: 9})
}

func TestNumColumnsAndColumnMean(t *testing.T) {
	d := datasets.HourlyWages()
	union, err := d.Column("union")
	must(t, err)
	var sum float64
	for _, v := range union {
		sum += v
	}
	runCases(t, []tcase{
		{"nCols right", func() bool { return NumColumns(d, 9) }, true, []string{"✓ nCols: right (9)"}},
		{"nCols counts the target", func() bool { return NumColumns(d, 10) }, false, []string{"you have 10", "columns of d.X"}},
		{"nCols nil data", func() bool { return NumColumns(nil, 9) }, false, []string{"cannot check"}},
		{"mean right", func() bool { return ColumnMean(d, "union", sum/534) }, true, []string{"✓ mean of union: right (0.1797752809)"}},
		{"mean is the sum", func() bool { return ColumnMean(d, "union", sum) }, false, []string{"you have 96", "divide it by the number of rows"}},
		{"mean blank", func() bool { return ColumnMean(d, "union", 0) }, false, []string{`d.Column("union")`}},
		{"unknown column", func() bool { return ColumnMean(d, "unions", 0) }, false, []string{"cannot check", "unions"}},
		{"mean nil data", func() bool { return ColumnMean(nil, "union", 0) }, false, []string{"cannot check"}},
	})
}

func TestWagesModel(t *testing.T) {
	runCases(t, []tcase{
		{"right", func() bool { return WagesModel(wagesRight()) }, true,
			[]string{"✓ model: right (Dense(50, relu), Dense(32, relu), Dense(1), 2165 parameters)"}},
		{"nil", func() bool { return WagesModel(nil) }, false, []string{"the model is nil"}},
		{"blank", func() bool { return WagesModel(nn.NewSequential()) }, false,
			[]string{"the model has 0 layers, want 3", "Dense(50, relu), Dense(32, relu), Dense(1)"}},
		{"no InputDim", func() bool { return WagesModel(wagesSpec(nn.Dense{Units: 50, Activation: nn.ReLU})) }, false,
			[]string{"does not know its input size", "InputDim: the number of predictor columns (9)"}},
		{"wrong InputDim", func() bool { return WagesModel(wagesSpec(nn.Dense{Units: 50, Activation: nn.ReLU, InputDim: 10})) }, false,
			[]string{"layer 0 (dense) takes 10 inputs, the data has 9 predictor columns"}},
		{"no relu", func() bool { return WagesModel(wagesSpec(nn.Dense{Units: 50, InputDim: 9})) }, false,
			[]string{"layer 0 (dense) has 50 units and activation linear", "layer 0 should be Dense(50, relu)"}},
		{"output relu", func() bool {
			return WagesModel(nn.NewSequential(nn.Dense{Units: 50, Activation: nn.ReLU, InputDim: 9}, nn.Dense{Units: 32, Activation: nn.ReLU}, nn.Dense{Units: 1, Activation: nn.ReLU}))
		}, false, []string{"layer 2 (dense_2) has 1 unit and activation relu"}},
	})
}

func TestWagesCompile(t *testing.T) {
	compiled := func(opt nn.Optimizer, loss nn.Loss) func() bool {
		return func() bool {
			m := wagesRight()
			return WagesCompile(m, m.Compile(opt, loss))
		}
	}
	runCases(t, []tcase{
		{"right", compiled(nn.Adam{}, nn.MeanSquaredError), true, []string{"✓ compile: right (adam, mean_squared_error)"}},
		{"alias mse", compiled(nn.Adam{LearningRate: 0.01}, "mse"), true, nil},
		{"sgd", compiled(nn.SGD{}, nn.MeanSquaredError), false,
			[]string{"compiled with the sgd optimizer and the loss mean_squared_error", "compile with the adam optimizer and the loss mean_squared_error"}},
		{"wrong loss", compiled(nn.Adam{}, "mean_absolute_error"), false, []string{"Compile returned an error"}},
		{"not compiled", func() bool { return WagesCompile(wagesRight(), nil) }, false, []string{"the model is not compiled", "call model.Compile"}},
		{"error", func() bool { return WagesCompile(wagesRight(), errors.New("boom")) }, false, []string{"Compile returned an error: boom"}},
		{"model not right", func() bool { return WagesCompile(nn.NewSequential(), nil) }, false,
			[]string{"✗ compile: not yet: the model has 0 layers", "finish wagesModel first"}},
	})
}

func history(keys map[string][]float64) *nn.History {
	h := &nn.History{History: keys}
	for k := range keys {
		for i := range keys[k] {
			h.Epoch = append(h.Epoch, i)
		}
		break
	}
	return h
}

func TestWagesFit(t *testing.T) {
	m := wagesRight()
	m.Seed = 1
	must(t, m.Compile(nn.Adam{}, nn.MeanSquaredError))
	d := datasets.HourlyWages()
	h, err := m.Fit(d.X, d.Y, nn.FitOptions{Epochs: 10})
	must(t, err)
	runCases(t, []tcase{
		{"right", func() bool { return WagesFit(h, nil, 10) }, true, []string{"✓ fit: right (loss ", "below 26.36, the MSE of always predicting the mean wage"}},
		{"error", func() bool { return WagesFit(nil, errors.New("Fit: the model is not compiled"), 10) }, false, []string{"Fit returned an error: Fit: the model is not compiled"}},
		{"blank", func() bool { return WagesFit(nil, nil, 10) }, false, []string{"the history is nil", "model.Fit(d.X, d.Y"}},
		{"epochs", func() bool { return WagesFit(h, nil, 20) }, false, []string{"the history has 10 epochs, want 20", "Epochs: 20"}},
		{"NaN", func() bool { return WagesFit(history(map[string][]float64{"loss": {30, math.NaN()}}), nil, 2) }, false, []string{"the loss of epoch 2 is NaN"}},
		{"did not learn", func() bool { return WagesFit(history(map[string][]float64{"loss": {30, 28}}), nil, 2) }, false,
			[]string{"the loss went from 30 to 28; always predicting the mean wage gives 26.36"}},
		{"went up", func() bool { return WagesFit(history(map[string][]float64{"loss": {20, 21}}), nil, 2) }, false, []string{"from 20 to 21"}},
	})
}

func TestPredictions(t *testing.T) {
	m := wagesRight()
	x := datasets.HourlyWages().X
	p, err := m.Predict(x)
	must(t, err)
	off := mat.DenseCopyOf(p)
	off.Set(3, 0, off.At(3, 0)+1)
	runCases(t, []tcase{
		{"right", func() bool { return Predictions(m, x, p) }, true, []string{"✓ predictions: right (534x1)"}},
		{"no model", func() bool { return Predictions(nil, x, p) }, false, []string{"there is no model", "train and save the model"}},
		{"blank", func() bool { return Predictions(m, x, nil) }, false, []string{"the predictions are nil", "model.Predict"}},
		{"some rows", func() bool { p5, _ := m.Predict(x.Slice(0, 5, 0, 9)); return Predictions(m, x, p5) }, false,
			[]string{"you have 5x1 predictions for 534 rows, want 534x1"}},
		{"a wrong value", func() bool { return Predictions(m, x, off) }, false, []string{"row 3: you have"}},
		{"no rows", func() bool { return Predictions(m, nil, p) }, false, []string{"cannot check: x is nil"}},
		{"rows of another shape", func() bool { return Predictions(m, mat.NewDense(2, 3, nil), p) }, false, []string{"cannot check"}},
	})
}

func TestWorkerRow(t *testing.T) {
	f := datasets.HourlyWages().Features
	runCases(t, []tcase{
		{"right", func() bool { return WorkerRow(f, []float64{1, 14, 12, 32, 1, 1, 1, 0, 1}) }, true, []string{"✓ worker: right ([1 14 12 32 1 1 1 0 1])"}},
		{"years swapped", func() bool { return WorkerRow(f, []float64{1, 12, 14, 32, 1, 1, 1, 0, 1}) }, false,
			[]string{"column 1 (education_yrs) is 12", "go through d.Features in order"}},
		{"blank", func() bool { return WorkerRow(f, []float64{}) }, false, []string{"the row has 0 values, the data 9 columns"}},
		{"other columns", func() bool { return WorkerRow([]string{"height"}, []float64{1}) }, false, []string{`cannot check: the column "height" is not described`}},
	})
}

func titanicRight() *nn.Sequential {
	return nn.NewSequential(
		nn.Dense{Units: 100, Activation: nn.ReLU, InputDim: 10},
		nn.Dense{Units: 100, Activation: nn.ReLU},
		nn.Dense{Units: 2, Activation: nn.Softmax},
	)
}

func TestOneHot(t *testing.T) {
	d := datasets.Titanic()
	y, err := d.YOneHot()
	must(t, err)
	flipped := mat.NewDense(891, 2, nil)
	for i := range 891 {
		flipped.Set(i, 0, y.At(i, 1))
		flipped.Set(i, 1, y.At(i, 0))
	}
	runCases(t, []tcase{
		{"right", func() bool { return OneHot(d, y) }, true, []string{"✓ target: right (891x2)"}},
		{"blank", func() bool { return OneHot(d, nil) }, false, []string{"the target is nil", "one-hot encodes"}},
		{"not encoded", func() bool { return OneHot(d, d.Y) }, false, []string{"the target is 891x1, want 891x2"}},
		{"columns swapped", func() bool { return OneHot(d, flipped) }, false, []string{"row 0 is [0 1], but passenger 0 has survived = 0"}},
		{"no data", func() bool { return OneHot(nil, y) }, false, []string{"cannot check"}},
	})
}

func TestTitanicModel(t *testing.T) {
	compiled := func(m *nn.Sequential, opt nn.Optimizer, metrics ...nn.Metric) func() bool {
		return func() bool { return TitanicModel(m, m.Compile(opt, nn.CategoricalCrossentropy, metrics...)) }
	}
	runCases(t, []tcase{
		{"right", compiled(titanicRight(), nn.Adam{}, nn.Accuracy), true,
			[]string{"✓ model: right (adam, categorical_crossentropy)"}},
		{"sgd", compiled(titanicRight(), nn.SGD{}, nn.Accuracy), false, []string{"compiled with the sgd optimizer"}},
		{"no accuracy", compiled(titanicRight(), nn.Adam{}), false, []string{"the model reports []", "reporting accuracy"}},
		{"not compiled", func() bool { return TitanicModel(titanicRight(), nil) }, false, []string{"the model is not compiled"}},
		{"sigmoid output", func() bool {
			return TitanicModel(nn.NewSequential(nn.Dense{Units: 100, Activation: nn.ReLU, InputDim: 10}, nn.Dense{Units: 100, Activation: nn.ReLU}, nn.Dense{Units: 2, Activation: nn.Sigmoid}), nil)
		}, false, []string{"layer 2 (dense_2) has 2 units and activation sigmoid", "layer 2 should be Dense(2, softmax)"}},
		{"blank", func() bool { return TitanicModel(nn.NewSequential(), nil) }, false, []string{"the model has 0 layers, want 3"}},
		{"error", func() bool { return TitanicModel(nil, errors.New("boom")) }, false, []string{"making the model returned an error: boom"}},
		{"nil", func() bool { return TitanicModel(nil, nil) }, false, []string{"the model is nil"}},
	})
}
