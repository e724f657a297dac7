package check

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/nn"
)

func TestValidationRows(t *testing.T) {
	runCases(t, []tcase{
		{"right", func() bool { return ValidationRows(891, 0.3, 268) }, true, []string{"✓ validation rows: right (268 of 891; 623 rows train)"}},
		{"other splits", func() bool {
			return ValidationRows(891, 0.2, 179) && ValidationRows(891, 0.4, 357) && ValidationRows(2500, 0.3, 750)
		}, true, nil},
		{"rounded", func() bool { return ValidationRows(891, 0.3, 267) }, false, []string{"you have 267", "rounded down"}},
		{"training rows", func() bool { return ValidationRows(891, 0.3, 623) }, false, []string{"that is the number of training rows"}},
		{"blank", func() bool { return ValidationRows(891, 0.3, 0) }, false, []string{"you have 0"}},
		{"bad split", func() bool { return ValidationRows(891, 1.3, 0) }, false, []string{"cannot check"}},
	})
}

// titanicFit trains the lesson's model with the given options.
func titanicFit(t *testing.T, o nn.FitOptions) *nn.History {
	t.Helper()
	d := datasets.Titanic()
	y, err := d.YOneHot()
	must(t, err)
	m := titanicRight()
	m.Seed = 1
	must(t, m.Compile(nn.Adam{}, nn.CategoricalCrossentropy, nn.Accuracy))
	h, err := m.Fit(d.X, y, o)
	must(t, err)
	return h
}

func TestValidation(t *testing.T) {
	h := titanicFit(t, nn.FitOptions{Epochs: 10, ValidationSplit: 0.3})
	noVal := titanicFit(t, nn.FitOptions{Epochs: 3})
	nan := history(map[string][]float64{"loss": {1, 1}, "val_loss": {1, math.NaN()}, "val_accuracy": {0.5, 0.5}})
	runCases(t, []tcase{
		{"right", func() bool { return Validation(h, nil, 10) }, true, []string{"✓ validation: right (val_loss ", "after 10 epochs)"}},
		{"blank", func() bool { return Validation(nil, nil, 10) }, false, []string{"the history is nil", "model.Fit(x, y"}},
		{"error", func() bool { return Validation(nil, errors.New("Fit: boom"), 10) }, false, []string{"Fit returned an error: Fit: boom"}},
		{"epochs", func() bool { return Validation(h, nil, 5) }, false, []string{"the history has 10 epochs, want 5"}},
		{"no validation", func() bool { return Validation(noVal, nil, 3) }, false, []string{"the history has no val_loss", "set ValidationSplit"}},
		{"NaN", func() bool { return Validation(nan, nil, 2) }, false, []string{"val_loss of epoch 2 is NaN"}},
	})
}

func TestBestEpoch(t *testing.T) {
	h := history(map[string][]float64{"loss": {1, 1, 1, 1, 1}, "val_loss": {0.7, 0.5, 0.6, 0.4, 0.45}})
	runCases(t, []tcase{
		{"right", func() bool { return BestEpoch(h, 4) }, true, []string{"✓ best epoch: right (epoch 4, val_loss 0.4)"}},
		{"from 0", func() bool { return BestEpoch(h, 3) }, false, []string{"you have 3", "Go counts from 0, Keras' epochs from 1: add 1"}},
		{"the last", func() bool { return BestEpoch(h, 5) }, false, []string{"val_loss of epoch 5 is 0.45; another epoch's is lower"}},
		{"blank", func() bool { return BestEpoch(h, 0) }, false, []string{"you have 0", `history.History["val_loss"]`}},
		{"out of range", func() bool { return BestEpoch(h, 9) }, false, []string{"you have 9", "keep the position of the smallest value"}},
		{"no history", func() bool { return BestEpoch(nil, 1) }, false, []string{"the history is nil"}},
		{"no val_loss", func() bool { return BestEpoch(history(map[string][]float64{"loss": {1}}), 1) }, false, []string{"the history has no val_loss"}},
	})
}

func TestEarlyStopping(t *testing.T) {
	stop := &nn.EarlyStopping{Patience: 2}
	h := titanicFit(t, nn.FitOptions{Epochs: 30, ValidationSplit: 0.3, Callbacks: []nn.Callback{stop}})
	if len(h.Epoch) >= 30 {
		t.Fatalf("the lesson's fit did not stop early (%d epochs): the test needs one that does", len(h.Epoch))
	}
	notUsed := titanicFit(t, nn.FitOptions{Epochs: 30, ValidationSplit: 0.3})
	// Synthetic histories, as Fit with the callback leaves them.
	withMonitor := func(val ...float64) *nn.History {
		h := history(map[string][]float64{"val_loss": val})
		h.Monitor = "val_loss"
		return h
	}
	runCases(t, []tcase{
		{"right", func() bool { return EarlyStopping(h, nil, stop, 2, 30) }, true,
			[]string{"✓ early stopping: right (stopped after epoch ", " of 30; the best val_loss was at epoch "}},
		{"kept improving", func() bool { return EarlyStopping(withMonitor(0.5, 0.4, 0.3), nil, stop, 2, 3) }, true,
			[]string{"✓ early stopping: right (val_loss kept improving: all 3 epochs ran)"}},
		{"rule", func() bool { return EarlyStopping(withMonitor(0.5, 0.6, 0.7), nil, stop, 2, 30) }, true, []string{"stopped after epoch 3 of 30"}},
		{"ran past the stop", func() bool {
			h := withMonitor(0.5, 0.6, 0.7, 0.8)
			h.StopReason = nn.StopEarlyStopping
			return EarlyStopping(h, nil, stop, 2, 30)
		}, false,
			[]string{"training ran 4 epochs; with these val_loss values the rule stops after 3"}},
		{"blank", func() bool { return EarlyStopping(nil, nil, nil, 2, 30) }, false,
			[]string{"there is no EarlyStopping callback", "&nn.EarlyStopping{Patience: 2}"}},
		{"patience", func() bool { return EarlyStopping(h, nil, &nn.EarlyStopping{Patience: 3}, 2, 30) }, false, []string{"the callback has Patience 3", "Patience: 2"}},
		{"monitor", func() bool { return EarlyStopping(h, nil, &nn.EarlyStopping{Patience: 2, Monitor: "loss"}, 2, 30) }, false, []string{"the callback monitors loss"}},
		{"not passed to Fit", func() bool { return EarlyStopping(notUsed, nil, stop, 2, 30) }, false, []string{"Fit did not use the callback", "Callbacks: []nn.Callback{stop}"}},
		{"no history", func() bool { return EarlyStopping(nil, nil, stop, 2, 30) }, false, []string{"the history is nil"}},
		{"error", func() bool { return EarlyStopping(nil, errors.New("Fit: boom"), stop, 2, 30) }, false, []string{"Fit returned an error"}},
		{"no validation", func() bool {
			return EarlyStopping(history(map[string][]float64{"loss": {1}}), nil, stop, 2, 30)
		}, false, []string{"the history has no val_loss", "set ValidationSplit"}},
	})
}

// Every check, given zero values, nils and empty things, says "not yet" and
// never panics: a blank left as it is must not stop a student's cell.
func TestZeroValuesNeverPanic(t *testing.T) {
	empty := nn.NewSequential()
	checks := map[string]func() bool{
		"Hidden":           func() bool { return Hidden(0, nil, nil, "", nil) },
		"Output":           func() bool { return Output(nil, nil, "", 0) },
		"ReLU":             func() bool { return ReLU(nil) },
		"Predictor":        func() bool { return Predictor("", nil, nil, nil, "") },
		"Results":          func() bool { return Results("", nil, nil, "", nil) },
		"Model":            func() bool { return Model(nil, nil, "", nil) },
		"Model empty":      func() bool { return Model(empty, course1, nn.ReLU, courseRows) },
		"PredictionError":  func() bool { return PredictionError(nil, nil, 0, 0) },
		"ZeroError":        func() bool { return ZeroError(nil, 0, nil, nil) },
		"MeanSquaredError": func() bool { return MeanSquaredError(nil) },
		"NetworkMSE":       func() bool { return NetworkMSE("", nil, nil, nil, 0) },
		"Slope":            func() bool { return Slope(nil, nil, 0, nil) },
		"Update":           func() bool { return Update("", nil, nil, 0, 0, nil) },
		"GetSlope":         func() bool { return GetSlope(nil) },
		"GetMSE":           func() bool { return GetMSE(nil) },
		"MSEHistory":       func() bool { return MSEHistory(nil, 0, nil, 0, 0, nil) },
		"SameAsByHand":     func() bool { return SameAsByHand(nil, nil, nil, 0, nil, 0, 0) },
		"SameAsByHand 2":   func() bool { return SameAsByHand(empty, &nn.History{}, slopeIn, 0, slopeW, 0.01, 20) },
		"NumColumns":       func() bool { return NumColumns(nil, 0) },
		"NumColumns 2":     func() bool { return NumColumns(&datasets.Dataset{}, 1) },
		"ColumnMean":       func() bool { return ColumnMean(&datasets.Dataset{}, "", 0) },
		"WagesModel":       func() bool { return WagesModel(nil) },
		"WagesCompile":     func() bool { return WagesCompile(nil, nil) },
		"WagesFit":         func() bool { return WagesFit(&nn.History{}, nil, 10) },
		"Predictions":      func() bool { return Predictions(empty, nil, nil) },
		"WorkerRow":        func() bool { return WorkerRow(nil, []float64{1}) },
		"OneHot":           func() bool { return OneHot(&datasets.Dataset{}, nil) },
		"TitanicModel":     func() bool { return TitanicModel(empty, nil) },
		"ValidationRows":   func() bool { return ValidationRows(0, 0, 0) },
		"Validation":       func() bool { return Validation(&nn.History{}, nil, 10) },
		"BestEpoch":        func() bool { return BestEpoch(&nn.History{}, 0) },
		"EarlyStopping":    func() bool { return EarlyStopping(&nn.History{}, nil, &nn.EarlyStopping{}, 0, 0) },
	}
	for name, f := range checks {
		var ok bool
		var out string
		err := call(func() { ok, out = verdict(f) })
		switch {
		case err != nil:
			t.Errorf("%s panicked: %v", name, err)
		case ok:
			t.Errorf("%s passed on zero values: %q", name, out)
		case !strings.Contains(out, ": not yet: "):
			t.Errorf("%s printed %q, want a 'not yet'", name, out)
		}
	}
}
