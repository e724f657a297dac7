package plotting

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/dlnb/dlnb/nn"
)

// Function is a function of one variable and its derivative, for Functions.
type Function struct {
	Name       string
	F          func(x float64) float64
	Derivative func(x float64) float64
}

// Functions charts functions (left) and their derivatives (right) over
// x in [-5, 5]: the slope is what backpropagation multiplies by.
func Functions(fs []Function, o ...Options) *Chart {
	return build("Functions", o, func(o Options) (*figure, error) { return functionsFigure(fs, o) })
}

// Activations charts activation functions and their slopes side by side: the
// zero slope of relu below 0 (a unit stuck there stops learning: the dying
// ReLU problem) and the slopes of sigmoid and tanh that vanish away from 0
// (the vanishing-gradient problem). nil charts relu, leaky_relu, sigmoid and
// tanh. Softmax has no curve of its own (it normalizes a whole row).
func Activations(acts []nn.Activation, o ...Options) *Chart {
	return build("Activations", o, func(o Options) (*figure, error) {
		if acts == nil {
			acts = []nn.Activation{nn.ReLU, nn.LeakyReLU, nn.Sigmoid, nn.Tanh}
		}
		fs := make([]Function, len(acts))
		for i, a := range acts {
			if a == nn.Softmax {
				return nil, fmt.Errorf("softmax is not elementwise (it normalizes a whole row into probabilities), so it has no curve of its own: chart the others")
			}
			if math.IsNaN(a.Func(0.5)) {
				return nil, fmt.Errorf("unknown activation %q: use nn.ReLU, nn.LeakyReLU, nn.Sigmoid, nn.Tanh or nn.Linear", string(a))
			}
			name := string(a)
			if name == "" {
				name = string(nn.Linear)
			}
			fs[i] = Function{Name: name, F: a.Func, Derivative: a.Derivative}
		}
		return functionsFigure(fs, o)
	})
}

func functionsFigure(fs []Function, o Options) (*figure, error) {
	if len(fs) == 0 {
		return nil, fmt.Errorf("no functions: pass at least one")
	}
	const n, lo, hi = 201, -5.0, 5.0
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	left := &panel{Title: "Activation f(x)", XLabel: "x (the unit's net input)", YLabel: "f(x)", XMin: ptr(lo), XMax: ptr(hi)}
	right := &panel{Title: "Slope f′(x)", XLabel: "x (the unit's net input)", YLabel: "f′(x)", XMin: ptr(lo), XMax: ptr(hi)}
	var summary []string
	for i, fn := range fs {
		if fn.F == nil || fn.Derivative == nil {
			return nil, fmt.Errorf("function %d (%s) has a nil F or Derivative: set both", i, fn.Name)
		}
		name := fn.Name
		if name == "" {
			name = fmt.Sprintf("f%d", i+1)
		}
		ys, ds := make([]float64, n), make([]float64, n)
		for k, x := range xs {
			ys[k], ds[k] = fn.F(x), fn.Derivative(x)
		}
		clr := colorAt(o.Colors, i)
		left.Series = append(left.Series, &series{Name: name, X: xs, Y: ys, Color: clr, Width: 2.2})
		right.Series = append(right.Series, &series{Name: name, X: xs, Y: ds, Color: clr, Width: 2.2})
		summary = append(summary, fmt.Sprintf("%s: slope %s at x=-4, %s at 0, %s at 4", name,
			fmtNum(round(fn.Derivative(-4))), fmtNum(round(fn.Derivative(0))), fmtNum(round(fn.Derivative(4)))))
	}
	return &figure{
		Title: "Activation functions and their slopes", Width: 980, Height: 420, Legend: true,
		Subtitle: "a zero slope stops learning (relu below 0); a tiny one slows it (sigmoid, tanh far from 0)",
		Panels:   []*panel{left, right}, Summary: summary,
	}, nil
}

// GradientRun is one network's gradient size per layer, from input to
// output, as m.LayerGradients(x, y) returns it.
type GradientRun struct {
	Name   string
	Values []float64
}

// Gradients charts the mean absolute gradient of each layer's weights, from
// the input layer to the output, one line per network: in a deep
// sigmoid network they shrink towards the input by orders of magnitude (the
// vanishing-gradient problem), so the axis is logarithmic when they span more
// than a factor of 100.
func Gradients(runs []GradientRun, o ...Options) *Chart {
	return build("Gradients", o, func(o Options) (*figure, error) {
		if len(runs) == 0 {
			return nil, fmt.Errorf("no runs: pass at least one network's gradients")
		}
		layers := 0
		var all [][]float64
		for i, r := range runs {
			if len(r.Values) == 0 {
				return nil, fmt.Errorf("runs[%d] (%s) has no values: pass m.LayerGradients(x, y)", i, r.Name)
			}
			for l, v := range r.Values {
				if !finite(v) || v < 0 {
					return nil, fmt.Errorf("runs[%d] (%s) layer %d is %g: gradient sizes are finite and not negative", i, r.Name, l+1, v)
				}
			}
			layers = max(layers, len(r.Values))
			all = append(all, r.Values)
		}
		// Numbers, not "layer 1": with 10 layers or more the longer labels
		// no longer fit side by side (ECharts drops every other one).
		cats := make([]string, layers)
		for l := range cats {
			cats[l] = fmt.Sprint(l + 1)
		}
		pn := &panel{XLabel: "Layer (input → output)", YLabel: "mean |∂loss/∂weight|", XCategories: cats}
		var summary []string
		for i, r := range runs {
			name := r.Name
			if name == "" {
				name = fmt.Sprintf("network %d", i+1)
			}
			pn.Series = append(pn.Series, &series{Name: name, X: seq(0, len(r.Values)), Y: r.Values, Color: colorAt(o.Colors, i), Symbols: true})
			first, last := r.Values[0], r.Values[len(r.Values)-1]
			line := fmt.Sprintf("%s: %s", name, joinNums(roundAll(r.Values)))
			if first > 0 && last > 0 && len(r.Values) > 1 {
				line += fmt.Sprintf(" (layer 1 gets %s× the gradient of layer %d)", fmtNum(round(first/last)), len(r.Values))
			}
			summary = append(summary, line)
		}
		lo, hi := math.Inf(1), 0.0
		for _, vs := range all {
			for _, v := range vs {
				if v > 0 {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
		pn.YLog = hi/lo > 100 && !hasZero(all)
		return &figure{
			Title: "Gradient size per layer", Subtitle: "how strongly training pushes each layer's weights",
			Width: 760, Height: 420, Legend: true, Panels: []*panel{pn}, Summary: summary,
		}, nil
	})
}

func hasZero(vss [][]float64) bool {
	for _, vs := range vss {
		for _, v := range vs {
			if v == 0 {
				return true
			}
		}
	}
	return false
}

func roundAll(vs []float64) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = round(v)
	}
	return out
}

// GradientRecorder is an nn.Callback that records every layer's gradient size
// (m.LayerGradients on X and Y) before training and after each epoch, to
// watch gradients vanish or explode while a network trains:
//
//	rec := &plotting.GradientRecorder{X: x, Y: y}
//	_, err := model.Fit(x, y, nn.FitOptions{Epochs: 10, Callbacks: []nn.Callback{rec}})
//	rec.Chart().Display()
//
// Each record costs one forward and backward pass over X: pass a sample of
// the data when it is large.
type GradientRecorder struct {
	nn.BaseCallback
	X, Y any

	Layers []string    // the layers' names
	Epochs []int       // -1 is before training, then the 0-based epochs
	Values [][]float64 // Values[k][layer]: the record for Epochs[k]
}

func (r *GradientRecorder) record(m *nn.Sequential, epoch int) error {
	g, err := m.LayerGradients(r.X, r.Y)
	if err != nil {
		return fmt.Errorf("plotting.GradientRecorder: %w", err)
	}
	r.Epochs = append(r.Epochs, epoch)
	r.Values = append(r.Values, g)
	return nil
}

// OnTrainBegin records the gradients before training.
func (r *GradientRecorder) OnTrainBegin(m *nn.Sequential, _ nn.TrainParams) error {
	r.Layers, r.Epochs, r.Values = nil, nil, nil
	for i := range m.NumLayers() {
		li, err := m.Layer(i)
		if err != nil {
			return fmt.Errorf("plotting.GradientRecorder: %w", err)
		}
		if li.Kernel != nil { // LayerGradients has one value per Dense layer
			r.Layers = append(r.Layers, li.Name)
		}
	}
	return r.record(m, -1)
}

// OnEpochEnd records the gradients after an epoch.
func (r *GradientRecorder) OnEpochEnd(m *nn.Sequential, epoch int, _ map[string]float64) error {
	return r.record(m, epoch)
}

// Chart charts the recorded gradient sizes: one line per layer over the
// epochs (0 is before training), on a log axis when they span more than a
// factor of 100. The lines go from blue (layer 1, next to the input) to red
// (the output layer), so that a deep network's many lines read in order;
// Options.Colors replaces the first colors.
func (r *GradientRecorder) Chart(o ...Options) *Chart {
	return build("GradientRecorder.Chart", o, func(o Options) (*figure, error) {
		if len(r.Values) == 0 {
			return nil, fmt.Errorf("nothing recorded: pass the recorder in FitOptions.Callbacks and call Fit first")
		}
		layers := len(r.Values[0])
		xs := make([]float64, len(r.Epochs))
		for k, e := range r.Epochs {
			xs[k] = float64(e + 1)
		}
		pn := &panel{XLabel: "Epoch (0 = before training)", YLabel: "mean |∂loss/∂weight|", XInteger: true}
		var all [][]float64
		var summary []string
		colors := depthColors(layers)
		for l := range layers {
			ys := make([]float64, len(r.Values))
			for k := range r.Values {
				if len(r.Values[k]) != layers {
					return nil, fmt.Errorf("record %d has %d layers, record 0 has %d", k, len(r.Values[k]), layers)
				}
				ys[k] = r.Values[k][l]
			}
			name := fmt.Sprintf("layer %d", l+1)
			if l < len(r.Layers) {
				name += " (" + r.Layers[l] + ")"
			}
			clr := colors[l]
			if l < len(o.Colors) && o.Colors[l] != "" {
				clr = o.Colors[l]
			}
			pn.Series = append(pn.Series, &series{Name: name, X: xs, Y: ys, Color: clr, Symbols: len(xs) <= 30})
			all = append(all, ys)
			summary = append(summary, fmt.Sprintf("%s: %s → %s", name, fmtNum(round(ys[0])), fmtNum(round(ys[len(ys)-1]))))
		}
		pn.YLog = wantLogRatio(100, all...)
		sub := ""
		if len(o.Colors) == 0 && layers > 1 {
			sub = "one line per layer, from blue next to the input to red at the output"
		}
		return &figure{
			Title: "Gradient size per layer during training", Subtitle: sub, Width: 820, Height: 420, Legend: true,
			Panels: []*panel{pn}, Summary: summary,
		}, nil
	})
}

// CapacityPoint is one model in a capacity study: its size and its
// validation score.
type CapacityPoint struct {
	Name   string
	Params int // number of weights and biases
	// HiddenLayers is the number of hidden layers: every Dense layer but the
	// output layer, what the course adds when it adds layers (50-2 has one,
	// 50-50-50-2 has three).
	HiddenLayers int
	Score        float64 // e.g. the best val_accuracy
	Metric       string  // what Score is, e.g. "val_accuracy"
}

// CapacityOf makes a CapacityPoint from a trained model and its history:
// HiddenLayers counts its layers but the last (the output layer), and Score
// is the best value of metric over the epochs ("" means val_accuracy if the
// history has it, else val_loss, else loss).
func CapacityOf(name string, m *nn.Sequential, h *nn.History, metric string) (CapacityPoint, error) {
	if m == nil {
		return CapacityPoint{}, fmt.Errorf("plotting.CapacityOf(%q): the model is nil", name)
	}
	d, err := checkNil(h)
	if err != nil {
		return CapacityPoint{}, fmt.Errorf("plotting.CapacityOf(%q): %w", name, err)
	}
	if metric == "" {
		for _, k := range []string{"val_accuracy", "val_loss", "loss"} {
			if _, ok := d.History[k]; ok {
				metric = k
				break
			}
		}
	}
	vs, ok := d.History[metric]
	if !ok {
		return CapacityPoint{}, fmt.Errorf("plotting.CapacityOf(%q): the history has no %q (it has %s)", name, metric, strings.Join(sortedKeys(d.History), ", "))
	}
	bi := best(vs, higherIsBetter(metric))
	if bi < 0 {
		return CapacityPoint{}, fmt.Errorf("plotting.CapacityOf(%q): no finite %s values", name, metric)
	}
	dense := 0
	for i := range m.NumLayers() {
		if li, err := m.Layer(i); err == nil && li.Kernel != nil {
			dense++
		}
	}
	return CapacityPoint{Name: name, Params: m.CountParams(), HiddenLayers: max(0, dense-1), Score: vs[bi], Metric: metric}, nil
}

// Capacity charts validation score against model size in parameters, one
// labeled point per model, the best one marked: the course's "keep adding
// capacity while the validation score improves". The x axis is logarithmic
// when the sizes span more than a factor of 20.
func Capacity(points []CapacityPoint, o ...Options) *Chart {
	return build("Capacity", o, func(o Options) (*figure, error) { return capacityFigure(points, false, o) })
}

// CapacityByLayers is Capacity with the number of hidden layers
// (CapacityPoint.HiddenLayers) on the x axis: the course's "adding layers".
func CapacityByLayers(points []CapacityPoint, o ...Options) *Chart {
	return build("CapacityByLayers", o, func(o Options) (*figure, error) { return capacityFigure(points, true, o) })
}

func capacityFigure(points []CapacityPoint, byLayers bool, o Options) (*figure, error) {
	if len(points) == 0 {
		return nil, fmt.Errorf("no points: pass at least one model")
	}
	metric := points[0].Metric
	for i, p := range points {
		if p.Metric != metric {
			return nil, fmt.Errorf("points[%d] (%s) scores %q but points[0] scores %q: compare one metric", i, p.Name, p.Metric, metric)
		}
		if !finite(p.Score) {
			return nil, fmt.Errorf("points[%d] (%s) has score %g: scores must be finite", i, p.Name, p.Score)
		}
		if byLayers && p.HiddenLayers < 0 {
			return nil, fmt.Errorf("points[%d] (%s) has %d hidden layers: count the layers before the output layer, 0 or more (CapacityOf does)", i, p.Name, p.HiddenLayers)
		}
		if !byLayers && p.Params <= 0 {
			return nil, fmt.Errorf("points[%d] (%s) has %d params: set the model's number of weights and biases (CapacityOf does)", i, p.Name, p.Params)
		}
	}
	ps := append([]CapacityPoint(nil), points...)
	xOf := func(p CapacityPoint) float64 {
		if byLayers {
			return float64(p.HiddenLayers)
		}
		return float64(p.Params)
	}
	sort.SliceStable(ps, func(i, j int) bool { return xOf(ps[i]) < xOf(ps[j]) })
	xs, ys := make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		xs[i], ys[i] = xOf(p), p.Score
	}
	if metric == "" {
		metric = "score"
	}
	xl := "Parameters"
	if byLayers {
		xl = "Hidden layers"
	}
	clr := colorAt(o.Colors, 0)
	pn := &panel{XLabel: xl, YLabel: metric, XInteger: byLayers,
		Series: []*series{{Name: metric, X: xs, Y: ys, Color: clr, Symbols: true}}}
	pn.XLog = !byLayers && wantLogRatio(20, xs)
	var summary []string
	for _, p := range ps {
		summary = append(summary, fmt.Sprintf("%s: %s params, %s, %s %s", p.Name, thousands(p.Params), plural(p.HiddenLayers, "hidden layer"), metric, fmtNum(p.Score)))
	}
	bi := best(ys, higherIsBetter(metric))
	for i, p := range ps {
		label := p.Name
		c := colorGray
		if i == bi {
			label = "best: " + p.Name
			c = colorGreen
		}
		pn.Points = append(pn.Points, point{X: xs[i], Y: ys[i], Label: label, Color: c})
	}
	return &figure{
		Title: "Model capacity", Subtitle: fmt.Sprintf("%s against %s; best: %s (%s)", metric, strings.ToLower(xl), ps[bi].Name, fmtNum(ps[bi].Score)),
		Width: 760, Height: 420, Panels: []*panel{pn}, Summary: summary,
	}, nil
}
