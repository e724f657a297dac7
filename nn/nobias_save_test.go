package nn

import (
	"testing"
)

// NoBias and a kernel regularizer survive Save and Load in both formats.
func TestSaveNoBiasAndRegularizer(t *testing.T) {
	for _, f := range []SaveFormat{SaveJSON, SaveCompact} {
		m := NewSequential(Dense{Units: 3, InputDim: 2, NoBias: true, KernelRegularizer: &L1L2{L2: 0.01}}, Dense{Units: 1})
		if err := m.Compile(SGD{}, MeanSquaredError); err != nil {
			t.Fatal(err)
		}
		l := saveAndLoad(t, m, f)
		if l.CountParams() != m.CountParams() || !l.specs[0].NoBias || l.specs[0].KernelRegularizer == nil || l.specs[0].KernelRegularizer.L2 != 0.01 {
			t.Errorf("format %d: loaded %d params, layer 0 %+v; want %d params, NoBias, L2 0.01", f, l.CountParams(), l.specs[0], m.CountParams())
		}
		x := [][]float64{{1, 2}}
		a, _ := m.Evaluate(x, []float64{1})
		b, _ := l.Evaluate(x, []float64{1})
		if a["loss"] != b["loss"] {
			t.Errorf("format %d: loss %v after Load, %v before", f, b["loss"], a["loss"])
		}
	}
}
