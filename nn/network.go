package nn

import (
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"
)

// engine is a built network seen from Sequential, whatever its precision.
// *net[float32] and *net[float64] implement it.
type engine interface {
	dtype() DType
	inputDim() int
	layers() int
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
	optimizerState() (iterations int, slots [][][]float64)
	setOptimizerState(iterations int, slots [][][]float64)
	fit(m *Sequential, d fitData, o FitOptions) (*History, error)
	evaluate(x, y matrix[float64], metrics []Metric, loss Loss) map[string]float64
	predict(x matrix[float64]) *mat.Dense
	forwardPass(x matrix[float64]) []LayerOutput
}

// net is a stack of dense layers computing in T, with its loss and optimizer
// once compiled, and the batch buffers the training loop reuses.
type net[T number] struct {
	ls   []*dense[T]
	gemm gemmFunc[T]
	loss lossImpl[T]
	opt  *optimizerState[T]

	// Every weight and bias lives in one flat slice, and every gradient in
	// another, so the optimizer updates them all in one pass. ps and gs are
	// the tensors in them: kernel 0, bias 0, kernel 1, ...
	params, grads []T
	ps, gs        [][]T
	train         []bool // per tensor: does the optimizer change it?

	keepNet      bool // keep every layer's net input (the teaching tools read it)
	xb, yb, grad matrix[T]

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

func buildNet[T number](specs []Dense, in int, seed uint64) (*net[T], error) {
	total, err := countWeights(specs, in)
	if err != nil {
		return nil, err
	}
	n := &net[T]{gemm: gemmFor[T]()}
	n.params, n.grads = make([]T, total), make([]T, total)
	r := rand.New(rand.NewPCG(seed, initStream))
	off := 0
	for i, s := range specs {
		size := in*max(s.Units, 0) + max(s.Units, 0)
		l, err := newDense[T](s, i, in, r, n.params[off:off+size:off+size], n.grads[off:off+size:off+size])
		if err != nil {
			return nil, err
		}
		off += size
		n.ls = append(n.ls, l)
		n.ps = append(n.ps, l.w.data, l.b)
		n.gs = append(n.gs, l.dw.data, l.db)
		n.train = append(n.train, !s.Frozen, !s.Frozen && !s.FreezeBias)
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
func countWeights(specs []Dense, in int) (int, error) {
	if in <= 0 || in > maxParams {
		return 0, fmt.Errorf("the input has %d columns: it must be between 1 and %d", in, maxParams)
	}
	total := 0
	for i, s := range specs {
		if s.Units <= 0 {
			return 0, fmt.Errorf("layer %d (%s): Units is %d: a Dense layer needs at least 1 unit", i, s.Name, s.Units)
		}
		if s.Units > maxParams || in > maxParams/s.Units || total > maxParams-in*s.Units-s.Units {
			return 0, fmt.Errorf("layer %d (%s): %d inputs x %d units makes the model larger than %d weights: is Units a typo?", i, s.Name, in, s.Units, maxParams)
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
	return LayerInfo{Name: l.cfg.Name, Units: l.units, InputDim: l.in, Activation: act, Params: l.params(),
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
func (n *net[T]) layers() int    { return len(n.ls) }
func (n *net[T]) output() *dense[T] {
	return n.ls[len(n.ls)-1]
}

func (n *net[T]) layerInfo(i int) LayerInfo {
	n.mu.RLock()
	defer n.mu.RUnlock()
	l := n.ls[i]
	act, _ := l.cfg.Activation.canonical()
	return LayerInfo{Name: l.cfg.Name, Units: l.units, InputDim: l.in, Activation: act,
		Kernel: l.w.dense(), Bias: toFloat64(l.b), Params: l.params(),
		FreezeBias: l.cfg.FreezeBias, Frozen: l.cfg.Frozen}
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

// forward runs a batch through every layer.
func (n *net[T]) forward(x matrix[T]) matrix[T] {
	for _, l := range n.ls {
		x = l.forward(n.gemm, x, n.keepNet)
	}
	return x
}

// backward propagates the loss gradient for targets y (after forward) down
// the layers, leaving every weight's gradient in n.gs.
func (n *net[T]) backward(y matrix[T]) {
	out := n.output()
	n.grad.resize(out.out.rows, out.out.cols)
	n.loss.backward(y, out.out, out.net, n.grad)
	g, gradIsNet := n.grad, n.loss.fused
	for i := len(n.ls) - 1; i >= 0; i-- {
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
