package nn

import (
	"cmp"
	"fmt"
	"math"
)

// Callback is called by Fit at the start, after every epoch and at the end,
// as keras.callbacks.Callback. Embed BaseCallback to implement only what you
// need; a callback that also has OnEpochBegin(m, epoch) error (BaseCallback
// has one) is called at the start of every epoch too. To stop training, set
// m.StopTraining in OnEpochEnd; an error stops training too, and Fit returns
// it, naming the callback. OnTrainEnd is always called, also when training
// diverged or another callback failed.
type Callback interface {
	OnTrainBegin(m *Sequential, p TrainParams) error
	OnEpochEnd(m *Sequential, epoch int, logs map[string]float64) error
	OnTrainEnd(m *Sequential, h *History) error
}

type epochBeginner interface {
	OnEpochBegin(m *Sequential, epoch int) error
}

// BaseCallback does nothing; embed it in a callback of your own.
type BaseCallback struct{}

func (BaseCallback) OnTrainBegin(*Sequential, TrainParams) error           { return nil }
func (BaseCallback) OnEpochBegin(*Sequential, int) error                   { return nil }
func (BaseCallback) OnEpochEnd(*Sequential, int, map[string]float64) error { return nil }
func (BaseCallback) OnTrainEnd(*Sequential, *History) error                { return nil }

// callbackList calls every callback in turn, as Keras' CallbackList: the
// progress printer first, then the user's, then the History recorder (so it
// records what they add to the logs, such as "learning_rate"). An error
// stops the calls and names the user's callback that returned it.
type callbackList struct {
	cbs      []Callback
	from, to int // cbs[from:to] are FitOptions.Callbacks
}

func newCallbackList(before, user, after []Callback) (callbackList, error) {
	for i, c := range user {
		if c == nil {
			return callbackList{}, fmt.Errorf("Callbacks[%d] is nil: remove it, or pass a callback such as &nn.EarlyStopping{Patience: 2}", i)
		}
	}
	all := append(append(append([]Callback(nil), before...), user...), after...)
	return callbackList{cbs: all, from: len(before), to: len(before) + len(user)}, nil
}

// named says which of the user's callbacks returned err.
func (l callbackList) named(i int, err error) error {
	if err == nil || i < l.from || i >= l.to {
		return err
	}
	return fmt.Errorf("callback %d (%T): %w", i-l.from, l.cbs[i], err)
}

func (l callbackList) each(f func(Callback) error) error {
	for i, c := range l.cbs {
		if err := f(c); err != nil {
			return l.named(i, err)
		}
	}
	return nil
}

// trainBegin starts every callback; if one fails, the list it returns holds
// those started before it, the ones to end.
func (l callbackList) trainBegin(m *Sequential, p TrainParams) (callbackList, error) {
	for i, c := range l.cbs {
		if err := c.OnTrainBegin(m, p); err != nil {
			err = l.named(i, err)
			l.cbs = l.cbs[:i]
			return l, err
		}
	}
	return l, nil
}

func (l callbackList) epochBegin(m *Sequential, epoch int) error {
	return l.each(func(c Callback) error {
		if b, ok := c.(epochBeginner); ok {
			return b.OnEpochBegin(m, epoch)
		}
		return nil
	})
}

func (l callbackList) epochEnd(m *Sequential, epoch int, logs map[string]float64) error {
	return l.each(func(c Callback) error { return c.OnEpochEnd(m, epoch, logs) })
}

// trainEnd calls every OnTrainEnd, even after one fails, and returns the
// first error.
func (l callbackList) trainEnd(m *Sequential, h *History) error {
	var first error
	for i, c := range l.cbs {
		if err := l.named(i, c.OnTrainEnd(m, h)); first == nil {
			first = err
		}
	}
	return first
}

// EarlyStopping stops training when the monitored value has not improved
// for Patience epochs, with Keras' defaults and counting: every epoch adds 1
// to a wait counter, an improvement by more than MinDelta resets it, and
// training stops at the end of an epoch (not the first) where wait >= Patience.
// Use it as &nn.EarlyStopping{Patience: 2}. It keeps only its settings: what
// happened (the best epoch and value, where it stopped) is in the History
// that Fit returns.
type EarlyStopping struct {
	Monitor  string  // "" = "val_loss"
	MinDelta float64 // the smallest change that counts as an improvement
	Patience int     // epochs without improvement before stopping
	Mode     string  // "min", "max", or ""/"auto": max for accuracies and auc, min otherwise
	// RestoreBestWeights goes back to the best epoch's weights when training
	// ends early: stopped by this callback, by another, or by divergence.
	RestoreBestWeights bool

	// The run in progress.
	wait, bestEpoch, stoppedEpoch int
	best                          float64
	bestWeights                   [][]float64
}

func (e *EarlyStopping) monitor() string { return cmp.Or(e.Monitor, "val_loss") }

func (e *EarlyStopping) maximize() (bool, error) {
	return maximize("EarlyStopping", e.monitor(), e.Mode)
}

func (e *EarlyStopping) OnTrainBegin(m *Sequential, p TrainParams) error {
	if e.Patience < 0 {
		return fmt.Errorf("EarlyStopping Patience is %d: it must be 0 or more", e.Patience)
	}
	if err := checkMonitor("EarlyStopping", e.monitor(), e.Mode, p); err != nil {
		return err
	}
	e.wait, e.bestEpoch, e.stoppedEpoch, e.best, e.bestWeights = 0, -1, -1, math.NaN(), nil
	return nil
}

func (e *EarlyStopping) OnEpochEnd(m *Sequential, epoch int, logs map[string]float64) error {
	current, err := monitored("EarlyStopping", e.monitor(), logs)
	if err != nil {
		return err
	}
	e.wait++
	if e.improved(current) {
		e.best, e.bestEpoch, e.wait = current, epoch, 0
		if e.RestoreBestWeights {
			e.bestWeights = m.eng.getWeights()
		}
		return nil
	}
	if e.wait >= e.Patience && epoch > 0 {
		e.stoppedEpoch = epoch
		m.StopTraining = true
	}
	return nil
}

func (e *EarlyStopping) improved(current float64) bool {
	if e.bestEpoch < 0 {
		return true
	}
	d := math.Abs(e.MinDelta)
	if maxi, _ := e.maximize(); maxi {
		return current-d > e.best
	}
	return current+d < e.best
}

// OnTrainEnd writes the best epoch and the stop into the History, and
// restores the best weights if asked to and training ended early.
func (e *EarlyStopping) OnTrainEnd(m *Sequential, h *History) error {
	h.Monitor, h.BestEpoch, h.Best = e.monitor(), e.bestEpoch, e.best
	if e.stoppedEpoch >= 0 && h.StopReason == StopTraining {
		h.StopReason, h.StoppedEpoch = StopEarlyStopping, e.stoppedEpoch
	}
	if e.RestoreBestWeights && e.bestWeights != nil && h.Stopped() {
		m.eng.setWeights(e.bestWeights)
	}
	return nil
}
