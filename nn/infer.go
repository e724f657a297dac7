package nn

import (
	"gonum.org/v1/gonum/mat"

	"github.com/dlnb/dlnb/internal/fastops"
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

func (n *net[T]) predict(x matrix[float64]) *mat.Dense {
	res := mat.NewDense(x.rows, n.output().units, nil)
	data := res.RawMatrix().Data
	s := n.getScratch()
	defer n.putScratch(s)
	n.mu.RLock()
	defer n.mu.RUnlock()
	for from := 0; from < x.rows; from += evalChunk {
		xb, _ := chunk(&s.xb, &s.yb, x, matrix[float64]{}, from, min(from+evalChunk, x.rows))
		n.norm.apply(xb)
		out := n.infer(xb, s, false)
		convertTo(data[from*out.cols:], out.data)
	}
	return res
}

func convertTo[T number](dst []float64, src []T) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = float64(v)
	}
}

func (n *net[T]) evaluate(x, y matrix[float64], ms []Metric, loss Loss) map[string]float64 {
	metrics := newMetricState[T](ms, loss, y.cols, n.output().units) // over all the chunks
	s := n.getScratch()
	defer n.putScratch(s)
	n.mu.RLock()
	defer n.mu.RUnlock()
	var total float64
	penalty := n.penalty() // the weight penalties' share of each row's loss (regularizer.go)
	for from := 0; from < x.rows; from += evalChunk {
		xb, yb := chunk(&s.xb, &s.yb, x, y, from, min(from+evalChunk, x.rows))
		n.norm.apply(xb)
		out := n.infer(xb, s, false)
		total += n.loss.forward(yb, out, s.nets[len(n.ls)-1]) + penalty*float64(xb.rows)
		metrics.add(yb, out, 1)
	}
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
