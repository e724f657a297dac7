package plotting

import (
	"fmt"
	"math"
	"strings"

	"github.com/dlnb/dlnb/nn"
)

// Network is a small network to draw: its weights, and optionally its biases
// and the value of every node for one input row.
type Network struct {
	// Weights[l][i][j] is the weight from node i of layer l to node j of
	// layer l+1 (Keras' kernel layout: one row per input, one column per
	// unit). Layer 0 is the input.
	Weights [][][]float64
	// Biases[l][j], if set, is the bias of node j of layer l+1.
	Biases [][]float64
	// Values[l][i], if set, is the value of node i of layer l (the input
	// row, then every layer's output), written in the node.
	Values [][]float64
	// LayerNames, if set, names the layers from the input on.
	LayerNames []string
}

// maxNodes is the most nodes a layer can have and still be read.
const maxNodes = 16

// Draw charts the network: nodes in columns from the input (green) through
// the hidden layers (blue) to the output (orange), with each node's value
// inside when Values is set and its bias under it when Biases is set; edges
// blue for positive weights and red for negative, thicker for larger ones,
// with the weight written near the edge's start.
func (n Network) Draw(o ...Options) *Chart {
	return build("Network.Draw", o, func(o Options) (*figure, error) { return networkFigure(n, o) })
}

// NetworkOf draws a model's network: its weights from m.Layer, and, when x
// (one input row) is not nil, the value of every node for that row from
// m.ForwardPass, as the course's forward-propagation diagrams.
func NetworkOf(m *nn.Sequential, x []float64, o ...Options) *Chart {
	return build("NetworkOf", o, func(o Options) (*figure, error) {
		if m == nil {
			return nil, fmt.Errorf("the model is nil")
		}
		var n Network
		names := []string{"input"}
		for i := range m.NumLayers() {
			li, err := m.Layer(i)
			if err != nil {
				return nil, err
			}
			if li.Kernel == nil { // a Dropout layer: no weights, and its output is its input
				continue
			}
			r, c := li.Kernel.Dims()
			w := make([][]float64, r)
			for a := range w {
				w[a] = make([]float64, c)
				for b := range w[a] {
					w[a][b] = li.Kernel.At(a, b)
				}
			}
			n.Weights = append(n.Weights, w)
			n.Biases = append(n.Biases, li.Bias)
			names = append(names, li.Name)
		}
		n.LayerNames = names
		if x != nil {
			outs, err := m.ForwardPass([][]float64{x})
			if err != nil {
				return nil, err
			}
			n.Values = append(n.Values, x)
			for _, lo := range outs {
				if lo.Net == nil { // a Dropout layer
					continue
				}
				_, c := lo.Out.Dims()
				row := make([]float64, c)
				for j := range row {
					row[j] = lo.Out.At(0, j)
				}
				n.Values = append(n.Values, row)
			}
		}
		return networkFigure(n, o)
	})
}

func networkFigure(n Network, o Options) (*figure, error) {
	if len(n.Weights) == 0 {
		return nil, fmt.Errorf("no weights: set Weights[l][i][j], the weight from node i of layer l to node j of layer l+1")
	}
	sizes := []int{len(n.Weights[0])}
	for l, w := range n.Weights {
		if len(w) != sizes[l] {
			return nil, fmt.Errorf("Weights[%d] has %d rows but layer %d has %d nodes: one row per node of the layer it starts from", l, len(w), l, sizes[l])
		}
		if len(w) == 0 || len(w[0]) == 0 {
			return nil, fmt.Errorf("Weights[%d] is empty: every layer needs at least one node", l)
		}
		for i, row := range w {
			if len(row) != len(w[0]) {
				return nil, fmt.Errorf("Weights[%d][%d] has %d columns but Weights[%d][0] has %d: one column per node of layer %d", l, i, len(row), l, len(w[0]), l+1)
			}
		}
		sizes = append(sizes, len(w[0]))
	}
	for l, s := range sizes {
		if s > maxNodes {
			return nil, fmt.Errorf("layer %d has %d nodes: a drawing stays readable up to %d per layer; draw a smaller network", l, s, maxNodes)
		}
	}
	if n.Biases != nil {
		if len(n.Biases) != len(n.Weights) {
			return nil, fmt.Errorf("%d bias vectors for %d weight layers: one per layer after the input", len(n.Biases), len(n.Weights))
		}
		for l, b := range n.Biases {
			if len(b) != sizes[l+1] {
				return nil, fmt.Errorf("Biases[%d] has %d values but layer %d has %d nodes", l, len(b), l+1, sizes[l+1])
			}
		}
	}
	if n.Values != nil {
		if len(n.Values) != len(sizes) {
			return nil, fmt.Errorf("Values has %d layers but the network has %d (the input and %d more)", len(n.Values), len(sizes), len(n.Weights))
		}
		for l, v := range n.Values {
			if len(v) != sizes[l] {
				return nil, fmt.Errorf("Values[%d] has %d values but layer %d has %d nodes", l, len(v), l, sizes[l])
			}
		}
	}
	showBias := false
	for _, b := range n.Biases {
		for _, v := range b {
			if v != 0 {
				showBias = true
			}
		}
	}
	d := &netDrawing{}
	first := make([]int, len(sizes)) // index of each layer's first node
	maxSize := 0
	for _, s := range sizes {
		maxSize = max(maxSize, s)
	}
	for l, s := range sizes {
		first[l] = len(d.Nodes)
		for i := range s {
			nd := netNode{X: float64(l), Y: float64(s-1)/2 - float64(i), Layer: l}
			switch {
			case n.Values != nil:
				nd.Label = fmtNum(round(n.Values[l][i]))
			case l == 0:
				nd.Label = fmt.Sprintf("x%d", i+1)
			case l == len(sizes)-1:
				nd.Label = fmt.Sprintf("y%d", i+1)
			default:
				nd.Label = fmt.Sprintf("h%d", i+1)
			}
			if showBias && l > 0 {
				nd.Note = "b " + fmtNum(round(n.Biases[l-1][i]))
			}
			d.Nodes = append(d.Nodes, nd)
		}
	}
	edges := 0
	for l, w := range n.Weights {
		for i, row := range w {
			for j, v := range row {
				if !finite(v) {
					return nil, fmt.Errorf("Weights[%d][%d][%d] is %g: weights must be finite", l, i, j, v)
				}
				d.Edges = append(d.Edges, netEdge{From: first[l] + i, To: first[l+1] + j, Weight: v})
				edges++
			}
		}
	}
	if edges <= 40 { // beyond that the labels hide each other
		for k := range d.Edges {
			d.Edges[k].Label = fmtNum(round(d.Edges[k].Weight))
		}
	}
	var cats []string
	for l := range sizes {
		name := ""
		if l < len(n.LayerNames) {
			name = n.LayerNames[l]
		}
		switch {
		case name != "":
		case l == 0:
			name = "input"
		case l == len(sizes)-1:
			name = "output"
		default:
			name = fmt.Sprintf("hidden %d", l)
		}
		cats = append(cats, name)
	}
	d.LayerNames = cats
	var shape []string
	for _, s := range sizes {
		shape = append(shape, fmt.Sprint(s))
	}
	sub := "layer sizes " + strings.Join(shape, " → ")
	if n.Values != nil {
		sub += " · node values for input " + strings.Trim(fmt.Sprint(roundAll(n.Values[0])), "[]")
	}
	var summary []string
	for l := range sizes {
		s := fmt.Sprintf("%s: %s", cats[l], plural(sizes[l], "node"))
		if n.Values != nil {
			s += " = " + joinNums(roundAll(n.Values[l]))
		}
		if l < len(n.Weights) {
			var ws []string
			for _, row := range n.Weights[l] {
				ws = append(ws, "["+joinNums(roundAll(row))+"]")
			}
			s += "; weights to the next layer " + strings.Join(ws, " ")
		}
		summary = append(summary, s)
	}
	width := 220 + 190*(len(sizes)-1)
	height := min(int(math.Max(300, float64(110+80*maxSize))), 1000)
	width = min(max(width, 480), 1100)
	d.NodeRadius, d.ValueFont = nodeStyle(d.Nodes, maxSize, height)
	d.LabelAt = labelAt(d, len(sizes), width)
	return &figure{
		Title: "Network", Subtitle: sub, Width: width, Height: height,
		Panels:  []*panel{{Net: d, HideAxes: true}},
		Summary: summary,
	}, nil
}

// labelAt returns how far along the edges (from their source) the weights
// are written: 0.3, or further when the widest weight would reach into the
// source's circle, up to 0.4 (past that the labels of crossing edges meet).
// Pixels are estimated from the chart's width, on the low side: the x axis
// spans the layers and 0.45 of a layer's spacing on either side (netBounds)
// over 80 to 90% of the width.
func labelAt(d *netDrawing, layers, width int) float64 {
	at := 0.3
	perLayer := 0.8 * float64(width) / (float64(layers-1) + 0.9)
	for _, e := range d.Edges {
		if e.Label == "" {
			continue
		}
		// The weights are written at 12 px: about 7.7 px a digit.
		w := textWidth(e.Label) * 12 / 14
		at = math.Max(at, (d.NodeRadius+w/2+8)/perLayer)
	}
	return math.Min(at, 0.4)
}

// textWidth estimates the width in pixels of a number written in a 14 px
// sans-serif font: about 9 px a digit, 4.5 px a point.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch r {
		case '.', ',':
			w += 4.5
		case '-':
			w += 6
		default:
			w += 9
		}
	}
	return w
}

// nodeStyle sizes a drawing's circles and the values in them (in pixels):
// the widest value must fit inside its circle with a few pixels to spare
// ("0.01591" did not fit the 46 px circle). Circles grow from 23 px in
// radius up to 30 (larger ones crowd the weights on the edges, and a tall
// layer leaves less room), then the values' font shrinks from 14 px, down
// to 10.
func nodeStyle(nodes []netNode, maxSize, height int) (radius, font float64) {
	const least, most = 23.0, 30.0
	widest := 0.0 // at 14 px
	for _, nd := range nodes {
		widest = math.Max(widest, textWidth(nd.Label))
	}
	// The vertical space per node: the chart's height less its title and
	// margins, over the tallest layer and the room under it (netBounds).
	perNode := (0.92*float64(height) - 58) / (float64(maxSize) + 0.25)
	limit := math.Max(least, math.Min(most, 0.42*perNode))
	radius = math.Min(limit, math.Max(least, math.Ceil(widest/2+5)))
	font = 14.0
	if room := 2 * (radius - 5); widest > room {
		font = math.Max(10, math.Floor(2*14*room/widest)/2) // in half pixels
	}
	return radius, font
}
