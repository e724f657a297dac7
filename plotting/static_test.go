package plotting

import (
	"testing"

	"gonum.org/v1/plot"
)

// staticPlots returns the gonum/plot plots the static renderer draws for a
// chart's panels, with their axis ranges set.
func staticPlots(t *testing.T, c *Chart) []*plot.Plot {
	t.Helper()
	f := fig(t, c)
	var out []*plot.Plot
	for _, p := range f.Panels {
		pl, err := buildPlot(f, p, &legendRow{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pl)
	}
	return out
}

// The static histogram split by class stacks its bars, so its y axis must
// reach the tallest stack, not the tallest single class: in lesson 5 two
// bins of 24 passengers (20 died + 4 survived, 19 + 5) were cut off at 21.
func TestStaticStackedBarsFit(t *testing.T) {
	var p []float64
	var actual []int
	add := func(prob float64, class, n int) {
		for range n {
			p = append(p, prob)
			actual = append(actual, class)
		}
	}
	add(0.25, 0, 20)
	add(0.25, 1, 4)
	add(0.35, 0, 19)
	add(0.35, 1, 5)
	add(0.55, 1, 9)
	pl := staticPlots(t, ProbabilitiesByClass(p, actual))[0]
	if pl.Y.Max < 24 {
		t.Errorf("y axis ends at %g, under the stacked bars of 24", pl.Y.Max)
	}
	if pl.Y.Min != 0 {
		t.Errorf("y axis starts at %g, want 0 (bars stand on it)", pl.Y.Min)
	}
}
