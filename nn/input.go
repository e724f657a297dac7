package nn

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// checkXY converts and checks a pair of inputs and targets, building the
// model on the first call. finiteX false leaves x's values to be checked by
// the caller.
func (m *Sequential) checkXY(x, y any, finiteX bool) (xm, ym matrix[float64], err error) {
	read := readMatrix
	if finiteX {
		read = toMatrix
	}
	if xm, err = read("x", x); err != nil {
		return
	}
	if ym, err = toMatrix("y", y); err != nil {
		return
	}
	if xm.rows != ym.rows {
		err = shapeError{fmt.Sprintf("x has %d rows but y has %d: give one target row per input row", xm.rows, ym.rows)}
		return
	}
	if err = m.checkX(xm); err != nil {
		return
	}
	units := m.specs[len(m.specs)-1].Units
	if err = checkLabels(m.compiled.loss, ym, units); err != nil {
		return
	}
	for _, mt := range m.compiled.metrics {
		if err = checkMetricLabels(mt, ym, units); err != nil {
			return
		}
	}
	return
}

// checkMetricLabels says when labels cannot be what a metric counts:
// Precision and Recall count yes/no questions, one per output unit; AUC
// ranks one sigmoid output against labels 0 and 1 (Keras' AUC would
// flatten several columns into one ranking, and count any label but 0 as
// 1: nn asks instead).
func checkMetricLabels(mt Metric, y matrix[float64], units int) error {
	switch {
	case (mt == Precision || mt == Recall) && y.cols != units:
		return shapeError{fmt.Sprintf("the metric %s needs y with one column per output unit (0s and 1s; one-hot rows), y has %d columns for %d units: use ToCategorical, or drop the metric", mt, y.cols, units)}
	case mt == AUC && (units != 1 || y.cols != 1):
		return shapeError{fmt.Sprintf("the metric auc is for a yes/no question, one output column (a sigmoid unit) against one column of 0s and 1s, but there are %d output columns and y has %d: for 2 classes use Dense{Units: 1, Activation: nn.Sigmoid} with binary_crossentropy and the class numbers as y, or drop auc", units, y.cols)}
	case mt == AUC:
		for r, v := range y.data {
			if v != 0 && v != 1 {
				return fmt.Errorf("y row %d is %v: the metric auc needs labels 0 or 1 (Keras would count %v as 1): give the two classes as 0 and 1, or drop auc", r, v, v)
			}
		}
	}
	return nil
}

// checkLabels says, before training starts, when labels cannot be what the
// loss expects: the most common mistake is passing class numbers to
// categorical_crossentropy.
func checkLabels(l Loss, y matrix[float64], units int) error {
	switch l {
	case SparseCategoricalCrossentropy:
		if y.cols != 1 {
			return fmt.Errorf("sparse_categorical_crossentropy needs one column of class numbers, y has %d columns: use categorical_crossentropy for one-hot labels", y.cols)
		}
		for r, v := range y.data {
			// v >= units is compared in float64: int(v) of a huge v (1e19)
			// wraps to a negative number and would index out of range.
			if v != math.Trunc(v) || v < 0 || v >= float64(units) {
				return fmt.Errorf("y row %d is %v: sparse_categorical_crossentropy needs class numbers 0..%d for the output layer's %d units", r, v, units-1, units)
			}
		}
		return nil
	}
	if y.cols != units {
		hint := "make the last layer's Units match y's columns"
		if y.cols == 1 && units > 1 && l == CategoricalCrossentropy {
			hint = fmt.Sprintf("categorical_crossentropy needs one-hot labels: use nn.ToCategorical(y, %d), or the loss sparse_categorical_crossentropy for class numbers", units)
		}
		return shapeError{fmt.Sprintf("y has %d columns but the output layer has %d units: %s", y.cols, units, hint)}
	}
	switch l {
	case CategoricalCrossentropy:
		for r := range y.rows {
			var s float64
			for _, v := range y.row(r) {
				if v < 0 || v > 1 {
					return fmt.Errorf("y row %d has the value %v: categorical_crossentropy needs one-hot labels (0s and one 1 per row): use nn.ToCategorical", r, v)
				}
				s += v
			}
			if math.Abs(s-1) > 1e-6 {
				return fmt.Errorf("y row %d sums to %v, not 1: categorical_crossentropy needs one-hot labels (0s and one 1 per row): use nn.ToCategorical", r, s)
			}
		}
	case BinaryCrossentropy:
		for i, v := range y.data {
			if v < 0 || v > 1 {
				return fmt.Errorf("y row %d has the value %v: binary_crossentropy needs labels between 0 and 1", i/y.cols, v)
			}
		}
	}
	return nil
}

func (m *Sequential) checkX(x matrix[float64]) error {
	if err := m.build(x.cols); err != nil {
		return err
	}
	if in := m.eng.inputDim(); x.cols != in && m.norm != nil {
		return shapeError{fmt.Sprintf("layer 0 (%s) was adapted to %d input columns, but x is %dx%d: give x the %d columns Adapt saw",
			m.norm.Name, in, x.rows, x.cols, in)}
	}
	if in := m.eng.inputDim(); x.cols != in {
		return shapeError{fmt.Sprintf("layer 0 (%s) expects %d input columns, but x is %dx%d: give x %d columns, or build the model for %d",
			m.specs[0].Name, in, x.rows, x.cols, in, x.cols)}
	}
	return nil
}

// fitData checks Fit's arguments and splits off the validation rows.
func (m *Sequential) fitData(x, y any, o FitOptions) (d fitData, err error) {
	if m.compiled == nil {
		if len(m.specs) == 0 {
			return d, errors.New("the model has no layers: Add a Dense layer, then Compile")
		}
		return d, fmt.Errorf("%w: call Compile(optimizer, loss, metrics...) before Fit", ErrNotCompiled)
	}
	switch {
	case o.Epochs < 0:
		return d, fmt.Errorf("Epochs is %d: it must be at least 1", o.Epochs)
	case o.BatchSize < 0:
		return d, fmt.Errorf("BatchSize is %d: it must be at least 1", o.BatchSize)
	case o.Verbose < 0 || o.Verbose > 2:
		return d, fmt.Errorf("Verbose is %d: use 0 (silent), 1 (progress bar) or 2 (one line per epoch)", o.Verbose)
	}
	d = fitData{metrics: m.compiled.metrics, loss: m.compiled.loss, xvName: "x"}
	if d.x, d.y, err = m.checkXY(x, y, false); err != nil {
		return d, err
	}
	if d.w, err = sampleWeights(o, d.y); err != nil {
		return d, err
	}
	switch {
	case o.ValidationX != nil || o.ValidationY != nil:
		if d.xv, d.yv, err = m.checkXY(o.ValidationX, o.ValidationY, false); err != nil {
			return d, fmt.Errorf("validation data: %w", err)
		}
		d.hasVal, d.xvName = true, "validation data: x"
	case o.ValidationSplit != 0:
		s := o.ValidationSplit
		if !(s > 0 && s < 1) {
			return d, fmt.Errorf("ValidationSplit is %v: it must be between 0 and 1 (e.g. 0.3 holds out the last 30%% of the rows)", s)
		}
		n := d.x.rows
		split := int(float64(n) * (1 - s)) // Keras' own expression, for the same sizes
		if split == 0 || split == n {
			return d, fmt.Errorf("ValidationSplit %v of %d rows leaves %d for training and %d for validation: both need at least one row", s, n, split, n-split)
		}
		d.xv, d.yv = sliceRows(d.x, split, n), sliceRows(d.y, split, n)
		d.x, d.y = sliceRows(d.x, 0, split), sliceRows(d.y, 0, split)
		d.hasVal, d.xvRow0 = true, split
		if d.w != nil {
			d.w = d.w[:split]
		}
	}
	// The data stays in float64, in the user's own storage when it can: each
	// batch's rows are converted as they are gathered, which costs little
	// more than the copy shuffling needs anyway, where converting all of it
	// first would double the memory a large data set takes.
	if err = checkFiniteParallel("x", d.x, 0); err == nil {
		err = checkFiniteParallel(d.xvName, d.xv, d.xvRow0)
	}
	d.wsum = float64(d.x.rows)
	if d.w != nil {
		d.wsum = 0
		for _, v := range d.w {
			d.wsum += v
		}
		if d.wsum == 0 && err == nil {
			err = errors.New("the sample weights of the training rows are all 0: nothing would be learned")
		}
	}
	return d, err
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// fitData is the data of one Fit, still in float64. Everything is checked
// but the values of x and xv, which are checked as they are converted.
type fitData struct {
	x, y, xv, yv matrix[float64]
	hasVal       bool
	xvName       string // what errors call xv
	xvRow0       int    // the row of the user's data where xv starts
	metrics      []Metric
	loss         Loss
	w            []float64 // the training rows' sample weights; nil: all 1
	wsum         float64   // their sum, which must not be 0
}

var (
	errAlreadyTraining = errors.New("the model is already training (Fit is running in another goroutine): wait for it to return, or train a copy (Load what Save wrote)")
)

// diverged returns an error if the loss (or val_loss) v is NaN or infinite.
func (m *Sequential) diverged(name string, v float64, where string) error {
	if !math.IsNaN(v) && !math.IsInf(v, 0) {
		return nil
	}
	return fmt.Errorf("the %s became %v in %s: %w; lower the learning rate (it is %v) or scale the inputs",
		name, v, where, ErrDiverged, m.compiled.opt.LearningRate)
}
