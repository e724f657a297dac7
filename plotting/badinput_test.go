package plotting

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestBadInputs lists the bad inputs of the prediction charts with the words
// their errors must contain (TestMoreErrors has the other charts' rows).
// No chart is sized from a value in the data: a label of 1e6 once asked for
// an n x n matrix of 11 GB.
func TestBadInputs(t *testing.T) {
	nanRow := mat.NewDense(2, 2, []float64{0.2, 0.8, math.NaN(), 0.5})
	cases := []struct {
		name  string
		chart func() *Chart
		parts []string
	}{
		{"confusion label 20000", func() *Chart { return ConfusionMatrix([]int{0, 20000}, []int{0, 1}) }, []string{"example 1 has class 20000", "up to 100 classes", "class labels"}},
		{"confusion label 1e6", func() *Chart { return ConfusionMatrix([]int{0, 1}, []int{1e6, 1}) }, []string{"example 0 has class 1000000"}},
		{"confusion NaN row", func() *Chart { return ConfusionMatrix([]int{0, 1}, nanRow) }, []string{"predicted row 1 holds NaN in column 0", "diverged"}},
		{"confusion Inf row", func() *Chart {
			return ConfusionMatrix(mat.NewDense(1, 2, []float64{math.Inf(1), 0}), []int{0})
		}, []string{"actual row 0 holds +Inf"}},
		{"confusion widths", func() *Chart {
			return ConfusionMatrix(mat.NewDense(2, 3, []float64{1, 0, 0, 0, 1, 0}), mat.NewDense(2, 10, nil))
		}, []string{"actual is 2x3 but predicted is 2x10", "one column per class"}},
		{"confusion negative", func() *Chart { return ConfusionMatrix([]int{0, -1}, []int{0, 1}) }, []string{"actual[1] is -1"}},
		{"confusion lengths", func() *Chart { return ConfusionMatrix([]int{0, 1}, []int{0}) }, []string{"2 actual classes but 1 predicted"}},
		{"confusion class names", func() *Chart { return ConfusionMatrix([]int{0, 2}, []int{0, 1}, Options{Classes: []string{"a", "b"}}) }, []string{"class 2 but Options.Classes names 2 classes"}},
		{"color", func() *Chart { return Probabilities([]float64{0.5}, Options{Colors: []string{"nope"}}) }, []string{`Options.Colors[0]: color "nope": use #rrggbb`}},
		{"by class NaN row", func() *Chart { return ProbabilitiesByClass([]float64{0.5, 0.2}, nanRow) }, []string{"row 1 holds NaN"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, c.chart(), c.parts...)
		})
	}
	if Classes(nanRow) != nil {
		t.Errorf("Classes of a matrix with NaN should be nil")
	}
}
