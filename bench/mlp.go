package bench

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/dlnb/dlnb/internal/fastblas"
	"github.com/dlnb/dlnb/internal/fastops"
)

// Build selects how an MLP computes.
type Build string

const (
	// Fast uses internal/fastblas for the products and internal/fastops for
	// the fused elementwise steps.
	Fast Build = "fast"
	// Gonum uses gonum's pure-Go blas32 and plain Go loops.
	Gonum Build = "gonum"
)

// Optimizer is "adam" (Keras defaults: 0.001, 0.9, 0.999, 1e-7) or "sgd"
// (Keras default learning rate 0.01).
type Optimizer string

// MLP is in -> hidden (ReLU) -> out (softmax), float32, trained on the mean
// categorical cross-entropy. Its parameters live in one flat slice (W1, b1,
// W2, b2) so the optimizer updates them in a single pass.
type MLP struct {
	In, Hidden, Out int
	build           Build
	gemm            blas.Float32
	opt             Optimizer
	lr              float32
	step            int

	params, grads, m, v []float32
	w1, b1, w2, b2      []float32
	dw1, db1, dw2, db2  []float32

	// per-batch work buffers, grown as needed
	xb, yb, h, o, dh []float32
}

// NewMLP initializes the weights with Keras' glorot_uniform (biases zero)
// from seed.
func NewMLP(in, hidden, out int, build Build, opt Optimizer, seed uint64) (*MLP, error) {
	if in < 1 || hidden < 1 || out < 2 {
		return nil, fmt.Errorf("MLP %d -> %d -> %d: need at least 1 input, 1 hidden unit and 2 classes", in, hidden, out)
	}
	m := &MLP{In: in, Hidden: hidden, Out: out, build: build, opt: opt}
	switch build {
	case Fast:
		m.gemm = fastblas.Implementation{}
	case Gonum:
		m.gemm = gonum.Implementation{}
	default:
		return nil, fmt.Errorf("unknown build %q: want %q or %q", build, Fast, Gonum)
	}
	switch opt {
	case "adam":
		m.lr = 0.001
	case "sgd":
		m.lr = 0.01
	default:
		return nil, fmt.Errorf("unknown optimizer %q: want \"adam\" or \"sgd\"", opt)
	}
	n := in*hidden + hidden + hidden*out + out
	m.params, m.grads = make([]float32, n), make([]float32, n)
	m.m, m.v = make([]float32, n), make([]float32, n)
	split := func(s []float32) (a, b, c, d []float32) {
		a, s = s[:in*hidden], s[in*hidden:]
		b, s = s[:hidden], s[hidden:]
		c, s = s[:hidden*out], s[hidden*out:]
		return a, b, c, s
	}
	m.w1, m.b1, m.w2, m.b2 = split(m.params)
	m.dw1, m.db1, m.dw2, m.db2 = split(m.grads)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	glorot := func(w []float32, fanIn, fanOut int) {
		lim := math.Sqrt(6 / float64(fanIn+fanOut))
		for i := range w {
			w[i] = float32((rng.Float64()*2 - 1) * lim)
		}
	}
	glorot(m.w1, in, hidden)
	glorot(m.w2, hidden, out)
	return m, nil
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// forward computes the hidden activations m.h and the output logits m.o
// (before softmax) for the b rows of x.
func (m *MLP) forward(x []float32, b int) {
	m.h = grow(m.h, b*m.Hidden)
	m.o = grow(m.o, b*m.Out)
	m.gemm.Sgemm(blas.NoTrans, blas.NoTrans, b, m.Hidden, m.In, 1, x, m.In, m.w1, m.Hidden, 0, m.h, m.Hidden)
	if m.build == Fast {
		fastops.AddBias(m.h, b, m.Hidden, m.b1, true)
	} else {
		for i := range b {
			row := m.h[i*m.Hidden : (i+1)*m.Hidden]
			for j := range row {
				row[j] = max(row[j]+m.b1[j], 0)
			}
		}
	}
	m.gemm.Sgemm(blas.NoTrans, blas.NoTrans, b, m.Out, m.Hidden, 1, m.h, m.Hidden, m.w2, m.Out, 0, m.o, m.Out)
	if m.build == Fast {
		fastops.AddBias(m.o, b, m.Out, m.b2, false)
	} else {
		for i := range b {
			row := m.o[i*m.Out : (i+1)*m.Out]
			for j := range row {
				row[j] += m.b2[j]
			}
		}
	}
}

// TrainStep runs one optimizer step on the b rows of x (b x In) with one-hot
// targets y (b x Out) and returns the batch's mean loss.
func (m *MLP) TrainStep(x, y []float32, b int) float64 {
	m.forward(x, b)
	m.dh = grow(m.dh, b*m.Hidden)
	do := m.o // the output gradient overwrites the probabilities in place
	var loss float64
	scale := 1 / float32(b)
	if m.build == Fast {
		loss = fastops.SoftmaxCrossEntropy(m.o, b, m.Out, m.Out, y, do, scale)
	} else {
		loss = plainSoftmaxCE(m.o, b, m.Out, y, scale)
	}
	// dW2 = Hᵀ·dO, db2 = column sums of dO, dH = dO·W2ᵀ masked by ReLU, dW1 = Xᵀ·dH.
	m.gemm.Sgemm(blas.Trans, blas.NoTrans, m.Hidden, m.Out, b, 1, m.h, m.Hidden, do, m.Out, 0, m.dw2, m.Out)
	m.gemm.Sgemm(blas.NoTrans, blas.Trans, b, m.Hidden, m.Out, 1, do, m.Out, m.w2, m.Out, 0, m.dh, m.Hidden)
	if m.build == Fast {
		fastops.ColSums(m.db2, do, b, m.Out)
		fastops.ReLUGrad(m.dh, m.h)
	} else {
		plainColSums(m.db2, do, b)
		for i, h := range m.h {
			if h <= 0 {
				m.dh[i] = 0
			}
		}
	}
	m.gemm.Sgemm(blas.Trans, blas.NoTrans, m.In, m.Hidden, b, 1, x, m.In, m.dh, m.Hidden, 0, m.dw1, m.Hidden)
	if m.build == Fast {
		fastops.ColSums(m.db1, m.dh, b, m.Hidden)
	} else {
		plainColSums(m.db1, m.dh, b)
	}
	m.update()
	return loss / float64(b)
}

func (m *MLP) update() {
	m.step++
	if m.opt == "sgd" {
		if m.build == Fast {
			fastops.SGD(m.params, m.grads, nil, m.lr, 0, false)
			return
		}
		for i, g := range m.grads {
			m.params[i] -= g * m.lr
		}
		return
	}
	alpha := fastops.AdamAlpha(m.lr, 0.9, 0.999, m.step)
	if m.build == Fast {
		fastops.Adam(m.params, m.grads, m.m, m.v, alpha, 0.9, 0.999, 1e-7)
		return
	}
	const c1, c2, eps = 1 - 0.9, 1 - 0.999, 1e-7
	for i, g := range m.grads {
		mi := m.m[i] + (g-m.m[i])*c1
		vi := m.v[i] + (g*g-m.v[i])*c2
		m.m[i], m.v[i] = mi, vi
		m.params[i] -= mi * alpha / (float32(math.Sqrt(float64(vi))) + eps)
	}
}

func plainSoftmaxCE(o []float32, b, k int, y []float32, scale float32) float64 {
	plainSoftmax(o, b, k)
	var loss float64
	for i := range b {
		row, yr := o[i*k:(i+1)*k], y[i*k:(i+1)*k]
		for j, p := range row {
			if yr[j] != 0 {
				loss -= float64(yr[j]) * math.Log(min(max(float64(p), 1e-7), 1-1e-7))
			}
			row[j] = (p - yr[j]) * scale
		}
	}
	return loss
}

func plainColSums(s, d []float32, b int) {
	n := len(s)
	clear(s)
	for i := range b {
		for j, x := range d[i*n : (i+1)*n] {
			s[j] += x
		}
	}
}

// Fit trains for epochs passes over the data in shuffled batches of size
// batch (the last batch may be smaller) and returns the last epoch's mean loss.
func (m *MLP) Fit(d *Dataset, epochs, batch int, seed uint64) (float64, error) {
	if d.Features != m.In {
		return 0, fmt.Errorf("data has %d features, the MLP %d inputs", d.Features, m.In)
	}
	if batch < 1 {
		return 0, fmt.Errorf("batch size %d: want at least 1", batch)
	}
	rng := rand.New(rand.NewPCG(seed, 0xf17))
	perm := make([]int, d.N)
	for i := range perm {
		perm[i] = i
	}
	m.xb = grow(m.xb, batch*m.In)
	m.yb = grow(m.yb, batch*m.Out)
	var loss float64
	for range epochs {
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		loss = 0
		steps := 0
		for s := 0; s < d.N; s += batch {
			b := min(batch, d.N-s)
			clear(m.yb[:b*m.Out])
			for r, idx := range perm[s : s+b] {
				copy(m.xb[r*m.In:(r+1)*m.In], d.X[idx*m.In:])
				m.yb[r*m.Out+d.Labels[idx]] = 1
			}
			loss += m.TrainStep(m.xb[:b*m.In], m.yb[:b*m.Out], b)
			steps++
		}
		loss /= float64(steps)
	}
	return loss, nil
}

// predictChunk is how many rows Predict computes at a time: enough for the
// products to run at full speed and split over goroutines, few enough that
// the hidden activations (chunk x Hidden) stay in the caches between the
// product, the bias and the next product.
const predictChunk = 512

// Predict returns the class probabilities (N x Out, what Keras' predict
// returns) and the most probable class of each row of d.
func (m *MLP) Predict(d *Dataset) ([]float32, []int) {
	probs := make([]float32, d.N*m.Out)
	for s := 0; s < d.N; s += predictChunk {
		b := min(predictChunk, d.N-s)
		m.forward(d.X[s*m.In:(s+b)*m.In], b)
		if m.build == Fast {
			fastops.SoftmaxCrossEntropy(m.o, b, m.Out, m.Out, nil, nil, 0)
		} else {
			plainSoftmax(m.o, b, m.Out)
		}
		copy(probs[s*m.Out:], m.o[:b*m.Out])
	}
	pred := make([]int, d.N)
	for i := range pred {
		row := probs[i*m.Out : (i+1)*m.Out]
		best := 0
		for j, x := range row {
			if x > row[best] {
				best = j
			}
		}
		pred[i] = best
	}
	return probs, pred
}

func plainSoftmax(o []float32, b, k int) {
	for i := range b {
		row := o[i*k : (i+1)*k]
		mx := row[0]
		for _, x := range row {
			mx = max(mx, x)
		}
		var sum float32
		for j, x := range row {
			row[j] = float32(math.Exp(float64(x - mx)))
			sum += row[j]
		}
		for j := range row {
			row[j] /= sum
		}
	}
}

// Accuracy is the fraction of predictions equal to the labels.
func Accuracy(pred, labels []int) float64 {
	ok := 0
	for i, p := range pred {
		if p == labels[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(labels))
}

// Params returns the flat parameter vector (W1, b1, W2, b2); it aliases the model.
func (m *MLP) Params() []float32 { return m.params }
