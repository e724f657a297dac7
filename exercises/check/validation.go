package check

import (
	"fmt"
	"math"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/nn"
	"gonum.org/v1/gonum/mat"
)

// Lesson 7, validation and early stopping, on the Titanic data.

var titanicLayers = []layerSpec{{100, nn.ReLU}, {100, nn.ReLU}, {2, nn.Softmax}}

// OneHot checks the Titanic target one-hot encoded for a softmax model:
// one row per passenger, a 1 in column 0 for those who died and in column 1
// for those who survived (Keras' to_categorical).
func OneHot(d *datasets.Dataset, got *mat.Dense) bool {
	const name = "target"
	if d == nil || d.Y == nil {
		return report(notYet(name, "cannot check: the data set or its target is nil", "pass the notebook's data set"))
	}
	if got == nil {
		return report(notYet(name, "the target is nil", "the Dataset has a method that one-hot encodes its target (Keras' to_categorical)"))
	}
	n := d.Len()
	r, c := got.Dims()
	if r != n || c != 2 {
		return report(notYet(name, fmt.Sprintf("the target is %dx%d, want %dx2", r, c, n), "one row per passenger and one column per class (died, survived)"))
	}
	for i := range n {
		class := int(d.Y.At(i, 0))
		for j := range 2 {
			want := 0.0
			if j == class {
				want = 1
			}
			if got.At(i, j) != want {
				return report(notYet(name, fmt.Sprintf("row %d is [%s %s], but passenger %d has survived = %d", i, num(got.At(i, 0)), num(got.At(i, 1)), i, class),
					"row i has a 1 in the column of passenger i's class and 0 elsewhere"))
			}
		}
	}
	return report(right(name, fmt.Sprintf("%dx2", n)))
}

// TitanicModel checks the lesson's model and how it is compiled:
// Dense(100, relu) with the Titanic data's number of predictor columns as
// input, Dense(100, relu), Dense(2, softmax); the adam optimizer, categorical
// cross-entropy, reporting accuracy. err is what the function that made it
// returned. It builds the model (as Summary does).
func TitanicModel(model *nn.Sequential, err error) bool {
	const name = "model"
	if err != nil {
		return report(notYet(name, "making the model returned an error: "+err.Error(), "the error says what to fix"))
	}
	if r := architecture(name, model, datasets.Titanic().NumFeatures(), titanicLayers); !r.ok {
		return report(r)
	}
	return report(compiledWith(name, model, nil, "adam", nn.CategoricalCrossentropy, nn.Accuracy))
}

// ValidationRows checks how many of n rows a validation split holds out, the
// way Keras (and nn) split: the first int(n * (1 - split)) rows train, the
// last ones validate.
func ValidationRows(n int, split float64, got int) bool {
	const name = "validation rows"
	if n <= 0 || !(split > 0 && split < 1) {
		return report(notYet(name, fmt.Sprintf("cannot check: %d rows, split %v", n, split), "pass the number of rows and a split between 0 and 1"))
	}
	train := int(float64(n) * (1 - split))
	want := n - train
	if got == want {
		return report(right(name, fmt.Sprintf("%d of %d; %d rows train", got, n, train)))
	}
	hint := "Keras trains on the first int(n * (1 - split)) rows (rounded down) and validates on the rest"
	if got == train {
		hint = "that is the number of training rows: the validation rows are the rest"
	}
	return report(notYet(name, fmt.Sprintf("you have %d", got), hint))
}

// Validation checks a fit with a validation split: the history of the given
// number of epochs with val_loss and val_accuracy for every epoch. err is
// what Fit returned.
func Validation(history *nn.History, err error, epochs int) bool {
	const name = "validation"
	if r := fitted(name, history, err); !r.ok {
		return report(r)
	}
	if epochs < 1 {
		return report(notYet(name, fmt.Sprintf("cannot check: epochs is %d", epochs), "pass the number of epochs the fit was asked for"))
	}
	loss := history.History["loss"]
	if len(loss) != epochs {
		return report(notYet(name, fmt.Sprintf("the history has %s, want %d", plural(len(loss), "epoch"), epochs), fmt.Sprintf("set Epochs: %d in nn.FitOptions", epochs)))
	}
	for _, k := range []string{"val_loss", "val_accuracy"} {
		v := history.History[k]
		if len(v) != epochs {
			return report(notYet(name, fmt.Sprintf("the history has no %s", k), "set ValidationSplit in nn.FitOptions (the lesson holds out 30%), and compile with the accuracy metric"))
		}
		for i, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return report(notYet(name, fmt.Sprintf("%s of epoch %d is %v", k, i+1, x), "training went wrong: check the model and compile settings"))
			}
		}
	}
	return report(right(name, fmt.Sprintf("val_loss %.4g, val_accuracy %.3g after %d epochs", history.Last("val_loss"), history.Last("val_accuracy"), epochs)))
}

// fitted checks that Fit returned a history without an error.
func fitted(name string, history *nn.History, err error) result {
	if err != nil {
		return notYet(name, "Fit returned an error: "+err.Error(), "the error says what to fix (the checks above must pass first)")
	}
	if history == nil {
		return notYet(name, "the history is nil", "history, err = model.Fit(x, y, nn.FitOptions{...}) trains the model and returns it")
	}
	return right(name, "")
}

// BestEpoch checks got, the epoch with the lowest val_loss in history,
// numbered from 1 as Keras prints them ("Epoch 1/10").
func BestEpoch(history *nn.History, got int) bool {
	const name = "best epoch"
	if history == nil {
		return report(notYet(name, "the history is nil", "fit the model with a validation split first"))
	}
	v := history.History["val_loss"]
	if len(v) == 0 {
		return report(notYet(name, "the history has no val_loss", "fit the model with a validation split first"))
	}
	best := 0
	for i, x := range v {
		if x < v[best] {
			best = i
		}
	}
	if got == best+1 {
		return report(right(name, fmt.Sprintf("epoch %d, val_loss %.4g", got, v[best])))
	}
	hint := `go through history.History["val_loss"] and keep the position of the smallest value`
	if got == best {
		hint = "Go counts from 0, Keras' epochs from 1: add 1"
	} else if got >= 1 && got <= len(v) {
		hint = fmt.Sprintf("val_loss of epoch %d is %.4g; another epoch's is lower (the lowest, not the last or the first)", got, v[got-1])
	}
	return report(notYet(name, fmt.Sprintf("you have %d", got), hint))
}

// EarlyStopping checks a fit with early stopping: stop must be the
// EarlyStopping callback Fit used, with Patience patience and monitoring
// val_loss, and the history must end where Keras' rule ends it: after
// patience epochs in a row without a new lowest val_loss, or after maxEpochs.
// err is what Fit returned.
func EarlyStopping(history *nn.History, err error, stop *nn.EarlyStopping, patience, maxEpochs int) bool {
	return report(earlyStopping(history, err, stop, patience, maxEpochs))
}

func earlyStopping(history *nn.History, err error, stop *nn.EarlyStopping, patience, maxEpochs int) result {
	const name = "early stopping"
	if stop == nil {
		return notYet(name, "there is no EarlyStopping callback", fmt.Sprintf("make one, &nn.EarlyStopping{Patience: %d}, and pass it to Fit in FitOptions.Callbacks", patience))
	}
	if stop.Patience != patience {
		return notYet(name, fmt.Sprintf("the callback has Patience %d", stop.Patience), fmt.Sprintf("the lesson stops after %d epochs without improvement: Patience: %d", patience, patience))
	}
	if stop.Monitor != "" && stop.Monitor != "val_loss" {
		return notYet(name, fmt.Sprintf("the callback monitors %s", stop.Monitor), "leave Monitor empty: it watches val_loss, as Keras' default")
	}
	if r := fitted(name, history, err); !r.ok {
		return r
	}
	v := history.History["val_loss"]
	if len(v) == 0 {
		return notYet(name, "the history has no val_loss", "early stopping watches val_loss: set ValidationSplit in nn.FitOptions")
	}
	// Keras' rule: each epoch without a new best adds 1 to a wait counter;
	// training stops at the end of an epoch where it reaches patience.
	want, best, wait := maxEpochs, math.Inf(1), 0
	for i, x := range v {
		wait++
		if x < best {
			best, wait = x, 0
		} else if wait >= patience && i > 0 {
			want = i + 1
			break
		}
	}
	if len(v) > want && history.StopReason != nn.StopEarlyStopping {
		return notYet(name, "Fit did not use the callback", "pass it to Fit: nn.FitOptions{Callbacks: []nn.Callback{stop}, ...}")
	}
	if len(v) != want {
		return notYet(name, fmt.Sprintf("training ran %s; with these val_loss values the rule stops after %d", plural(len(v), "epoch"), want),
			fmt.Sprintf("give Fit at most %d epochs (Epochs: %d) and the callback", maxEpochs, maxEpochs))
	}
	if want < maxEpochs {
		return right(name, fmt.Sprintf("stopped after epoch %d of %d; the best val_loss was at epoch %d", want, maxEpochs, history.BestEpoch+1))
	}
	return right(name, fmt.Sprintf("val_loss kept improving: all %d epochs ran", maxEpochs))
}
