package plotting

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// The interactive renderer turns a figure into an ECharts option with
// go-echarts: one chart instance, one grid (set of axes) per panel side by
// side, a legend, tooltips and the marks. Only the option is used: the page
// go-echarts writes around it loads ECharts from a CDN and restyles the
// notebook (see html.go).

// echartsOption builds the option and encodes it as JSON. The encoder escapes
// <, > and &, so the JSON can sit inside a <script> element as it is.
func echartsOption(f *figure) (string, error) {
	opt, err := echartsOptionMap(f)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(opt); err != nil {
		return "", fmt.Errorf("plotting: encoding the chart for the browser: %w", err)
	}
	js := strings.TrimSpace(buf.String())
	// The option is JSON but for one function: log axes label 1e-7, not
	// 0.0000001. It goes in by name, so no user text can become code.
	js = strings.ReplaceAll(js, `"`+shortNumberFn+`"`, shortNumberJS)
	return js, nil
}

const (
	shortNumberFn = "__dlnb_short_number__"
	shortNumberJS = "function (v) { return (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) ? v.toExponential(0).replace('e+', 'e') : String(+v.toPrecision(4)); }"
)

// missing is how ECharts spells a missing value (a gap in a line).
const missing = "-"

func jsonValue(v float64) any {
	if !finite(v) {
		return missing
	}
	return round(v)
}

func echartsOptionMap(f *figure) (map[string]any, error) {
	c := charts.NewLine()
	n := len(f.Panels)
	// Layout in percent of the chart's width: panels side by side.
	left, right, gap := 7.0, 3.0, 8.0
	if n > 1 {
		left, gap = 5.5, 7.0
	}
	pw := (100 - left - right - gap*float64(n-1)) / float64(n)
	// Vertical layout in pixels: title, subtitle, legend, panel titles, grids.
	y := 6
	if f.Title != "" {
		y += 24
	}
	if f.Subtitle != "" {
		y += 18
	}
	legendTop := y + 2
	rows, scroll := legendRows(f)
	if rows > 0 {
		y += 28 + (rows-1)*legendRowPitch
	}
	panelTitleTop := y
	hasPanelTitles := false
	for _, p := range f.Panels {
		if p.Title != "" {
			hasPanelTitles = true
		}
	}
	if hasPanelTitles {
		y += 24
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
	top := y + 10

	c.XAxisList, c.YAxisList = nil, nil
	var grids []opts.Grid
	var titles []any
	titles = append(titles, map[string]any{
		"text": f.Title, "subtext": f.Subtitle, "left": "center", "top": 4,
		"textStyle":    map[string]any{"fontSize": 16, "color": "#333"},
		"subtextStyle": map[string]any{"fontSize": 12, "color": "#666"},
	})
	var legend []any // names, or {name, icon} objects
	seriesIndex := 0
	for i, p := range f.Panels {
		gl := left + float64(i)*(pw+gap)
		bottom := "12%"
		if p.XLabel == "" {
			bottom = "8%"
		}
		grids = append(grids, opts.Grid{
			Left: pct(gl), Width: pct(pw), Top: fmt.Sprint(top), Bottom: bottom,
			ContainLabel: opts.Bool(true),
		})
		if p.Title != "" {
			titles = append(titles, map[string]any{
				"text": p.Title, "left": pct(gl + pw/2), "top": panelTitleTop, "textAlign": "center",
				"textStyle": map[string]any{"fontSize": 13, "fontWeight": "normal", "color": "#333"},
			})
		}
		c.XAxisList = append(c.XAxisList, xAxis(p, i))
		c.YAxisList = append(c.YAxisList, yAxis(p, i))

		for _, s := range p.Series {
			data := make([]any, len(s.Y))
			for k := range s.Y {
				if len(p.XCategories) > 0 {
					data[k] = jsonValue(s.Y[k])
				} else {
					data[k] = []any{jsonValue(s.X[k]), jsonValue(s.Y[k])}
				}
			}
			if p.YLog {
				for k := range data {
					if s.Y[k] <= 0 { // a log axis cannot show it
						if len(p.XCategories) > 0 {
							data[k] = missing
						} else {
							data[k] = []any{jsonValue(s.X[k]), missing}
						}
					}
				}
			}
			s := s
			panelIndex := i
			xCat := len(p.XCategories) > 0
			c.AddSeries(s.Name, nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
				ss.Data = data
				ss.XAxisIndex, ss.YAxisIndex = panelIndex, panelIndex
				ss.Color = s.Color
				switch s.Kind {
				case lineSeries:
					ss.Type = "line"
					ss.ShowSymbol = opts.Bool(s.Symbols || len(s.Y) <= 1)
					ss.Symbol = "circle"
					ss.SymbolSize = 6
					ls := &opts.LineStyle{Width: float32(orDefault(s.Width, 2.2)), Color: s.Color}
					if s.Dashed {
						ls.Type = "dashed"
					}
					ss.LineStyle = ls
				case scatterSeries:
					ss.Type = "scatter"
					ss.SymbolSize = 7
					ss.ItemStyle = &opts.ItemStyle{Color: s.Color, Opacity: opts.Float(0.7)}
				case barSeries:
					ss.Type = "bar"
					ss.Stack = s.Stack
					ss.ItemStyle = &opts.ItemStyle{Color: s.Color}
					if !xCat {
						ss.BarWidth = "90%"
						ss.BarGap = "0%"
					}
				}
			}))
			if s.Name != "" {
				legend = append(legend, s.Name)
			}
			seriesIndex++
		}

		if p.Heat != nil {
			heatSeries(c, p, i)
		}
		if p.Net != nil {
			netSeries(c, p, i)
		}
		if p.Diagonal {
			diagonalSeries(c, p, i)
			// Three dashes: ECharts' icon for a line series is a line
			// with a marker, which would read as a series of points.
			legend = append(legend, map[string]any{"name": diagonalName, "icon": dashIcon})
		}
		if len(p.VLines) > 0 || len(p.Points) > 0 {
			marksSeries(c, p, i)
		}
	}
	c.SetGlobalOptions(
		charts.WithGridOpts(grids...),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: tooltipTrigger(f)}),
		charts.WithAnimation(false),
	)
	if f.Legend && len(legend) > 0 {
		// A plain legend wraps its entries onto as many rows as they need,
		// and the layout above left room for them; past maxLegendRows it
		// scrolls, one row of entries at a time.
		typ := "plain"
		if scroll {
			typ = "scroll"
		}
		c.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{
			Show: opts.Bool(true), Top: fmt.Sprint(legendTop), Data: legend, Type: typ,
		}))
	} else {
		c.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	}
	obj := c.JSON()
	// go-echarts has one title per chart; a title per panel is an ECharts
	// title list.
	obj["title"] = titles
	obj["backgroundColor"] = "#ffffff"
	obj["textStyle"] = map[string]any{"fontFamily": "sans-serif"}
	if heatPanel := heatPanelOf(f); heatPanel != nil {
		obj["visualMap"] = []any{map[string]any{
			"min": 0, "max": math.Max(1, heatPanel.Heat.Max), "calculable": false, "show": false,
			"inRange": map[string]any{"color": []string{heatHex(0), heatHex(0.5), heatHex(1)}},
		}}
	}
	return obj, nil
}

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

func pct(v float64) string { return fmt.Sprintf("%.2f%%", v) }

func tooltipTrigger(f *figure) string {
	for _, p := range f.Panels {
		if p.Heat != nil || p.Net != nil {
			return "item"
		}
		for _, s := range p.Series {
			if s.Kind == scatterSeries {
				return "item"
			}
		}
	}
	return "axis"
}

func heatPanelOf(f *figure) *panel {
	for _, p := range f.Panels {
		if p.Heat != nil {
			return p
		}
	}
	return nil
}

var (
	axisLabelStyle = &opts.AxisLabel{Show: opts.Bool(true), Color: "#555"}
	splitLineStyle = &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: "#e6e6e6"}}
)

func xAxis(p *panel, i int) opts.XAxis {
	ax := opts.XAxis{
		GridIndex: i, Name: p.XLabel, NameLocation: "middle", NameGap: 28,
		AxisLabel: axisLabelStyle,
	}
	switch {
	case p.HideAxes:
		ax.Show = opts.Bool(false)
		ax.Type = "value"
	case len(p.XCategories) > 0:
		ax.Type = "category"
		ax.Data = p.XCategories
	case p.XLog:
		ax.Type = "log"
		ax.SplitLine = splitLineStyle
		ax.AxisLabel = &opts.AxisLabel{Show: opts.Bool(true), Color: "#555", Formatter: shortNumberFn}
	default:
		ax.Type = "value"
		ax.SplitLine = splitLineStyle
		ax.Scale = opts.Bool(true)
	}
	if p.XInteger {
		ax.MinInterval = 1
		if !p.XLog && len(p.XCategories) == 0 {
			ax.Min, ax.Max = "dataMin", "dataMax" // epochs 1..n, not 0..n+1
		}
	}
	if p.XMin != nil {
		ax.Min = *p.XMin
	}
	if p.XMax != nil {
		ax.Max = *p.XMax
	}
	if p.Net != nil {
		x0, x1, _, _ := netBounds(p)
		ax.Min, ax.Max = x0, x1
	}
	return ax
}

func yAxis(p *panel, i int) opts.YAxis {
	ax := opts.YAxis{
		GridIndex: i, Name: p.YLabel, NameLocation: "middle", NameGap: 48,
		AxisLabel: axisLabelStyle, SplitLine: splitLineStyle,
	}
	switch {
	case p.HideAxes:
		ax.Show = opts.Bool(false)
		ax.Type = "value"
	case len(p.YCategories) > 0:
		ax.Type = "category"
		ax.Data = p.YCategories
		ax.Inverse = opts.Bool(true) // row 0 at the top, as the matrix is printed
	case p.YLog:
		ax.Type = "log"
		ax.AxisLabel = &opts.AxisLabel{Show: opts.Bool(true), Color: "#555", Formatter: shortNumberFn}
	default:
		ax.Type = "value"
		ax.Scale = opts.Bool(true)
	}
	if p.YMin != nil {
		ax.Min = *p.YMin
	}
	if p.YMax != nil {
		ax.Max = *p.YMax
	}
	if p.Net != nil {
		_, _, y0, y1 := netBounds(p)
		ax.Min, ax.Max = y0, y1
	}
	return ax
}

// diagonalName names the y = x line in both renderers' legends.
const diagonalName = "perfect prediction (y = x)"

// dashIcon is a legend icon of three dashes (the legend keeps its aspect).
const dashIcon = "path://M0 0h7v2H0zM10 0h7v2h-7zM20 0h7v2h-7z"

// diagonalSeries draws y = x as a dashed line series from corner to corner of
// the panel's shared range. Not a markLine: ECharts drops a markLine whose
// end lies outside the axes, which is how the line went missing when the
// predictions spanned less than the actual values.
func diagonalSeries(c *charts.Line, p *panel, i int) {
	lo, hi := diagonalEnds(p)
	if !finite(lo) || !finite(hi) {
		return
	}
	c.AddSeries(diagonalName, nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
		ss.Type = "line"
		ss.Data = []any{[]any{lo, lo}, []any{hi, hi}} // the axes' ends, exactly
		ss.XAxisIndex, ss.YAxisIndex = i, i
		ss.ShowSymbol = opts.Bool(false)
		ss.Color = "#777777"
		ss.LineStyle = &opts.LineStyle{Color: "#777777", Type: "dashed", Width: 1.2}
	}))
}

// marksSeries adds a series with no data that carries a panel's marks (best
// epoch, early stop, best values). Marks on a series of their own stay visible when
// a curve is hidden from the legend, and stay out of the legend themselves.
func marksSeries(c *charts.Line, p *panel, i int) {
	var lines, points []any
	for _, v := range p.VLines {
		lines = append(lines, map[string]any{
			"xAxis": jsonValue(v.X), "name": v.Label,
			"lineStyle": map[string]any{"color": v.Color, "type": "dashed", "width": 1.5},
			"label":     map[string]any{"formatter": "{b}", "position": "insideEndTop", "color": v.Color},
		})
	}
	for _, pt := range p.Points {
		if !finite(pt.Y) || (p.YLog && pt.Y <= 0) {
			continue
		}
		points = append(points, map[string]any{
			"coord": []any{round(pt.X), round(pt.Y)}, "name": pt.Label, "value": round(pt.Y),
			"symbol": "circle", "symbolSize": 12,
			"itemStyle": map[string]any{"color": "rgba(255,255,255,0)", "borderColor": pt.Color, "borderWidth": 2.5},
			"label":     pointLabel(p, pt),
		})
	}
	c.AddSeries("", nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
		ss.Type = "line"
		ss.Data = []any{}
		ss.XAxisIndex, ss.YAxisIndex = i, i
		if len(lines) > 0 {
			ss.MarkLines = &opts.MarkLines{Data: lines, MarkLineStyle: opts.MarkLineStyle{
				Symbol:    []string{"none", "none"},
				LineStyle: &opts.LineStyle{Color: "#777", Type: "dashed"},
				Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}"},
			}}
		}
		if len(points) > 0 {
			ss.MarkPoints = &opts.MarkPoints{Data: points}
		}
	}))
}

// pointLabelRoom is the room, in pixels, that a marked point's label needs
// above the axes, besides their 10 px top margin, when the point is at their
// top: the label's bottom is 11 px above the point (half the 12 px ring and
// ECharts' 5 px gap) and it is about 19 px tall (12 px bold text, 2 px
// padding), 30 px in all.
const pointLabelRoom = 22

// pointLabel places a marked point's label above it, on the side of the
// point with more room: a label centred on a point at the last epoch ran past
// the chart's right edge and was cut off ("final 9.63e-0"). The text starts
// (or ends) 6 px from the point, clear of a vertical mark through it, as in
// the static chart.
func pointLabel(p *panel, pt point) map[string]any {
	// With position "top" the label's anchor is above the point's centre;
	// align says which end of the text sits at the anchor.
	align, dx := "left", 6 // the text runs right from the point
	if pointFraction(p, pt.X) >= 0.5 {
		align, dx = "right", -6 // the text ends left of the point
	}
	return map[string]any{
		"show": true, "formatter": "{b}", "position": "top", "align": align, "offset": []int{dx, 0},
		"color": pt.Color, "fontWeight": "bold", "backgroundColor": "rgba(255,255,255,0.85)", "padding": 2,
	}
}

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

// heatSeries draws a panel's matrix as an ECharts heatmap with the counts
// written in the cells.
func heatSeries(c *charts.Line, p *panel, i int) {
	var data []any
	for r, row := range p.Heat.Values {
		for col, v := range row {
			data = append(data, []any{col, r, jsonValue(v)})
		}
	}
	c.AddSeries("", nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
		ss.Type = "heatmap"
		ss.Data = data
		ss.XAxisIndex, ss.YAxisIndex = i, i
		ss.Label = &opts.Label{Show: opts.Bool(true), FontSize: 16}
		ss.ItemStyle = &opts.ItemStyle{BorderColor: "#fff", BorderWidth: 2}
	}))
}

// netSeries draws a network as an ECharts graph on the panel's axes: nodes at
// fixed places, edges with their weights written near their source.
func netSeries(c *charts.Line, p *panel, i int) {
	n := p.Net
	layers := len(n.layers())
	var nodes, links []any
	maxW := 0.0
	for _, e := range n.Edges {
		maxW = math.Max(maxW, math.Abs(e.Weight))
	}
	// The value sits alone in its circle, centred; a note (the bias) is a
	// label of its own just under the circle. (One two-line label, value and
	// note, is centred as a block: it pushed the value up across the
	// circle's outline.) Offsets under a node are in pixels, from its centre.
	hasNotes := false
	size := 2 * n.NodeRadius
	for k, nd := range n.Nodes {
		nodes = append(nodes, map[string]any{
			"name": fmt.Sprintf("n%d", k), "value": []any{round(nd.X), round(nd.Y)},
			"symbolSize": size,
			"itemStyle":  map[string]any{"color": layerHex(nd.Layer, layers), "borderColor": "#666", "borderWidth": 1},
			"label": map[string]any{
				"show": true, "formatter": nd.Label, "position": "inside", "color": "#222", "fontSize": n.ValueFont,
			},
			"tooltip": map[string]any{"formatter": tooltipText(nd)},
		})
	}
	for k, nd := range n.Nodes {
		if nd.Note == "" {
			continue
		}
		hasNotes = true
		nodes = append(nodes, map[string]any{
			"name": fmt.Sprintf("note%d", k), "value": []any{round(nd.X), round(nd.Y)},
			"symbolSize": 1, "itemStyle": map[string]any{"color": "rgba(0,0,0,0)"},
			"label": map[string]any{
				"show": true, "formatter": nd.Note, "position": "bottom", "distance": n.NodeRadius + 3,
				"color": "#555", "fontSize": 11, "backgroundColor": "rgba(255,255,255,0.85)", "padding": []int{1, 3},
			},
			"tooltip": map[string]any{"formatter": tooltipText(nd)},
		})
	}
	// Layer names in a row under the lowest node, below its note if any.
	_, _, ylo, _ := panelRanges(p)
	below := n.NodeRadius + 8
	if hasNotes {
		below += 20
	}
	for l, name := range n.LayerNames {
		nodes = append(nodes, map[string]any{
			"name": fmt.Sprintf("layer%d", l), "value": []any{l, round(ylo)},
			"symbolSize": 1, "itemStyle": map[string]any{"color": "rgba(0,0,0,0)"},
			"label": map[string]any{
				"show": true, "formatter": name, "position": "bottom", "distance": below, "color": "#666", "fontSize": 13,
			},
			"tooltip": map[string]any{"show": false},
		})
	}
	// Edge labels sit on tiny invisible nodes part of the way along each edge.
	for k, e := range n.Edges {
		a, b := n.Nodes[e.From], n.Nodes[e.To]
		clr := colorBlue
		if e.Weight < 0 {
			clr = colorRed
		}
		w := 1.5
		if maxW > 0 {
			w = 1 + 3.5*math.Abs(e.Weight)/maxW
		}
		links = append(links, map[string]any{
			"source": fmt.Sprintf("n%d", e.From), "target": fmt.Sprintf("n%d", e.To),
			"lineStyle": map[string]any{"color": clr, "width": round(w), "opacity": 0.6, "curveness": 0},
			"tooltip":   map[string]any{"formatter": "weight " + fmtNum(e.Weight)},
		})
		if e.Label != "" {
			nodes = append(nodes, map[string]any{
				"name":       fmt.Sprintf("w%d", k),
				"value":      []any{round(a.X + (b.X-a.X)*n.LabelAt), round(a.Y + (b.Y-a.Y)*n.LabelAt)},
				"symbolSize": 1, "itemStyle": map[string]any{"color": "rgba(0,0,0,0)"},
				"label": map[string]any{
					"show": true, "formatter": e.Label, "position": "inside", "color": "#222", "fontSize": 12,
					"backgroundColor": "rgba(255,255,255,0.9)", "padding": []int{1, 3},
				},
				"tooltip": map[string]any{"formatter": "weight " + fmtNum(e.Weight)},
			})
		}
	}
	c.AddSeries("", nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
		ss.Type = "graph"
		ss.CoordSystem = "cartesian2d"
		ss.XAxisIndex, ss.YAxisIndex = i, i
		ss.Data = nodes
		ss.Links = links
		ss.Layout = "none"
		ss.Roam = opts.Bool(false)
	}))
}

func tooltipText(nd netNode) string {
	s := nd.Label
	if nd.Note != "" {
		s += " (" + nd.Note + ")"
	}
	return s
}
