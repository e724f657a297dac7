package nn

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"time"

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

	Callbacks []Callback

	// Verbose uses Keras' numbers: 0 prints nothing (Go's zero value; Keras'
	// own default is 1), 1 a progress bar line per epoch, 2 one plain line per epoch.
	Verbose int
	Output  io.Writer // where progress goes; nil = os.Stdout
}

// fitData is the data of one Fit, still in float64. Everything is checked
// but the values of x and xv, which are checked as they are converted.
type fitData struct {
	x, y, xv, yv matrix[float64]
	hasVal       bool
	xvName       string // what errors call xv
	xvRow0       int    // the row of the user's data where xv starts
	metrics      []Metric
	loss         Loss
}

// Fit trains the model on x and y, as Keras' fit, and returns the loss and
// metrics of every epoch. x has one row per example; y has the targets (for
// categorical_crossentropy one-hot rows: see ToCategorical). Both can be a
// *mat.Dense, [][]float64, or for one column []float64 or []int. If the loss
// becomes NaN or infinite, training stops with an error, and the History so
// far is returned with it.
func (m *Sequential) Fit(x, y any, o FitOptions) (*History, error) {
	h, err := m.fit(x, y, o)
	if err != nil {
		return h, fmt.Errorf("Fit: %w", err)
	}
	return h, nil
}

func (m *Sequential) fit(x, y any, o FitOptions) (*History, error) {
	if m.compiled == nil {
		if len(m.specs) == 0 {
			return nil, errors.New("the model has no layers: Add a Dense layer, then Compile")
		}
		return nil, errors.New("the model is not compiled: call Compile(optimizer, loss, metrics...) before Fit")
	}
	switch {
	case o.Epochs < 0:
		return nil, fmt.Errorf("Epochs is %d: it must be at least 1", o.Epochs)
	case o.BatchSize < 0:
		return nil, fmt.Errorf("BatchSize is %d: it must be at least 1", o.BatchSize)
	case o.Verbose < 0 || o.Verbose > 2:
		return nil, fmt.Errorf("Verbose is %d: use 0 (silent), 1 (progress bar) or 2 (one line per epoch)", o.Verbose)
	}
	d := fitData{metrics: m.compiled.metrics, loss: m.compiled.loss, xvName: "x"}
	var err error
	if d.x, d.y, err = m.checkXY(x, y, false); err != nil {
		return nil, err
	}
	switch {
	case o.ValidationX != nil || o.ValidationY != nil:
		if d.xv, d.yv, err = m.checkXY(o.ValidationX, o.ValidationY, false); err != nil {
			return nil, fmt.Errorf("validation data: %v", err)
		}
		d.hasVal, d.xvName = true, "validation data: x"
	case o.ValidationSplit != 0:
		s := o.ValidationSplit
		if !(s > 0 && s < 1) {
			return nil, fmt.Errorf("ValidationSplit is %v: it must be between 0 and 1 (e.g. 0.3 holds out the last 30%% of the rows)", s)
		}
		n := d.x.rows
		split := int(float64(n) * (1 - s)) // Keras' own expression, for the same sizes
		if split == 0 || split == n {
			return nil, fmt.Errorf("ValidationSplit %v of %d rows leaves %d for training and %d for validation: both need at least one row", s, n, split, n-split)
		}
		d.xv, d.yv = sliceRows(d.x, split, n), sliceRows(d.y, split, n)
		d.x, d.y = sliceRows(d.x, 0, split), sliceRows(d.y, 0, split)
		d.hasVal, d.xvRow0 = true, split
	}
	return m.eng.fit(m, d, o)
}

// Evaluate returns the loss and metrics of the model on x and y, as Keras'
// evaluate: {"loss": ..., "accuracy": ...}.
func (m *Sequential) Evaluate(x, y any) (map[string]float64, error) {
	if m.compiled == nil {
		return nil, errors.New("Evaluate: the model is not compiled: call Compile first")
	}
	xm, ym, err := m.checkXY(x, y, true)
	if err != nil {
		return nil, fmt.Errorf("Evaluate: %v", err)
	}
	return m.eng.evaluate(xm, ym, m.compiled.metrics, m.compiled.loss), nil
}

// Predict returns the model's outputs for x, one row per row of x. For a
// softmax output each row holds the class probabilities.
func (m *Sequential) Predict(x any) (*mat.Dense, error) {
	xm, err := toMatrix("x", x)
	if err != nil {
		return nil, fmt.Errorf("Predict: %v", err)
	}
	if err := m.checkX(xm); err != nil {
		return nil, fmt.Errorf("Predict: %v", err)
	}
	return m.eng.predict(xm), nil
}

// fit is the training loop: for every epoch, shuffle, then for every batch
// forward, loss, backward and one optimizer step.
func (n *net[T]) fit(m *Sequential, d fitData, o FitOptions) (*History, error) {
	epochs, bs := max(o.Epochs, 1), o.BatchSize
	if bs == 0 {
		bs = 32
	}
	// The data stays in float64, in the user's own storage when it can: each
	// batch's rows are converted to T as they are gathered, which costs little
	// more than the copy shuffling needs anyway, where converting all of it
	// first would double the memory a large data set takes.
	x, y, xv, yv := d.x, d.y, d.xv, d.yv
	if err := checkFiniteParallel("x", x, 0); err != nil {
		return nil, err
	}
	if err := checkFiniteParallel(d.xvName, xv, d.xvRow0); err != nil {
		return nil, err
	}
	rows := x.rows
	steps := (rows + bs - 1) / bs
	metrics := make([]metricFunc[T], len(d.metrics))
	for i, mt := range d.metrics {
		metrics[i] = metricFor[T](mt, d.loss, y.cols, n.output().units)
	}
	out := o.Output
	if out == nil {
		out = os.Stdout
	}
	h := &History{History: map[string][]float64{}, BestEpoch: -1}
	p := TrainParams{Epochs: epochs, Steps: steps, BatchSize: bs, Samples: rows, ValSamples: xv.rows}
	m.StopTraining = false
	for _, c := range o.Callbacks {
		if err := c.OnTrainBegin(m, p); err != nil {
			return h, err
		}
	}
	order := make([]int, rows)
	for i := range order {
		order[i] = i
	}
	sums := make([]float64, len(metrics))
	for epoch := 0; epoch < epochs && !m.StopTraining; epoch++ {
		start := time.Now()
		if !o.NoShuffle {
			rand.New(m.rng).Shuffle(rows, func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		var lossSum float64
		clear(sums)
		for s := range steps {
			xb, yb := n.gather(x, y, order[s*bs:min((s+1)*bs, rows)])
			outb := n.forward(xb)
			l := n.loss.forward(yb, outb, n.output().net)
			if math.IsNaN(l) || math.IsInf(l, 0) {
				return h, fmt.Errorf("the loss became %v in epoch %d, batch %d of %d: training diverged; lower the learning rate (it is %v) or scale the inputs",
					l, epoch+1, s+1, steps, m.compiled.opt.LearningRate)
			}
			lossSum += l
			for i, f := range metrics {
				sums[i] += f(yb, outb)
			}
			n.backward(yb)
			n.opt.step(n)
		}
		logs := map[string]float64{"loss": lossSum / float64(rows)}
		for i, mt := range d.metrics {
			logs[string(mt)] = sums[i] / float64(rows)
		}
		if d.hasVal {
			for k, v := range n.evaluateT(xv, yv, metrics, d.metrics) {
				logs["val_"+k] = v
			}
		}
		h.Epoch = append(h.Epoch, epoch)
		for k, v := range logs {
			h.History[k] = append(h.History[k], v)
		}
		if o.Verbose > 0 {
			printProgress(out, o.Verbose, epoch, epochs, steps, time.Since(start), h)
		}
		for _, c := range o.Callbacks {
			if err := c.OnEpochEnd(m, epoch, logs); err != nil {
				return h, err
			}
		}
	}
	for _, c := range o.Callbacks {
		if err := c.OnTrainEnd(m, h); err != nil {
			return h, err
		}
	}
	return h, nil
}
