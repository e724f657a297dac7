package nn

import (
	"fmt"
	"math"

	"github.com/dlnb/dlnb/internal/fastops"
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
	// Every comparison is written so that NaN fails it: NaN < 0 and NaN >= 1
	// are both false, and a NaN setting would otherwise pass and train
	// nothing (or turn every weight into NaN at the first step).
	bad := func(name string, v float64, want string) error {
		return fmt.Errorf("%s %s is %v: it must be %s (leave it at 0 for Keras' default)", c.Name, name, v, want)
	}
	unit := func(v float64) bool { return v >= 0 && v < 1 }
	switch {
	case !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0):
		return bad("LearningRate", c.LearningRate, "a positive finite number")
	case !unit(c.Momentum):
		return bad("Momentum", c.Momentum, "in [0, 1)")
	case !unit(c.Beta1):
		return bad("Beta1", c.Beta1, "in [0, 1)")
	case !unit(c.Beta2):
		return bad("Beta2", c.Beta2, "in [0, 1)")
	case !unit(c.Rho):
		return bad("Rho", c.Rho, "in [0, 1)")
	case !(c.Epsilon >= 0) || math.IsInf(c.Epsilon, 0):
		return bad("Epsilon", c.Epsilon, "a small positive number such as 1e-7")
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
// its running values. Each kind of running value (Adam's first and second
// moments, a momentum, ...) is one flat slice over all the network's weights,
// laid out like the network's flat parameters, so that one pass updates them.
type optimizerState[T number] struct {
	cfg        optimizerConfig
	iterations int
	flat       [][]T // flat[slot][weight]
	offsets    []int // where each tensor starts in the flat layout
}

func newOptimizerState[T number](c optimizerConfig, tensors [][]T) *optimizerState[T] {
	o := &optimizerState[T]{cfg: c, flat: make([][]T, c.slotsPerParam())}
	total := 0
	for _, t := range tensors {
		o.offsets = append(o.offsets, total)
		total += len(t)
	}
	o.offsets = append(o.offsets, total)
	for s := range o.flat {
		o.flat[s] = make([]T, total)
	}
	return o
}

// tensor returns the running values of tensor i, one slice per slot.
func (o *optimizerState[T]) tensor(i int) [][]T {
	s := make([][]T, len(o.flat))
	for k, f := range o.flat {
		s[k] = f[o.offsets[i]:o.offsets[i+1]]
	}
	return s
}

// step applies one update, with Keras 3's formulas, to every trainable
// tensor of the network: in one pass over the flat storage when everything
// is trainable, tensor by tensor otherwise.
func (o *optimizerState[T]) step(n *net[T]) {
	n.mu.Lock() // inference in other goroutines reads the weights under the read lock
	defer n.mu.Unlock()
	o.iterations++
	all := true
	for _, t := range n.train {
		all = all && t
	}
	if all {
		o.update(n.params, n.grads, o.flat)
		return
	}
	for i, t := range n.train {
		if t {
			o.update(n.ps[i], n.gs[i], o.tensor(i))
		}
	}
}

// update applies the optimizer to weights w with gradients g and running
// values s (internal/fastops has the fused loops, in assembly where it pays):
//
//	sgd:      w -= lr*g; with momentum m = momentum*m - lr*g, w += m (Nesterov: w += momentum*m - lr*g)
//	adam:     m += (g-m)(1-beta1); v += (g²-v)(1-beta2); w -= alpha*m/(sqrt(v)+eps),
//	          alpha = lr*sqrt(1-beta2^t)/(1-beta1^t) folding in the first steps' bias corrections
//	rmsprop:  v = rho*v + (1-rho)g²; w -= lr*g/sqrt(v+eps), through a momentum buffer if momentum > 0
func (o *optimizerState[T]) update(w, g []T, s [][]T) {
	c := o.cfg
	switch c.Name {
	case "sgd":
		var vel []T
		if len(s) > 0 {
			vel = s[0]
		}
		fastops.SGD(w, g, vel, T(c.LearningRate), T(c.Momentum), c.Nesterov)
	case "adam":
		alpha := fastops.AdamAlpha(T(c.LearningRate), c.Beta1, c.Beta2, o.iterations)
		fastops.Adam(w, g, s[0], s[1], alpha, c.Beta1, c.Beta2, T(c.Epsilon))
	case "rmsprop":
		if c.Momentum > 0 {
			fastops.RMSpropMomentum(w, g, s[0], s[1], nil, T(c.LearningRate), c.Rho, T(c.Momentum), T(c.Epsilon))
		} else {
			fastops.RMSprop(w, g, s[0], T(c.LearningRate), c.Rho, T(c.Epsilon))
		}
	}
}
