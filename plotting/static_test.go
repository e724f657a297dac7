package plotting

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	"github.com/dlnb/dlnb/nn"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
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

// renderedPanels renders a chart's PNG and returns the image and where its
// panels were drawn.
func renderedPanels(t *testing.T, c *Chart) (image.Image, []drawnPanel) {
	t.Helper()
	b, drawn, err := renderPNGPanels(fig(t, c))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img, drawn
}

// pixelAt returns the pixel of the PNG where a panel draws the data point
// (x, y), moved dx points to the right.
func pixelAt(img image.Image, f *figure, d drawnPanel, x, y float64, dx vg.Length) color.RGBA {
	data := d.plot.DataCanvas(d.area)
	trX, trY := d.plot.Transforms(&data)
	scale := float64(pngScale) * 96 / 72 // pixels per point
	px := int(math.Round(float64(trX(x)+dx) * scale))
	py := int(math.Round((float64(pxToPt(float64(f.Height))) - float64(trY(y))) * scale))
	r, g, b, a := img.At(px, py).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

// colorDistance is the largest difference of the three channels.
func colorDistance(a, b color.Color) int {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := 0
	for _, v := range [][2]uint32{{ar, br}, {ag, bg}, {ab, bb}} {
		d = max(d, int(math.Abs(float64(v[0]>>8)-float64(v[1]>>8))))
	}
	return d
}

// A vertical mark's label must not hide the data: in lesson 7's history the
// white box behind "best epoch 4" and "early stop (epoch 6)", left of their
// lines, hid the left half of the points on them (the best val_accuracy at
// the top of the panel looked cut off).
func TestStaticMarkLabelsDoNotHidePoints(t *testing.T) {
	h := &nn.History{
		Epoch: []int{0, 1, 2, 3, 4, 5},
		History: map[string][]float64{
			"loss": {1.03, 0.79, 0.65, 0.63, 0.69, 0.65}, "val_loss": {0.88, 0.63, 0.54, 0.52, 0.89, 0.62},
			"accuracy": {0.60, 0.65, 0.66, 0.67, 0.68, 0.69}, "val_accuracy": {0.65, 0.71, 0.72, 0.746, 0.65, 0.73},
		},
		StopReason: nn.StopEarlyStopping, StoppedEpoch: 5, BestEpoch: 3, Monitor: "val_loss",
	}
	c := History(h)
	img, drawn := renderedPanels(t, c)
	orange, _ := parseColor(colorOrange)
	for _, pt := range []struct{ x, y float64 }{{4, 0.746}, {6, 0.73}} {
		// The left half of the point: 1.7 pt left of its centre (its
		// radius is 2.2 pt).
		if got := pixelAt(img, c.fig, drawn[1], pt.x, pt.y, -1.7); colorDistance(got, orange) > 40 {
			t.Errorf("val_accuracy at epoch %g: the left half of its point is %v, not the curve's orange: a mark's label hides it", pt.x, got)
		}
	}
}

// The y axis of a static chart leaves room above the highest value and
// below the lowest, so the points there are drawn whole, inside the frame:
// in a small chart (the live progress chart) and on a log axis whose top is
// a power of ten as well as in a full-size one.
func TestStaticYAxisPadded(t *testing.T) {
	cases := []struct {
		name    string
		c       *Chart
		lo, hi  float64
		panel   int
		barsAt0 bool
	}{
		{"history", History(earlyStopped()), 0.37, 1.0, 0, false},
		{"history, small", History(earlyStopped(), Options{Width: 640, Height: 240}), 0.37, 1.0, 0, false},
		{"accuracy", History(earlyStopped()), 0.45, 0.87, 1, false},
		{"log axis ending at a power of ten", Gradients([]GradientRun{{"sigmoid", []float64{1e-6, 1e-4, 1e-2}}}), 1e-6, 1e-2, 0, false},
		{"capacity", Capacity([]CapacityPoint{{Name: "a", Params: 10, Score: 0.86, Metric: "val_accuracy"}, {Name: "b", Params: 20, Score: 0.92, Metric: "val_accuracy"}}), 0.86, 0.92, 0, false},
		{"histogram", Probabilities([]float64{0.1, 0.1, 0.5}), 0, 2, 0, true},
	}
	for _, tc := range cases {
		_, drawn := renderedPanels(t, tc.c)
		d := drawn[tc.panel]
		data := d.plot.DataCanvas(d.area)
		_, trY := d.plot.Transforms(&data)
		if gap := data.Max.Y - trY(tc.hi); gap < minDataGap-0.01 {
			t.Errorf("%s: the highest value %g is %.1f pt under the top of the axis, want at least %d", tc.name, tc.hi, gap, minDataGap)
		}
		gap := trY(tc.lo) - data.Min.Y
		switch {
		case tc.barsAt0 && math.Abs(float64(gap)) > 0.01:
			t.Errorf("%s: the bars stand %.1f pt above the bottom of the axis, want on it", tc.name, gap)
		case !tc.barsAt0 && gap < minDataGap-0.01:
			t.Errorf("%s: the lowest value %g is %.1f pt over the bottom of the axis, want at least %d", tc.name, tc.lo, gap, minDataGap)
		}
	}
}

// The label of a marked point at the top of a panel stays inside the panel's
// axes, under the subtitle: the best score of a capacity study is usually
// the highest point.
func TestStaticTopPointLabelInside(t *testing.T) {
	pts := []CapacityPoint{
		{Name: "1 hidden layer", Params: 6370, HiddenLayers: 1, Score: 0.90, Metric: "val_accuracy"},
		{Name: "2 hidden layers", Params: 12730, HiddenLayers: 2, Score: 0.92, Metric: "val_accuracy"},
		{Name: "3 hidden layers", Params: 25450, HiddenLayers: 3, Score: 0.91, Metric: "val_accuracy"},
	}
	for _, c := range []*Chart{Capacity(pts), CapacityByLayers(pts)} {
		_, drawn := renderedPanels(t, c)
		d := drawn[0]
		data := d.plot.DataCanvas(d.area)
		_, trY := d.plot.Transforms(&data)
		pp := &pointPlotter{p: point{Label: "best: 2 hidden layers"}, color: inkColor}
		top := trY(0.92) + pointLabelGap + pp.labelStyle().Height(pp.p.Label)
		if top > d.area.Max.Y {
			t.Errorf("%s: the best point's label reaches %.1f pt above the panel, into the subtitle", c.fig.Title, top-d.area.Max.Y)
		}
	}
}

// A legend of more entries than the interactive chart shows without
// scrolling takes two rows of the static chart, the last one ending in
// "… N more": all 80 layers of a very deep network left no room for the plot.
func TestStaticLegendOfManyEntries(t *testing.T) {
	c := deepRecorder(80).Chart()
	_, drawn := renderedPanels(t, c)
	figH := pxToPt(float64(c.fig.Height))
	if h := drawn[0].area.Max.Y - drawn[0].area.Min.Y; h < figH*6/10 {
		t.Errorf("the plot gets %.0f of the chart's %.0f pt", h, figH)
	}
	leg := &legendRow{}
	for i := range 80 {
		leg.add(fmt.Sprintf("layer %d", i+1), boxThumb{inkColor})
	}
	img := vgimg.New(600, 400)
	dc := draw.New(img)
	rowH := textStyle(10, inkColor).Height("Xg") + 4
	if y := leg.draw(dc, 400, 2); 400-y != 2*rowH {
		t.Errorf("80 entries in at most 2 rows took %.1f pt, want %.1f", 400-y, 2*rowH)
	}
}
