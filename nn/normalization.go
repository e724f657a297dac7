package nn

import (
	"fmt"
	"math"
)

// Normalization is Keras' Normalization layer for a model's inputs: it
// standardizes every input column with the mean and variance Adapt measured,
//
//	out = (x - Mean) / max(sqrt(Variance), 1e-7)
//
// (Keras 3's formula, 1e-7 being its backend.epsilon()), so the model keeps
// its scaler inside it: Predict, Evaluate and a saved model take raw rows.
// As in Keras (axis=-1) there is one mean and one variance per column, the
// variance is the population one (numpy's var, ddof=0), and its weights are
// not trained: Summary counts Mean, Variance and Keras' "count", 2d+1
// numbers for d columns, as non-trainable. In nn it is the first layer:
//
//	norm := nn.Normalization{}
//	err := norm.Adapt(xTrain)
//	model := nn.NewSequential(norm, nn.Dense{Units: 32, Activation: nn.ReLU}, ...)
type Normalization struct {
	Name     string    // "" = "normalization"
	Mean     []float64 // per input column; set by Adapt (or by hand, as Keras' mean=)
	Variance []float64 // per input column, at least 0
}

// normType is the "type" a saved Normalization layer has.
const normType = "Normalization"

// normEpsilon is Keras' backend.epsilon(), the smallest divisor.
const normEpsilon = 1e-7

// Adapt measures each column's mean and population variance on x (one row
// per example), as Keras' adapt(x): call it on the training rows only, then
// add the layer to the model.
func (l *Normalization) Adapt(x any) error {
	m, err := toMatrix("x", x)
	if err != nil {
		return fmt.Errorf("nn.Normalization.Adapt: %w", err)
	}
	mean, variance := make([]float64, m.cols), make([]float64, m.cols)
	for r := range m.rows {
		for j, v := range m.row(r) {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(m.rows)
	}
	for r := range m.rows {
		for j, v := range m.row(r) {
			variance[j] += (v - mean[j]) * (v - mean[j])
		}
	}
	for j := range variance {
		variance[j] /= float64(m.rows)
	}
	l.Mean, l.Variance = mean, variance
	return nil
}

// addNormalization makes l the model's first layer, or records what is
// wrong with it.
func (m *Sequential) addNormalization(l Normalization) {
	if l.Name == "" {
		l.Name = "normalization"
	}
	where := fmt.Sprintf("layer %d (%s)", m.NumLayers(), l.Name)
	switch {
	case len(m.specs) > 0 || m.norm != nil:
		m.fail(fmt.Errorf("%s: a Normalization layer standardizes the model's inputs: make it the first layer", where))
	case l.Mean == nil && l.Variance == nil:
		m.fail(fmt.Errorf("%s: Adapt was not called: call Adapt(xTrain) on the layer before adding it to the model", where))
	case len(l.Mean) != len(l.Variance) || len(l.Mean) == 0:
		m.fail(fmt.Errorf("%s has %d means and %d variances: give one of each per input column (or call Adapt)", where, len(l.Mean), len(l.Variance)))
	default:
		for j := range l.Mean {
			if finite(l.Mean[j]) != nil || finite(l.Variance[j]) != nil || l.Variance[j] < 0 {
				m.fail(fmt.Errorf("%s: column %d has the mean %v and the variance %v: both must be finite, the variance at least 0", where, j, l.Mean[j], l.Variance[j]))
				return
			}
		}
		l.Mean, l.Variance = clone(l.Mean), clone(l.Variance)
		m.norm = &l
	}
}

// normIndex is what at returns for the Normalization layer.
const normIndex = -2

// normInfo describes the Normalization layer.
func (m *Sequential) normInfo() LayerInfo {
	d := len(m.norm.Mean)
	return LayerInfo{Name: m.norm.Name, Type: normType, Units: d, InputDim: d, Params: 2*d + 1, Frozen: true,
		Mean: clone(m.norm.Mean), Variance: clone(m.norm.Variance)}
}

// normalizer is a Normalization at work in T: what it subtracts and divides by.
type normalizer[T number] struct {
	name        string
	mean, scale []T
}

func newNormalizer[T number](l *Normalization) *normalizer[T] {
	if l == nil {
		return nil
	}
	z := &normalizer[T]{name: l.Name, mean: make([]T, len(l.Mean)), scale: make([]T, len(l.Mean))}
	for j := range l.Mean {
		z.mean[j] = T(l.Mean[j])
		z.scale[j] = max(T(math.Sqrt(float64(T(l.Variance[j])))), T(normEpsilon))
	}
	return z
}

// apply standardizes x in place, in T as Keras computes it.
func (z *normalizer[T]) apply(x matrix[T]) {
	if z == nil {
		return
	}
	for r := range x.rows {
		row := x.row(r)
		for j, v := range row {
			row[j] = (v - z.mean[j]) / z.scale[j]
		}
	}
}

// normalizedCopy is x standardized by n's Normalization, in a copy (x may
// be the user's), for the teaching tools' float64 networks.
func normalizedCopy(n *net[float64], x matrix[float64]) matrix[float64] {
	if n.norm == nil {
		return x
	}
	c := matrix[float64]{x.rows, x.cols, clone(x.data)}
	n.norm.apply(c)
	return c
}

// checkNormWidth says when the first Dense layer's InputDim disagrees with
// the columns the Normalization before it was adapted to.
func (m *Sequential) checkNormWidth() error {
	if m.norm == nil || len(m.specs) == 0 {
		return nil
	}
	if d, first := len(m.norm.Mean), m.specs[0]; first.InputDim != 0 && first.InputDim != d {
		return fmt.Errorf("layer 1 (%s): InputDim is %d but the Normalization before it was adapted to %d columns: drop InputDim, or Adapt on the model's input", first.Name, first.InputDim, d)
	}
	return nil
}
