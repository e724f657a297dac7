package plotting

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The static chart's legend: the rows the layout makes (legendOf, in
// layout.go), drawn as ECharts draws them, in gonum/plot's points.

// legendThumbs holds the legend's icons, by entry name, as buildPlot makes
// each panel's plotters: the first series of a name gives its icon.
type legendThumbs map[string]plot.Thumbnailer

func (l legendThumbs) add(name string, t plot.Thumbnailer) {
	if _, ok := l[name]; !ok {
		l[name] = t
	}
}

// draw writes the legend's rows from top down, each entry's icon then its
// name, the rows left-aligned in a block centred on the canvas, and returns
// the y under the last row. A legend that scrolls in the interactive chart
// ends its one row with "… N more".
func (l legendThumbs) draw(c draw.Canvas, top vg.Length, lg legendLayout) vg.Length {
	st := textStyle(legendFontPx*0.75, inkColor)
	st.XAlign = draw.XLeft
	st.YAlign = draw.YCenter
	iconW, iconH := pxToPt(legendIconPx), pxToPt(legendIconH)
	textGap, itemGap := pxToPt(legendTextGap), pxToPt(legendItemGap)
	type entry struct {
		name  string
		thumb plot.Thumbnailer // nil: text only
	}
	rows := make([][]entry, len(lg.Rows))
	for r, names := range lg.Rows {
		for _, n := range names {
			rows[r] = append(rows[r], entry{n, l[n]})
		}
	}
	if lg.scrolls() {
		rows[0] = append(rows[0], entry{name: legendMore(lg.More)})
	}
	width := func(e entry) vg.Length {
		if e.thumb == nil {
			return st.Width(e.name)
		}
		return iconW + textGap + st.Width(e.name)
	}
	block := vg.Length(0)
	for _, row := range rows {
		w := -itemGap
		for _, e := range row {
			w += itemGap + width(e)
		}
		block = max(block, w)
	}
	left := (c.Min.X+c.Max.X)/2 - block/2
	y := top
	for r, row := range rows {
		if r > 0 {
			y -= pxToPt(legendRowPitch - legendIconH)
		}
		mid := y - iconH/2
		x := left
		for _, e := range row {
			tx := x
			if e.thumb != nil {
				tc := c
				tc.Min = vg.Point{X: x, Y: y - iconH}
				tc.Max = vg.Point{X: x + iconW, Y: y}
				e.thumb.Thumbnail(&tc)
				tx += iconW + textGap
			}
			c.FillText(st, vg.Point{X: tx, Y: mid}, e.name)
			x += width(e) + itemGap
		}
		y -= iconH
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
