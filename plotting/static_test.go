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
	"gonum.org/v1/plot/vg/recorder"
	"gonum.org/v1/plot/vg/vgimg"
)

// staticPlots returns the gonum/plot plots the static renderer draws for a
// chart's panels, with their axis ranges set.
func staticPlots(t *testing.T, c *Chart) []*plot.Plot {
	t.Helper()
	f := fig(t, c)
	var out []*plot.Plot
	for _, p := range f.Panels {
		pl, err := buildPlot(f, p, legendThumbs{})
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
// scrolling takes the one row of the static chart that the interactive
// legend shows first, ending in "… N more": all 80 layers of a very deep
// network left no room for the plot.
func TestStaticLegendOfManyEntries(t *testing.T) {
	c := deepRecorder(80).Chart()
	_, drawn := renderedPanels(t, c)
	figH := pxToPt(float64(c.fig.Height))
	if h := drawn[0].area.Max.Y - drawn[0].area.Min.Y; h < figH*6/10 {
		t.Errorf("the plot gets %.0f of the chart's %.0f pt", h, figH)
	}
	lg := legendOf(c.fig)
	if len(lg.Rows) != 1 || lg.More == 0 || len(lg.Rows[0])+lg.More != 80 {
		t.Fatalf("80 entries: rows %q and %d more, want one row and the rest counted", lg.Rows, lg.More)
	}
	leg := legendThumbs{}
	for i := range 80 {
		leg.add(fmt.Sprintf("layer %d", i+1), boxThumb{inkColor})
	}
	dc := draw.New(vgimg.New(600, 400))
	if y := leg.draw(dc, 400, lg); math.Abs(float64(400-y-pxToPt(legendIconH))) > 1e-9 {
		t.Errorf("80 entries in one row took %.1f pt, want %.1f", 400-y, pxToPt(legendIconH))
	}
}

// The static legend has the interactive one's rows: the same entries in
// each row, the rows 24 px apart, and the block of rows inside the chart.
func TestStaticLegendRows(t *testing.T) {
	c := deepRecorder(11).Chart()
	f := c.fig
	lg := legendOf(f)
	if len(lg.Rows) < 2 {
		t.Fatalf("11 entries on %d px in %d rows, want several", f.Width, len(lg.Rows))
	}
	leg := legendThumbs{}
	for _, p := range f.Panels {
		if _, err := buildPlot(f, p, leg); err != nil {
			t.Fatal(err)
		}
	}
	w, h := pxToPt(float64(f.Width)), pxToPt(float64(f.Height))
	dc := draw.New(vgimg.New(w, h))
	want := pxToPt(float64((len(lg.Rows)-1)*legendRowPitch + legendIconH))
	if y := leg.draw(dc, h, lg); math.Abs(float64(h-y-want)) > 1e-9 {
		t.Errorf("%d rows took %.1f pt, want %.1f", len(lg.Rows), h-y, want)
	}
	// Every row, measured as the static chart writes it, fits the width.
	st := textStyle(legendFontPx*0.75, inkColor)
	for _, row := range lg.Rows {
		rw := -pxToPt(legendItemGap)
		for _, n := range row {
			rw += pxToPt(legendItemGap+legendIconPx+legendTextGap) + st.Width(n)
		}
		if rw > w-2*pxToPt(legendPadding) {
			t.Errorf("row %q is %.1f pt wide, in a chart of %.1f", row, rw, w)
		}
	}
}

// The static chart writes a marked point's label on the side the
// interactive chart does (pointLabelLeft): left of a point in the right half
// of the x axis, right of one in the left half. It used to turn left only
// when the label would have run past the panel's edge, so the two forms of
// one chart put the label of a point at 60% of the axis on different sides.
func TestStaticPointLabelSide(t *testing.T) {
	h := earlyStopped()
	h.History["mae"], h.History["val_mae"] = []float64{1, 1, 1, 1, 1, 1}, []float64{1, 1, 1, 1, 1, 1}
	h4 := earlyStopped()
	h4.BestEpoch = 3 // epoch 4 of 6: right of the middle, with room for the label right of it
	cases := []struct {
		name, label string
		c           *Chart
		left        bool
	}{
		{"MSEHistory, final at the last update", "final 9.63e-05", MSEHistory([]float64{25.4, 13.2, 6.8, 3.5, 9.63e-05}), true},
		{"History, best at the first epoch", "best loss 0.2", History(&nn.History{Epoch: []int{0, 1, 2, 3}, History: map[string][]float64{"loss": {0.2, 0.3, 0.4, 0.5}}}), false},
		{"History, 3 panels, epoch 3 of 6", "best val_loss 0.5", History(h), false},
		{"History, epoch 4 of 6", "best val_loss " + fmtNum(h4.History["val_loss"][3]), History(h4), true},
	}
	for _, tc := range cases {
		f := fig(t, tc.c)
		w, ht := pxToPt(float64(f.Width)), pxToPt(float64(f.Height))
		rec := &recorder.Canvas{}
		drawn, err := drawFigure(f, draw.NewCanvas(rec, w, ht))
		if err != nil {
			t.Fatal(err)
		}
		var pt point
		var d drawnPanel
		for i, p := range f.Panels {
			for _, q := range p.Points {
				if q.Label == tc.label {
					pt, d = q, drawn[i]
				}
			}
		}
		if pt.Label == "" {
			t.Fatalf("%s: no marked point %q", tc.name, tc.label)
		}
		data := d.plot.DataCanvas(d.area)
		trX, _ := d.plot.Transforms(&data)
		x := trX(pt.X)
		found := false
		for _, a := range rec.Actions {
			if s, ok := a.(*recorder.FillString); ok && s.String == tc.label {
				found = true
				if left := s.Point.X < x; left != tc.left {
					t.Errorf("%s: the label starts at x %.1f pt, the point is at %.1f: left of it %v, want %v", tc.name, s.Point.X, x, left, tc.left)
				}
			}
		}
		if !found {
			t.Errorf("%s: the static chart does not write %q", tc.name, tc.label)
		}
	}
}
