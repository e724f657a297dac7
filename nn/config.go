package nn

import (
	"fmt"
	"math"
)

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
