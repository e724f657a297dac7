//go:build !amd64.v3

package nn

import (
	"math"
	"testing"

	"github.com/dlnb/dlnb/internal/cpufeat"
)

// Measuring the penalty in backward's pass, where it had a pass of its own
// before, changed no number: these are each epoch's loss and then
// val_loss, as the code before the change (commit cb402ad) gave them, bit
// for bit, on each kernel path: the vector kernels (AVX2 and AVX-512 give
// the same numbers here) and the portable ones (DLNB_KERNELS=generic), whose
// float32 sums round in another order. They are amd64's numbers without FMA
// in Go code (GOAMD64 below v3; at v3, and on arm64, Go fuses multiply-adds
// and other numbers come out): TestKernelRegularizerStepPenalty checks the
// same everywhere, without recorded numbers.
func TestKernelRegularizerLossesUnchanged(t *testing.T) {
	vector := map[string][]float64{
		"float32 frozen=false": {1.1135971155714137, 1.0533403942255124, 0.9993564577557075, 1.0461137611247968, 1.0072120825200679, 0.9726509623393731},
		"float64 frozen=false": {1.1135969087170972, 1.053339784400018, 0.9993555630482854, 1.0461134416299753, 1.0072115134162725, 0.9726502425384498},
		"float32 frozen=true":  {1.1230162318960784, 1.0821797567866664, 1.0440633356066253, 1.0587388593372933, 1.0290052206315918, 1.0013136615672762},
		"float64 frozen=true":  {1.1230160971275993, 1.0821793550488106, 1.0440626962291244, 1.0587386229402083, 1.0290047942479694, 1.001313071407361},
	}
	generic := map[string][]float64{
		"float32 frozen=false": {1.1135971133603193, 1.0533403873043374, 0.99935645262752, 1.0461137630697754, 1.0072120806058007, 0.9726509651319669},
		"float64 frozen=false": {1.1135969087170972, 1.053339784400018, 0.9993555630482852, 1.0461134416299753, 1.0072115134162722, 0.9726502425384496},
		"float32 frozen=true":  {1.1230162229847438, 1.0821797706576965, 1.044063333687283, 1.0587388525992512, 1.0290052244638408, 1.0013136575175752},
		"float64 frozen=true":  {1.1230160971275993, 1.0821793550488104, 1.0440626962291244, 1.0587386229402083, 1.0290047942479694, 1.001313071407361},
	}
	want := vector
	if cpufeat.Path == cpufeat.Generic {
		want = generic
	}
	xs, ys := titanicLike(320)
	for _, frozen := range []bool{false, true} {
		for _, dt := range []DType{Float32, Float64} {
			m := NewSequential(Dense{Units: 32, Activation: ReLU, KernelRegularizer: &L1L2{L1: 1e-3, L2: 0.01}},
				Dense{Units: 2, Activation: Softmax, KernelRegularizer: &L1L2{L2: 0.01}, Frozen: frozen})
			m.Seed, m.DType = 1, dt
			if err := m.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
				t.Fatal(err)
			}
			h, err := m.Fit(xs, ys, FitOptions{Epochs: 3, ValidationSplit: 0.2})
			if err != nil {
				t.Fatal(err)
			}
			name := dt.String() + " frozen=" + map[bool]string{false: "false", true: "true"}[frozen]
			got := append(h.History["loss"], h.History["val_loss"]...)
			for i, v := range want[name] {
				if math.Float64bits(got[i]) != math.Float64bits(v) {
					t.Errorf("%s: value %d (loss per epoch, then val_loss) is %v, before the change %v (kernel path %s)", name, i, got[i], v, cpufeat.Path)
				}
			}
		}
	}
}
