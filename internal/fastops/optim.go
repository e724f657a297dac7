package fastops

import "math"

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
		adamF32(p, any(g).([]float32), any(m).([]float32), any(v).([]float32),
			float32(alpha), float32(c1), float32(c2), float32(eps))
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
		rmspropF32(p, any(g).([]float32), any(v).([]float32), float32(lr), float32(r), float32(c), float32(eps))
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
			sgdF32(p, any(g).([]float32), float32(lr))
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

// Assembly versions, set at init where the CPU has them.
var (
	adamF32 func(w, g, m, v []float32, alpha, c1, c2, eps float32)
	sgdF32  func(w, g []float32, lr float32)

	rmspropF32 func(w, g, v []float32, lr, r, c, eps float32)

	addBiasF32  func(row, bias []float32, relu bool)
	reluGradF32 func(d, out []float32)
)
