package nn

import (
	"fmt"
	"math"
)

// sampleWeights checks FitOptions' ClassWeight or SampleWeight and returns
// one weight per row of y (nil when neither is given).
func sampleWeights(o FitOptions, y matrix[float64]) ([]float64, error) {
	switch {
	case o.ClassWeight != nil && o.SampleWeight != nil:
		return nil, fmt.Errorf("both ClassWeight and SampleWeight are set: give one (Keras refuses both too); fold the class weights into the sample weights")
	case o.SampleWeight != nil:
		if len(o.SampleWeight) != y.rows {
			return nil, fmt.Errorf("SampleWeight has %d values but x has %d rows: give one weight per row", len(o.SampleWeight), y.rows)
		}
		return o.SampleWeight, checkWeights("SampleWeight", o.SampleWeight)
	case o.ClassWeight == nil:
		return nil, nil
	}
	for c, v := range o.ClassWeight {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("ClassWeight[%d] is %v: a class weight must be a finite number, at least 0", c, v)
		}
	}
	w := make([]float64, y.rows)
	for r := range w {
		c := int(math.Round(y.at(r, 0))) // class number, or 0/1 for one column
		if y.cols > 1 {
			c = argmax(y.row(r)) // one-hot
		}
		w[r] = 1
		if v, ok := o.ClassWeight[c]; ok {
			w[r] = v
		}
	}
	return w, checkWeights("ClassWeight", w)
}

func checkWeights(name string, w []float64) error {
	var sum float64
	for r, v := range w {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%s row %d is %v: a weight must be a finite number, at least 0", name, r, v)
		}
		sum += v
	}
	if sum == 0 {
		return fmt.Errorf("%s gives every training row the weight 0: nothing would be learned", name)
	}
	return nil
}

// weighted computes the batch's loss and metrics row by row, each row's
// weighted by w (indexed by the batch's rows of the data, or the batch's
// own rows when rows is nil), and keeps the weights for backward.
func (n *net[T]) weighted(w []float64, rows []int, y, out matrix[T]) float64 {
	net := n.output().net
	var l float64
	for i := range y.rows {
		r := i
		if rows != nil {
			r = rows[i]
		}
		n.rowW = append(n.rowW, T(w[r]))
		yi, oi, ni := sliceRows(y, i, i+1), sliceRows(out, i, i+1), net
		if net.rows > 0 {
			ni = sliceRows(net, i, i+1)
		}
		l += w[r] * n.loss.forward(yi, oi, ni)
		n.metrics.add(yi, oi, w[r])
	}
	return l
}
