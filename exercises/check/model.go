package check

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/nn"
	"gonum.org/v1/gonum/mat"
)

// Models specified, compiled and fitted the Keras way (lessons 4 and 7).

// layerSpec is one Dense layer a lesson asks for.
type layerSpec struct {
	units int
	act   nn.Activation
}

func (s layerSpec) String() string {
	if actName(s.act) == string(nn.Linear) {
		return fmt.Sprintf("Dense(%d)", s.units)
	}
	return fmt.Sprintf("Dense(%d, %s)", s.units, s.act)
}

func specsString(specs []layerSpec) string {
	s := make([]string, len(specs))
	for i, l := range specs {
		s[i] = l.String()
	}
	return strings.Join(s, ", ")
}

// architecture checks a model's layers against the lesson's; it builds the
// model (as Summary does) to see its input size.
func architecture(name string, m *nn.Sequential, inputDim int, want []layerSpec) result {
	if m == nil {
		return notYet(name, "the model is nil", "return nn.NewSequential(layers...)")
	}
	course := specsString(want)
	if got := m.NumLayers(); got != len(want) {
		return notYet(name, fmt.Sprintf("the model has %s, want %d", plural(got, "layer"), len(want)), "the lesson's model is "+course+": one nn.Dense per layer")
	}
	for i, w := range want {
		info, err := m.Layer(i)
		if err != nil {
			return notYet(name, err.Error(), fmt.Sprintf("the first layer needs InputDim: the number of predictor columns (%d), Keras' input_shape", inputDim))
		}
		what := fmt.Sprintf("layer %d (%s)", i, info.Name)
		if info.Units != w.units || actName(info.Activation) != actName(w.act) {
			return notYet(name, fmt.Sprintf("%s has %s and activation %s", what, plural(info.Units, "unit"), actName(info.Activation)),
				fmt.Sprintf("layer %d should be %s; the model is %s", i, w, course))
		}
		if i == 0 && info.InputDim != inputDim {
			return notYet(name, fmt.Sprintf("%s takes %s, the data has %d predictor columns", what, plural(info.InputDim, "input"), inputDim),
				"set InputDim of the first layer to the number of predictor columns (Keras' input_shape=(n_cols,))")
		}
	}
	return right(name, fmt.Sprintf("%s, %d parameters", course, m.CountParams()))
}

// optimizerName is the Keras name of an nn optimizer ("" for nil).
func optimizerName(o nn.Optimizer) string {
	switch o.(type) {
	case nn.SGD:
		return "sgd"
	case nn.Adam:
		return "adam"
	case nn.RMSprop:
		return "rmsprop"
	}
	return ""
}

// compiledWith checks a model's compile settings: the optimizer's name
// ("adam", "sgd", "rmsprop"), the loss and the metrics it must report.
func compiledWith(name string, m *nn.Sequential, compileErr error, optimizer string, loss nn.Loss, metrics ...nn.Metric) result {
	want := fmt.Sprintf("the %s optimizer and the loss %s", optimizer, loss)
	if len(metrics) > 0 {
		ms := make([]string, len(metrics))
		for i, mt := range metrics {
			ms[i] = string(mt)
		}
		want += ", reporting " + strings.Join(ms, ", ")
	}
	if compileErr != nil {
		return notYet(name, "Compile returned an error: "+compileErr.Error(), "compile with "+want)
	}
	if m == nil {
		return notYet(name, "the model is nil", "specify the model first (see its check)")
	}
	if m.Optimizer() == nil {
		return notYet(name, "the model is not compiled", "call model.Compile(optimizer, loss, metrics...) with "+want)
	}
	if got := optimizerName(m.Optimizer()); got != optimizer || m.Loss() != loss {
		return notYet(name, fmt.Sprintf("the model is compiled with the %s optimizer and the loss %s", got, m.Loss()), "compile with "+want)
	}
	for _, mt := range metrics {
		if !slices.Contains(m.Metrics(), mt) {
			return notYet(name, fmt.Sprintf("the model reports %v", m.Metrics()), "compile with "+want)
		}
	}
	return right(name, fmt.Sprintf("%s, %s", optimizer, loss))
}

// Lesson 4: the hourly wages regression.

var wagesLayers = []layerSpec{{50, nn.ReLU}, {32, nn.ReLU}, {1, nn.Linear}}

// NumColumns checks n_cols, the number of predictor columns of the data
// (Keras' predictors.shape[1]).
func NumColumns(d *datasets.Dataset, got int) bool {
	const name = "nCols"
	if d == nil {
		return report(notYet(name, "cannot check: the data set is nil", "pass the notebook's data set"))
	}
	if want := d.NumFeatures(); got != want {
		return report(notYet(name, fmt.Sprintf("you have %d", got), "the predictors are the columns of d.X (d.Features names them); the Dataset has a method that counts them"))
	}
	return report(right(name, fmt.Sprint(got)))
}

// ColumnMean checks the mean of one column of the data; for a column of 0s
// and 1s (union membership) it is the share of 1s.
func ColumnMean(d *datasets.Dataset, column string, got float64) bool {
	name := "mean of " + column
	if d == nil {
		return report(notYet(name, "cannot check: the data set is nil", "pass the notebook's data set"))
	}
	col, err := d.Column(column)
	if err != nil {
		return report(notYet(name, "cannot check: "+err.Error(), "pass a column name of the data"))
	}
	var sum float64
	for _, v := range col {
		sum += v
	}
	want := sum / float64(len(col))
	if within(got, want, HandTol) {
		return report(right(name, num(got)))
	}
	hint := fmt.Sprintf("d.Column(%q) returns the column; add up its values and divide by how many there are", column)
	if within(got, sum, HandTol) {
		hint = "that is the sum of the column: divide it by the number of rows"
	}
	return report(notYet(name, "you have "+num(got), hint))
}

// WagesModel checks the course's model of the hourly wages: Dense(50, relu)
// with the data's number of predictor columns as input, Dense(32, relu),
// Dense(1). It builds the model (as Summary does).
func WagesModel(model *nn.Sequential) bool {
	return report(architecture("model", model, datasets.HourlyWages().NumFeatures(), wagesLayers))
}

// WagesCompile checks that the wages model is right and compiled with the
// adam optimizer and mean squared error. err is what Compile returned.
func WagesCompile(model *nn.Sequential, err error) bool {
	const name = "compile"
	if r := architecture(name, model, datasets.HourlyWages().NumFeatures(), wagesLayers); !r.ok {
		r.hint = "the model is not right yet: finish wagesModel first (" + r.hint + ")"
		return report(r)
	}
	return report(compiledWith(name, model, err, "adam", nn.MeanSquaredError))
}

// WagesFit checks a fit of the wages model: the history of the given number
// of epochs, a finite loss that went down, and a last loss below the mean
// squared error of always predicting the mean wage (the variance of the
// target), which any model that learned something beats. err is what Fit
// returned.
func WagesFit(history *nn.History, err error, epochs int) bool {
	const name = "fit"
	if err != nil {
		return report(notYet(name, "Fit returned an error: "+err.Error(), "the error says what to fix (the model and compile checks above must pass first)"))
	}
	if history == nil {
		return report(notYet(name, "the history is nil", "history, err = model.Fit(d.X, d.Y, nn.FitOptions{...}) trains the model and returns it"))
	}
	if epochs < 1 {
		return report(notYet(name, fmt.Sprintf("cannot check: epochs is %d", epochs), "pass the number of epochs the fit was asked for (the course uses 10)"))
	}
	loss := history.History["loss"]
	if len(loss) != epochs {
		return report(notYet(name, fmt.Sprintf("the history has %s, want %d", plural(len(loss), "epoch"), epochs), fmt.Sprintf("set Epochs: %d in nn.FitOptions", epochs)))
	}
	for i, l := range loss {
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return report(notYet(name, fmt.Sprintf("the loss of epoch %d is %v", i+1, l), "compile with the adam optimizer (the default learning rate), as the course does"))
		}
	}
	y := datasets.HourlyWages().Y
	mean := mat.Sum(y) / float64(y.RawMatrix().Rows)
	var guess float64
	for _, v := range y.RawMatrix().Data {
		guess += (v - mean) * (v - mean)
	}
	guess /= float64(y.RawMatrix().Rows)
	first, last := loss[0], loss[len(loss)-1]
	if !(last < first) || !(last < guess) {
		return report(notYet(name, fmt.Sprintf("the loss went from %.4g to %.4g; always predicting the mean wage gives %.4g", first, last, guess),
			"fit the predictors d.X to the target d.Y, with the model and compile settings checked above"))
	}
	return report(right(name, fmt.Sprintf("loss %.4g -> %.4g, below %.4g, the MSE of always predicting the mean wage", first, last, guess)))
}

// Predictions checks got, what model predicts for the rows of x (Predict's
// output): one row per row of x and one column per output unit. It predicts x
// itself and compares.
func Predictions(model *nn.Sequential, x mat.Matrix, got *mat.Dense) bool {
	const name = "predictions"
	if model == nil {
		return report(notYet(name, "there is no model", "train and save the model in the fit cell above (it saves when its check passes), then run this cell again"))
	}
	if x == nil {
		return report(notYet(name, "cannot check: x is nil", "pass the rows that were predicted"))
	}
	want, err := model.Predict(x)
	if err != nil {
		return report(notYet(name, "cannot check: "+err.Error(), "pass the rows that were predicted"))
	}
	if got == nil {
		return report(notYet(name, "the predictions are nil", "predictions, err = model.Predict(rows) returns them"))
	}
	wr, wc := want.Dims()
	gr, gc := got.Dims()
	if wr != gr || wc != gc {
		return report(notYet(name, fmt.Sprintf("you have %dx%d predictions for %d rows, want %dx%d", gr, gc, wr, wr, wc), "predict all the rows of x at once: model.Predict(x)"))
	}
	for i := range wr {
		for j := range wc {
			if !within(got.At(i, j), want.At(i, j), ModelTol) {
				return report(notYet(name, fmt.Sprintf("row %d: you have %.6g, the model predicts %.6g", i, got.At(i, j), want.At(i, j)), "predict with the trained model, on the same rows"))
			}
		}
	}
	return report(right(name, fmt.Sprintf("%dx%d", wr, wc)))
}

// Worker is the worker whose wage lesson 4 predicts: a 32-year-old married
// woman in the south, with 14 years of education and 12 years of experience,
// a union member, working in construction.
var Worker = map[string]float64{
	"union": 1, "education_yrs": 14, "experience_yrs": 12, "age": 32, "female": 1,
	"marr": 1, "south": 1, "manufacturing": 0, "construction": 1,
}

// WorkerRow checks row, the predictors of Worker in the order of the
// columns features (the data's d.Features), ready for Predict.
func WorkerRow(features []string, row []float64) bool {
	const name = "worker"
	want := make([]float64, len(features))
	for i, f := range features {
		v, ok := Worker[f]
		if !ok {
			return report(notYet(name, fmt.Sprintf("cannot check: the column %q is not described", f), "pass the wages data's d.Features"))
		}
		want[i] = v
	}
	if len(row) != len(want) {
		return report(notYet(name, fmt.Sprintf("the row has %s, the data %d columns", plural(len(row), "value"), len(want)), "one value per predictor column, in the order of d.Features"))
	}
	for i := range want {
		if row[i] != want[i] {
			return report(notYet(name, fmt.Sprintf("column %d (%s) is %s", i, features[i], num(row[i])),
				"go through d.Features in order: 0/1 columns are 1 when the description says so, the others are numbers of years"))
		}
	}
	return report(right(name, nums(row)))
}
