package plotting

import (
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The custom plotters and tick markers of the static renderer: each does
// what gonum/plot's own cannot, said where it is defined. Where gonum/plot's
// serves, static.go uses it (plotter.Line, plotter.Scatter, plotter.Grid).

// shortTicks are gonum's default ticks with short labels (0.3, not 0.30000):
// plot.DefaultTicks places them well, but writes every label of an axis with
// one fixed number of decimals.
type shortTicks struct{}

func (shortTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = fmtNum(ts[i].Value)
		}
	}
	return ts
}

// integerTicks label whole numbers only (epochs): plot.DefaultTicks puts a
// tick at epoch 2.5 on a short run, and has no setting for whole steps.
type integerTicks struct{}

func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	span := hi - lo
	step := 1.0
	for span/step > 10 {
		switch {
		case strings.HasPrefix(strconv.FormatFloat(step, 'f', 0, 64), "1"):
			step *= 2
		case strings.HasPrefix(strconv.FormatFloat(step, 'f', 0, 64), "2"):
			step = step / 2 * 5
		default:
			step *= 2
		}
	}
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: fmtNum(v)})
	}
	return ts
}

// logTicks label the powers of ten, and 2 and 5 times them when the axis
// spans less than two decades. plot.LogTicks labels the powers of ten only,
// so an axis of less than two decades (a loss from 0.5 to 0.05) had one or
// two labels, and it writes them with a fixed precision.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	few := math.Log10(hi/lo) < 2
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		base := math.Pow(10, e)
		for m := 1; m < 10; m++ {
			v := base * float64(m)
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || (few && (m == 2 || m == 5)) {
				t.Label = fmtNum(v)
			}
			ts = append(ts, t)
		}
	}
	return ts
}

// vlinePlotter draws a dashed vertical line and the white box its label is
// written on, at the top, left of the line; vlineLabel writes the label.
// gonum/plot has no vertical mark across the axes (a plotter.Line needs the
// y range, which padYRange changes after the plotters are made), and a
// label drawn in the same plotter as its box went under the data.
type vlinePlotter struct {
	v     vline
	color color.Color
}

// labelStyle is the label's text style: rotated a quarter turn, the text
// runs down from the top of the panel.
func (v *vlinePlotter) labelStyle() text.Style {
	st := textStyle(8.5, v.color)
	st.XAlign = draw.XRight
	st.YAlign = draw.YBottom
	st.Rotation = math.Pi / 2
	return st
}

func (v *vlinePlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(v.v.X)
	c.StrokeLine2(draw.LineStyle{Color: v.color, Width: 1.2, Dashes: []vg.Length{4, 3}}, x, c.Min.Y, x, c.Max.Y)
	// The box hides the grid behind the label; the data are drawn over it.
	st := v.labelStyle()
	w, h := st.Width(v.v.Label), st.Height(v.v.Label)
	top := c.Max.Y - 3
	c.FillPolygon(color.NRGBA{0xff, 0xff, 0xff, 0xd0}, []vg.Point{
		{X: x - 2 - h, Y: top - w - 1}, {X: x - 1, Y: top - w - 1}, {X: x - 1, Y: top + 1}, {X: x - 2 - h, Y: top + 1},
	})
}

type vlineLabel struct{ v *vlinePlotter }

func (l *vlineLabel) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	c.FillText(l.v.labelStyle(), vg.Point{X: trX(l.v.v.X) - 2, Y: c.Max.Y - 3}, l.v.v.Label)
}

// pointPlotter rings a point and writes its label above it, on a white box,
// on the side pointLabelLeft says. plotter.Labels writes text at one fixed
// offset for every point: the best value at the last epoch ran off the
// chart.
type pointPlotter struct {
	p     point
	color color.Color
	left  bool // the label ends left of the point (else starts right of it)
}

const (
	pointRing     = 4.5 // the ring's radius, in points
	pointLabelGap = 5   // the gap between the point and its label above, in points
)

func (pp *pointPlotter) labelStyle() text.Style {
	st := textStyle(8.5, pp.color)
	st.YAlign = draw.YBottom
	st.XAlign = draw.XLeft
	return st
}

func (pp *pointPlotter) shown(p *plot.Plot) bool {
	return finite(pp.p.X) && finite(pp.p.Y) && !(p.Y.Scale == plot.LogScale{} && pp.p.Y <= 0)
}

// GlyphBoxes tells gonum/plot what the point draws beyond its place, so the
// plot makes room for it inside its axes: the ring, and the label above
// it, which would otherwise reach into the title above the panel when the
// point is at the top (the best score of a capacity study). The label's box
// has no width: it runs towards the middle of the x axis, which has room,
// so it need not squeeze the axis.
func (pp *pointPlotter) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	if !pp.shown(p) {
		return nil
	}
	x, y := p.X.Norm(pp.p.X), p.Y.Norm(pp.p.Y)
	h := pp.labelStyle().Height(pp.p.Label)
	return []plot.GlyphBox{
		{X: x, Y: y, Rectangle: vg.Rectangle{Min: vg.Point{X: -pointRing, Y: -pointRing}, Max: vg.Point{X: pointRing, Y: pointRing}}},
		{X: x, Y: y, Rectangle: vg.Rectangle{Min: vg.Point{Y: pointLabelGap}, Max: vg.Point{Y: pointLabelGap + h}}},
	}
}

func (pp *pointPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	if !pp.shown(p) {
		return
	}
	trX, trY := p.Transforms(&c)
	pt := vg.Point{X: trX(pp.p.X), Y: trY(pp.p.Y)}
	c.DrawGlyph(draw.GlyphStyle{Color: pp.color, Radius: pointRing, Shape: draw.RingGlyph{}}, pt)
	st := pp.labelStyle()
	dx := pxToPt(pointLabelDX)
	label := vg.Point{X: pt.X + dx, Y: pt.Y + pointLabelGap}
	w, h := st.Width(pp.p.Label), st.Height(pp.p.Label)
	x0 := label.X
	if pp.left {
		st.XAlign = draw.XRight
		label.X = pt.X - dx
		x0 = label.X - w
	}
	c.FillPolygon(color.NRGBA{0xff, 0xff, 0xff, 0xd0}, []vg.Point{
		{X: x0 - 1, Y: label.Y}, {X: x0 + w + 1, Y: label.Y}, {X: x0 + w + 1, Y: label.Y + h}, {X: x0 - 1, Y: label.Y + h},
	})
	c.FillText(st, label, pp.p.Label)
}

// bars2D draws bars centered at X (or at category indices), side by side when
// several bar series share a panel, stacked when they share a Stack.
// plotter.BarChart takes its width in points and places bars at category
// indices only: the bins of a histogram over [0, 1] must be as wide as the
// bin, in data units, at any chart size.
type bars2D struct {
	s             *series
	color         color.Color
	groups, group int
	base          []float64
	xCat          bool
}

func (b *bars2D) width(p *plot.Plot) float64 {
	if b.xCat || len(b.s.X) < 2 {
		return 0.8
	}
	return math.Abs(b.s.X[1]-b.s.X[0]) * 0.92
}

func (b *bars2D) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	w := b.width(p) / float64(b.groups)
	for i, y := range b.s.Y {
		if !finite(y) {
			continue
		}
		base := 0.0
		if i < len(b.base) {
			base = b.base[i]
		}
		lo, hi := base, base+y
		if p.Y.Scale == (plot.LogScale{}) {
			if hi <= 0 {
				continue
			}
			if lo <= 0 {
				lo = p.Y.Min
			}
		}
		x0 := b.s.X[i] - b.width(p)/2 + w*float64(b.group)
		rect := []vg.Point{
			{X: trX(x0), Y: trY(lo)}, {X: trX(x0 + w), Y: trY(lo)},
			{X: trX(x0 + w), Y: trY(hi)}, {X: trX(x0), Y: trY(hi)},
		}
		c.FillPolygon(b.color, c.ClipPolygonXY(rect))
	}
}

// heatCells draws a matrix as colored cells with the value written in each.
// plotter.HeatMap colors cells from a palette of fixed steps and writes no
// values; a confusion matrix is read by its counts, and its colors must be
// the interactive chart's (heatColor).
type heatCells struct{ h *heat }

func (hc *heatCells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	rows := len(hc.h.Values)
	for r, row := range hc.h.Values {
		for col, v := range row {
			y := float64(rows - 1 - r)
			clr := heatColor(v, hc.h.Max)
			rect := []vg.Point{
				{X: trX(float64(col) - 0.5), Y: trY(y - 0.5)}, {X: trX(float64(col) + 0.5), Y: trY(y - 0.5)},
				{X: trX(float64(col) + 0.5), Y: trY(y + 0.5)}, {X: trX(float64(col) - 0.5), Y: trY(y + 0.5)},
			}
			c.FillPolygon(clr, rect)
			c.StrokeLines(draw.LineStyle{Color: whiteColor, Width: 1.5}, append(rect, rect[0]))
			ink := color.Color(inkColor)
			if v > hc.h.Max*0.55 {
				ink = whiteColor
			}
			st := textStyle(13, ink)
			st.YAlign = draw.YCenter
			c.FillText(st, vg.Point{X: trX(float64(col)), Y: trY(y)}, fmtNum(v))
		}
	}
}

// netPlotter draws a network: edges with their weights, then nodes with
// their values.
// gonum/plot has no graph drawing.
type netPlotter struct{ n *netDrawing }

func (np *netPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	maxW := maxWeight(np.n)
	radius := pxToPt(np.n.NodeRadius)
	at := func(i int) vg.Point { return vg.Point{X: trX(np.n.Nodes[i].X), Y: trY(np.n.Nodes[i].Y)} }
	for _, e := range np.n.Edges {
		a, b := at(e.From), at(e.To)
		clr := edgeColor(e.Weight)
		w := 0.8 + 2.6*edgeStrength(e.Weight, maxW)
		c.StrokeLine2(draw.LineStyle{Color: withAlpha(clr, 0xa0), Width: vg.Length(w)}, a.X, a.Y, b.X, b.Y)
	}
	for _, e := range np.n.Edges {
		if e.Label == "" {
			continue
		}
		a, b := at(e.From), at(e.To)
		t := vg.Length(np.n.LabelAt)
		pt := vg.Point{X: a.X + (b.X-a.X)*t, Y: a.Y + (b.Y-a.Y)*t}
		st := textStyle(9, inkColor)
		st.YAlign = draw.YCenter
		wd, ht := st.Width(e.Label), st.Height(e.Label)
		box := []vg.Point{
			{X: pt.X - wd/2 - 2, Y: pt.Y - ht/2}, {X: pt.X + wd/2 + 2, Y: pt.Y - ht/2},
			{X: pt.X + wd/2 + 2, Y: pt.Y + ht/2}, {X: pt.X - wd/2 - 2, Y: pt.Y + ht/2},
		}
		c.FillPolygon(color.NRGBA{0xff, 0xff, 0xff, 0xe6}, box)
		c.FillText(st, pt, e.Label)
	}
	// Layer names in a row under the lowest node, below its note if any.
	_, _, ylo, _ := panelRanges(&panel{Net: np.n})
	below := radius + 5
	if np.n.hasNotes() {
		below = radius + 16
	}
	for l, name := range np.n.LayerNames {
		st := textStyle(10, lightInk)
		c.FillText(st, vg.Point{X: trX(float64(l)), Y: trY(ylo) - below}, name)
	}
	for i, n := range np.n.Nodes {
		pt := at(i)
		fill := layerColor(n.Layer, len(np.n.layers()))
		c.DrawGlyph(draw.GlyphStyle{Color: fill, Radius: radius, Shape: draw.CircleGlyph{}}, pt)
		c.DrawGlyph(draw.GlyphStyle{Color: lightInk, Radius: radius, Shape: draw.RingGlyph{}}, pt)
		st := textStyle(float64(pxToPt(np.n.ValueFont)), inkColor)
		st.YAlign = draw.YCenter
		c.FillText(st, pt, n.Label)
		if n.Note != "" {
			ns := textStyle(8.5, lightInk)
			c.FillText(ns, vg.Point{X: pt.X, Y: pt.Y - radius - 2}, n.Note)
		}
	}
}
