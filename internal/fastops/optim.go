package fastops

import (
	"math"
	"sync"

	"github.com/dlnb/dlnb/internal/parallel"
)

// Float is the element type of every function here.
type Float interface{ ~float32 | ~float64 }

// AdamAlpha is the step size of Adam's t-th update (t counts from 1), Keras
// 3's alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t), computed in T as Keras
// computes it in the variable's dtype.
func AdamAlpha[T Float](lr T, beta1, beta2 float64, t int) T {
	b1t := T(math.Pow(float64(T(beta1)), float64(t)))
	b2t := T(math.Pow(float64(T(beta2)), float64(t)))
	return lr * T(math.Sqrt(float64(1-b2t))) / (1 - b1t)
}

// Adam applies one Adam update, in Keras 3's order of operations:
//
//	m += (g - m) * (1 - beta1)
//	v += (g*g - v) * (1 - beta2)
//	w -= (m * alpha) / (sqrt(v) + eps)
//
// with alpha from AdamAlpha. w, g, m and v have the same length. The betas
// are float64 because Keras computes 1 - beta in Python's float64 before
// rounding it to the variable's dtype; this does the same.
func Adam[T Float](w, g, m, v []T, alpha T, beta1, beta2 float64, eps T) {
	c1, c2 := T(1-beta1), T(1-beta2)
	if p, ok := any(w).([]float32); ok && adamF32 != nil && len(w) > 0 {
		split(optTask{op: opAdam, w: p, g: any(g).([]float32), m: any(m).([]float32), v: any(v).([]float32),
			a: float32(alpha), b: float32(c1), c: float32(c2), d: float32(eps)}, minParallelDivide)
		return
	}
	adamGo(w, g, m, v, alpha, c1, c2, eps)
}

func adamGo[T Float](w, g, m, v []T, alpha, c1, c2, eps T) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i := range w {
		gi := g[i]
		// The explicit conversions round each operation, as Keras' separate
		// ops do, and keep the compiler from fusing them into FMAs.
		mi := m[i] + T((gi-m[i])*c1)
		vi := v[i] + T((T(gi*gi)-v[i])*c2)
		m[i], v[i] = mi, vi
		w[i] -= T(mi*alpha) / (T(math.Sqrt(float64(vi))) + eps)
	}
}

// RMSprop applies one update of Keras 3's RMSprop without momentum, not
// centered (its defaults: lr 0.001, rho 0.9, epsilon 1e-7; Keras' default
// optimizer), in Keras' order of operations:
//
//	v  = rho*v + (1 - rho)*g*g
//	w -= (lr * g) / sqrt(v + eps)
func RMSprop[T Float](w, g, v []T, lr T, rho float64, eps T) {
	r, c := T(rho), T(1-rho)
	if p, ok := any(w).([]float32); ok && rmspropF32 != nil && len(w) > 0 {
		split(optTask{op: opRMSprop, w: p, g: any(g).([]float32), v: any(v).([]float32),
			a: float32(lr), b: float32(r), c: float32(c), d: float32(eps)}, minParallelDivide)
		return
	}
	rmspropGo(w, g, v, lr, r, c, eps)
}

func rmspropGo[T Float](w, g, v []T, lr, r, c, eps T) {
	g, v = g[:len(w)], v[:len(w)]
	for i := range w {
		gi := g[i]
		vi := T(r*v[i]) + T(c*T(gi*gi))
		v[i] = vi
		w[i] -= T(lr*gi) / T(math.Sqrt(float64(vi+eps)))
	}
}

// RMSpropMomentum is Keras 3's RMSprop with momentum > 0 (mom holds the
// momentum buffer) and, when avg is not nil, centered (avg holds the mean
// gradient):
//
//	v   = rho*v + (1 - rho)*g*g
//	avg = rho*avg + (1 - rho)*g                (centered)
//	inc = (lr * g) / sqrt(v - avg*avg + eps)   (centered; else sqrt(v + eps))
//	mom = momentum*mom + inc;  w -= mom        (momentum > 0; else w -= inc)
func RMSpropMomentum[T Float](w, g, v, mom, avg []T, lr T, rho float64, momentum, eps T) {
	r, c := T(rho), T(1-rho)
	g, v = g[:len(w)], v[:len(w)]
	for i := range w {
		gi := g[i]
		vi := T(r*v[i]) + T(c*T(gi*gi))
		v[i] = vi
		den := vi + eps
		if avg != nil {
			a := T(r*avg[i]) + T(c*gi)
			avg[i] = a
			den = vi - T(a*a) + eps
		}
		inc := T(lr*gi) / T(math.Sqrt(float64(den)))
		if momentum > 0 {
			m := T(momentum*mom[i]) + inc
			mom[i] = m
			w[i] -= m
		} else {
			w[i] -= inc
		}
	}
}

// SGD applies one Keras 3 SGD update with learning rate lr. With momentum 0,
// w -= g * lr and vel is not used (it may be nil); otherwise
//
//	vel = vel*momentum - g*lr
//	w  += vel                       (nesterov: w += vel*momentum - g*lr)
func SGD[T Float](w, g, vel []T, lr, momentum T, nesterov bool) {
	if momentum == 0 {
		if p, ok := any(w).([]float32); ok && sgdF32 != nil && len(w) > 0 {
			split(optTask{op: opSGD, w: p, g: any(g).([]float32), a: float32(lr)}, minParallelStream)
			return
		}
		sgdGo(w, g, lr)
		return
	}
	g, vel = g[:len(w)], vel[:len(w)]
	for i := range w {
		gl := T(g[i] * lr)
		m := T(vel[i]*momentum) - gl
		vel[i] = m
		if nesterov {
			w[i] += T(m*momentum) - gl
		} else {
			w[i] += m
		}
	}
}

func sgdGo[T Float](w, g []T, lr T) {
	g = g[:len(w)]
	for i := range w {
		w[i] -= T(g[i] * lr)
	}
}

// The float32 updates of many weights are split over the cores
// (internal/parallel) in ranges of whole 16-lane vectors: each weight's
// arithmetic is the same whoever computes it, so the split never changes a
// result. A part must get at least this many weights for the split to pay:
// Adam and RMSprop are bound by the divide and square-root unit (about
// 0.3 ns a weight on one Zen 4 core: 40 µs a part), SGD streams memory
// (about 0.08 ns a weight). Smaller parts would split MNIST's 100,480-weight
// layer, and at batch 32 that kept the other core's worker polling through
// every step for no gain: on a quiet Zen 4 the epoch's wall time was the same
// (0.344 against 0.370 s, 8 interleaved rounds) for twice the CPU time
// (0.675 against 0.383 s), CPU a class hub's other students need.
const (
	minParallelDivide = 128 << 10
	minParallelStream = 64 << 10
)

const (
	opAdam = iota
	opRMSprop
	opSGD
)

// optTask is one float32 update over w: Adam (a, b, c, d = alpha, c1, c2,
// eps), RMSprop (lr, r, c, eps) or SGD (lr), cut into parts of parallel.Task.
type optTask struct {
	op         int
	w, g, m, v []float32
	a, b, c, d float32
	parts      int
}

var optTasks = sync.Pool{New: func() any { return new(optTask) }}

// split runs t over all of w, in parts of at least least weights.
func split(t optTask, least int) {
	if t.parts = min(max(1, len(t.w)/least), parallel.Procs()); t.parts == 1 {
		t.RunPart(0)
		return
	}
	pt := optTasks.Get().(*optTask)
	*pt = t
	parallel.Do(pt.parts, pt)
	*pt = optTask{} // drop the references to the caller's slices
	optTasks.Put(pt)
}

// RunPart updates part p of the weights: whole 16-lane vectors, the last
// part the rest.
func (t *optTask) RunPart(p int) {
	n := len(t.w)
	lo, hi := n*p/t.parts&^15, n*(p+1)/t.parts&^15
	if p == t.parts-1 {
		hi = n
	}
	if lo == hi {
		return
	}
	w, g := t.w[lo:hi], t.g[lo:hi]
	switch t.op {
	case opAdam:
		adamF32(w, g, t.m[lo:hi], t.v[lo:hi], t.a, t.b, t.c, t.d)
	case opRMSprop:
		rmspropF32(w, g, t.v[lo:hi], t.a, t.b, t.c, t.d)
	default:
		sgdF32(w, g, t.a)
	}
}

// Assembly versions, set at init where the CPU has them.
var (
	adamF32 func(w, g, m, v []float32, alpha, c1, c2, eps float32)
	sgdF32  func(w, g []float32, lr float32)

	rmspropF32 func(w, g, v []float32, lr, r, c, eps float32)

	addBiasF32  func(row, bias []float32, relu bool)
	reluGradF32 func(d, out []float32)
)
