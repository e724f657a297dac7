package plotting

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// The interactive renderer turns a figure into an ECharts option (the typed
// ecOption, echartsoption.go): one chart instance, one grid (set of axes) per
// panel side by side, a legend, tooltips and the marks.

// echartsOption builds the option and encodes it as JSON. The encoder escapes
// <, > and &, so the JSON can sit inside a <script> element as it is.
func echartsOption(f *figure) (string, error) {
	opt, err := buildEChartsOption(f)
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

func buildEChartsOption(f *figure) (*ecOption, error) {
	lay := layoutOf(f)
	o := &ecOption{
		BackgroundColor: "#ffffff",
		TextStyle:       ecTextStyle{FontFamily: "sans-serif"},
		Tooltip:         ecTooltip{Show: true, Trigger: tooltipTrigger(f)},
		Title: []ecTitle{{
			Text: f.Title, Subtext: f.Subtitle, Left: "center", Top: 4,
			TextStyle:    ecTextStyle{FontSize: 16, Color: "#333"},
			SubtextStyle: &ecTextStyle{FontSize: 12, Color: "#666"},
		}},
	}
	for i, p := range f.Panels {
		gl, gw := lay.panelLeft(i), lay.panelWidth
		bottom := "12%"
		if p.XLabel == "" {
			bottom = "8%"
		}
		o.Grid = append(o.Grid, ecGrid{Left: pct(gl), Width: pct(gw), Top: fmt.Sprint(lay.gridTop), Bottom: bottom, ContainLabel: true})
		if p.Title != "" {
			o.Title = append(o.Title, ecTitle{
				Text: p.Title, Left: pct(gl + gw/2), Top: lay.panelTitleTop, TextAlign: "center",
				TextStyle: ecTextStyle{FontSize: 13, FontWeight: "normal", Color: "#333"},
			})
		}
		o.XAxis = append(o.XAxis, xAxis(p, i))
		o.YAxis = append(o.YAxis, yAxis(p, i))

		for _, s := range p.Series {
			o.Series = append(o.Series, dataSeries(p, i, s))
		}
		if p.Heat != nil {
			o.Series = append(o.Series, heatSeries(p, i))
			o.VisualMap = []ecVisualMap{heatScale(p.Heat)}
		}
		if p.Net != nil {
			o.Series = append(o.Series, netSeries(p, i))
		}
		if p.Diagonal {
			if s, ok := diagonalSeries(p, i); ok {
				o.Series = append(o.Series, s)
			}
		}
		if len(p.VLines) > 0 || len(p.Points) > 0 {
			o.Series = append(o.Series, marksSeries(p, i))
		}
	}
	if lg := lay.legend; len(lg.Rows) > 0 {
		o.Legend = ecLegend{Show: true, Top: fmt.Sprint(lay.legendTop), Type: "plain", Data: legendItems(f, lg)}
		if lg.scrolls() {
			o.Legend.Type = "scroll"
		}
	}
	return o, nil
}

// legendItems is the legend's data: the rows of the layout, an empty entry
// between rows (ECharts' line break), or when the legend scrolls (and ECharts
// ignores line breaks) every entry.
func legendItems(f *figure, lg legendLayout) []ecLegendItem {
	item := func(name string) ecLegendItem {
		if name == diagonalName {
			// Three dashes: ECharts' icon for a line series is a line
			// with a marker, which would read as a series of points.
			return ecLegendItem{Name: name, Icon: dashIcon}
		}
		return ecLegendItem{Name: name}
	}
	var items []ecLegendItem
	if lg.scrolls() {
		for _, n := range legendNames(f) {
			items = append(items, item(n))
		}
		return items
	}
	for r, row := range lg.Rows {
		if r > 0 {
			items = append(items, ecLegendItem{}) // a line break
		}
		for _, n := range row {
			items = append(items, item(n))
		}
	}
	return items
}

// dataSeries is one of the figure's series on panel i's axes.
func dataSeries(p *panel, i int, s *series) ecSeries {
	xCat := len(p.XCategories) > 0
	y := func(k int) ecValue {
		if p.YLog && s.Y[k] <= 0 { // a log axis cannot show it
			return ecMissing
		}
		return ecValue(s.Y[k])
	}
	var data any
	if xCat {
		vs := make([]ecValue, len(s.Y))
		for k := range s.Y {
			vs[k] = y(k)
		}
		data = vs
	} else {
		xys := make([][2]ecValue, len(s.Y))
		for k := range s.Y {
			xys[k] = [2]ecValue{ecValue(s.X[k]), y(k)}
		}
		data = xys
	}
	es := ecSeries{Name: s.Name, Data: data, XAxisIndex: i, YAxisIndex: i, Color: s.Color}
	switch s.Kind {
	case lineSeries:
		es.Type = "line"
		es.ShowSymbol = boolPtr(s.Symbols || len(s.Y) <= 1)
		es.Symbol = "circle"
		es.SymbolSize = 6
		es.LineStyle = &ecLineStyle{Width: orDefault(s.Width, 2.2), Color: s.Color}
		if s.Dashed {
			es.LineStyle.Type = "dashed"
		}
	case scatterSeries:
		es.Type = "scatter"
		es.SymbolSize = 7
		es.ItemStyle = &ecItemStyle{Color: s.Color, Opacity: ptr(0.7)}
	case barSeries:
		es.Type = "bar"
		es.Stack = s.Stack
		es.ItemStyle = &ecItemStyle{Color: s.Color}
		if !xCat {
			es.BarWidth = "90%"
			es.BarGap = "0%"
		}
	}
	return es
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

func axisLabel() *ecLabel { return &ecLabel{Show: true, Color: "#555"} }

func splitLine() *ecSplitLine {
	return &ecSplitLine{Show: true, LineStyle: &ecLineStyle{Color: "#e6e6e6"}}
}

func xAxis(p *panel, i int) ecAxis {
	ax := ecAxis{GridIndex: i, Name: p.XLabel, NameLocation: "middle", NameGap: 28, AxisLabel: axisLabel()}
	switch {
	case p.HideAxes:
		ax.Show = boolPtr(false)
		ax.Type = "value"
	case len(p.XCategories) > 0:
		ax.Type = "category"
		ax.Data = p.XCategories
	case p.XLog:
		ax.Type = "log"
		ax.SplitLine = splitLine()
		ax.AxisLabel.Formatter = shortNumberFn
	default:
		ax.Type = "value"
		ax.SplitLine = splitLine()
		ax.Scale = true
	}
	if p.XInteger {
		ax.MinInterval = 1
		if !p.XLog && len(p.XCategories) == 0 {
			ax.Min, ax.Max = &ecAxisEnd{data: "dataMin"}, &ecAxisEnd{data: "dataMax"} // epochs 1..n, not 0..n+1
		}
	}
	if p.XMin != nil {
		ax.Min = axisAt(*p.XMin)
	}
	if p.XMax != nil {
		ax.Max = axisAt(*p.XMax)
	}
	if p.Net != nil {
		x0, x1, _, _ := netBounds(p)
		ax.Min, ax.Max = axisAt(x0), axisAt(x1)
	}
	return ax
}

func yAxis(p *panel, i int) ecAxis {
	ax := ecAxis{
		GridIndex: i, Name: p.YLabel, NameLocation: "middle", NameGap: 48,
		AxisLabel: axisLabel(), SplitLine: splitLine(),
	}
	switch {
	case p.HideAxes:
		ax.Show = boolPtr(false)
		ax.Type = "value"
	case len(p.YCategories) > 0:
		ax.Type = "category"
		ax.Data = p.YCategories
		ax.Inverse = true // row 0 at the top, as the matrix is printed
	case p.YLog:
		ax.Type = "log"
		ax.AxisLabel.Formatter = shortNumberFn
	default:
		ax.Type = "value"
		ax.Scale = true
	}
	if p.YMin != nil {
		ax.Min = axisAt(*p.YMin)
	}
	if p.YMax != nil {
		ax.Max = axisAt(*p.YMax)
	}
	if p.Net != nil {
		_, _, y0, y1 := netBounds(p)
		ax.Min, ax.Max = axisAt(y0), axisAt(y1)
	}
	return ax
}

// dashIcon is a legend icon of three dashes (the legend keeps its aspect).
const dashIcon = "path://M0 0h7v2H0zM10 0h7v2h-7zM20 0h7v2h-7z"

// diagonalSeries draws y = x as a dashed line series from corner to corner of
// the panel's shared range. Not a markLine: ECharts drops a markLine whose
// end lies outside the axes, which is how the line went missing when the
// predictions spanned less than the actual values.
func diagonalSeries(p *panel, i int) (ecSeries, bool) {
	lo, hi := diagonalEnds(p)
	if !finite(lo) || !finite(hi) {
		return ecSeries{}, false
	}
	return ecSeries{
		Name: diagonalName, Type: "line", XAxisIndex: i, YAxisIndex: i,
		Data:       [][2]ecValue{{ecValue(lo), ecValue(lo)}, {ecValue(hi), ecValue(hi)}}, // the axes' ends
		ShowSymbol: boolPtr(false),
		Color:      "#777777",
		LineStyle:  &ecLineStyle{Color: "#777777", Type: "dashed", Width: 1.2},
	}, true
}

// marksSeries is a series with no data that carries a panel's marks (best
// epoch, early stop, best values). Marks on a series of their own stay visible when
// a curve is hidden from the legend, and stay out of the legend themselves.
func marksSeries(p *panel, i int) ecSeries {
	s := ecSeries{Type: "line", Data: []ecValue{}, XAxisIndex: i, YAxisIndex: i}
	if len(p.VLines) > 0 {
		ml := &ecMarkLine{
			Symbol:    []string{"none", "none"},
			LineStyle: &ecLineStyle{Color: "#777", Type: "dashed"},
			Label:     &ecLabel{Show: true, Formatter: "{b}"},
		}
		for _, v := range p.VLines {
			ml.Data = append(ml.Data, ecMarkLineItem{
				XAxis: ecValue(v.X), Name: v.Label,
				LineStyle: &ecLineStyle{Color: v.Color, Type: "dashed", Width: 1.5},
				Label:     &ecLabel{Formatter: "{b}", Position: "insideEndTop", Color: v.Color},
			})
		}
		s.MarkLine = ml
	}
	var points []ecMarkPointItem
	for _, pt := range p.Points {
		if !finite(pt.Y) || (p.YLog && pt.Y <= 0) {
			continue
		}
		points = append(points, ecMarkPointItem{
			Coord: [2]ecValue{ecValue(pt.X), ecValue(pt.Y)}, Name: pt.Label, Value: ecValue(pt.Y),
			Symbol: "circle", SymbolSize: 12,
			ItemStyle: &ecItemStyle{Color: "rgba(255,255,255,0)", BorderColor: pt.Color, BorderWidth: 2.5},
			Label:     pointLabel(p, pt),
		})
	}
	if len(points) > 0 {
		s.MarkPoint = &ecMarkPoint{Data: points}
	}
	return s
}

// pointLabel writes a marked point's label above it, on the side
// pointLabelLeft says.
func pointLabel(p *panel, pt point) *ecLabel {
	// With position "top" the label's anchor is above the point's centre;
	// align says which end of the text sits at the anchor.
	align, dx := "left", pointLabelDX // the text runs right from the point
	if pointLabelLeft(p, pt) {
		align, dx = "right", -pointLabelDX // the text ends left of the point
	}
	return &ecLabel{
		Show: true, Formatter: "{b}", Position: "top", Align: align, Offset: []int{dx, 0},
		Color: pt.Color, FontWeight: "bold", BackgroundColor: "rgba(255,255,255,0.85)", Padding: []int{2, 2},
	}
}

// heatSeries draws a panel's matrix as an ECharts heatmap with the counts
// written in the cells.
func heatSeries(p *panel, i int) ecSeries {
	var data [][3]ecValue
	for r, row := range p.Heat.Values {
		for col, v := range row {
			data = append(data, [3]ecValue{ecValue(col), ecValue(r), ecValue(v)})
		}
	}
	return ecSeries{
		Type: "heatmap", Data: data, XAxisIndex: i, YAxisIndex: i,
		Label:     &ecLabel{Show: true, FontSize: 16},
		ItemStyle: &ecItemStyle{BorderColor: "#fff", BorderWidth: 2},
	}
}

// heatScale colors a heatmap's cells as the static chart does (heatColor).
func heatScale(h *heat) ecVisualMap {
	vm := ecVisualMap{Min: 0, Max: math.Max(1, h.Max)}
	vm.InRange.Color = []string{heatHex(0), heatHex(0.5), heatHex(1)}
	return vm
}

// netSeries draws a network as an ECharts graph on the panel's axes: nodes at
// fixed places, edges with their weights written near their source.
func netSeries(p *panel, i int) ecSeries {
	n := p.Net
	layers := len(n.layers())
	var nodes []ecGraphNode
	var links []ecGraphLink
	maxW := maxWeight(n)
	at := func(x, y float64) [2]ecValue { return [2]ecValue{ecValue(x), ecValue(y)} }
	hidden := &ecItemStyle{Color: "rgba(0,0,0,0)"}
	// The value sits alone in its circle, centred; a note (the bias) is a
	// label of its own just under the circle. (One two-line label, value and
	// note, is centred as a block: it pushed the value up across the
	// circle's outline.) Offsets under a node are in pixels, from its centre.
	for k, nd := range n.Nodes {
		nodes = append(nodes, ecGraphNode{
			Name: fmt.Sprintf("n%d", k), Value: at(nd.X, nd.Y), SymbolSize: 2 * n.NodeRadius,
			ItemStyle: &ecItemStyle{Color: layerHex(nd.Layer, layers), BorderColor: "#666", BorderWidth: 1},
			Label:     &ecLabel{Show: true, Formatter: nd.Label, Position: "inside", Color: "#222", FontSize: n.ValueFont},
			Tooltip:   &ecItemTooltip{Formatter: tooltipText(nd)},
		})
	}
	for k, nd := range n.Nodes {
		if nd.Note == "" {
			continue
		}
		nodes = append(nodes, ecGraphNode{
			Name: fmt.Sprintf("note%d", k), Value: at(nd.X, nd.Y), SymbolSize: 1, ItemStyle: hidden,
			Label: &ecLabel{
				Show: true, Formatter: nd.Note, Position: "bottom", Distance: n.NodeRadius + 3,
				Color: "#555", FontSize: 11, BackgroundColor: "rgba(255,255,255,0.85)", Padding: []int{1, 3},
			},
			Tooltip: &ecItemTooltip{Formatter: tooltipText(nd)},
		})
	}
	// Layer names in a row under the lowest node, below its note if any.
	_, _, ylo, _ := panelRanges(p)
	below := n.NodeRadius + 8
	if n.hasNotes() {
		below += 20
	}
	for l, name := range n.LayerNames {
		nodes = append(nodes, ecGraphNode{
			Name: fmt.Sprintf("layer%d", l), Value: at(float64(l), ylo), SymbolSize: 1, ItemStyle: hidden,
			Label:   &ecLabel{Show: true, Formatter: name, Position: "bottom", Distance: below, Color: "#666", FontSize: 13},
			Tooltip: &ecItemTooltip{Show: boolPtr(false)},
		})
	}
	// Edge labels sit on tiny invisible nodes part of the way along each edge.
	for k, e := range n.Edges {
		a, b := n.Nodes[e.From], n.Nodes[e.To]
		tip := &ecItemTooltip{Formatter: "weight " + fmtNum(e.Weight)}
		links = append(links, ecGraphLink{
			Source: fmt.Sprintf("n%d", e.From), Target: fmt.Sprintf("n%d", e.To),
			LineStyle: &ecLineStyle{Color: cssHex(edgeColor(e.Weight)), Width: round(1 + 3.5*edgeStrength(e.Weight, maxW)), Opacity: 0.6},
			Tooltip:   tip,
		})
		if e.Label != "" {
			nodes = append(nodes, ecGraphNode{
				Name:  fmt.Sprintf("w%d", k),
				Value: at(a.X+(b.X-a.X)*n.LabelAt, a.Y+(b.Y-a.Y)*n.LabelAt), SymbolSize: 1, ItemStyle: hidden,
				Label: &ecLabel{
					Show: true, Formatter: e.Label, Position: "inside", Color: "#222", FontSize: 12,
					BackgroundColor: "rgba(255,255,255,0.9)", Padding: []int{1, 3},
				},
				Tooltip: tip,
			})
		}
	}
	return ecSeries{
		Type: "graph", CoordinateSystem: "cartesian2d", XAxisIndex: i, YAxisIndex: i,
		Data: nodes, Links: links, Layout: "none", Roam: boolPtr(false),
	}
}

func tooltipText(nd netNode) string {
	s := nd.Label
	if nd.Note != "" {
		s += " (" + nd.Note + ")"
	}
	return s
}
