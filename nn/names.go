package nn

import (
	"fmt"
	"strings"
)

// canonical maps "" to linear and checks the name.
func (a Activation) canonical() (Activation, error) {
	if a == "" {
		return Linear, nil
	}
	for _, n := range activationNames {
		if a == n {
			return a, nil
		}
	}
	return "", fmt.Errorf("unknown activation %q: use one of %s", string(a), joinNames(activationNames))
}

func (l Loss) canonical() (Loss, error) {
	if l == "mse" {
		return MeanSquaredError, nil
	}
	for _, n := range lossNames {
		if l == n {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown loss %q: use one of %s", string(l), joinNames(lossNames))
}

func (m Metric) canonical() (Metric, error) {
	switch m {
	case "acc":
		return Accuracy, nil
	case "mean_squared_error":
		return MSE, nil
	case "mean_absolute_error":
		return MAE, nil
	case Accuracy, MSE, MAE:
		return m, nil
	}
	return "", fmt.Errorf("unknown metric %q: use one of %s", string(m), joinNames(metricNames))
}

func joinNames[S ~string](names []S) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = fmt.Sprintf("%q", string(n))
	}
	return strings.Join(s, ", ")
}
