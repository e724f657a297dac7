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

// penalty is the regularization loss of the network's current weights.
func (n *net[T]) penalty() float64 {
	var s float64
	for _, l := range n.ls {
		r := l.cfg.KernelRegularizer
		if r == nil {
			continue
		}
		var a, q float64
		for _, w := range l.w.data {
			a += math.Abs(float64(w))
			q += float64(w) * float64(w)
		}
		s += r.L1*a + r.L2*q
	}
	return s
}

// addPenaltyGradient adds the regularizer's gradient to the kernel's.
func (l *dense[T]) addPenaltyGradient() {
	r := l.cfg.KernelRegularizer
	if r == nil {
		return
	}
	l1, l2 := T(r.L1), T(2*r.L2)
	for i, w := range l.w.data {
		sign := T(0)
		if w > 0 {
			sign = 1
		} else if w < 0 {
			sign = -1
		}
		l.dw.data[i] += l1*sign + l2*w
	}
}
