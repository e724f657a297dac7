package nn

import "fmt"

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
		err = fmt.Errorf("x has %d rows but y has %d: give one target row per input row", xm.rows, ym.rows)
		return
	}
	if err = m.checkX(xm); err != nil {
		return
	}
	err = checkLabels(m.compiled.loss, ym, m.specs[len(m.specs)-1].Units)
	return
}

func (m *Sequential) checkX(x matrix[float64]) error {
	if err := m.build(x.cols); err != nil {
		return err
	}
	if in := m.eng.inputDim(); x.cols != in {
		return fmt.Errorf("layer 0 (%s) expects %d input columns, but x is %dx%d: give x %d columns, or build the model for %d",
			m.specs[0].Name, in, x.rows, x.cols, in, x.cols)
	}
	return nil
}
