package nn

import "math"

// Optimizer is how training changes the weights from their gradients: SGD,
// Adam or RMSprop. A field left at zero takes Keras' default, so nn.Adam{} is
// keras.optimizers.Adam().
type Optimizer interface {
	config() (optimizerConfig, error)
}

// SGD is plain gradient descent, w -= LearningRate * gradient, with optional
// momentum. Defaults: LearningRate 0.01, Momentum 0 (Keras' "sgd").
type SGD struct {
	LearningRate float64
	Momentum     float64
	Nesterov     bool
}

// Adam adapts each weight's step from running averages of its gradient and
// squared gradient. Defaults: LearningRate 0.001, Beta1 0.9, Beta2 0.999,
// Epsilon 1e-7 (Keras' "adam").
type Adam struct {
	LearningRate, Beta1, Beta2, Epsilon float64
}

// RMSprop divides each step by a running root mean square of the gradient.
// Defaults: LearningRate 0.001, Rho 0.9, Momentum 0, Epsilon 1e-7 (Keras'
// "rmsprop", the default optimizer of keras compile()).
type RMSprop struct {
	LearningRate, Rho, Momentum, Epsilon float64
}

// optimizerConfig is every optimizer's settings in one comparable value, the
// form that is saved with a model.
type optimizerConfig struct {
	Name         string  `json:"name"`
	LearningRate float64 `json:"learning_rate"`
	Momentum     float64 `json:"momentum,omitempty"`
	Nesterov     bool    `json:"nesterov,omitempty"`
	Beta1        float64 `json:"beta_1,omitempty"`
	Beta2        float64 `json:"beta_2,omitempty"`
	Rho          float64 `json:"rho,omitempty"`
	Epsilon      float64 `json:"epsilon,omitempty"`
}

func or(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

func (o SGD) config() (optimizerConfig, error) {
	c := optimizerConfig{Name: "sgd", LearningRate: or(o.LearningRate, 0.01), Momentum: o.Momentum, Nesterov: o.Nesterov}
	return c, c.check()
}

func (o Adam) config() (optimizerConfig, error) {
	c := optimizerConfig{Name: "adam", LearningRate: or(o.LearningRate, 0.001),
		Beta1: or(o.Beta1, 0.9), Beta2: or(o.Beta2, 0.999), Epsilon: or(o.Epsilon, 1e-7)}
	return c, c.check()
}

func (o RMSprop) config() (optimizerConfig, error) {
	c := optimizerConfig{Name: "rmsprop", LearningRate: or(o.LearningRate, 0.001),
		Rho: or(o.Rho, 0.9), Momentum: o.Momentum, Epsilon: or(o.Epsilon, 1e-7)}
	return c, c.check()
}

// slotsPerParam is how many running values the optimizer keeps per weight.
func (c optimizerConfig) slotsPerParam() int {
	switch {
	case c.Name == "adam":
		return 2 // first and second moments
	case c.Name == "rmsprop" && c.Momentum > 0:
		return 2 // mean square and momentum
	case c.Name == "rmsprop" || c.Momentum > 0:
		return 1
	}
	return 0
}

// optimizerState is an optimizer at work: its settings, its step count and
// its running values. Each kind of running value (Adam's first and second
// moments, a momentum, ...) is one flat slice over all the network's weights,
// laid out like the network's flat parameters, so that one pass updates them.
type optimizerState[T number] struct {
	cfg        optimizerConfig
	iterations int
	flat       [][]T // flat[slot][weight]
	offsets    []int // where each tensor starts in the flat layout
}

// The update rules, in plain Go: what one step does to every weight w with
// gradient g, with Keras 3's formulas and order of operations. A Float64
// model runs these; a Float32 one runs the same arithmetic in the fused
// loops of internal/fastops, and TestOptimizersMatchReference checks that
// both give the same weights, bit for bit. Each T(...) rounds a product, as
// Keras' separate operations do, and keeps Go from fusing it into an FMA.
func reference[T number](c optimizerConfig, t int, w, g []T, s [][]T) {
	var s0, s1 []T // the running values; nil where a setting needs none
	if len(s) > 0 {
		s0 = s[0]
	}
	if len(s) > 1 {
		s1 = s[1]
	}
	switch c.Name {
	case "sgd":
		sgdUpdate(c, w, g, s0)
	case "adam":
		adamUpdate(c, t, w, g, s0, s1)
	case "rmsprop":
		rmspropUpdate(c, w, g, s0, s1)
	}
}

// sgdUpdate: w -= lr*g; with momentum, the velocity v = momentum*v - lr*g
// and w += v (Nesterov: w += momentum*v - lr*g, a look ahead).
func sgdUpdate[T number](c optimizerConfig, w, g, v []T) {
	lr, momentum := T(c.LearningRate), T(c.Momentum)
	for i := range w {
		step := T(g[i] * lr)
		switch {
		case momentum == 0:
			w[i] -= step
		case c.Nesterov:
			v[i] = T(v[i]*momentum) - step
			w[i] += T(v[i]*momentum) - step
		default:
			v[i] = T(v[i]*momentum) - step
			w[i] += v[i]
		}
	}
}

// adamUpdate keeps running means of the gradient, m, and of its square, v:
// m += (g-m)(1-beta1), v += (g²-v)(1-beta2), and steps w -= alpha*m/(sqrt(v)+eps),
// where alpha = lr*sqrt(1-beta2^t)/(1-beta1^t) corrects the bias of the
// first steps' means toward 0 (t counts the steps from 1).
func adamUpdate[T number](c optimizerConfig, t int, w, g, m, v []T) {
	b1t := T(math.Pow(float64(T(c.Beta1)), float64(t)))
	b2t := T(math.Pow(float64(T(c.Beta2)), float64(t)))
	alpha := T(c.LearningRate) * T(math.Sqrt(float64(1-b2t))) / (1 - b1t)
	c1, c2, eps := T(1-c.Beta1), T(1-c.Beta2), T(c.Epsilon)
	for i := range w {
		m[i] += T((g[i] - m[i]) * c1)
		v[i] += T((T(g[i]*g[i]) - v[i]) * c2)
		w[i] -= T(m[i]*alpha) / (T(math.Sqrt(float64(v[i]))) + eps)
	}
}

// rmspropUpdate divides the step by a running root mean square of the
// gradient: v = rho*v + (1-rho)g², w -= lr*g/sqrt(v+eps); with momentum the
// step goes through a buffer, mom = momentum*mom + lr*g/sqrt(v+eps), w -= mom.
func rmspropUpdate[T number](c optimizerConfig, w, g, v, mom []T) {
	lr, rho, keep, momentum, eps := T(c.LearningRate), T(c.Rho), T(1-c.Rho), T(c.Momentum), T(c.Epsilon)
	for i := range w {
		v[i] = T(rho*v[i]) + T(keep*T(g[i]*g[i]))
		step := T(lr*g[i]) / T(math.Sqrt(float64(v[i]+eps)))
		if momentum > 0 {
			mom[i] = T(momentum*mom[i]) + step
			step = mom[i]
		}
		w[i] -= step
	}
}
