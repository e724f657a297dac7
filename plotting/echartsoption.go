package plotting

import (
	"encoding/json"
	"math"
)

// The ECharts option, typed: the part of ECharts' option
// (https://echarts.apache.org/en/option.html) that the interactive renderer
// writes, one Go type per ECharts component, with ECharts' own names as the
// JSON keys. The interactive chart is this option encoded as JSON and given to
// echarts.init(...).setOption in the browser (html.go).
//
// Why not go-echarts: its typed options cover one title per chart, no
// visualMap range colors, no per-item tooltips and no background, so the
// option it made had to be patched as raw maps afterwards; and its charts
// package links html/template and its page machinery into every cell that
// draws a chart, for a page this package never writes (it loads ECharts from
// a CDN). These few types say exactly what the charts use.

// ecOption is the whole option: one chart instance with a grid (a set of
// axes) per panel, side by side.
type ecOption struct {
	BackgroundColor string        `json:"backgroundColor"`
	TextStyle       ecTextStyle   `json:"textStyle"`
	Animation       bool          `json:"animation"`
	Title           []ecTitle     `json:"title"`
	Legend          ecLegend      `json:"legend"`
	Tooltip         ecTooltip     `json:"tooltip"`
	Grid            []ecGrid      `json:"grid"`
	XAxis           []ecAxis      `json:"xAxis"`
	YAxis           []ecAxis      `json:"yAxis"`
	Series          []ecSeries    `json:"series"`
	VisualMap       []ecVisualMap `json:"visualMap,omitempty"`
}

type ecTextStyle struct {
	FontFamily string  `json:"fontFamily,omitempty"`
	FontSize   float64 `json:"fontSize,omitempty"`
	FontWeight string  `json:"fontWeight,omitempty"`
	Color      string  `json:"color,omitempty"`
}

// ecTitle is one title: the figure's, centred at the top, or a panel's,
// centred over its grid.
type ecTitle struct {
	Text         string       `json:"text"`
	Subtext      string       `json:"subtext,omitempty"`
	Left         string       `json:"left"` // "center" or a percentage of the width
	Top          int          `json:"top"`  // pixels
	TextAlign    string       `json:"textAlign,omitempty"`
	TextStyle    ecTextStyle  `json:"textStyle"`
	SubtextStyle *ecTextStyle `json:"subtextStyle,omitempty"`
}

type ecLegend struct {
	Show bool           `json:"show"`
	Type string         `json:"type,omitempty"` // "plain" wraps into rows, "scroll" pages through one
	Top  string         `json:"top,omitempty"`  // pixels
	Data []ecLegendItem `json:"data,omitempty"`
}

// ecLegendItem is a legend entry: the series' name, with its own icon when
// Icon is set (ECharts' default icon for the series' type otherwise).
type ecLegendItem struct {
	Name string
	Icon string
}

func (l ecLegendItem) MarshalJSON() ([]byte, error) {
	if l.Icon == "" {
		return json.Marshal(l.Name)
	}
	return json.Marshal(struct {
		Name string `json:"name"`
		Icon string `json:"icon"`
	}{l.Name, l.Icon})
}

type ecTooltip struct {
	Show    bool   `json:"show"`
	Trigger string `json:"trigger,omitempty"` // "axis": every series at an x; "item": the one under the pointer
}

type ecGrid struct {
	Left         string `json:"left"`
	Width        string `json:"width"`
	Top          string `json:"top"`
	Bottom       string `json:"bottom"`
	ContainLabel bool   `json:"containLabel"` // the tick labels fit inside the grid's box
}

// ecAxis is an x or a y axis (ECharts gives both the same fields).
type ecAxis struct {
	Show         *bool        `json:"show,omitempty"` // nil: shown
	Type         string       `json:"type"`           // "value", "log" or "category"
	GridIndex    int          `json:"gridIndex,omitempty"`
	Name         string       `json:"name,omitempty"`
	NameLocation string       `json:"nameLocation,omitempty"`
	NameGap      int          `json:"nameGap,omitempty"`
	Data         []string     `json:"data,omitempty"` // the categories
	Inverse      bool         `json:"inverse,omitempty"`
	Scale        bool         `json:"scale,omitempty"` // a value axis need not include 0
	Min          *ecAxisEnd   `json:"min,omitempty"`
	Max          *ecAxisEnd   `json:"max,omitempty"`
	MinInterval  float64      `json:"minInterval,omitempty"`
	AxisLabel    *ecLabel     `json:"axisLabel,omitempty"`
	SplitLine    *ecSplitLine `json:"splitLine,omitempty"`
}

// ecAxisEnd is an axis' min or max: a number, or "dataMin" or "dataMax" (the
// data's own extreme, with no rounding outwards).
type ecAxisEnd struct {
	value float64
	data  string
}

func axisAt(v float64) *ecAxisEnd { return &ecAxisEnd{value: v} }

func (e ecAxisEnd) MarshalJSON() ([]byte, error) {
	if e.data != "" {
		return json.Marshal(e.data)
	}
	return json.Marshal(e.value)
}

type ecSplitLine struct {
	Show      bool         `json:"show"`
	LineStyle *ecLineStyle `json:"lineStyle,omitempty"`
}

type ecLineStyle struct {
	Color   string  `json:"color,omitempty"`
	Type    string  `json:"type,omitempty"` // "dashed"; "" is solid
	Width   float64 `json:"width,omitempty"`
	Opacity float64 `json:"opacity,omitempty"`
}

type ecItemStyle struct {
	Color       string   `json:"color,omitempty"`
	Opacity     *float64 `json:"opacity,omitempty"`
	BorderColor string   `json:"borderColor,omitempty"`
	BorderWidth float64  `json:"borderWidth,omitempty"`
}

// ecLabel is a text label: of an axis' ticks, a series' items, a mark or a
// graph node. Formatter "{b}" writes the item's name.
type ecLabel struct {
	Show            bool    `json:"show,omitempty"`
	Formatter       string  `json:"formatter,omitempty"`
	Position        string  `json:"position,omitempty"`
	Distance        float64 `json:"distance,omitempty"`
	Align           string  `json:"align,omitempty"`
	Offset          []int   `json:"offset,omitempty"`
	Color           string  `json:"color,omitempty"`
	FontSize        float64 `json:"fontSize,omitempty"`
	FontWeight      string  `json:"fontWeight,omitempty"`
	BackgroundColor string  `json:"backgroundColor,omitempty"`
	Padding         []int   `json:"padding,omitempty"` // [vertical, horizontal]
}

// ecItemTooltip is the tooltip of one graph node or edge.
type ecItemTooltip struct {
	Show      *bool  `json:"show,omitempty"` // nil: shown
	Formatter string `json:"formatter,omitempty"`
}

// ecSeries is one series. Data holds what its type reads: []ecValue on a
// category x axis, [][2]ecValue (x, y) on a value axis, [][3]ecValue
// (column, row, count) in a heatmap, []ecGraphNode in a graph.
type ecSeries struct {
	Name             string         `json:"name,omitempty"`
	Type             string         `json:"type"` // "line", "scatter", "bar", "heatmap" or "graph"
	XAxisIndex       int            `json:"xAxisIndex,omitempty"`
	YAxisIndex       int            `json:"yAxisIndex,omitempty"`
	CoordinateSystem string         `json:"coordinateSystem,omitempty"`
	Data             any            `json:"data"`
	Links            []ecGraphLink  `json:"links,omitempty"`
	Layout           string         `json:"layout,omitempty"`
	Roam             *bool          `json:"roam,omitempty"`
	Color            string         `json:"color,omitempty"`
	ShowSymbol       *bool          `json:"showSymbol,omitempty"`
	Symbol           string         `json:"symbol,omitempty"`
	SymbolSize       float64        `json:"symbolSize,omitempty"`
	LineStyle        *ecLineStyle   `json:"lineStyle,omitempty"`
	ItemStyle        *ecItemStyle   `json:"itemStyle,omitempty"`
	Label            *ecLabel       `json:"label,omitempty"`
	Stack            string         `json:"stack,omitempty"`
	BarWidth         string         `json:"barWidth,omitempty"`
	BarGap           string         `json:"barGap,omitempty"`
	MarkLine         *ecMarkLine    `json:"markLine,omitempty"`
	MarkPoint        *ecMarkPoint   `json:"markPoint,omitempty"`
	Tooltip          *ecItemTooltip `json:"tooltip,omitempty"`
}

// ecValue is one number of a series: rounded to 5 significant digits (enough
// for any chart or tooltip, and it keeps the page small), and "-", ECharts'
// missing value (a gap in a line), where it is NaN or infinite.
type ecValue float64

func (v ecValue) MarshalJSON() ([]byte, error) {
	f := float64(v)
	if !finite(f) {
		return []byte(`"-"`), nil
	}
	return json.Marshal(round(f))
}

// ecMissing is a value a log axis cannot show (0 or below): a gap.
var ecMissing = ecValue(math.NaN())

type ecMarkLine struct {
	Symbol    []string         `json:"symbol"` // the ends' symbols: none
	LineStyle *ecLineStyle     `json:"lineStyle,omitempty"`
	Label     *ecLabel         `json:"label,omitempty"`
	Data      []ecMarkLineItem `json:"data"`
}

// ecMarkLineItem is a vertical line across the grid at XAxis.
type ecMarkLineItem struct {
	XAxis     ecValue      `json:"xAxis"`
	Name      string       `json:"name"`
	LineStyle *ecLineStyle `json:"lineStyle,omitempty"`
	Label     *ecLabel     `json:"label,omitempty"`
}

type ecMarkPoint struct {
	Data []ecMarkPointItem `json:"data"`
}

// ecMarkPointItem rings the point at Coord and labels it.
type ecMarkPointItem struct {
	Coord      [2]ecValue   `json:"coord"`
	Name       string       `json:"name"`
	Value      ecValue      `json:"value"`
	Symbol     string       `json:"symbol"`
	SymbolSize float64      `json:"symbolSize"`
	ItemStyle  *ecItemStyle `json:"itemStyle,omitempty"`
	Label      *ecLabel     `json:"label,omitempty"`
}

// ecGraphNode is a node of a graph series at fixed coordinates Value on
// its grid's axes.
type ecGraphNode struct {
	Name       string         `json:"name"`
	Value      [2]ecValue     `json:"value"`
	SymbolSize float64        `json:"symbolSize"`
	ItemStyle  *ecItemStyle   `json:"itemStyle,omitempty"`
	Label      *ecLabel       `json:"label,omitempty"`
	Tooltip    *ecItemTooltip `json:"tooltip,omitempty"`
}

type ecGraphLink struct {
	Source    string         `json:"source"`
	Target    string         `json:"target"`
	LineStyle *ecLineStyle   `json:"lineStyle,omitempty"`
	Tooltip   *ecItemTooltip `json:"tooltip,omitempty"`
}

// ecVisualMap colors a heatmap's cells by their value, from Min to Max.
type ecVisualMap struct {
	Min        float64 `json:"min"`
	Max        float64 `json:"max"`
	Calculable bool    `json:"calculable"`
	Show       bool    `json:"show"`
	InRange    struct {
		Color []string `json:"color"`
	} `json:"inRange"`
}

func boolPtr(b bool) *bool { return &b }
