package nn

import (
	"math"
	"slices"
	"strings"
)

// History is what Fit returns: the loss and metrics of every epoch, as
// Keras' History callback records them.
type History struct {
	// Epoch holds the epoch indices, counted from 0 as Keras' history.epoch.
	Epoch []int
	// History maps "loss", "val_loss", "accuracy", "val_accuracy", ... to one
	// value per epoch, as Keras' history.history.
	History map[string][]float64

	// Filled in by EarlyStopping: whether it ended training, at which epoch,
	// which epoch had the best monitored value, and what it monitored.
	Stopped      bool
	StoppedEpoch int
	BestEpoch    int
	Monitor      string
}

// Keys returns the recorded names in the order Keras prints them: sorted,
// with the val_ ones last.
func (h *History) Keys() []string {
	keys := make([]string, 0, len(h.History))
	for k := range h.History {
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
	Samples, ValSamples      int
}
