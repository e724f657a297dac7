package plotting

import (
	"fmt"
	"math"
	"strconv"
)

// figure is what every chart function builds: a description of the chart,
// independent of how it is drawn. The interactive renderer (ECharts) and
// the static one (gonum/plot) both draw from it, so they always agree, and the
// tests check it directly (series values, marks, axis scales).
type figure struct {
	Title, Subtitle string
	Width, Height   int // pixels
	Panels          []*panel
	Legend          bool
	// Summary is the text/plain form of the chart: what a terminal, a screen
	// reader or a diff of the notebook shows.
	Summary []string
}

// panel is one set of axes. A figure with two panels draws them side by side
// (loss | accuracy, function | derivative).
type panel struct {
	Title          string
	XLabel, YLabel string
	XLog, YLog     bool
	XInteger       bool     // integer ticks only (epochs, iterations)
	XCategories    []string // a category x axis (layers, classes); series X are indices
	YCategories    []string // a category y axis (heatmaps)
	XMin, XMax     *float64 // fixed ranges (nil: from the data)
	YMin, YMax     *float64
	Series         []*series
	VLines         []vline
	Points         []point
	Diagonal       bool // draw y = x (predicted against actual)
	Heat           *heat
	Net            *netDrawing
	HideAxes       bool
}

type seriesKind int

const (
	lineSeries seriesKind = iota
	scatterSeries
	barSeries
)

// series is one named curve, point cloud or set of bars. NaN in Y is a
// missing value: a gap in a line.
type series struct {
	Name    string
	Kind    seriesKind
	X, Y    []float64
	Color   string
	Dashed  bool
	Symbols bool // markers at each point
	Width   float64
	Stack   string // bars stacked together share a Stack name
}

// vline is a vertical mark across a panel: the best epoch, an early stop.
type vline struct {
	X     float64
	Label string
	Color string
}

// point is a marked point with a label: the best value of a curve.
type point struct {
	X, Y  float64
	Label string
	Color string
}

// heat is a matrix of counts drawn as colored cells with the count written in
// each (a confusion matrix). Values[r][c] is drawn at column c, row r; row 0
// is at the top.
type heat struct {
	Values [][]float64
	Max    float64
}

// netDrawing is a small network drawn as circles (nodes) and lines (weighted
// edges), layer by layer from left to right.
type netDrawing struct {
	Nodes      []netNode
	Edges      []netEdge
	LayerNames []string // written under each column
	NodeRadius float64  // of the circles, in pixels
	ValueFont  float64  // the size of the values in the circles, in pixels
	// LabelAt is how far along an edge, from its source, its weight is
	// written: not at the middle, where the edges of a fully connected layer
	// cross and their labels would overlap, and clear of the source's circle.
	LabelAt float64
}

type netNode struct {
	X, Y  float64 // data coordinates: X is the layer, Y the position in it
	Label string  // the value shown in the circle
	Note  string  // shown under the circle (bias, name)
	Layer int
}

type netEdge struct {
	From, To int // node indices
	Weight   float64
	Label    string
}

// palette is the default series colors (Tableau 10: distinct, readable on
// white, and printable).
var palette = []string{
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
}

const (
	colorBlue   = "#1f77b4"
	colorOrange = "#ff7f0e"
	colorGreen  = "#2ca02c"
	colorRed    = "#d62728"
	colorGray   = "#555555"
)

// depthColors returns n colors for the layers of a network, from the input
// to the output: blue, through violet and magenta, to red. Neighbours differ
// in hue and a little in lightness, so that a chart of many layers reads as
// an order (the input's end, the output's end), which the categorical
// palette, repeating after 10 colors, does not. The colors are spaced evenly
// in OKLCH, a color space where equal steps look equal.
func depthColors(n int) []string {
	const (
		l0, c0, h0 = 0.50, 0.17, 255.0 // blue
		l1, c1, h1 = 0.60, 0.20, 388.0 // red (28°), the long way round through violet
	)
	out := make([]string, n)
	for i := range out {
		t := 0.0
		if n > 1 {
			t = float64(i) / float64(n-1)
		}
		out[i] = oklchHex(l0+(l1-l0)*t, c0+(c1-c0)*t, h0+(h1-h0)*t)
	}
	return out
}

// oklchHex converts an OKLCH color (lightness 0-1, chroma, hue in degrees)
// to "#rrggbb", lowering the chroma until the color fits in sRGB.
// (Björn Ottosson's OKLab, https://bottosson.github.io/posts/oklab/.)
func oklchHex(l, c, h float64) string {
	for ; ; c -= 0.005 {
		a, b := c*math.Cos(h*math.Pi/180), c*math.Sin(h*math.Pi/180)
		lq := math.Pow(l+0.3963377774*a+0.2158037573*b, 3)
		mq := math.Pow(l-0.1055613458*a-0.0638541728*b, 3)
		sq := math.Pow(l-0.0894841775*a-1.2914855480*b, 3)
		rgb := [3]float64{
			4.0767416621*lq - 3.3077115913*mq + 0.2309699292*sq,
			-1.2684380046*lq + 2.6097574011*mq - 0.3413193965*sq,
			-0.0041960863*lq - 0.7034186147*mq + 1.7076147010*sq,
		}
		in := true
		for _, v := range rgb {
			in = in && v >= 0 && v <= 1
		}
		if !in && c > 0 {
			continue
		}
		var hex [3]int
		for i, v := range rgb {
			v = math.Max(0, math.Min(1, v))
			if v <= 0.0031308 {
				v *= 12.92
			} else {
				v = 1.055*math.Pow(v, 1/2.4) - 0.055
			}
			hex[i] = int(math.Round(v * 255))
		}
		return fmt.Sprintf("#%02x%02x%02x", hex[0], hex[1], hex[2])
	}
}

// colorAt returns the i-th color from the user's colors, else the palette.
func colorAt(user []string, i int) string {
	if i < len(user) && user[i] != "" {
		return user[i]
	}
	return palette[i%len(palette)]
}

func ptr(v float64) *float64 { return &v }

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// wantLog decides whether values are better read on a log axis: all finite
// values positive and spanning more than three orders of magnitude, which is
// what a loss that blows up (or one that falls by 1000x) looks like. On a
// linear axis such a curve flattens every other curve into a line at zero.
func wantLog(values ...[]float64) bool { return wantLogRatio(1e3, values...) }

// wantLogRatio is wantLog with another threshold: the largest finite value
// over the smallest must exceed ratio, and none may be 0 or negative.
func wantLogRatio(ratio float64, values ...[]float64) bool {
	lo, hi := math.Inf(1), 0.0
	for _, vs := range values {
		for _, v := range vs {
			if !finite(v) {
				continue
			}
			if v <= 0 {
				return false
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return hi > 0 && hi/lo > ratio
}

// round keeps 5 significant digits: enough for any chart or tooltip, and it
// keeps the page small.
func round(v float64) float64 {
	if !finite(v) || v == 0 {
		return v
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 5, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// fmtNum formats a value for labels: short, and exact for small integers.
func fmtNum(v float64) string {
	switch {
	case v == 0:
		return "0" // not "-0"
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e6:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case math.Abs(v) >= 1e5 || math.Abs(v) < 1e-3:
		return strconv.FormatFloat(v, 'g', 3, 64)
	default:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
}

// seq returns from, from+1, ..., from+n-1 as floats (an epoch axis).
func seq(from, n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(from + i)
	}
	return xs
}

// finiteRange returns the smallest and largest finite values.
func finiteRange(vs []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if finite(v) {
			lo, hi, ok = math.Min(lo, v), math.Max(hi, v), true
		}
	}
	return lo, hi, ok
}

// plural returns "1 epoch", "2 epochs".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
