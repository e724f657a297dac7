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
	case "AUC", "Precision", "Recall": // Keras' class names, which compile accepts too
		return Metric(strings.ToLower(string(m))), nil
	case Accuracy, MSE, MAE, Precision, Recall, AUC:
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

// checkMonitor checks a callback's monitored value and Mode before training:
// a val_ value needs validation data.
func checkMonitor(who, monitor, mode string, p TrainParams) error {
	if _, err := maximize(who, monitor, mode); err != nil {
		return err
	}
	if strings.HasPrefix(monitor, "val_") && p.ValSamples == 0 {
		return fmt.Errorf("%s monitors %q but there is no validation data: set ValidationSplit or ValidationX/ValidationY in FitOptions, or monitor \"loss\"", who, monitor)
	}
	return nil
}

// monitored returns the monitored value of an epoch's logs.
func monitored(who, monitor string, logs map[string]float64) (float64, error) {
	v, ok := logs[monitor]
	if !ok {
		return 0, fmt.Errorf("%s monitors %q, which training does not report: choose one of %s", who, monitor, joinNames(sortedKeys(logs)))
	}
	return v, nil
}
