package nn

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/dlnb/dlnb/internal/fastops"
	"github.com/dlnb/dlnb/internal/parallel"
	"gonum.org/v1/gonum/mat"
)

// engine is a built network seen from Sequential, whatever its precision.
// *net[float32] and *net[float64] implement it.
type engine interface {
	dtype() DType
	inputDim() int
	layerInfo(i int) LayerInfo
	layerParams(i int) (units, params int)
	layerShape(i int) LayerInfo // without the weights
	iterations() int
	writeData(w io.Writer, header func() error) error
	readData(r io.Reader, iterations int) error
	beginFit() bool
	endFit()
	getWeights() [][]float64 // kernel 0, bias 0, kernel 1, bias 1, ...
	setWeights(w [][]float64)
	setLayer(i int, kernel [][]float64, bias []float64) error
	compile(loss Loss, opt optimizerConfig)
	setLearningRate(lr float64)
	optimizerState() (iterations int, slots [][][]float64)
	setOptimizerState(iterations int, slots [][][]float64)
	prepare(metrics []Metric, loss Loss, yCols int)
	trainBatch(x, y matrix[float64], w []float64, rows []int) float64
	resetMetrics()                      // start the metrics' running sums afresh (every epoch)
	metricLogs(logs map[string]float64) // the metrics of the batches since the reset
	evaluate(x, y matrix[float64], metrics []Metric, loss Loss) map[string]float64
	predict(x matrix[float64]) (*mat.Dense, error) // Predict's result, or its error for a NaN in x
	forwardPass(x matrix[float64]) []LayerOutput
	dropoutRNG() *rand.PCG // the masks' random stream; nil without Dropout layers
}

// net is a stack of dense layers computing in T, with its loss and optimizer
// once compiled, and the batch buffers the training loop reuses.
type net[T number] struct {
	ls   []*dense[T]
	gemm gemmFunc[T]

	// drops[i] is the Dropout after ls[i], or nil; its masks come from dpcg
	// (through drng), or are the last ones drawn when fixMask is set.
	drops   []*dropout[T]
	dpcg    *rand.PCG
	drng    *rand.Rand
	fixMask bool
	norm    *normalizer[T] // standardizes every batch's input first, or nil

	loss lossImpl[T]
	opt  *optimizerState[T]

	// Every weight and bias lives in one flat slice, and every gradient in
	// another, so the optimizer updates them all in one pass. ps and gs are
	// the tensors in them: kernel 0, bias 0, kernel 1, ...
	params, grads []T
	ps, gs        [][]T
	train         []bool // per tensor: does the optimizer change it?

	keepNet      bool            // keep every layer's net input (the teaching tools read it)
	metrics      *metricState[T] // what trainBatch measures, set by prepare
	rowW         []T             // the batch's sample weights; nil: unweighted
	xb, yb, grad matrix[T]
	gatherer     gatherTask[T] // the batch's gather, in parts over the cores

	// mu guards the weights and the optimizer's state: written under it by
	// the optimizer's step and the setters, read under it by inference and
	// Save (infer.go). scratch pools inference buffers; fitting says a Fit
	// is running.
	mu      sync.RWMutex
	scratch sync.Pool
	spare   atomic.Pointer[scratch[T]]
	fitting atomic.Bool
}

// Seeds of the independent random streams a model draws from, so that
// shuffling never changes the initial weights and vice versa.
const (
	initStream    = 1
	shuffleStream = 2
)

func buildNet[T number](norm *Normalization, specs []Dense, drops []*Dropout, in int, seed uint64) (*net[T], error) {
	total, err := countWeights(norm, specs, drops, in)
	if err != nil {
		return nil, err
	}
	n := &net[T]{gemm: gemmFor[T](), norm: newNormalizer[T](norm)}
	for _, d := range drops {
		n.drops = append(n.drops, newDropout[T](d))
		if d != nil && n.dpcg == nil {
			n.dpcg = rand.NewPCG(seed, dropoutStream)
			n.drng = rand.New(n.dpcg)
		}
	}
	n.params, n.grads = make([]T, total), make([]T, total)
	r := rand.New(rand.NewPCG(seed, initStream))
	off := 0
	for i, s := range specs {
		size := in*max(s.Units, 0) + max(s.Units, 0)
		l, err := newDense[T](s, modelIndex(norm, drops, i), in, r, n.params[off:off+size:off+size], n.grads[off:off+size:off+size])
		if err != nil {
			return nil, err
		}
		off += size
		n.ls = append(n.ls, l)
		n.ps = append(n.ps, l.w.data, l.b)
		n.gs = append(n.gs, l.dw.data, l.db)
		n.train = append(n.train, !s.Frozen, !s.Frozen && !s.FreezeBias && !s.NoBias)
		in = s.Units
	}
	return n, nil
}

// maxParams bounds a model's weights and biases (8 GB in float32, with as
// much again for the gradients): a size past it is a typo, or a file that
// lies about its size, and would end the process with "out of memory".
const maxParams = 1 << 31

// countWeights checks every layer's size before anything is allocated and
// returns the number of weights and biases of the whole stack for in input
// columns, without overflowing.
func countWeights(norm *Normalization, specs []Dense, drops []*Dropout, in int) (int, error) {
	if in <= 0 || in > maxParams {
		return 0, fmt.Errorf("the input has %d columns: it must be between 1 and %d", in, maxParams)
	}
	total := 0
	for i, s := range specs {
		if s.Units <= 0 {
			return 0, fmt.Errorf("layer %d (%s): Units is %d: a Dense layer needs at least 1 unit", modelIndex(norm, drops, i), s.Name, s.Units)
		}
		if s.Units > maxParams || in > maxParams/s.Units || total > maxParams-in*s.Units-s.Units {
			return 0, fmt.Errorf("layer %d (%s): %d inputs x %d units makes the model larger than %d weights: is Units a typo?", modelIndex(norm, drops, i), s.Name, in, s.Units, maxParams)
		}
		total += in*s.Units + s.Units
		in = s.Units
	}
	return total, nil
}

func (n *net[T]) dtype() DType {
	var z T
	if _, ok := any(z).(float32); ok {
		return Float32
	}
	return Float64
}

func (n *net[T]) inputDim() int { return n.ls[0].in }

// layerParams returns layer i's units and its number of weights and biases,
// without copying them.
func (n *net[T]) layerParams(i int) (units, params int) { return n.ls[i].units, n.ls[i].params() }

func (n *net[T]) layerShape(i int) LayerInfo {
	l := n.ls[i]
	act, _ := l.cfg.Activation.canonical()
	return LayerInfo{Name: l.cfg.Name, Type: "Dense", Units: l.units, InputDim: l.in, Activation: act, Params: l.params(),
		FreezeBias: l.cfg.FreezeBias, Frozen: l.cfg.Frozen}
}

func (n *net[T]) iterations() int {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.opt.iterations
}

// beginFit marks the start of a Fit; it is false if one is running already.
func (n *net[T]) beginFit() bool { return n.fitting.CompareAndSwap(false, true) }
func (n *net[T]) endFit()        { n.fitting.Store(false) }
func (n *net[T]) output() *dense[T] {
	return n.ls[len(n.ls)-1]
}

func (n *net[T]) layerInfo(i int) LayerInfo {
	l := n.ls[i]
	act, _ := l.cfg.Activation.canonical()
	return LayerInfo{Name: l.cfg.Name, Type: "Dense", Units: l.units, InputDim: l.in, Activation: act,
		Kernel: l.w.dense(), Bias: toFloat64(l.b), Params: l.params(),
		FreezeBias: l.cfg.FreezeBias, Frozen: l.cfg.Frozen, NoBias: l.cfg.NoBias}
}

func (n *net[T]) getWeights() [][]float64 {
	n.mu.RLock()
	defer n.mu.RUnlock()
	w := make([][]float64, len(n.ps))
	for i, p := range n.ps {
		w[i] = toFloat64(p)
	}
	return w
}

func (n *net[T]) setWeights(w [][]float64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i, p := range n.ps {
		for j, v := range w[i] {
			p[j] = T(v)
		}
	}
}

func (n *net[T]) setLayer(i int, kernel [][]float64, bias []float64) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	l := n.ls[i]
	if kernel != nil {
		if err := l.setKernel(kernel); err != nil {
			return err
		}
	}
	if bias != nil {
		return l.setBias(bias)
	}
	return nil
}

func (n *net[T]) setLearningRate(lr float64) { n.opt.cfg.LearningRate = lr }

func (n *net[T]) compile(loss Loss, c optimizerConfig) {
	n.loss = lossFor[T](loss, n.output().cfg.Activation)
	n.opt = newOptimizerState(c, n.ps)
}

// optimizerState returns the step count and the running values per tensor,
// slots[tensor][slot], as the file format stores them.
func (n *net[T]) optimizerState() (int, [][][]float64) {
	n.mu.RLock()
	defer n.mu.RUnlock()
	slots := make([][][]float64, len(n.ps))
	for i := range n.ps {
		for _, v := range n.opt.tensor(i) {
			slots[i] = append(slots[i], toFloat64(v))
		}
	}
	return n.opt.iterations, slots
}

func (n *net[T]) setOptimizerState(iterations int, slots [][][]float64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.opt.iterations = iterations
	for i, s := range slots {
		for j, v := range n.opt.tensor(i) {
			for k, x := range s[j] {
				v[k] = T(x)
			}
		}
	}
}

// forward runs a batch through every layer, as in training: each Dropout
// layer drops values (dropout.go).
func (n *net[T]) forward(x matrix[T]) matrix[T] {
	for i, l := range n.ls {
		x = l.forward(n.gemm, x, n.keepNet)
		if d := n.drops[i]; d != nil {
			x = d.forward(x, n.drng, n.fixMask)
		}
	}
	return x
}

func (n *net[T]) dropoutRNG() *rand.PCG { return n.dpcg }

// backward propagates the loss gradient for targets y (after forward) down
// the layers, leaving every weight's gradient in n.gs.
func (n *net[T]) backward(y matrix[T]) {
	out := n.output()
	n.grad.resize(out.out.rows, out.out.cols)
	n.loss.backward(y, out.out, out.net, n.grad)
	for i, w := range n.rowW { // sample weights scale each row's gradient
		for j := range n.grad.row(i) {
			n.grad.data[i*n.grad.cols+j] *= w
		}
	}
	g, gradIsNet := n.grad, n.loss.fused
	for i := len(n.ls) - 1; i >= 0; i-- {
		if d := n.drops[i]; d != nil { // never after the output layer
			g = d.backward(g)
		}
		g = n.ls[i].backward(n.gemm, g, gradIsNet, i > 0)
		gradIsNet = false
	}
}

func toFloat64[T number](s []T) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = float64(v)
	}
	return out
}

func sliceRows[T number](m matrix[T], from, to int) matrix[T] {
	return matrix[T]{to - from, m.cols, m.data[from*m.cols : to*m.cols]}
}

// evalChunk bounds the rows evaluated at once, to bound memory.
const evalChunk = 1024

// prepare sets the metrics trainBatch measures, for targets of yCols
// columns, their running sums at 0.
func (n *net[T]) prepare(ms []Metric, loss Loss, yCols int) {
	n.metrics = newMetricState[T](ms, loss, yCols, n.output().units)
}

func (n *net[T]) resetMetrics()                      { n.metrics.reset() }
func (n *net[T]) metricLogs(logs map[string]float64) { n.metrics.logs(logs) }

// trainBatch is one training step on the given rows of x and y (all of them
// if rows is nil), each row's loss weighted by w (nil: all 1): forward,
// loss, backward, one optimizer update. It adds the batch's counts
// (weighted) to the metrics' running sums and returns its loss summed over
// the rows; if that is NaN or infinite, the weights are left as they are.
func (n *net[T]) trainBatch(x, y matrix[float64], w []float64, rows []int) float64 {
	var xb, yb matrix[T]
	if rows == nil {
		xb, yb = chunk(&n.xb, &n.yb, x, y, 0, x.rows)
	} else {
		xb, yb = n.gather(x, y, rows)
	}
	n.norm.apply(xb)
	out := n.forward(xb)
	var l float64
	if w == nil {
		l = n.loss.forward(yb, out, n.output().net)
		n.metrics.add(yb, out, 1)
	} else {
		l = n.weighted(w, rows, yb, out)
	}
	n.backward(yb) // which also measures the weight penalties (regularizer.go)
	n.rowW = n.rowW[:0]
	l += n.stepPenalty() * float64(xb.rows)
	if math.IsNaN(l) || math.IsInf(l, 0) {
		return l
	}
	n.opt.step(n)
	return l
}

// gather copies the batch's rows of x and y, converted to T, into buffers
// reused from batch to batch. It copies four rows at a time: shuffled rows
// are scattered in memory, and four streams at once hide most of the wait
// for each (an MNIST epoch's rows take 47 ms this way, 80 ms one by one).
// A large batch is gathered in parts over the cores (internal/parallel):
// copying is all it does, so the split changes nothing but the time.
func (n *net[T]) gather(x, y matrix[float64], batch []int) (matrix[T], matrix[T]) {
	n.xb.resize(len(batch), x.cols)
	n.yb.resize(len(batch), y.cols)
	parts := min(parallel.Procs(), max(1, len(batch)*x.cols/minParallelGather), (len(batch)+3)/4)
	n.gatherer = gatherTask[T]{n: n, x: x, y: y, batch: batch, parts: parts}
	parallel.Do(parts, &n.gatherer)
	n.gatherer = gatherTask[T]{}
	return n.xb, n.yb
}

// minParallelGather is the values a part of a split gather must copy for the
// split to pay: about 30 µs of copying scattered rows. Batch 128 of MNIST
// (100,352 values) is split; batch 32 (25,088) is not, so that a batch-32
// step, whose products and optimizer step run on one core, does not keep the
// other core's worker polling (internal/fastops' minParallelDivide says what
// that cost).
const minParallelGather = 32 << 10

// gatherTask is one gather cut into parts of whole groups of four rows.
type gatherTask[T number] struct {
	n     *net[T]
	x, y  matrix[float64]
	batch []int
	parts int
}

func (g *gatherTask[T]) RunPart(p int) {
	groups := (len(g.batch) + 3) / 4
	lo, hi := groups*p/g.parts*4, min(groups*(p+1)/g.parts*4, len(g.batch))
	g.n.gatherRows(g.x, g.y, g.batch, lo, hi)
}

// gatherRows copies rows [lo, hi) of the batch.
func (n *net[T]) gatherRows(x, y matrix[float64], batch []int, lo, hi int) {
	i := lo
	for ; i+3 < hi; i += 4 {
		a, b, c, d := x.row(batch[i]), x.row(batch[i+1]), x.row(batch[i+2]), x.row(batch[i+3])
		b, c, d = b[:len(a)], c[:len(a)], d[:len(a)]
		da, db, dc, dd := n.xb.row(i), n.xb.row(i+1), n.xb.row(i+2), n.xb.row(i+3)
		da, db, dc, dd = da[:len(a)], db[:len(a)], dc[:len(a)], dd[:len(a)]
		for j, v := range a {
			da[j], db[j], dc[j], dd[j] = T(v), T(b[j]), T(c[j]), T(d[j])
		}
	}
	for ; i < hi; i++ {
		convertRow(n.xb.row(i), x.row(batch[i]))
	}
	for i := lo; i < hi; i++ {
		convertRow(n.yb.row(i), y.row(batch[i]))
	}
}

// chunk converts rows [from, to) of x (and of y, if it has rows) into the
// buffers xb and yb, reused from call to call: the training step's for
// TrainOnBatch, an inference scratch's for Predict and Evaluate.
func chunk[T number](xb, yb *matrix[T], x, y matrix[float64], from, to int) (matrix[T], matrix[T]) {
	xb.resize(to-from, x.cols)
	convertRow(xb.data, x.data[from*x.cols:to*x.cols])
	if y.rows > 0 {
		yb.resize(to-from, y.cols)
		convertRow(yb.data, y.data[from*y.cols:to*y.cols])
	}
	return *xb, *yb
}

func convertRow[T number](dst []T, src []float64) {
	if d, ok := any(dst).([]float32); ok {
		fastops.ToFloat32(d, src)
		return
	}
	dst = dst[:len(src)]
	for j, v := range src {
		dst[j] = T(v)
	}
}

func newOptimizerState[T number](c optimizerConfig, tensors [][]T) *optimizerState[T] {
	o := &optimizerState[T]{cfg: c, flat: make([][]T, c.slotsPerParam())}
	total := 0
	for _, t := range tensors {
		o.offsets = append(o.offsets, total)
		total += len(t)
	}
	o.offsets = append(o.offsets, total)
	for s := range o.flat {
		o.flat[s] = make([]T, total)
	}
	return o
}

// tensor returns the running values of tensor i, one slice per slot.
func (o *optimizerState[T]) tensor(i int) [][]T {
	s := make([][]T, len(o.flat))
	for k, f := range o.flat {
		s[k] = f[o.offsets[i]:o.offsets[i+1]]
	}
	return s
}

// DType is the precision a model computes in.
type DType int

func (d DType) String() string {
	if d == Float64 {
		return "float64"
	}
	return "float32"
}

// build builds the model if it is not built yet. The first layer's InputDim
// or Kernel size wins over dataCols, the number of columns of the data at
// hand, so that a mismatch is reported by the caller with both shapes.
func (m *Sequential) build(dataCols int) error {
	if m.layerErr != nil {
		return m.layerErr
	}
	if m.eng != nil {
		if m.eng.dtype() != m.DType {
			return fmt.Errorf("DType changed to %v after the model was built in %v: set DType before the first Fit", m.DType, m.eng.dtype())
		}
		if m.Seed != m.builtSeed {
			return fmt.Errorf("Seed changed to %d after the model was built with seed %d: set Seed before the first Fit, Predict or Summary (or make a new model)", m.Seed, m.builtSeed)
		}
		return nil
	}
	if err := m.checkLayers(); err != nil {
		return err
	}
	if err := m.checkNormWidth(); err != nil {
		return err
	}
	first := m.specs[0]
	inputDim := first.InputDim
	if m.norm != nil {
		inputDim = len(m.norm.Mean)
	}
	if inputDim == 0 && first.Kernel != nil {
		inputDim = len(first.Kernel)
	}
	if inputDim == 0 {
		inputDim = dataCols
	}
	if inputDim <= 0 {
		return errors.New("the model does not know its input size yet: give the first layer InputDim, or call Fit first")
	}
	var err error
	if m.DType == Float64 {
		m.eng, err = buildNet[float64](m.norm, m.specs, m.drops, inputDim, m.Seed)
	} else {
		m.eng, err = buildNet[float32](m.norm, m.specs, m.drops, inputDim, m.Seed)
	}
	if err != nil {
		m.eng = nil
		return err
	}
	m.rng, m.builtSeed = rand.NewPCG(m.Seed, shuffleStream), m.Seed
	if m.compiled != nil {
		m.eng.compile(m.compiled.loss, m.compiled.opt)
	}
	return nil
}

// update applies the optimizer to weights w with gradients g and running
// values s: in float64 with the plain-Go rules of optimizer.go, in float32
// with the same arithmetic in internal/fastops's fused loops (in assembly
// where it pays).
func (o *optimizerState[T]) update(w, g []T, s [][]T) {
	c := o.cfg
	if _, ok := any(w).([]float64); ok {
		reference(c, o.iterations, w, g, s)
		return
	}
	switch c.Name {
	case "sgd":
		var vel []T
		if len(s) > 0 {
			vel = s[0]
		}
		fastops.SGD(w, g, vel, T(c.LearningRate), T(c.Momentum), c.Nesterov)
	case "adam":
		alpha := fastops.AdamAlpha(T(c.LearningRate), c.Beta1, c.Beta2, o.iterations)
		fastops.Adam(w, g, s[0], s[1], alpha, c.Beta1, c.Beta2, T(c.Epsilon))
	case "rmsprop":
		if c.Momentum > 0 {
			fastops.RMSpropMomentum(w, g, s[0], s[1], nil, T(c.LearningRate), c.Rho, T(c.Momentum), T(c.Epsilon))
		} else {
			fastops.RMSprop(w, g, s[0], T(c.LearningRate), c.Rho, T(c.Epsilon))
		}
	}
}

// step applies one update, with Keras 3's formulas, to every trainable
// tensor of the network: in one pass over the flat storage when everything
// is trainable, tensor by tensor otherwise.
func (o *optimizerState[T]) step(n *net[T]) {
	n.mu.Lock() // inference in other goroutines reads the weights under the read lock
	defer n.mu.Unlock()
	o.iterations++
	all := true
	for _, t := range n.train {
		all = all && t
	}
	if all {
		o.update(n.params, n.grads, o.flat)
		return
	}
	for i, t := range n.train {
		if t {
			o.update(n.ps[i], n.gs[i], o.tensor(i))
		}
	}
}
