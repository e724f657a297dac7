package plotting

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

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

// drawFigure draws the whole figure: title, subtitle, the legend's rows, then
// the panels side by side. The legend sits above the panels, as in the
// interactive chart, so it never hides data or marks.
func drawFigure(f *figure, dc draw.Canvas) ([]drawnPanel, error) {
	dc.SetColor(whiteColor)
	dc.Fill(dc.Rectangle.Path())
	n := len(f.Panels)
	if n == 0 {
		return nil, fmt.Errorf("plotting: internal error: a figure with no panels")
	}
	leg := legendThumbs{}
	plots := make([]*plot.Plot, n)
	for i, p := range f.Panels {
		pl, err := buildPlot(f, p, leg)
		if err != nil {
			return nil, fmt.Errorf("plotting: drawing the static chart: %w", err)
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
	if lg := legendOf(f); len(lg.Rows) > 0 {
		// The rows the interactive legend has (the figure grew for them).
		top = leg.draw(dc, top-2, lg) - 4
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

// buildPlot turns one panel into a gonum/plot Plot.
func buildPlot(f *figure, p *panel, leg legendThumbs) (*plot.Plot, error) {
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
		// Light lines at the major ticks, across (and, on a value x axis,
		// up), under everything else.
		g := plotter.NewGrid()
		g.Horizontal = draw.LineStyle{Color: gridColor, Width: 0.6}
		g.Vertical = g.Horizontal
		if len(p.XCategories) > 0 {
			g.Vertical.Color = nil
		}
		pl.Add(g)
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
		pl.Add(&pointPlotter{p: pt, color: clr, left: pointLabelLeft(p, pt)})
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
