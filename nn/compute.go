package nn

import "fmt"

// Compute returns the loss of the predictions yPred against the targets
// yTrue, the mean over the rows, without a model: Keras'
// keras.losses.MeanSquaredError()(y_true, y_pred). yPred holds what a model
// outputs, probabilities for the cross-entropies (not logits); yTrue is laid
// out as Fit wants it (one-hot rows, class numbers, 0s and 1s). Both can be
// a *mat.Dense, [][]float64, or for one column []float64 or []int.
func (l Loss) Compute(yTrue, yPred any) (float64, error) {
	l, err := l.canonical()
	if err != nil {
		return 0, fmt.Errorf("nn.Compute: %w", err)
	}
	y, p, err := predictions(yTrue, yPred, l == SparseCategoricalCrossentropy)
	if err != nil {
		return 0, fmt.Errorf("nn.Compute(%s): %w", l, err)
	}
	if err := checkLabels(l, y, p.cols); err != nil {
		return 0, fmt.Errorf("nn.Compute(%s): %w", l, err)
	}
	return lossFor[float64](l, Linear).forward(y, p, p) / float64(y.rows), nil
}

// Compute returns the metric of the predictions yPred against the targets
// yTrue, over all the rows, as a Keras metric does: MAE, MSE, or Accuracy
// (binary for one column of probabilities, sparse for class numbers against
// several columns, categorical for one-hot rows) as means over the rows;
// Precision, Recall and AUC from the counts of all the rows (AUC: one
// column of probabilities against labels 0 and 1, as
// keras.metrics.AUC()(y_true, y_pred)). It computes in float64.
func (m Metric) Compute(yTrue, yPred any) (float64, error) {
	m, err := m.canonical()
	if err != nil {
		return 0, fmt.Errorf("nn.Compute: %w", err)
	}
	y, p, err := predictions(yTrue, yPred, m == Accuracy)
	if err == nil && (m == Precision || m == Recall) {
		err = checkLabels(BinaryCrossentropy, y, p.cols)
	}
	if err == nil {
		err = checkMetricLabels(m, y, p.cols)
	}
	if err != nil {
		return 0, fmt.Errorf("nn.Compute(%s): %w", m, err)
	}
	st := newMetricState[float64]([]Metric{m}, "", y.cols, p.cols)
	st.add(y, p, 1)
	return st.value(0), nil
}

// predictions reads targets and predictions and checks their shapes agree
// (classes allows one column of class numbers against several columns).
func predictions(yTrue, yPred any, classes bool) (y, p matrix[float64], err error) {
	if y, err = toMatrix("yTrue", yTrue); err != nil {
		return
	}
	if p, err = toMatrix("yPred", yPred); err != nil {
		return
	}
	switch {
	case y.rows != p.rows:
		err = fmt.Errorf("yTrue has %d rows but yPred has %d: give one prediction per target", y.rows, p.rows)
	case y.cols != p.cols && !(classes && y.cols == 1):
		err = fmt.Errorf("yTrue is %dx%d but yPred is %dx%d: give them the same columns", y.rows, y.cols, p.rows, p.cols)
	}
	return
}
