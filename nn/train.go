package nn

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"

	"gonum.org/v1/gonum/mat"
)

// FitOptions are Keras' fit arguments. The zero value trains one epoch in
// batches of 32, shuffled, silently.
type FitOptions struct {
	Epochs    int  // 0 = 1, Keras' default
	BatchSize int  // 0 = 32
	NoShuffle bool // Keras shuffles the training rows every epoch unless shuffle=False

	// ValidationSplit holds out this fraction of the rows for validation: the
	// LAST rows, taken before any shuffling, as Keras does. Between 0 and 1.
	ValidationSplit float64
	// ValidationX and ValidationY are validation data given explicitly
	// (Keras' validation_data); they take precedence over ValidationSplit.
	ValidationX, ValidationY any

	// ClassWeight weighs each training row's loss by its class (from y's
	// class number or one-hot column; a class left out weighs 1), and
	// SampleWeight row by row, one weight per row of x, as Keras' class_weight
	// and sample_weight (metrics are weighted means). Give one or the other.
	ClassWeight  map[int]float64
	SampleWeight []float64

	Callbacks []Callback

	// Verbose uses Keras' numbers: 0 prints nothing (Go's zero value; Keras'
	// own default is 1), 1 a progress bar line per epoch, 2 one plain line per epoch.
	Verbose int
	Output  io.Writer // where progress goes; nil = os.Stdout
}

// Fit trains the model on x and y, as Keras' fit, and returns the loss and
// metrics of every epoch. x has one row per example; y has the targets (for
// categorical_crossentropy one-hot rows: see ToCategorical). Both can be a
// *mat.Dense, [][]float64, or for one column []float64 or []int. If the loss
// becomes NaN or infinite, training stops with an error, and the History so
// far is returned with it.
func (m *Sequential) Fit(x, y any, o FitOptions) (*History, error) {
	d, err := m.fitData(x, y, o)
	if err != nil {
		return nil, fmt.Errorf("nn.Fit: %w", err)
	}
	h, err := m.train(d, o)
	if err != nil {
		return h, fmt.Errorf("nn.Fit: %w", err)
	}
	return h, nil
}

// Evaluate returns the loss and metrics of the model on x and y, as Keras'
// evaluate: {"loss": ..., "accuracy": ...}.
func (m *Sequential) Evaluate(x, y any) (map[string]float64, error) {
	if m.compiled == nil {
		return nil, fmt.Errorf("nn.Evaluate: %w: call Compile first", ErrNotCompiled)
	}
	xm, ym, err := m.checkXY(x, y, true)
	if err != nil {
		return nil, fmt.Errorf("nn.Evaluate: %w", err)
	}
	return m.eng.evaluate(xm, ym, m.compiled.metrics, m.compiled.loss), nil
}

// Predict returns the model's outputs for x, one row per row of x. For a
// softmax output each row holds the class probabilities.
func (m *Sequential) Predict(x any) (*mat.Dense, error) {
	xm, err := readMatrix("x", x) // predict checks the values as it converts them
	if err != nil {
		return nil, fmt.Errorf("nn.Predict: %w", err)
	}
	if err := m.checkX(xm); err != nil {
		return nil, fmt.Errorf("nn.Predict: %w", err)
	}
	return m.eng.predict(xm)
}

// train is the training loop: every epoch shuffles the rows and trains on
// them a batch at a time (the step TrainOnBatch takes), then the callbacks
// see the epoch's logs: the progress printer, the user's, the History
// recorder. Whatever stops training, the callbacks' OnTrainEnd runs.
func (m *Sequential) train(d fitData, o FitOptions) (*History, error) {
	// A batch larger than the data is one batch of all the rows, as in Keras.
	bs, rows := min(cmp.Or(o.BatchSize, 32), d.x.rows), d.x.rows
	if !m.eng.beginFit() {
		return nil, errAlreadyTraining
	}
	defer m.eng.endFit()
	p := TrainParams{Epochs: max(o.Epochs, 1), BatchSize: bs, Steps: (rows + bs - 1) / bs, Samples: rows, ValSamples: d.xv.rows}
	h := newHistory(p)
	var before []Callback
	if o.Verbose > 0 {
		before = append(before, &progress{w: cmp.Or[io.Writer](o.Output, os.Stdout), verbose: o.Verbose})
	}
	cbs, err := newCallbackList(before, o.Callbacks, []Callback{historyRecorder{h: h}})
	if err != nil {
		return nil, err
	}
	m.StopTraining = false
	m.eng.prepare(d.metrics, d.loss, d.y.cols)
	if cbs, err = cbs.trainBegin(m, p); err != nil {
		h.StopReason, h.StoppedEpoch = StopError, 0
		cbs.trainEnd(m, h)
		return h, err
	}
	order := make([]int, rows)
	for i := range order {
		order[i] = i
	}
	epoch := 0
	for ; epoch < p.Epochs && !m.StopTraining; epoch++ {
		if err = cbs.epochBegin(m, epoch); err != nil {
			break
		}
		if !o.NoShuffle {
			rand.New(m.rng).Shuffle(rows, func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		var loss float64
		m.eng.resetMetrics()
		for s := 0; s < p.Steps && err == nil; s++ {
			l := m.eng.trainBatch(d.x, d.y, d.w, order[s*bs:min((s+1)*bs, rows)])
			if l-l != 0 { // NaN or infinite
				err = m.diverged("loss", l, fmt.Sprintf("epoch %d, batch %d of %d", epoch+1, s+1, p.Steps))
			}
			loss += l
		}
		if err != nil {
			break
		}
		logs := map[string]float64{"loss": loss / float64(rows)}
		m.eng.metricLogs(logs) // of all the epoch's batches together, as Keras' stateful metrics
		if d.hasVal {
			for k, v := range m.eng.evaluate(d.xv, d.yv, d.metrics, d.loss) {
				logs["val_"+k] = v
			}
			if err = m.diverged("val_loss", logs["val_loss"], fmt.Sprintf("epoch %d", epoch+1)); err != nil {
				break
			}
		}
		if err = cbs.epochEnd(m, epoch, logs); err != nil {
			break
		}
	}
	switch {
	case errors.Is(err, ErrDiverged):
		h.StopReason, h.StoppedEpoch = StopDiverged, epoch
	case err != nil:
		h.StopReason, h.StoppedEpoch = StopError, epoch
	case m.StopTraining:
		h.StopReason, h.StoppedEpoch = StopTraining, epoch-1
	}
	if e := cbs.trainEnd(m, h); err == nil {
		err = e
	}
	return h, err
}

// TrainOnBatch performs one training step on x and y, as Keras'
// train_on_batch: forward, loss, backward and one optimizer update on all
// the rows at once, not shuffled. It returns the batch's loss and metrics
// before the update, {"loss": ..., "accuracy": ...}. Fit is a loop over it.
func (m *Sequential) TrainOnBatch(x, y any) (map[string]float64, error) {
	if m.compiled == nil {
		return nil, fmt.Errorf("nn.TrainOnBatch: %w: call Compile(optimizer, loss, metrics...) first", ErrNotCompiled)
	}
	xm, ym, err := m.checkXY(x, y, true)
	if err != nil {
		return nil, fmt.Errorf("nn.TrainOnBatch: %w", err)
	}
	if !m.eng.beginFit() {
		return nil, fmt.Errorf("nn.TrainOnBatch: %w", errAlreadyTraining)
	}
	defer m.eng.endFit()
	m.eng.prepare(m.compiled.metrics, m.compiled.loss, ym.cols)
	l := m.eng.trainBatch(xm, ym, nil, nil)
	if err := m.diverged("loss", l, "this batch"); err != nil {
		return nil, fmt.Errorf("nn.TrainOnBatch: %w", err)
	}
	logs := map[string]float64{"loss": l / float64(xm.rows)}
	m.eng.metricLogs(logs)
	return logs, nil
}
