package nn

import (
	"fmt"
	"math"
)

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

func (c optimizerConfig) check() error {
	bad := func(name string, v float64, want string) error {
		return fmt.Errorf("%s %s is %v: it must be %s", c.Name, name, v, want)
	}
	switch {
	case !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0):
		return bad("learning rate", c.LearningRate, "a positive number")
	case c.Momentum < 0 || c.Momentum >= 1:
		return bad("momentum", c.Momentum, "in [0, 1)")
	case c.Beta1 < 0 || c.Beta1 >= 1 || c.Beta2 < 0 || c.Beta2 >= 1:
		return fmt.Errorf("adam betas are %v and %v: they must be in [0, 1)", c.Beta1, c.Beta2)
	case c.Rho < 0 || c.Rho >= 1:
		return bad("rho", c.Rho, "in [0, 1)")
	case c.Epsilon < 0:
		return bad("epsilon", c.Epsilon, "at least 0")
	}
	return nil
}

// optimizerFromConfig turns a saved configuration back into an Optimizer.
func optimizerFromConfig(c optimizerConfig) (Optimizer, error) {
	switch c.Name {
	case "sgd":
		return SGD{c.LearningRate, c.Momentum, c.Nesterov}, nil
	case "adam":
		return Adam{c.LearningRate, c.Beta1, c.Beta2, c.Epsilon}, nil
	case "rmsprop":
		return RMSprop{c.LearningRate, c.Rho, c.Momentum, c.Epsilon}, nil
	}
	return nil, fmt.Errorf("unknown optimizer %q: use sgd, adam or rmsprop", c.Name)
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
// its running values, slots[param][slot], one slice per weight tensor.
type optimizerState[T number] struct {
	cfg        optimizerConfig
	iterations int
	slots      [][][]T
}

func newOptimizerState[T number](c optimizerConfig, params [][]T) *optimizerState[T] {
	o := &optimizerState[T]{cfg: c, slots: make([][][]T, len(params))}
	for i, p := range params {
		o.slots[i] = make([][]T, c.slotsPerParam())
		for s := range o.slots[i] {
			o.slots[i][s] = make([]T, len(p))
		}
	}
	return o
}

// step applies one update to every trainable parameter, with Keras 3's
// formulas. trainable[i] false leaves params[i] (and its slots) alone.
func (o *optimizerState[T]) step(params, grads [][]T, trainable []bool) {
	c := o.cfg
	lr := T(c.LearningRate)
	o.iterations++
	var alpha T
	if c.Name == "adam" {
		t := float64(o.iterations)
		alpha = T(c.LearningRate * math.Sqrt(1-math.Pow(c.Beta2, t)) / (1 - math.Pow(c.Beta1, t)))
	}
	for i, w := range params {
		if !trainable[i] {
			continue
		}
		g, s := grads[i], o.slots[i]
		switch c.Name {
		case "sgd":
			sgdStep(w, g, s, lr, T(c.Momentum), c.Nesterov)
		case "adam":
			adamStep(w, g, s[0], s[1], alpha, T(c.Beta1), T(c.Beta2), T(c.Epsilon))
		case "rmsprop":
			rmspropStep(w, g, s, lr, T(c.Rho), T(c.Momentum), T(c.Epsilon))
		}
	}
}

// sgdStep: w -= lr*g; with momentum m = momentum*m - lr*g, then w += m
// (Nesterov: w += momentum*m - lr*g).
func sgdStep[T number](w, g []T, s [][]T, lr, momentum T, nesterov bool) {
	if len(s) == 0 {
		for j, gj := range g {
			w[j] -= lr * gj
		}
		return
	}
	m := s[0]
	for j, gj := range g {
		m[j] = momentum*m[j] - lr*gj
		if nesterov {
			w[j] += momentum*m[j] - lr*gj
		} else {
			w[j] += m[j]
		}
	}
}

// adamStep: m += (g-m)(1-b1); v += (g^2-v)(1-b2); w -= alpha*m/(sqrt(v)+eps),
// where alpha folds in the bias corrections of the first steps.
func adamStep[T number](w, g, m, v []T, alpha, b1, b2, eps T) {
	for j, gj := range g {
		m[j] += (gj - m[j]) * (1 - b1)
		v[j] += (gj*gj - v[j]) * (1 - b2)
		w[j] -= alpha * m[j] / (T(math.Sqrt(float64(v[j]))) + eps)
	}
}

// rmspropStep: v = rho*v + (1-rho)g^2; w -= lr*g/(sqrt(v)+eps), through a
// momentum buffer when momentum > 0.
func rmspropStep[T number](w, g []T, s [][]T, lr, rho, momentum, eps T) {
	v := s[0]
	for j, gj := range g {
		v[j] = rho*v[j] + (1-rho)*gj*gj
		inc := lr * gj / (T(math.Sqrt(float64(v[j]))) + eps)
		if len(s) > 1 {
			s[1][j] = momentum*s[1][j] + inc
			inc = s[1][j]
		}
		w[j] -= inc
	}
}
