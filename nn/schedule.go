package nn

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"strings"
)

// LearningRate returns the optimizer's current learning rate, or 0 before
// Compile (Keras' model.optimizer.learning_rate).
func (m *Sequential) LearningRate() float64 {
	if m.compiled == nil {
		return 0
	}
	return m.compiled.opt.LearningRate
}

// SetLearningRate changes the optimizer's learning rate from the next
// training step on, keeping its running values (Keras' assignment to
// model.optimizer.learning_rate). The callbacks below use it.
func (m *Sequential) SetLearningRate(lr float64) error {
	if m.compiled == nil {
		return fmt.Errorf("nn.SetLearningRate: %w: call Compile first", ErrNotCompiled)
	}
	if !(lr > 0) || math.IsInf(lr, 0) {
		return fmt.Errorf("nn.SetLearningRate: the learning rate is %v: it must be a positive number", lr)
	}
	m.compiled.opt.LearningRate = lr
	if m.eng != nil {
		m.eng.setLearningRate(lr)
	}
	return nil
}

// maximize says whether a callback's monitored value is better higher:
// Mode "max", or "auto"/"" with an accuracy, precision, recall or auc
// (the metrics Keras marks as going "up").
func maximize(who, monitor, mode string) (bool, error) {
	switch mode {
	case "min":
		return false, nil
	case "max":
		return true, nil
	case "", "auto":
		name := Metric(strings.TrimPrefix(monitor, "val_"))
		return strings.Contains(monitor, "acc") || name == Precision || name == Recall || name == AUC, nil
	}
	return false, fmt.Errorf("%s Mode %q: use \"min\", \"max\" or \"auto\"", who, mode)
}

// ReduceLROnPlateau multiplies the learning rate by Factor when the
// monitored value has not improved by more than MinDelta for Patience
// epochs, then waits Cooldown epochs before counting again, never going
// below MinLR: Keras' callback, with its defaults for fields left at zero
// (Monitor "val_loss", Factor 0.1, Patience 10, MinDelta 1e-4). It adds
// "learning_rate" to every epoch's logs, so the History records it.
type ReduceLROnPlateau struct {
	Monitor  string  // "" = "val_loss"
	Factor   float64 // 0 = 0.1; between 0 and 1
	Patience int     // 0 = 10 (Keras' default); use NoPatience for 0
	Mode     string  // "min", "max", or ""/"auto": max for accuracies and auc
	MinDelta float64 // 0 = 1e-4; use a negative value for 0
	Cooldown int     // epochs to wait after a reduction before counting again
	MinLR    float64 // the learning rate never goes below it

	wait, cooldown int
	best           float64
}

// NoPatience is ReduceLROnPlateau.Patience 0, where Go's zero value means
// Keras' default of 10.
const NoPatience = -1

func (r *ReduceLROnPlateau) settings() (monitor string, factor float64, patience int, minDelta float64) {
	monitor, factor, patience, minDelta = cmp.Or(r.Monitor, "val_loss"), or(r.Factor, 0.1), r.Patience, or(r.MinDelta, 1e-4)
	if patience == 0 {
		patience = 10
	}
	return monitor, factor, max(patience, 0), max(minDelta, 0)
}

func (r *ReduceLROnPlateau) OnTrainBegin(m *Sequential, p TrainParams) error {
	monitor, factor, _, _ := r.settings()
	switch {
	case !(factor > 0 && factor < 1):
		return fmt.Errorf("ReduceLROnPlateau Factor is %v: it must be between 0 and 1 (0.1 divides the rate by 10)", factor)
	case r.Patience < NoPatience || r.Cooldown < 0 || r.MinLR < 0:
		return fmt.Errorf("ReduceLROnPlateau Patience %d, Cooldown %d, MinLR %v: none can be negative", r.Patience, r.Cooldown, r.MinLR)
	}
	if err := checkMonitor("ReduceLROnPlateau", monitor, r.Mode, p); err != nil {
		return err
	}
	r.wait, r.cooldown, r.best = 0, 0, math.NaN()
	return nil
}

// OnEpochEnd follows Keras' order: count down the cooldown, take an
// improvement, else count a bad epoch and reduce at Patience.
func (r *ReduceLROnPlateau) OnEpochEnd(m *Sequential, epoch int, logs map[string]float64) error {
	logs["learning_rate"] = m.LearningRate()
	monitor, factor, patience, minDelta := r.settings()
	current, err := monitored("ReduceLROnPlateau", monitor, logs)
	if err != nil {
		return err
	}
	if r.cooldown > 0 {
		r.cooldown--
		r.wait = 0
	}
	maxi, _ := maximize("", monitor, r.Mode)
	better := math.IsNaN(r.best) || current < r.best-minDelta
	if maxi {
		better = math.IsNaN(r.best) || current > r.best+minDelta
	}
	switch {
	case better:
		r.best, r.wait = current, 0
	case r.cooldown == 0:
		r.wait++
		if lr := m.LearningRate(); r.wait >= patience && float32(lr) > float32(r.MinLR) {
			if err := m.SetLearningRate(max(lr*factor, r.MinLR)); err != nil {
				return err
			}
			r.cooldown, r.wait = r.Cooldown, 0
		}
	}
	return nil
}

func (r *ReduceLROnPlateau) OnTrainEnd(*Sequential, *History) error { return nil }

// LearningRateScheduler sets the learning rate at the start of every epoch
// to Schedule(epoch, current rate), epochs counted from 0, as Keras'
// callback. It adds "learning_rate" to every epoch's logs.
//
//	decay := &nn.LearningRateScheduler{Schedule: func(epoch int, lr float64) float64 {
//		if epoch < 10 {
//			return lr
//		}
//		return lr * math.Exp(-0.1)
//	}}
type LearningRateScheduler struct {
	BaseCallback
	Schedule func(epoch int, lr float64) float64
}

func (s *LearningRateScheduler) OnTrainBegin(*Sequential, TrainParams) error {
	if s.Schedule == nil {
		return errors.New("LearningRateScheduler has no Schedule: give it a func(epoch int, lr float64) float64")
	}
	return nil
}

func (s *LearningRateScheduler) OnEpochBegin(m *Sequential, epoch int) error {
	lr := s.Schedule(epoch, m.LearningRate())
	if err := m.SetLearningRate(lr); err != nil {
		return fmt.Errorf("LearningRateScheduler: Schedule(%d, %v) returned %v: it must return a positive number", epoch, m.LearningRate(), lr)
	}
	return nil
}

func (s *LearningRateScheduler) OnEpochEnd(m *Sequential, _ int, logs map[string]float64) error {
	logs["learning_rate"] = m.LearningRate()
	return nil
}
