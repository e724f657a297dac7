package plotting

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// The layout rules both renderers follow, written once: where the panels,
// titles and legend go, where the legend wraps its rows (legendOf), which side
// of a marked point its label goes on (pointLabelLeft), how far a panel's axes
// reach, which colors mean what. The interactive renderer (interactive.go)
// writes them into the ECharts option, in pixels and percentages of the
// chart; the static one (static.go, legend.go, plotters.go) draws with them in
// gonum/plot's points.

// layout is the figure's frame in the interactive chart, in CSS pixels from
// the top and percentages of the width. The figure's height has room for it:
// build adds the legend's extra rows to the default height.
type layout struct {
	left, gap, panelWidth float64 // percent of the width: the first panel's left edge, the gap between panels, each panel's width
	legend                legendLayout
	legendTop             int // the legend's first row
	panelTitleTop         int // the panels' titles
	gridTop               int // the panels' axes
}

func (l layout) panelLeft(i int) float64 { return l.left + float64(i)*(l.panelWidth+l.gap) }

// layoutOf lays a figure out: panels side by side across the width; from the
// top, the title, the subtitle, the legend's rows, the panels' titles, room
// for a marked point's label above the axes, then the axes.
func layoutOf(f *figure) layout {
	n := len(f.Panels)
	l := layout{left: 7, gap: 8}
	right := 3.0
	if n > 1 {
		l.left, l.gap = 5.5, 7
	}
	l.panelWidth = (100 - l.left - right - l.gap*float64(n-1)) / float64(n)
	y := 6
	if f.Title != "" {
		y += 24
	}
	if f.Subtitle != "" {
		y += 18
	}
	l.legendTop = y + 2
	l.legend = legendOf(f)
	if rows := len(l.legend.Rows); rows > 0 {
		y += 28 + (rows-1)*legendRowPitch
	}
	l.panelTitleTop = y
	for _, p := range f.Panels {
		if p.Title != "" {
			y += 24
			break
		}
	}
	// A marked point's label is written above it: for a point at the top of
	// its panel (the best score of a capacity study, the best accuracy) it
	// rises above the axes, into the subtitle or the legend unless there is
	// room for it there.
	for _, p := range f.Panels {
		if p.labelAtTop() {
			y += pointLabelRoom
			break
		}
	}
	l.gridTop = y + 10
	return l
}

// The legend: one for the whole figure, above the panels, so it never hides
// data or marks (gonum/plot's plot.Legend is one per plot, a column inside or
// beside its axes: it cannot span panels). Its entries are the named series
// in order, then the y = x line (legendNames), each name once: ECharts draws
// a name it has drawn once already no more.
//
// Both renderers draw the rows legendOf makes, laid out as ECharts lays out a
// horizontal legend: entries of a 25 px icon, a 5 px gap and the name in 12
// px text, 10 px apart, in rows 24 px apart (the 14 px icon and a 10 px gap),
// left-aligned in a block centred on the chart, inside 5 px of padding. The
// interactive chart is given the rows as they are (an empty entry is
// ECharts' line break), so it wraps where the static chart does, and the
// layout leaves room for exactly those rows. Past maxLegendRows the
// interactive legend is one row that scrolls; the static chart, which
// cannot scroll, draws that row ending in "… N more".
const (
	legendIconPx   = 25 // ECharts' legend.itemWidth
	legendIconH    = 14 // ECharts' legend.itemHeight
	legendTextGap  = 5  // between an icon and its name
	legendItemGap  = 10 // ECharts' legend.itemGap
	legendFontPx   = 12
	legendPadding  = 5
	legendRowPitch = legendIconH + legendItemGap
	maxLegendRows  = 6
)

// legendLayout is a figure's legend in rows: the names of each row's
// entries, and when the legend scrolls (one row) the number of entries after
// it.
type legendLayout struct {
	Rows [][]string
	More int
}

func (l legendLayout) scrolls() bool { return l.More > 0 }

// legendNames lists the entries of a figure's legend, in order, each once.
func legendNames(f *figure) []string {
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, p := range f.Panels {
		for _, s := range p.Series {
			add(s.Name)
		}
		if p.Diagonal {
			add(diagonalName)
		}
	}
	return names
}

// legendEntryWidth is the width, in pixels, the layout counts for an entry:
// its icon (none for the static chart's "… N more") and its name measured in
// Liberation Sans, which has Arial's and Helvetica's widths, plus 20% for
// wider fonts (DejaVu Sans, the sans-serif of many Linux systems, is up to 18%
// wider). An entry counted too wide costs an early wrap; one counted too
// narrow would let the browser wrap a row in two, past the room the layout
// left.
func legendEntryWidth(name string, icon bool) float64 {
	w := 1.2 * float64(textStyle(legendFontPx*0.75, inkColor).Width(name)) * 96 / 72
	if icon {
		w += legendIconPx + legendTextGap
	}
	return w
}

// legendOf lays out a figure's legend at its width (no rows without a
// legend).
func legendOf(f *figure) legendLayout {
	names := legendNames(f)
	if !f.Legend || len(names) == 0 {
		return legendLayout{}
	}
	avail := float64(f.Width) - 2*legendPadding
	var rows [][]string
	x := 0.0
	for _, n := range names {
		w := legendEntryWidth(n, true)
		if len(rows) == 0 || x+legendItemGap+w > avail {
			rows = append(rows, nil)
			x = -legendItemGap
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], n)
		x += legendItemGap + w
	}
	if len(rows) <= maxLegendRows {
		return legendLayout{Rows: rows}
	}
	// One row: the entries that fit with "… N more" after them.
	k, x := 0, 0.0
	for k < len(names) {
		w := legendEntryWidth(names[k], true)
		more := legendEntryWidth(legendMore(len(names)-k-1), false)
		if k > 0 && x+legendItemGap+w+legendItemGap+more > avail {
			break
		}
		if k > 0 {
			x += legendItemGap
		}
		x += w
		k++
	}
	return legendLayout{Rows: [][]string{names[:k]}, More: len(names) - k}
}

// legendMore is the static legend's last entry when the interactive one
// scrolls: how many entries it leaves out.
func legendMore(n int) string { return fmt.Sprintf("… %d more", n) }

// pointLabelRoom is the room, in pixels, that a marked point's label needs
// above the axes, besides their 10 px top margin, when the point is at their
// top: the label's bottom is 11 px above the point (half the 12 px ring and
// ECharts' 5 px gap) and it is about 19 px tall (12 px bold text, 2 px
// padding), 30 px in all.
const pointLabelRoom = 22

// labelAtTop reports whether the panel marks a point in the top fifth of
// its values: the label written above such a point reaches above the axes.
func (p *panel) labelAtTop() bool {
	_, _, lo, hi := panelRanges(p)
	for _, pt := range p.Points {
		y := pt.Y
		if !finite(y) || (p.YLog && y <= 0) {
			continue
		}
		if !(hi > lo) {
			return true
		}
		a, b := lo, hi
		if p.YLog && lo > 0 {
			a, b, y = math.Log(lo), math.Log(hi), math.Log(y)
		}
		if (y-a)/(b-a) >= 0.8 {
			return true
		}
	}
	return false
}

// pointLabelLeft reports which side of a marked point its label goes on,
// in both renderers: the label is written above the point and runs away from
// the nearer end of the x axis, to the right of a point in the axis' left
// half, to the left of one in its right half. (Centred on a point at the last
// epoch, "final 9.63e-05" ran past the chart's right edge.) Its near end is
// pointLabelDX from the point, clear of a vertical mark through it.
func pointLabelLeft(p *panel, pt point) bool { return pointFraction(p, pt.X) >= 0.5 }

// pointLabelDX is how far, in pixels, a marked point's label starts (or
// ends) from the point, sideways.
const pointLabelDX = 6

// pointFraction is where x lies along the panel's x axis, from 0 (left end)
// to 1 (right end).
func pointFraction(p *panel, x float64) float64 {
	lo, hi, _, _ := panelRanges(p)
	if p.XMin != nil {
		lo = *p.XMin
	}
	if p.XMax != nil {
		hi = *p.XMax
	}
	if p.XLog && lo > 0 && x > 0 {
		lo, hi, x = math.Log(lo), math.Log(hi), math.Log(x)
	}
	if !(hi > lo) || !finite(x) {
		return 0.5
	}
	return (x - lo) / (hi - lo)
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

// diagonalName names the y = x line in both renderers' legends.
const diagonalName = "perfect prediction (y = x)"

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

func layerHex(layer, layers int) string { return cssHex(layerColor(layer, layers)) }

// maxWeight is the largest |weight| of a network's edges.
func maxWeight(n *netDrawing) float64 {
	m := 0.0
	for _, e := range n.Edges {
		m = math.Max(m, math.Abs(e.Weight))
	}
	return m
}

// edgeColor draws a positive weight blue and a negative one red (the
// palette's blue and red).
func edgeColor(w float64) color.Color {
	if w < 0 {
		return color.RGBA{0xd6, 0x27, 0x28, 0xff}
	}
	return color.RGBA{0x1f, 0x77, 0xb4, 0xff}
}

// cssHex writes a color as CSS does, "#rrggbb", for the interactive chart.
func cssHex(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// edgeStrength is an edge's |weight| as a share of the largest, from 0 to 1:
// the renderers draw an edge thicker the larger its share (0 when every
// weight is 0).
func edgeStrength(w, maxW float64) float64 {
	if maxW == 0 {
		return 0
	}
	return math.Abs(w) / maxW
}

// hasNotes reports whether a node shows a note (its bias) under its circle,
// which pushes the layer names further down.
func (n *netDrawing) hasNotes() bool {
	for _, nd := range n.Nodes {
		if nd.Note != "" {
			return true
		}
	}
	return false
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
func heatHex(t float64) string { return cssHex(heatColor(t, 1)) }

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
	return nil, fmt.Errorf("color %q: use #rrggbb, #rgb or one of %s", s, colorNames())
}

var namedColors = map[string]string{
	"red": "#d62728", "blue": "#1f77b4", "green": "#2ca02c", "orange": "#ff7f0e",
	"purple": "#9467bd", "brown": "#8c564b", "pink": "#e377c2", "gray": "#7f7f7f",
	"grey": "#7f7f7f", "olive": "#bcbd22", "cyan": "#17becf", "black": "#000000",
}

func colorNames() string {
	return "red, blue, green, orange, purple, brown, pink, gray, olive, cyan, black"
}
