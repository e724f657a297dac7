package nn

import (
	"fmt"
	"math"
)

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
