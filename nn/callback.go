package nn

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Callback is called by Fit at the start, after every epoch and at the end,
// as keras.callbacks.Callback. Embed BaseCallback to implement only what you
// need. To stop training, set m.StopTraining in OnEpochEnd; an error stops
// training too, and Fit returns it.
type Callback interface {
	OnTrainBegin(m *Sequential, p TrainParams) error
	OnEpochEnd(m *Sequential, epoch int, logs map[string]float64) error
	OnTrainEnd(m *Sequential, h *History) error
}

// BaseCallback does nothing; embed it in a callback of your own.
type BaseCallback struct{}

func (BaseCallback) OnTrainBegin(*Sequential, TrainParams) error           { return nil }
func (BaseCallback) OnEpochEnd(*Sequential, int, map[string]float64) error { return nil }
func (BaseCallback) OnTrainEnd(*Sequential, *History) error                { return nil }

// EarlyStopping stops training when the monitored value has not improved
// for Patience epochs, with Keras' defaults and counting: every epoch adds 1
// to a wait counter, an improvement by more than MinDelta resets it, and
// training stops at the end of an epoch (not the first) where wait >= Patience.
// Use it as &nn.EarlyStopping{Patience: 2}; after Fit, StoppedEpoch and
// BestEpoch say what happened (also recorded in the History).
type EarlyStopping struct {
	Monitor            string  // "" = "val_loss"
	MinDelta           float64 // the smallest change that counts as an improvement
	Patience           int     // epochs without improvement before stopping
	Mode               string  // "min", "max", or ""/"auto": max for accuracies, min otherwise
	RestoreBestWeights bool    // when it stops, go back to the best epoch's weights

	StoppedEpoch int     // the epoch at which it stopped training (0 if it did not)
	BestEpoch    int     // the epoch with the best value
	Best         float64 // that value

	wait        int
	seen        bool
	bestWeights [][]float64
}

func (e *EarlyStopping) monitor() string {
	if e.Monitor == "" {
		return "val_loss"
	}
	return e.Monitor
}

func (e *EarlyStopping) maximize() (bool, error) {
	switch e.Mode {
	case "min":
		return false, nil
	case "max":
		return true, nil
	case "", "auto":
		return strings.Contains(e.monitor(), "acc"), nil
	}
	return false, fmt.Errorf("EarlyStopping Mode %q: use \"min\", \"max\" or \"auto\"", e.Mode)
}

func (e *EarlyStopping) OnTrainBegin(m *Sequential, p TrainParams) error {
	if _, err := e.maximize(); err != nil {
		return err
	}
	if e.Patience < 0 {
		return fmt.Errorf("EarlyStopping Patience is %d: it must be 0 or more", e.Patience)
	}
	if strings.HasPrefix(e.monitor(), "val_") && p.ValSamples == 0 {
		return fmt.Errorf("EarlyStopping monitors %q but there is no validation data: set ValidationSplit or ValidationX/ValidationY in FitOptions, or monitor \"loss\"", e.monitor())
	}
	e.wait, e.seen, e.StoppedEpoch, e.BestEpoch, e.Best, e.bestWeights = 0, false, 0, 0, math.NaN(), nil
	return nil
}

func (e *EarlyStopping) OnEpochEnd(m *Sequential, epoch int, logs map[string]float64) error {
	current, ok := logs[e.monitor()]
	if !ok {
		return fmt.Errorf("EarlyStopping monitors %q, which training does not report: choose one of %s", e.monitor(), joinNames(sortedKeys(logs)))
	}
	if e.RestoreBestWeights && e.bestWeights == nil {
		e.bestWeights = m.eng.getWeights()
	}
	e.wait++
	if e.improved(current) {
		e.Best, e.BestEpoch, e.seen, e.wait = current, epoch, true, 0
		if e.RestoreBestWeights {
			e.bestWeights = m.eng.getWeights()
		}
		return nil
	}
	if e.wait >= e.Patience && epoch > 0 {
		e.StoppedEpoch = epoch
		m.StopTraining = true
	}
	return nil
}

func (e *EarlyStopping) improved(current float64) bool {
	if !e.seen {
		return true
	}
	d := math.Abs(e.MinDelta)
	if maxi, _ := e.maximize(); maxi {
		return current-d > e.Best
	}
	return current+d < e.Best
}

func (e *EarlyStopping) OnTrainEnd(m *Sequential, h *History) error {
	h.Monitor, h.BestEpoch = e.monitor(), e.BestEpoch
	if e.StoppedEpoch > 0 {
		h.Stopped, h.StoppedEpoch = true, e.StoppedEpoch
		if e.RestoreBestWeights && e.bestWeights != nil {
			m.eng.setWeights(e.bestWeights)
		}
	}
	return nil
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
