package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Dropout is Keras' Dropout layer: during training it sets each of its
// inputs to 0 with probability Rate and multiplies the others by
// 1/(1-Rate) (inverted dropout), so the expected value of every output is
// its input and nothing needs rescaling afterwards; in Predict, Evaluate,
// ForwardPass and the validation of Fit it passes its inputs through
// unchanged. nn.Dropout{Rate: 0.2} is keras.layers.Dropout(0.2). Dropping
// units at random keeps a network from leaning on any one of them, which
// fights overfitting.
//
// A new set of dropped values (a mask) is drawn for every batch, from a
// random stream of its own seeded by the model's Seed (Keras draws from its
// global seed unless Dropout has a seed), so a run is reproducible and the
// drops change neither the initial weights nor the shuffling. Save records
// the stream, so a loaded model resumes with the same masks.
//
// In nn a Dropout layer drops the outputs of the Dense layer before it: it
// goes between two Dense layers, never first, last or twice in a row
// (Keras also allows those; Compile and Fit say so).
type Dropout struct {
	Rate float64 // the fraction of the values dropped in training, at least 0 and below 1
	Name string  // "" = "dropout", "dropout_1", ... in the model's order
}

// The random stream the masks are drawn from (beside initStream and
// shuffleStream).
const dropoutStream = 3

// dropoutType is the "type" a saved Dropout layer has (a Dense layer's is "").
const dropoutType = "Dropout"

// dropout is a Dropout layer at work, in the network's precision: the last
// batch's mask (1 kept, 0 dropped), output and input gradient, in buffers
// reused from batch to batch.
type dropout[T number] struct {
	cfg           Dropout
	keep          T // 1 - Rate, in T as Keras computes it
	mask, out, dx matrix[T]
}

func newDropout[T number](cfg *Dropout) *dropout[T] {
	if cfg == nil {
		return nil
	}
	return &dropout[T]{cfg: *cfg, keep: T(1 - cfg.Rate)}
}

// forward draws a mask from r (or, when fixed is set, reuses the last one:
// the gradient check compares gradients of one function) and returns
//
//	out = x * mask / (1 - Rate)     mask = 1 with probability 1 - Rate, else 0
//
// (Keras 3's where(mask, x / keep, 0): the same numbers).
func (d *dropout[T]) forward(x matrix[T], r *rand.Rand, fixed bool) matrix[T] {
	if !fixed || d.mask.rows != x.rows || d.mask.cols != x.cols {
		d.mask.resize(x.rows, x.cols)
		keep := 1 - d.cfg.Rate
		for i := range d.mask.data {
			d.mask.data[i] = 0
			if r.Float64() < keep {
				d.mask.data[i] = 1
			}
		}
	}
	d.out.resize(x.rows, x.cols)
	for i, v := range x.data {
		d.out.data[i] = v * d.mask.data[i] / d.keep
	}
	return d.out
}

// backward returns the gradient with respect to the input, from the
// gradient with respect to the output: dx = dout * mask / (1 - Rate). A
// dropped value had no effect on the loss, so its gradient is 0.
func (d *dropout[T]) backward(g matrix[T]) matrix[T] {
	d.dx.resize(g.rows, g.cols)
	for i, v := range g.data {
		d.dx.data[i] = v * d.mask.data[i] / d.keep
	}
	return d.dx
}

// addDropout puts a Dropout after the last Dense layer, or records what is
// wrong with it for Compile and Fit to report (Add returns no error, as
// Keras' add).
func (m *Sequential) addDropout(d Dropout) {
	k, n := m.NumLayers(), 0
	for _, p := range m.drops {
		n += b2i(p != nil)
	}
	if d.Name == "" {
		d.Name = "dropout"
		if n > 0 {
			d.Name = fmt.Sprintf("dropout_%d", n)
		}
	}
	where := fmt.Sprintf("layer %d (%s)", k, d.Name)
	switch {
	case !(d.Rate >= 0 && d.Rate < 1) || math.IsNaN(d.Rate):
		m.fail(fmt.Errorf("%s: Rate is %v: it is the fraction of values dropped, at least 0 and below 1 (e.g. 0.2)", where, d.Rate))
	case len(m.specs) == 0:
		m.fail(fmt.Errorf("%s: a Dropout layer drops the outputs of the Dense layer before it, and there is none: add a Dense layer first (nn does not drop the inputs themselves)", where))
	case m.drops[len(m.drops)-1] != nil:
		m.fail(fmt.Errorf("%s: two Dropout layers in a row: use one (rates r1 and r2 in a row drop 1-(1-r1)(1-r2) of the values)", where))
	default:
		m.keepWeights()
		m.drops[len(m.drops)-1] = &d
	}
}

// fail records the first problem with the layers Add was given.
func (m *Sequential) fail(err error) {
	if m.layerErr == nil {
		m.layerErr = err
	}
}

// checkLayers reports what is wrong with the stack of layers, before
// anything is built or compiled.
func (m *Sequential) checkLayers() error {
	switch {
	case m.layerErr != nil:
		return m.layerErr
	case len(m.specs) == 0:
		return errors.New("the model has no layers: Add a Dense layer first")
	case m.drops[len(m.drops)-1] != nil:
		d := m.drops[len(m.drops)-1]
		return fmt.Errorf("layer %d (%s): the last layer is a Dropout layer, which would drop the model's outputs: put Dropout between Dense layers", m.NumLayers()-1, d.Name)
	}
	return nil
}

// hasDropout says whether the model has a Dropout layer.
func (m *Sequential) hasDropout() bool {
	for _, d := range m.drops {
		if d != nil {
			return true
		}
	}
	return false
}

// at returns where model layer k lives: Dense layer i, or the Dropout after
// it (drop); i is normIndex for the Normalization, -1 for a k out of range.
func (m *Sequential) at(k int) (i int, drop bool) {
	if m.norm != nil {
		if k == 0 {
			return normIndex, false
		}
		k--
	}
	for i, d := range m.drops {
		if k == 0 {
			return i, false
		}
		k--
		if d != nil {
			if k == 0 {
				return i, true
			}
			k--
		}
	}
	return -1, false
}

// modelIndex is the position in the model of Dense layer i.
func modelIndex(norm *Normalization, drops []*Dropout, i int) int {
	k := i + b2i(norm != nil)
	for _, d := range drops[:min(i, len(drops))] {
		k += b2i(d != nil)
	}
	return k
}

// dropoutInfo describes the Dropout after Dense layer i.
func (m *Sequential) dropoutInfo(i int) LayerInfo {
	d := m.drops[i]
	u := m.specs[i].Units
	return LayerInfo{Name: d.Name, Type: dropoutType, Units: u, InputDim: u, Rate: d.Rate}
}
