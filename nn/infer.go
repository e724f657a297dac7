package nn

import (
	"fmt"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/dlnb/dlnb/internal/fastops"
	"github.com/dlnb/dlnb/internal/parallel"
)

// Inference (Predict, Evaluate, ForwardPass) never writes to the network:
// each call runs the layers into its own buffers, a scratch taken from a
// pool and given back, so that many goroutines can predict with one model.
// It holds the network's read lock while it reads the weights; the
// optimizer's step takes the write lock, so a Predict from another goroutine
// during Fit sees the weights as they are between two batches, never half
// updated.

// scratch is one inference call's buffers: the batch converted to T, and
// each layer's net input and output.
type scratch[T number] struct {
	xb, yb     matrix[T]
	nets, outs []matrix[T]
}

// getScratch takes the network's spare scratch, kept for good (so that
// one goroutine predicting again and again allocates nothing, as before
// inference was made safe for many), or one from the pool, or a new one.
func (n *net[T]) getScratch() *scratch[T] {
	if s := n.spare.Swap(nil); s != nil {
		return s
	}
	if s, ok := n.scratch.Get().(*scratch[T]); ok {
		return s
	}
	return &scratch[T]{nets: make([]matrix[T], len(n.ls)), outs: make([]matrix[T], len(n.ls))}
}

func (n *net[T]) putScratch(s *scratch[T]) {
	if !n.spare.CompareAndSwap(nil, s) {
		n.scratch.Put(s)
	}
}

// infer runs a batch through every layer into s's buffers and returns the
// output. The last layer's net input is kept in s.nets (the fused losses
// read it), and every layer's when keepAll is set.
func (n *net[T]) infer(x matrix[T], s *scratch[T], keepAll bool) matrix[T] {
	last := len(n.ls) - 1
	for i, l := range n.ls {
		out := &s.outs[i]
		out.resize(x.rows, l.units)
		if l.relu && !keepAll && i != last {
			mul(n.gemm, x, false, l.w, false, *out, false)
			fastops.AddBias(out.data, x.rows, l.units, l.b, true)
		} else {
			net := &s.nets[i]
			net.resize(x.rows, l.units)
			mul(n.gemm, x, false, l.w, false, *net, false)
			fastops.AddBias(net.data, x.rows, l.units, l.b, false)
			l.act.forward(*net, *out)
		}
		x = *out
	}
	return x
}

// chunks runs f on every evalChunk rows of x (the last chunk may be
// shorter), c being the chunk's number, on up to cores cores: each takes the
// next chunk when it is done with one (so a core another program holds takes
// fewer), with its own inference scratch. With one core the chunks run in
// turn on the caller and the products inside are split over the cores
// (fastblas); with more, each chunk's products stay on its core. Evaluate
// sums its loss over the chunks in order and takes one core; predict writes
// each chunk's rows apart and takes them all (bench/README.md).
func (n *net[T]) chunks(x matrix[float64], cores int, f func(s *scratch[T], c, from, to int)) {
	nc := (x.rows + evalChunk - 1) / evalChunk
	var next atomic.Int64
	parallel.Do(min(cores, nc), parallel.Func(func(int) {
		s := n.getScratch()
		defer n.putScratch(s)
		for c := int(next.Add(1) - 1); c < nc; c = int(next.Add(1) - 1) {
			f(s, c, c*evalChunk, min((c+1)*evalChunk, x.rows))
		}
	}))
}

// predict returns the outputs for x, or Predict's error naming x's first
// NaN or infinite value: each chunk is checked as it is converted to T, one
// pass over the user's data instead of two.
func (n *net[T]) predict(x matrix[float64]) (*mat.Dense, error) {
	res := mat.NewDense(x.rows, n.output().units, nil)
	data := res.RawMatrix().Data
	bad := make([]int, (x.rows+evalChunk-1)/evalChunk) // per chunk
	n.mu.RLock()
	defer n.mu.RUnlock()
	n.chunks(x, parallel.Procs(), func(s *scratch[T], c, from, to int) {
		s.xb.resize(to-from, x.cols)
		if bad[c] = convertCheckedParallel(s.xb.data, x.data[from*x.cols:to*x.cols]); bad[c] >= 0 {
			bad[c] += from * x.cols
			return
		}
		n.norm.apply(s.xb)
		out := n.infer(s.xb, s, false)
		convertTo(data[from*out.cols:], out.data)
	})
	for _, i := range bad {
		if i >= 0 {
			return nil, fmt.Errorf("nn.Predict: %w", notFinite("x", x, 0, i))
		}
	}
	return res, nil
}

// convertChecked is convertRow that also returns the index of the first
// value that is NaN or infinite (x-x is 0 for every finite x), -1 if none.
// For float32 it is fastops.ToFloat32, one vector pass that converts and
// checks (BenchmarkMNISTPredict10000: 21.6 ms with this loop's branch on
// every value, 17.1 ms with the vector pass on one core).
func convertChecked[T number](dst []T, src []float64) int {
	if d, ok := any(dst).([]float32); ok {
		if fastops.ToFloat32(d, src) {
			return -1
		}
		return fastops.FirstNotFinite(src)
	}
	dst = dst[:len(src)]
	for j, v := range src {
		if v-v != 0 {
			return j
		}
		dst[j] = T(v)
	}
	return -1
}

// convertCheckedParallel is convertChecked split over the cores: reading
// the user's float64 data from memory is what it waits for, and two cores
// read it faster than one (MNIST's 10,000 test images: 4.6 ms on one core).
func convertCheckedParallel[T number](dst []T, src []float64) int {
	parts := min(parallel.Procs(), max(1, len(src)/minParallelConvert))
	if parts == 1 {
		return convertChecked(dst, src)
	}
	var bad [maxConvertParts]int
	parts = min(parts, maxConvertParts)
	parallel.Do(parts, parallel.Func(func(p int) {
		lo, hi := p*len(src)/parts, (p+1)*len(src)/parts
		if bad[p] = convertChecked(dst[lo:hi], src[lo:hi]); bad[p] >= 0 {
			bad[p] += lo
		}
	}))
	for _, i := range bad[:parts] {
		if i >= 0 {
			return i
		}
	}
	return -1
}

// minParallelConvert is the values a part of a split conversion must have
// (about 30 µs of reading); maxConvertParts bounds the parts.
const (
	minParallelConvert = 64 << 10
	maxConvertParts    = 8
)

func convertTo[T number](dst []float64, src []T) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = float64(v)
	}
}

func (n *net[T]) evaluate(x, y matrix[float64], ms []Metric, loss Loss) map[string]float64 {
	metrics := newMetricState[T](ms, loss, y.cols, n.output().units) // over all the chunks
	n.mu.RLock()
	defer n.mu.RUnlock()
	var total float64
	penalty := n.penalty() // the weight penalties' share of each row's loss (regularizer.go)
	n.chunks(x, 1, func(s *scratch[T], _, from, to int) {
		xb, yb := chunk(&s.xb, &s.yb, x, y, from, to)
		n.norm.apply(xb)
		out := n.infer(xb, s, false)
		total += n.loss.forward(yb, out, s.nets[len(n.ls)-1]) + penalty*float64(xb.rows)
		metrics.add(yb, out, 1)
	})
	logs := map[string]float64{"loss": total / float64(x.rows)}
	metrics.logs(logs)
	return logs
}

func (n *net[T]) forwardPass(x matrix[float64]) []LayerOutput {
	s := &scratch[T]{nets: make([]matrix[T], len(n.ls)), outs: make([]matrix[T], len(n.ls))}
	xt := newMatrix[T](x.rows, x.cols)
	convertRow(xt.data, x.data)
	n.mu.RLock()
	defer n.mu.RUnlock()
	var res []LayerOutput
	if n.norm != nil {
		n.norm.apply(xt)
		res = append(res, LayerOutput{Name: n.norm.name, Out: xt.dense()})
	}
	n.infer(xt, s, true)
	for i, l := range n.ls {
		act, _ := l.cfg.Activation.canonical()
		res = append(res, LayerOutput{Name: l.cfg.Name, Activation: act, Net: s.nets[i].dense(), Out: s.outs[i].dense()})
		if d := n.drops[i]; d != nil {
			res = append(res, LayerOutput{Name: d.cfg.Name, Out: s.outs[i].dense()})
		}
	}
	return res
}
