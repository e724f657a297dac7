package nn

import (
	"fmt"
	"math"
)

// L1L2 is a weight penalty, Keras' regularizers.L1L2: it adds
// L1*sum(|w|) + L2*sum(w²) over a layer's kernel to the loss, which pulls
// the weights toward 0 and fights overfitting. Set it as a Dense layer's
// KernelRegularizer: nn.Dense{Units: 16, KernelRegularizer: &nn.L1L2{L2: 0.01}}
// is Dense(16, kernel_regularizer=regularizers.L2(0.01)). As in Keras the
// penalty is part of "loss" and "val_loss" (and of Evaluate's loss), and its
// gradient, L1*sign(w) + 2*L2*w, is added to the kernel's.
type L1L2 struct {
	L1 float64 `json:"l1,omitempty"`
	L2 float64 `json:"l2,omitempty"`
}

// checked checks the penalty and returns a copy the layer keeps.
func (r *L1L2) checked() (*L1L2, error) {
	if r == nil {
		return nil, nil
	}
	if !(r.L1 >= 0 && r.L2 >= 0) || math.IsInf(r.L1+r.L2, 0) {
		return nil, fmt.Errorf("KernelRegularizer L1 %v, L2 %v: both must be finite and at least 0", r.L1, r.L2)
	}
	c := *r
	return &c, nil
}

// penalty is the regularization loss of the network's current weights,
// each layer's measured in a pass of its own (Evaluate, GradientCheck).
func (n *net[T]) penalty() float64 {
	var s float64
	for _, l := range n.ls {
		if l.cfg.KernelRegularizer != nil {
			s += l.kernelPenalty()
		}
	}
	return s
}

// stepPenalty is penalty() for a training step, after backward: a trained
// layer's penalty was measured by backward, at the same weights, in the
// pass that added its gradient (addPenaltyGradient); a frozen layer's is
// measured here. The sums are the same, in the same order, so the numbers
// are penalty()'s to the bit.
func (n *net[T]) stepPenalty() float64 {
	var s float64
	for _, l := range n.ls {
		switch {
		case l.cfg.KernelRegularizer == nil:
		case l.cfg.Frozen:
			s += l.kernelPenalty()
		default:
			s += l.pen
		}
	}
	return s
}

// kernelPenalty is L1*sum(|w|) + L2*sum(w²) over the layer's kernel.
func (l *dense[T]) kernelPenalty() float64 {
	var a, q float64
	for _, w := range l.w.data {
		a += math.Abs(float64(w))
		q += float64(w) * float64(w)
	}
	r := l.cfg.KernelRegularizer
	return r.L1*a + r.L2*q
}

// addPenaltyGradient adds the regularizer's gradient to the kernel's, and
// measures the penalty in the same pass (l.pen, kernelPenalty's sums in
// kernelPenalty's order): a training step reads the weights once for both.
// Every number is the one of the formulas as written (a test checks it bit
// for bit): with L1 = 0 the L1 terms are zeros, and leaving them out
// changes nothing but the sign of a zero gradient, which g = 0 for w = 0
// keeps; a non-finite sum of squares is measured again with the L1 term,
// which can make it NaN. The sign is taken without a branch on w, whose
// signs are random and would be mispredicted half the time.
func (l *dense[T]) addPenaltyGradient() {
	r := l.cfg.KernelRegularizer
	if r == nil {
		return
	}
	l1, l2 := T(r.L1), T(2*r.L2)
	var a, q float64
	if r.L1 == 0 && r.L2 > 0 {
		for i, w := range l.w.data {
			g := l2 * w
			if w == 0 {
				g = 0
			}
			l.dw.data[i] += g
			q += float64(w) * float64(w)
		}
		l.pen = r.L2 * q
		if math.IsNaN(q) || math.IsInf(q, 0) {
			l.pen = l.kernelPenalty()
		}
		return
	}
	for i, w := range l.w.data {
		sign := T(math.Copysign(1, float64(w)))
		if w == 0 {
			sign = 0
		}
		l.dw.data[i] += l1*sign + l2*w
		a += math.Abs(float64(w))
		q += float64(w) * float64(w)
	}
	l.pen = r.L1*a + r.L2*q
}
