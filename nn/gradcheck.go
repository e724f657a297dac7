package nn

import (
	"fmt"
	"math"
)

// GradientCheckResult compares backpropagation's gradients with finite
// differences, (E(w+h) - E(w-h)) / 2h, for every weight and bias.
type GradientCheckResult struct {
	// MaxRelError is the largest |analytic - numeric| / max(|analytic| + |numeric|, 1e-4).
	// Below about 1e-6 the backward pass is right; above 1e-3 something is
	// wrong. Finite differences resolve a gradient only to about 1e-10, so
	// gradients below 1e-4 are compared in absolute terms (the floor 1e-4).
	MaxRelError float64
	Worst       GradientEntry   // the entry with MaxRelError
	Layers      []GradientLayer // per layer
	Checked     int             // how many weights and biases were compared
}

// GradientEntry is one weight's gradient, both ways.
type GradientEntry struct {
	Layer             int
	Param             string // "kernel" or "bias"
	Row, Col          int    // the kernel's input and unit (Row is 0 for a bias)
	Analytic, Numeric float64
	RelError          float64
}

// GradientLayer is the largest relative error among one layer's weights.
type GradientLayer struct {
	Name        string
	MaxRelError float64
}

func (r *GradientCheckResult) String() string {
	s := fmt.Sprintf("gradient check of %d weights: max relative error %.3g", r.Checked, r.MaxRelError)
	for _, l := range r.Layers {
		s += fmt.Sprintf("\n  %-10s %.3g", l.Name, l.MaxRelError)
	}
	w := r.Worst
	return s + fmt.Sprintf("\n  worst: layer %d %s[%d][%d]: backprop %.10g, finite differences %.10g", w.Layer, w.Param, w.Row, w.Col, w.Analytic, w.Numeric)
}

// GradientCheck computes the gradient of the compiled loss on x and y by
// backpropagation and by central finite differences with step h (0 means
// 1e-5, about the cube root of float64's precision, which balances the
// differences' truncation and rounding errors), in float64, and compares
// them. Dropout layers drop values as in training, with one mask (drawn
// from the model's seed) for every loss computed. It does not change the
// model.
func (m *Sequential) GradientCheck(x, y any, h float64) (*GradientCheckResult, error) {
	if h == 0 {
		h = 1e-5
	}
	if !(h > 0) {
		return nil, fmt.Errorf("nn.GradientCheck: the step h is %v: it must be positive, e.g. 1e-5", h)
	}
	n, xm, ym, err := m.gradientNet(x, y)
	if err != nil {
		return nil, fmt.Errorf("nn.GradientCheck: %w", err)
	}
	lossAt := func() float64 {
		out := n.forward(xm)
		return n.loss.forward(ym, out, n.output().net)/float64(xm.rows) + n.penalty()
	}
	n.forward(xm)
	n.fixMask = true // every loss below is of the same dropped network
	n.backward(ym)
	res := &GradientCheckResult{Worst: GradientEntry{RelError: -1}}
	for i, l := range n.ls {
		layer := GradientLayer{Name: l.cfg.Name}
		for p, param := range []string{"kernel", "bias"}[:2-b2i(l.cfg.NoBias)] {
			w, g := n.ps[2*i+p], clone(n.gs[2*i+p])
			for k := range w {
				old := w[k]
				w[k] = old + h
				up := lossAt()
				w[k] = old - h
				down := lossAt()
				w[k] = old
				e := GradientEntry{Layer: i, Param: param, Analytic: g[k], Numeric: (up - down) / (2 * h)}
				if p == 0 {
					e.Row, e.Col = k/l.units, k%l.units
				} else {
					e.Col = k
				}
				e.RelError = math.Abs(e.Analytic-e.Numeric) / max(math.Abs(e.Analytic)+math.Abs(e.Numeric), 1e-4)
				layer.MaxRelError = max(layer.MaxRelError, e.RelError)
				if e.RelError > res.Worst.RelError {
					res.Worst = e
				}
				res.Checked++
			}
		}
		res.Layers = append(res.Layers, layer)
		res.MaxRelError = max(res.MaxRelError, layer.MaxRelError)
	}
	return res, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// LayerGradients returns, for each Dense layer, the mean absolute gradient
// of the loss with respect to its kernel on x and y: how strongly training
// pushes that layer's weights (Dropout layers drop values, as in training).
// Values that shrink layer by layer towards the input are the
// vanishing-gradient problem. It does not change the model.
func (m *Sequential) LayerGradients(x, y any) ([]float64, error) {
	n, xm, ym, err := m.gradientNet(x, y)
	if err != nil {
		return nil, fmt.Errorf("nn.LayerGradients: %w", err)
	}
	n.forward(xm)
	n.backward(ym)
	res := make([]float64, len(n.ls))
	for i, l := range n.ls {
		var s float64
		for _, g := range l.dw.data {
			s += math.Abs(g)
		}
		res[i] = s / float64(len(l.dw.data))
	}
	return res, nil
}

// gradientNet checks x and y and returns a float64 copy of the model with
// every weight trainable, and the data.
func (m *Sequential) gradientNet(x, y any) (*net[float64], matrix[float64], matrix[float64], error) {
	if m.compiled == nil {
		return nil, matrix[float64]{}, matrix[float64]{}, fmt.Errorf("%w: call Compile first (the loss decides the gradients)", ErrNotCompiled)
	}
	xm, ym, err := m.checkXY(x, y, true)
	if err != nil {
		return nil, xm, ym, err
	}
	n, err := m.float64Net(true)
	if err != nil {
		return nil, xm, ym, err
	}
	return n, normalizedCopy(n, xm), ym, nil
}
