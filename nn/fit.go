package nn

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strings"
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
	// A batch larger than the data is one batch of all the rows, as Keras
	// clamps it (and (rows + MaxInt - 1) / MaxInt would overflow to no batch).
	o.BatchSize = min(o.BatchSize, d.x.rows)
	if !m.eng.beginFit() {
		return nil, errors.New("the model is already training (Fit is running in another goroutine): wait for it to return, or train a copy (Load what Save wrote)")
	}
	defer m.eng.endFit()
	return m.eng.fit(m, d, o)
}

// checkXY converts and checks a pair of inputs and targets, building the
// model on the first call. finiteX false leaves x's values to be checked by
// the caller.
func (m *Sequential) checkXY(x, y any, finiteX bool) (xm, ym matrix[float64], err error) {
	read := readMatrix
	if finiteX {
		read = toMatrix
	}
	if xm, err = read("x", x); err != nil {
		return
	}
	if ym, err = toMatrix("y", y); err != nil {
		return
	}
	if xm.rows != ym.rows {
		err = fmt.Errorf("x has %d rows but y has %d: give one target row per input row", xm.rows, ym.rows)
		return
	}
	if err = m.checkX(xm); err != nil {
		return
	}
	err = checkLabels(m.compiled.loss, ym, m.specs[len(m.specs)-1].Units)
	return
}

func (m *Sequential) checkX(x matrix[float64]) error {
	if err := m.build(x.cols); err != nil {
		return err
	}
	if in := m.eng.inputDim(); x.cols != in {
		return fmt.Errorf("layer 0 (%s) expects %d input columns, but x is %dx%d: give x %d columns, or build the model for %d",
			m.specs[0].Name, in, x.rows, x.cols, in, x.cols)
	}
	return nil
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

func sliceRows[T number](m matrix[T], from, to int) matrix[T] {
	return matrix[T]{to - from, m.cols, m.data[from*m.cols : to*m.cols]}
}

// evalChunk bounds the rows evaluated at once, to bound memory.
const evalChunk = 1024

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

// gather copies the batch's rows of x and y, converted to T, into buffers
// reused from batch to batch. It copies four rows at a time: shuffled rows
// are scattered in memory, and four streams at once hide most of the wait
// for each (an MNIST epoch's rows take 47 ms this way, 80 ms one by one).
func (n *net[T]) gather(x, y matrix[float64], batch []int) (matrix[T], matrix[T]) {
	n.xb.resize(len(batch), x.cols)
	n.yb.resize(len(batch), y.cols)
	i := 0
	for ; i+3 < len(batch); i += 4 {
		a, b, c, d := x.row(batch[i]), x.row(batch[i+1]), x.row(batch[i+2]), x.row(batch[i+3])
		b, c, d = b[:len(a)], c[:len(a)], d[:len(a)]
		da, db, dc, dd := n.xb.row(i), n.xb.row(i+1), n.xb.row(i+2), n.xb.row(i+3)
		da, db, dc, dd = da[:len(a)], db[:len(a)], dc[:len(a)], dd[:len(a)]
		for j, v := range a {
			da[j], db[j], dc[j], dd[j] = T(v), T(b[j]), T(c[j]), T(d[j])
		}
	}
	for ; i < len(batch); i++ {
		convertRow(n.xb.row(i), x.row(batch[i]))
	}
	for i, r := range batch {
		convertRow(n.yb.row(i), y.row(r))
	}
	return n.xb, n.yb
}

// chunk converts rows [from, to) of x (and of y, if it has rows) into the
// batch buffers, for evaluating and predicting a chunk at a time.
func (n *net[T]) chunk(x, y matrix[float64], from, to int) (matrix[T], matrix[T]) {
	n.xb.resize(to-from, x.cols)
	convertRow(n.xb.data, x.data[from*x.cols:to*x.cols])
	if y.rows > 0 {
		n.yb.resize(to-from, y.cols)
		convertRow(n.yb.data, y.data[from*y.cols:to*y.cols])
	}
	return n.xb, n.yb
}

func convertRow[T number](dst []T, src []float64) {
	dst = dst[:len(src)]
	for j, v := range src {
		dst[j] = T(v)
	}
}

// evaluateT computes the mean loss and metrics over all rows, a chunk at a time.
func (n *net[T]) evaluateT(x, y matrix[float64], fs []metricFunc[T], ms []Metric) map[string]float64 {
	var loss float64
	sums := make([]float64, len(fs))
	for from := 0; from < x.rows; from += evalChunk {
		xb, yb := n.chunk(x, y, from, min(from+evalChunk, x.rows))
		out := n.forward(xb)
		loss += n.loss.forward(yb, out, n.output().net)
		for i, f := range fs {
			sums[i] += f(yb, out)
		}
	}
	logs := map[string]float64{"loss": loss / float64(x.rows)}
	for i, mt := range ms {
		logs[string(mt)] = sums[i] / float64(x.rows)
	}
	return logs
}

// printProgress prints an epoch's line the way Keras 3 does:
//
//	Epoch 3/10
//	20/20 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - accuracy: 0.6779 - loss: 0.6444 - val_accuracy: 0.7012 - val_loss: 0.6011
func printProgress(w io.Writer, verbose, epoch, epochs, steps int, took time.Duration, h *History) {
	var b strings.Builder
	fmt.Fprintf(&b, "Epoch %d/%d\n%d/%d", epoch+1, epochs, steps, steps)
	secs := fmt.Sprintf("%.0fs", took.Seconds())
	if verbose == 1 {
		fmt.Fprintf(&b, " %s %s %s", strings.Repeat("━", 20), secs, perStep(took, steps))
	} else {
		fmt.Fprintf(&b, " - %s - %s", secs, perStep(took, steps))
	}
	for _, k := range h.Keys() {
		v := h.Last(k)
		if math.Abs(v) > 1e-3 {
			fmt.Fprintf(&b, " - %s: %.4f", k, v)
		} else {
			fmt.Fprintf(&b, " - %s: %.4e", k, v)
		}
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

func perStep(took time.Duration, steps int) string {
	t := took.Seconds() / float64(steps)
	switch {
	case t >= 1:
		return fmt.Sprintf("%.0fs/step", t)
	case t >= 1e-3:
		return fmt.Sprintf("%.0fms/step", t*1e3)
	}
	return fmt.Sprintf("%.0fus/step", t*1e6)
}
