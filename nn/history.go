package nn

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// History is the one record of a run that Fit returns: the loss and metrics
// of every epoch (Keras' history.history), what Fit was asked to do, the best
// epoch of the monitored value, and why training stopped.
//
// "None" is written one way throughout: -1 for an epoch, NaN for a value, ""
// for a name. A History built by hand with Monitor "" has no best epoch
// recorded, whatever BestEpoch holds.
type History struct {
	// Epoch holds the indices of the epochs run, counted from 0 as Keras'
	// history.epoch: len(Epoch) is the number of epochs run.
	Epoch []int
	// History maps "loss", "val_loss", "accuracy", "val_accuracy", ... to one
	// value per epoch, as Keras' history.history.
	History map[string][]float64
	// Params is what Fit was asked to do: epochs, steps per epoch, batch size,
	// and the rows it trained and validated on (Keras 2's "Train on 623
	// samples, validate on 268 samples").
	Params TrainParams

	// Monitor is the value BestEpoch and Best refer to: EarlyStopping's if
	// there is one, else "val_loss" with validation data, else "loss".
	Monitor   string
	BestEpoch int     // the epoch with the best Monitor value; -1: none
	Best      float64 // that value; NaN: none

	// StopReason says why training ended before Params.Epochs ("" if it ran
	// them all), and StoppedEpoch in which epoch (-1 if it ran them all).
	StopReason   StopReason
	StoppedEpoch int
}

// StopReason says why Fit ended before its last epoch.
type StopReason string

const (
	StopEarlyStopping StopReason = "early_stopping" // EarlyStopping saw no improvement for Patience epochs
	StopTraining      StopReason = "stop_training"  // a callback set Sequential.StopTraining
	StopDiverged      StopReason = "diverged"       // the loss or val_loss became NaN or infinite
	StopError         StopReason = "error"          // a callback returned an error
)

// Stopped reports whether training ended before its last epoch.
func (h *History) Stopped() bool { return h.StopReason != "" }

// Keys returns the recorded names in the order Keras prints them: sorted,
// with the val_ ones last.
func (h *History) Keys() []string { return kerasOrder(h.History) }

func kerasOrder[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		av, bv := strings.HasPrefix(a, "val_"), strings.HasPrefix(b, "val_")
		if av != bv {
			if av {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	})
	return keys
}

// Last returns the value of name in the last epoch, or NaN if there is none.
func (h *History) Last(name string) float64 {
	v := h.History[name]
	if len(v) == 0 {
		return math.NaN()
	}
	return v[len(v)-1]
}

// TrainParams tells callbacks what a Fit is about to do.
type TrainParams struct {
	Epochs, Steps, BatchSize int
	Samples, ValSamples      int // the rows trained on and validated on
}

// String is Keras 2's line: "Train on 623 samples, validate on 268 samples".
func (p TrainParams) String() string {
	if p.ValSamples == 0 {
		return fmt.Sprintf("Train on %d samples", p.Samples)
	}
	return fmt.Sprintf("Train on %d samples, validate on %d samples", p.Samples, p.ValSamples)
}

// historyRecorder is the callback that fills the History, first in every Fit's
// list (Keras' History callback). It tracks the best epoch of the default
// monitor; an EarlyStopping overrides it at the end with its own.
type historyRecorder struct {
	BaseCallback
	h *History
}

func newHistory(p TrainParams) *History {
	return &History{History: map[string][]float64{}, Params: p, BestEpoch: -1, Best: math.NaN(), StoppedEpoch: -1}
}

func (r historyRecorder) OnTrainBegin(_ *Sequential, p TrainParams) error {
	r.h.Monitor = "loss"
	if p.ValSamples > 0 {
		r.h.Monitor = "val_loss"
	}
	return nil
}

func (r historyRecorder) OnEpochEnd(_ *Sequential, epoch int, logs map[string]float64) error {
	h := r.h
	h.Epoch = append(h.Epoch, epoch)
	for k, v := range logs {
		h.History[k] = append(h.History[k], v)
	}
	if v, ok := logs[h.Monitor]; ok && (h.BestEpoch < 0 || v < h.Best) {
		h.BestEpoch, h.Best = epoch, v
	}
	return nil
}
