package plotting

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The static renderer draws a figure with gonum/plot: the PNG and SVG that
// show wherever scripts do not run (untrusted notebooks, nbconvert to PDF or
// markdown, code hosts), and the files SavePNG and SaveSVG write.

// pxToPt converts CSS pixels (96 per inch) to gonum/plot's points (72 per inch).
func pxToPt(px float64) vg.Length { return vg.Length(px * 72 / 96) }

// pngScale renders PNGs at twice the pixel size, so they stay sharp on
// high-density screens; the HTML shows them at their nominal size.
const pngScale = 2

var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// restyle keeps a text style's alignment and sets its font and color.
func restyle(st *text.Style, size float64, clr color.Color) {
	st.Font = font.From(sansFont, font.Length(size))
	st.Color = clr
}

func textStyle(size float64, clr color.Color) text.Style {
	return text.Style{
		Color:   clr,
		Font:    font.From(sansFont, font.Length(size)),
		XAlign:  draw.XCenter,
		YAlign:  draw.YTop,
		Handler: plot.DefaultTextHandler,
	}
}

var (
	inkColor   = color.RGBA{0x33, 0x33, 0x33, 0xff}
	lightInk   = color.RGBA{0x66, 0x66, 0x66, 0xff}
	gridColor  = color.RGBA{0xe6, 0xe6, 0xe6, 0xff}
	whiteColor = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// drawnPanel is a panel as drawFigure drew it: its plot and the area the
// plot was drawn in (its data area is plot.DataCanvas(area)).
type drawnPanel struct {
	plot *plot.Plot
	area draw.Canvas
}

// drawFigure draws the whole figure: title, subtitle, a legend row, then
// the panels side by side. The legend sits above the panels, as in the
// interactive chart, so it never hides data or marks.
func drawFigure(f *figure, dc draw.Canvas) ([]drawnPanel, error) {
	dc.SetColor(whiteColor)
	dc.Fill(dc.Rectangle.Path())
	n := len(f.Panels)
	if n == 0 {
		return nil, fmt.Errorf("plotting: internal error: a figure with no panels")
	}
	leg := &legendRow{}
	plots := make([]*plot.Plot, n)
	for i, p := range f.Panels {
		pl, err := buildPlot(f, p, leg)
		if err != nil {
			return nil, err
		}
		plots[i] = pl
	}
	center := (dc.Min.X + dc.Max.X) / 2
	top := dc.Max.Y - 8
	if f.Title != "" {
		st := textStyle(15, inkColor)
		st.Font.Weight = xfont.WeightBold
		dc.FillText(st, vg.Point{X: center, Y: top}, f.Title)
		top -= st.Height(f.Title) + 4
	}
	if f.Subtitle != "" {
		st := textStyle(10.5, lightInk)
		dc.FillText(st, vg.Point{X: center, Y: top}, f.Subtitle)
		top -= st.Height(f.Subtitle) + 4
	}
	if f.Legend && len(leg.entries) > 0 {
		// As many rows as the entries take (the figure grew for them), but
		// two when the interactive legend scrolls through too many.
		maxRows := maxLegendRows
		if _, scroll := legendRows(f); scroll {
			maxRows = 2
		}
		top = leg.draw(dc, top-2, maxRows) - 4
	}
	area := dc
	area.Max.Y = top - 2
	w := (area.Max.X - area.Min.X) / vg.Length(n)
	var drawn []drawnPanel
	for i, pl := range plots {
		sub := area
		sub.Min.X = area.Min.X + w*vg.Length(i)
		sub.Max.X = sub.Min.X + w
		sub = draw.Crop(sub, 6, -10, 4, 0)
		if label := f.Panels[i].YLabel; label != "" {
			st := textStyle(10.5, inkColor)
			st.Rotation = math.Pi / 2
			st.XAlign = draw.XCenter
			st.YAlign = draw.YTop
			sub.FillText(st, vg.Point{X: sub.Min.X, Y: (sub.Min.Y + sub.Max.Y) / 2}, label)
			sub = draw.Crop(sub, st.Height(label)+4, 0, 0, 0)
		}
		// Twice: the data area shrinks a little with the new range (the
		// ticks' labels and the glyphs at the ends move).
		for range 2 {
			padYRange(pl, f.Panels[i], pl.DataCanvas(sub))
		}
		pl.Draw(sub)
		drawn = append(drawn, drawnPanel{pl, sub})
	}
	return drawn, nil
}

// legendRow is the figure's legend: one row (or more) of entries, centered.
type legendRow struct {
	entries []legendEntry
}

type legendEntry struct {
	name  string
	thumb plot.Thumbnailer
}

func (l *legendRow) add(name string, t plot.Thumbnailer) {
	for _, e := range l.entries {
		if e.name == name {
			return
		}
	}
	l.entries = append(l.entries, legendEntry{name, t})
}

// draw writes the entries in centered rows below y, at most maxRows of them,
// and returns the y under the last row. Entries past the last row are
// summed up at its end ("… 14 more").
func (l *legendRow) draw(c draw.Canvas, y vg.Length, maxRows int) vg.Length {
	st := textStyle(10, inkColor)
	st.XAlign = draw.XLeft
	st.YAlign = draw.YCenter
	const thumbW, gap, space = 20, 5, 16
	rowH := st.Height("Xg") + 4
	maxW := c.Max.X - c.Min.X - 20
	type entry struct {
		legendEntry
		w vg.Length
	}
	width := func(e legendEntry) vg.Length {
		if e.thumb == nil {
			return st.Width(e.name)
		}
		return thumbW + gap + st.Width(e.name)
	}
	// rowsOf lays entries out in rows that fit maxW.
	rowsOf := func(es []legendEntry) [][]entry {
		var rows [][]entry
		var row []entry
		total := vg.Length(0)
		for _, e := range es {
			w := width(e)
			if len(row) > 0 && total+space+w > maxW {
				rows = append(rows, row)
				row, total = nil, 0
			}
			if len(row) > 0 {
				total += space
			}
			total += w
			row = append(row, entry{e, w})
		}
		if len(row) > 0 {
			rows = append(rows, row)
		}
		return rows
	}
	es := l.entries
	rows := rowsOf(es)
	for keep := len(es) - 1; len(rows) > maxRows && keep > 0; keep-- {
		more := legendEntry{name: fmt.Sprintf("… %d more", len(l.entries)-keep)}
		rows = rowsOf(append(append([]legendEntry(nil), l.entries[:keep]...), more))
	}
	for _, row := range rows {
		total := vg.Length(0)
		for i, e := range row {
			if i > 0 {
				total += space
			}
			total += e.w
		}
		x := (c.Min.X+c.Max.X)/2 - total/2
		mid := y - rowH/2
		for _, e := range row {
			tx := x
			if e.thumb != nil {
				tc := c
				tc.Min = vg.Point{X: x, Y: mid - 5}
				tc.Max = vg.Point{X: x + thumbW, Y: mid + 5}
				e.thumb.Thumbnail(&tc)
				tx += thumbW + gap
			}
			c.FillText(st, vg.Point{X: tx, Y: mid}, e.name)
			x += e.w + space
		}
		y -= rowH
	}
	return y
}

// buildPlot turns one panel into a gonum/plot Plot.
func buildPlot(f *figure, p *panel, leg *legendRow) (*plot.Plot, error) {
	pl := plot.New()
	pl.BackgroundColor = color.Transparent
	pl.Title.Text = p.Title
	restyle(&pl.Title.TextStyle, 12, inkColor)
	pl.Title.Padding = 6
	for _, ax := range []*plot.Axis{&pl.X, &pl.Y} {
		restyle(&ax.Label.TextStyle, 10.5, inkColor)
		restyle(&ax.Tick.Label, 9, lightInk)
		ax.Color = lightInk
		ax.Tick.Color = lightInk
		ax.Tick.Length = 4
		ax.Padding = 0
	}
	pl.X.Label.Text = p.XLabel
	// The y label is drawn by drawFigure: gonum/plot centers it at the
	// middle of the data range, which on a log axis is near the top, and
	// then shrinks the plot to make room for it.

	xlo, xhi, ylo, yhi := panelRanges(p)
	if p.XLog && (xlo <= 0 || math.IsInf(xlo, 0)) {
		p.XLog = false
	}
	if p.YLog && (ylo <= 0 || math.IsInf(ylo, 0)) {
		p.YLog = false
	}
	if !p.HideAxes && p.Heat == nil {
		pl.Add(&gridLines{vertical: len(p.XCategories) == 0})
	}

	// A vertical mark's line and the white box behind its label go under
	// the data, and the label's text over it: the box once hid the points it
	// covered (half of each point on the line itself, such as the best epoch
	// at the top of lesson 7's accuracy curve).
	var vlines []*vlinePlotter
	for _, v := range p.VLines {
		clr, err := parseColor(v.Color)
		if err != nil {
			return nil, err
		}
		vp := &vlinePlotter{v: v, color: clr}
		vlines = append(vlines, vp)
		pl.Add(vp)
	}

	// Series.
	bars := 0
	for _, s := range p.Series {
		if s.Kind == barSeries && s.Stack == "" {
			bars++
		}
	}
	barIndex := 0
	stacks := map[string][]float64{}
	for _, s := range p.Series {
		clr, err := parseColor(s.Color)
		if err != nil {
			return nil, err
		}
		switch s.Kind {
		case lineSeries:
			ls := draw.LineStyle{Color: clr, Width: vg.Length(orDefault(s.Width, 1.6))}
			if s.Dashed {
				ls.Dashes = []vg.Length{5, 3}
			}
			for _, seg := range segments(s.X, s.Y, p.XLog, p.YLog) {
				l, err := plotter.NewLine(seg)
				if err != nil {
					return nil, err
				}
				l.LineStyle = ls
				pl.Add(l)
				if s.Symbols {
					sc, err := plotter.NewScatter(seg)
					if err != nil {
						return nil, err
					}
					sc.GlyphStyle = draw.GlyphStyle{Color: clr, Radius: 2.2, Shape: draw.CircleGlyph{}}
					pl.Add(sc)
				}
			}
			if s.Name != "" && f.Legend {
				leg.add(s.Name, lineThumb{ls})
			}
		case scatterSeries:
			segs := segments(s.X, s.Y, p.XLog, p.YLog)
			gs := draw.GlyphStyle{Color: withAlpha(clr, 0xb0), Radius: 2.6, Shape: draw.CircleGlyph{}}
			for _, seg := range segs {
				sc, err := plotter.NewScatter(seg)
				if err != nil {
					return nil, err
				}
				sc.GlyphStyle = gs
				pl.Add(sc)
			}
			if s.Name != "" && f.Legend {
				leg.add(s.Name, glyphThumb{gs})
			}
		case barSeries:
			b := &bars2D{s: s, color: clr, groups: bars, group: barIndex, base: stacks[s.Stack], xCat: len(p.XCategories) > 0}
			if s.Stack != "" {
				b.groups, b.group = 1, 0
				next := make([]float64, len(s.Y))
				for i := range next {
					if i < len(stacks[s.Stack]) {
						next[i] = stacks[s.Stack][i]
					}
					if finite(s.Y[i]) {
						next[i] += s.Y[i]
					}
				}
				stacks[s.Stack] = next
			} else {
				barIndex++
			}
			pl.Add(b)
			if s.Name != "" && f.Legend {
				leg.add(s.Name, boxThumb{clr})
			}
		}
	}
	if p.Diagonal {
		lo, hi := diagonalEnds(p)
		l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})
		if err != nil {
			return nil, err
		}
		l.LineStyle = draw.LineStyle{Color: lightInk, Width: 1, Dashes: []vg.Length{4, 3}}
		pl.Add(l)
		if f.Legend {
			leg.add(diagonalName, lineThumb{l.LineStyle})
		}
	}
	if p.Heat != nil {
		pl.Add(&heatCells{h: p.Heat})
	}
	if p.Net != nil {
		pl.Add(&netPlotter{n: p.Net})
	}
	for _, vp := range vlines {
		pl.Add(&vlineLabel{vp})
	}
	for _, pt := range p.Points {
		clr, err := parseColor(pt.Color)
		if err != nil {
			return nil, err
		}
		pl.Add(&pointPlotter{p: pt, color: clr})
	}

	// Axes: categories, scales and ranges.
	if len(p.XCategories) > 0 {
		pl.NominalX(thinLabels(p.XCategories, maxCategoryLabels)...)
		pl.X.Tick.Label.YAlign = draw.YTop
	}
	if len(p.YCategories) > 0 {
		// Row 0 at the top, as the matrix is printed.
		names := make([]string, len(p.YCategories))
		for i, n := range p.YCategories {
			names[len(names)-1-i] = n
		}
		pl.NominalY(names...)
		pl.Y.Tick.Label.XAlign = draw.XRight
		pl.Y.Tick.Label.YAlign = draw.YCenter
	}
	setRange(&pl.X, xlo, xhi, p.XLog, p.XInteger, len(p.XCategories) > 0)
	setRange(&pl.Y, ylo, yhi, p.YLog, false, len(p.YCategories) > 0)
	if p.XMin != nil {
		pl.X.Min = *p.XMin
	}
	if p.XMax != nil {
		pl.X.Max = *p.XMax
	}
	if p.YMin != nil {
		pl.Y.Min = *p.YMin
	}
	if p.YMax != nil {
		pl.Y.Max = *p.YMax
	}
	if p.Net != nil {
		pl.X.Min, pl.X.Max, pl.Y.Min, pl.Y.Max = netBounds(p)
	}
	if p.HideAxes {
		pl.HideAxes()
	}
	if p.Heat != nil {
		pl.X.Min, pl.X.Max = -0.5, float64(len(p.XCategories))-0.5
		pl.Y.Min, pl.Y.Max = -0.5, float64(len(p.YCategories))-0.5
	}
	if len(p.XCategories) > 0 && p.Heat == nil {
		pl.X.Min, pl.X.Max = -0.6, float64(len(p.XCategories))-0.4
	}
	return pl, nil
}

// maxCategoryLabels is the most labels a category x axis writes: the layers
// of a 30-layer network, all labelled, ran into each other.
const maxCategoryLabels = 20

// thinLabels keeps every k-th of more than max labels (the first one
// always), blanking the others, as ECharts does on its own. Labels already
// thinned (blank ones between them) stay as they are.
func thinLabels(labels []string, max int) []string {
	shown := 0
	for _, l := range labels {
		if l != "" {
			shown++
		}
	}
	if shown <= max {
		return labels
	}
	every := (len(labels) + max - 1) / max
	out := make([]string, len(labels))
	for i := range labels {
		if i%every == 0 {
			out[i] = labels[i]
		}
	}
	return out
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// panelRanges returns the data ranges of a panel (finite values only).
func panelRanges(p *panel) (xlo, xhi, ylo, yhi float64) {
	xlo, ylo = math.Inf(1), math.Inf(1)
	xhi, yhi = math.Inf(-1), math.Inf(-1)
	add := func(x, y float64) {
		if finite(x) && !(p.XLog && x <= 0) {
			xlo, xhi = math.Min(xlo, x), math.Max(xhi, x)
		}
		if finite(y) && !(p.YLog && y <= 0) {
			ylo, yhi = math.Min(ylo, y), math.Max(yhi, y)
		}
	}
	// Stacked bars reach up to the sum of their stack, not to their own
	// value: the tallest bar of a histogram split by class is the total.
	// (bars2D stacks the same way.)
	type stackKey struct {
		stack string
		x     float64
	}
	stacked := map[stackKey]float64{}
	for _, s := range p.Series {
		for i := range s.Y {
			if !finite(s.Y[i]) {
				continue
			}
			y := s.Y[i]
			if s.Kind == barSeries && s.Stack != "" {
				k := stackKey{s.Stack, s.X[i]}
				stacked[k] += y
				y = stacked[k]
			}
			add(s.X[i], y)
			if s.Kind == barSeries && !p.YLog {
				add(s.X[i], 0)
			}
		}
	}
	for _, pt := range p.Points {
		add(pt.X, pt.Y)
	}
	for _, v := range p.VLines {
		add(v.X, math.NaN())
	}
	if p.Net != nil {
		for _, n := range p.Net.Nodes {
			add(n.X, n.Y)
		}
	}
	if p.Diagonal {
		lo, hi := math.Min(xlo, ylo), math.Max(xhi, yhi)
		xlo, ylo, xhi, yhi = lo, lo, hi, hi
	}
	return
}

// diagonalEnds returns where a panel's y = x line starts and ends: corner to
// corner of a shared fixed range, else across the data.
func diagonalEnds(p *panel) (lo, hi float64) {
	if p.XMin != nil && p.XMax != nil && p.YMin != nil && p.YMax != nil {
		return math.Max(*p.XMin, *p.YMin), math.Min(*p.XMax, *p.YMax)
	}
	xlo, xhi, ylo, yhi := panelRanges(p)
	return math.Min(xlo, ylo), math.Max(xhi, yhi)
}

// setRange gives an axis its range, scale and ticks.
func setRange(ax *plot.Axis, lo, hi float64, log, integer, categories bool) {
	if categories {
		return
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) { // no data
		lo, hi = 0, 1
	}
	if log {
		// Whole decades, and a bar or point at an exact power of ten stays
		// above the bottom.
		lo = math.Pow(10, math.Floor(math.Log10(lo)-0.05))
		hi = math.Pow(10, math.Ceil(math.Log10(hi)))
		if lo == hi {
			hi = lo * 10
		}
		ax.Scale = plot.LogScale{}
		ax.Tick.Marker = logTicks{}
		ax.Min, ax.Max = lo, hi
		return
	}
	if lo == hi {
		d := math.Max(math.Abs(lo)*0.1, 0.5)
		lo, hi = lo-d, hi+d
	} else {
		pad := (hi - lo) * 0.04
		if integer {
			pad = math.Max(0.3, (hi-lo)*0.02)
			lo -= pad
		} else if lo != 0 {
			lo -= pad
		}
		hi += pad
	}
	ax.Min, ax.Max = lo, hi
	if integer {
		ax.Tick.Marker = integerTicks{}
	} else {
		ax.Tick.Marker = shortTicks{}
	}
}

// minDataGap is the least room, in points, that padYRange leaves between
// the data and either end of a y axis drawn to fit them. setRange's 4% of the
// range is a few pixels in a small chart (the live progress chart), and a
// whole-decade log axis ends exactly at a value that is a power of ten.
const minDataGap = 8

// padYRange widens a panel's y axis, drawn in data (its data area), so that
// the highest and lowest values lie at least minDataGap inside it: a point
// at the maximum sits fully inside the frame, with room around it. Bars
// still stand on 0, and fixed ranges stay as they are.
func padYRange(pl *plot.Plot, p *panel, data draw.Canvas) {
	if len(p.YCategories) > 0 || p.Heat != nil || p.Net != nil || p.HideAxes || p.YMin != nil || p.YMax != nil {
		return
	}
	_, _, lo, hi := panelRanges(p)
	height := float64(data.Max.Y - data.Min.Y)
	if !finite(lo) || !finite(hi) || height <= 0 {
		return
	}
	// The gap as a share of the axis; at most a sixth of it in a tiny panel.
	g := math.Min(minDataGap/height, 1.0/6)
	logAxis := pl.Y.Scale == (plot.LogScale{})
	conv, back := func(v float64) float64 { return v }, func(v float64) float64 { return v }
	if logAxis {
		if lo <= 0 {
			return
		}
		conv, back = math.Log10, func(v float64) float64 { return math.Pow(10, v) }
	}
	bars := false
	for _, s := range p.Series {
		bars = bars || s.Kind == barSeries
	}
	fixedBottom := bars && !logAxis && pl.Y.Min == 0 // bars stand on 0
	d := conv(hi) - conv(lo)
	top := math.Max(0, conv(pl.Y.Max)-conv(hi))
	bottom := math.Max(0, conv(lo)-conv(pl.Y.Min))
	// Each gap must be g of the whole span, which grows with the gaps: a few
	// rounds settle it (each adds at most a third of the one before).
	for range 30 {
		span := d + top + bottom
		top = math.Max(top, g*span)
		if !fixedBottom {
			bottom = math.Max(bottom, g*span)
		}
	}
	pl.Y.Max = back(conv(hi) + top)
	if !fixedBottom {
		pl.Y.Min = back(conv(lo) - bottom)
	}
}

// segments splits a series at missing values (NaN, infinities, and values
// that a log axis cannot show) into runs that can each be drawn as one line.
func segments(xs, ys []float64, xlog, ylog bool) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	for i := range ys {
		ok := finite(xs[i]) && finite(ys[i]) && !(xlog && xs[i] <= 0) && !(ylog && ys[i] <= 0)
		if !ok {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, plotter.XY{X: xs[i], Y: ys[i]})
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// shortTicks are gonum's default ticks with short labels (0.3, not 0.30000).
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

// integerTicks label whole numbers only (epochs).
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
// spans less than two decades.
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

// gridLines draws light horizontal (and vertical) lines at the major ticks.
type gridLines struct{ vertical bool }

func (g *gridLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ls := draw.LineStyle{Color: gridColor, Width: 0.6}
	for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if t.IsMinor() || t.Value < p.Y.Min || t.Value > p.Y.Max {
			continue
		}
		y := trY(t.Value)
		c.StrokeLine2(ls, c.Min.X, y, c.Max.X, y)
	}
	if !g.vertical {
		return
	}
	for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if t.IsMinor() || t.Value < p.X.Min || t.Value > p.X.Max {
			continue
		}
		x := trX(t.Value)
		c.StrokeLine2(ls, x, c.Min.Y, x, c.Max.Y)
	}
}

// vlinePlotter draws a dashed vertical line and the white box its label is
// written on, at the top, left of the line; vlineLabel writes the label.
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

// pointPlotter rings a point and writes its label above it.
type pointPlotter struct {
	p     point
	color color.Color
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
// has no width: near the right edge it turns to the left of the point
// instead of squeezing the x axis.
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
	// The label goes up and to the right of the point (left near the right
	// edge), clear of a vertical mark through it.
	st := pp.labelStyle()
	label := vg.Point{X: pt.X + 6, Y: pt.Y + pointLabelGap}
	w, h := st.Width(pp.p.Label), st.Height(pp.p.Label)
	x0 := label.X
	if label.X+w > c.Max.X {
		st.XAlign = draw.XRight
		label.X = pt.X - 6
		x0 = label.X - w
	}
	c.FillPolygon(color.NRGBA{0xff, 0xff, 0xff, 0xd0}, []vg.Point{
		{X: x0 - 1, Y: label.Y}, {X: x0 + w + 1, Y: label.Y}, {X: x0 + w + 1, Y: label.Y + h}, {X: x0 - 1, Y: label.Y + h},
	})
	c.FillText(st, label, pp.p.Label)
}

// bars2D draws bars centered at X (or at category indices), side by side when
// several bar series share a panel, stacked when they share a Stack.
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

// heatColor goes from near-white (0) to a deep blue (max), like echarts'
// visualMap in the interactive chart.
func heatColor(v, max float64) color.Color {
	t := 0.0
	if max > 0 {
		t = math.Max(0, math.Min(1, v/max))
	}
	lo := [3]float64{0xf7, 0xfb, 0xff}
	hi := [3]float64{0x08, 0x30, 0x6b}
	mid := [3]float64{0x6b, 0xae, 0xd6}
	var c [3]float64
	for i := range c {
		if t < 0.5 {
			c[i] = lo[i] + (mid[i]-lo[i])*t*2
		} else {
			c[i] = mid[i] + (hi[i]-mid[i])*(t-0.5)*2
		}
	}
	return color.RGBA{uint8(c[0]), uint8(c[1]), uint8(c[2]), 0xff}
}

// heatHex is heatColor as a CSS color, for the interactive chart's scale.
func heatHex(t float64) string {
	r, g, b, _ := heatColor(t, 1).RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// netPlotter draws a network: edges with their weights, then nodes with
// their values.
type netPlotter struct{ n *netDrawing }

func (np *netPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	maxW := 0.0
	for _, e := range np.n.Edges {
		maxW = math.Max(maxW, math.Abs(e.Weight))
	}
	radius := pxToPt(np.n.NodeRadius)
	at := func(i int) vg.Point { return vg.Point{X: trX(np.n.Nodes[i].X), Y: trY(np.n.Nodes[i].Y)} }
	for _, e := range np.n.Edges {
		a, b := at(e.From), at(e.To)
		clr := color.Color(color.RGBA{0x1f, 0x77, 0xb4, 0xff})
		if e.Weight < 0 {
			clr = color.RGBA{0xd6, 0x27, 0x28, 0xff}
		}
		w := 1.0
		if maxW > 0 {
			w = 0.8 + 2.6*math.Abs(e.Weight)/maxW
		}
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
	for _, n := range np.n.Nodes {
		if n.Note != "" {
			below = radius + 16
		}
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

// netBounds is the data area of a network drawing: room for the circles
// around the nodes and for the layer names under them.
func netBounds(p *panel) (x0, x1, y0, y1 float64) {
	xlo, xhi, ylo, yhi := panelRanges(p)
	return xlo - 0.45, xhi + 0.45, ylo - 0.75, yhi + 0.5
}

func (n *netDrawing) layers() []int {
	seen := map[int]bool{}
	var ls []int
	for _, nd := range n.Nodes {
		if !seen[nd.Layer] {
			seen[nd.Layer] = true
			ls = append(ls, nd.Layer)
		}
	}
	return ls
}

// layerColor fills input nodes green, hidden ones blue and outputs orange,
// as in the course's diagrams.
func layerColor(layer, layers int) color.Color {
	switch {
	case layer == 0:
		return color.RGBA{0xd9, 0xf0, 0xd3, 0xff}
	case layer == layers-1:
		return color.RGBA{0xfd, 0xe0, 0xc5, 0xff}
	default:
		return color.RGBA{0xd4, 0xe6, 0xf5, 0xff}
	}
}

func layerHex(layer, layers int) string {
	r, g, b, _ := layerColor(layer, layers).RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// Legend thumbnails.
type lineThumb struct{ ls draw.LineStyle }

func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(t.ls, c.Min.X, y, c.Max.X, y)
}

type glyphThumb struct{ gs draw.GlyphStyle }

func (t glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyphNoClip(t.gs, c.Center()) }

type boxThumb struct{ c color.Color }

func (t boxThumb) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(t.c, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y},
	})
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	// color.NRGBA: not premultiplied, so the hue stays the same.
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), a}
}

// renderPNG draws the figure as a PNG at pngScale times its pixel size.
func renderPNG(f *figure) ([]byte, error) {
	b, _, err := renderPNGPanels(f)
	return b, err
}

// renderPNGPanels is renderPNG that also returns where the panels went.
func renderPNGPanels(f *figure) ([]byte, []drawnPanel, error) {
	w, h := pxToPt(float64(f.Width)), pxToPt(float64(f.Height))
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(96*pngScale))
	drawn, err := drawFigure(f, draw.New(c))
	if err != nil {
		return nil, nil, err
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, nil, fmt.Errorf("plotting: encoding the PNG: %w", err)
	}
	return buf.Bytes(), drawn, nil
}

// renderSVG draws the figure as an SVG document.
func renderSVG(f *figure) ([]byte, error) {
	w, h := pxToPt(float64(f.Width)), pxToPt(float64(f.Height))
	c := vgsvg.New(w, h)
	if _, err := drawFigure(f, draw.New(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plotting: encoding the SVG: %w", err)
	}
	return buf.Bytes(), nil
}

// parseColor reads the colors the options accept: #rgb, #rrggbb and a few
// names. Both renderers must understand a color, so the list is short.
func parseColor(s string) (color.Color, error) {
	if s == "" {
		return inkColor, nil
	}
	if hex, ok := namedColors[strings.ToLower(s)]; ok {
		s = hex
	}
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) == 6 {
			if v, err := strconv.ParseUint(h, 16, 32); err == nil {
				return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}, nil
			}
		}
	}
	return nil, fmt.Errorf("plotting: color %q: use #rrggbb, #rgb or one of %s", s, colorNames())
}

var namedColors = map[string]string{
	"red": "#d62728", "blue": "#1f77b4", "green": "#2ca02c", "orange": "#ff7f0e",
	"purple": "#9467bd", "brown": "#8c564b", "pink": "#e377c2", "gray": "#7f7f7f",
	"grey": "#7f7f7f", "olive": "#bcbd22", "cyan": "#17becf", "black": "#000000",
}

func colorNames() string {
	return "red, blue, green, orange, purple, brown, pink, gray, olive, cyan, black"
}
