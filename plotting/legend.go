package plotting

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The legend: the named series in order, then the y = x line (legendNames),
// one legend for the whole figure, above the panels, so it never hides data
// or marks. The interactive chart lets ECharts draw it, in as many rows as
// legendRows says it wraps to (the figure grows by them); the static one
// adds the same entries as it builds each panel and draws them with
// legendRow, wrapped at its own font size. gonum/plot's plot.Legend is one
// per plot, a column inside or beside the axes: it cannot span panels.

// ECharts' legend: entries of a 25 px icon, a 5 px gap and 12 px text, 10
// px apart, in rows 24 px apart (14 px high and the 10 px gap), inside 5 px
// of padding.
const (
	legendRowPitch = 24
	maxLegendRows  = 6
)

// legendNames lists the entries of a figure's interactive legend, in order.
func legendNames(f *figure) []string {
	var names []string
	for _, p := range f.Panels {
		for _, s := range p.Series {
			if s.Name != "" {
				names = append(names, s.Name)
			}
		}
		if p.Diagonal {
			names = append(names, diagonalName)
		}
	}
	return names
}

// legendRows is the number of rows ECharts wraps a figure's legend into at
// the figure's width (0 without a legend), or 1 and scroll past
// maxLegendRows. The text is measured in Liberation Sans, which has
// Arial's and Helvetica's widths, plus 20% for wider fonts (DejaVu Sans,
// the sans-serif of many Linux systems, is up to 18% wider): an entry
// measured too wide costs an early wrap, one measured too narrow would put
// the last row over the plot.
func legendRows(f *figure) (rows int, scroll bool) {
	names := legendNames(f)
	if !f.Legend || len(names) == 0 {
		return 0, false
	}
	st := textStyle(9, inkColor) // 12 px
	avail := float64(f.Width) - 10
	rows, x := 1, 0.0
	for _, n := range names {
		w := 30 + 1.2*float64(st.Width(n))*96/72
		if x > 0 && x+10+w > avail {
			rows++
			x = 0
		}
		if x > 0 {
			x += 10
		}
		x += w
	}
	if rows > maxLegendRows {
		return 1, true
	}
	return rows, false
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
