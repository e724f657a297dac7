package plotting

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/dlnb/dlnb/nn"
)

// check validates a history and returns its number of epochs.
func checkHistory(h *nn.History) (int, error) {
	if len(h.History) == 0 {
		return 0, fmt.Errorf("the history has no values: pass the *nn.History that Fit returned, after at least one epoch")
	}
	n := -1
	for _, k := range sortedKeys(h.History) {
		v := h.History[k]
		if n == -1 {
			n = len(v)
			continue
		}
		if len(v) != n {
			return 0, fmt.Errorf("the history's %q has %d values but %q has %d: every metric needs one value per epoch", k, len(v), sortedKeys(h.History)[0], n)
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("the history has no epochs: train for at least one epoch")
	}
	if len(h.Epoch) != 0 && len(h.Epoch) != n {
		return 0, fmt.Errorf("the history has %d epoch numbers but %d values per metric: they must match", len(h.Epoch), n)
	}
	return n, nil
}

// x returns the epochs as shown on the axis: 1-based, as Keras prints them
// ("Epoch 1/20"). Keras' history.epoch (and nn's) is 0-based.
func epochAxis(h *nn.History, n int) []float64 {
	if len(h.Epoch) == 0 {
		return seq(1, n)
	}
	xs := make([]float64, n)
	for i, e := range h.Epoch {
		xs[i] = float64(e + 1)
	}
	return xs
}

func sortedKeys(m map[string][]float64) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// higherIsBetter says which way a metric improves, as Keras' EarlyStopping
// mode "auto" decides: accuracy-like names go up, everything else down.
func higherIsBetter(metric string) bool {
	m := strings.TrimPrefix(metric, "val_")
	return strings.Contains(m, "acc") || m == "auc" || m == "precision" || m == "recall"
}

// best returns the index of the best finite value (-1 if none).
func best(vs []float64, higher bool) int {
	bi := -1
	for i, v := range vs {
		if !finite(v) {
			continue
		}
		if bi == -1 || (higher && v > vs[bi]) || (!higher && v < vs[bi]) {
			bi = i
		}
	}
	return bi
}

// metricGroups orders a history's metrics into panels: loss first, then the
// other metrics alphabetically, each with its validation twin.
func metricGroups(m map[string][]float64) []string {
	var bases []string
	seen := map[string]bool{}
	for _, k := range sortedKeys(m) {
		b := strings.TrimPrefix(k, "val_")
		if !seen[b] {
			seen[b] = true
			bases = append(bases, b)
		}
	}
	sort.SliceStable(bases, func(i, j int) bool { return bases[i] == "loss" && bases[j] != "loss" })
	return bases
}

// firstNonFinite returns the index of the first NaN or infinite value, or -1.
func firstNonFinite(vs []float64) int {
	for i, v := range vs {
		if !finite(v) {
			return i
		}
	}
	return -1
}

// historyFigure draws one training history: a panel for the loss and one for
// each other metric, training in blue and validation in orange, the best epoch
// and an early stop marked.
func historyFigure(h *nn.History, o Options) (*figure, error) {
	n, err := checkHistory(h)
	if err != nil {
		return nil, err
	}
	xs := epochAxis(h, n)
	monitor := h.Monitor
	if monitor == "" {
		monitor = "loss"
		if _, ok := h.History["val_loss"]; ok {
			monitor = "val_loss"
		}
	}
	if _, ok := h.History[monitor]; !ok {
		return nil, fmt.Errorf("the history's Monitor is %q but it has no such values (it has %s)", monitor, strings.Join(sortedKeys(h.History), ", "))
	}
	bestIdx := -1
	if h.Monitor != "" && h.BestEpoch >= 0 {
		// The best epoch Fit recorded (a History built by hand without a
		// Monitor has none, whatever its BestEpoch holds).
		for i := range xs {
			if int(xs[i]) == h.BestEpoch+1 {
				bestIdx = i
			}
		}
	}
	if bestIdx == -1 {
		bestIdx = best(h.History[monitor], higherIsBetter(monitor))
	}

	f := &figure{Title: "Training history", Height: 420, Legend: true}
	var summary []string
	summary = append(summary, plural(n, "epoch"))
	groups := metricGroups(h.History)
	for _, base := range groups {
		p := &panel{Title: metricTitle(base), XLabel: "Epoch", YLabel: base, XInteger: true}
		var vals [][]float64
		for vi, key := range []string{base, "val_" + base} {
			vs, ok := h.History[key]
			if !ok {
				continue
			}
			clr := colorAt(o.Colors, vi)
			if len(o.Colors) == 0 {
				clr = []string{colorBlue, colorOrange}[vi]
			}
			p.Series = append(p.Series, &series{
				Name: key, X: xs, Y: vs, Color: clr, Symbols: n <= 30,
			})
			vals = append(vals, vs)
			line := fmt.Sprintf("%s %s → %s", key, fmtNum(vs[0]), fmtNum(vs[n-1]))
			if k := firstNonFinite(vs); k >= 0 {
				line += fmt.Sprintf(" (%s at epoch %d: training diverged)", fmtNum(vs[k]), int(xs[k]))
			}
			summary = append(summary, line)
		}
		p.YLog = wantLog(vals...)
		if bestIdx >= 0 {
			p.VLines = append(p.VLines, vline{X: xs[bestIdx], Label: fmt.Sprintf("best epoch %d", int(xs[bestIdx])), Color: colorGreen})
			if strings.TrimPrefix(monitor, "val_") == base {
				p.Points = append(p.Points, point{
					X: xs[bestIdx], Y: h.History[monitor][bestIdx], Color: colorGreen,
					Label: fmt.Sprintf("best %s %s", monitor, fmtNum(h.History[monitor][bestIdx])),
				})
			}
		}
		if stopMarked(h) {
			p.VLines = append(p.VLines, vline{X: float64(h.StoppedEpoch + 1), Label: fmt.Sprintf("%s (epoch %d)", stopLabel(h), h.StoppedEpoch+1), Color: colorRed})
		}
		f.Panels = append(f.Panels, p)
	}
	if len(f.Panels) > 3 {
		return nil, fmt.Errorf("the history has %d metrics (%s): a chart shows at most 3 side by side; plot fewer metrics", len(groups), strings.Join(groups, ", "))
	}
	f.Width = map[int]int{1: 720, 2: 980, 3: 1100}[len(f.Panels)]
	var sub []string
	if bestIdx >= 0 {
		s := fmt.Sprintf("best %s %s at epoch %d", monitor, fmtNum(h.History[monitor][bestIdx]), int(xs[bestIdx]))
		sub = append(sub, s)
		summary = append(summary, s)
	}
	if h.Stopped() && h.StoppedEpoch >= 0 {
		s := fmt.Sprintf("%s ended training at epoch %d", stopWhy(h), h.StoppedEpoch+1)
		sub = append(sub, s)
		summary = append(summary, s)
	}
	f.Subtitle = strings.Join(sub, " · ")
	f.Summary = summary
	return f, nil
}

// runData is one model's history in a comparison.
type runData struct {
	Name    string
	Params  int // -1: unknown
	History *nn.History
}

// compareFigure draws one metric of several runs in one panel: the course's
// red-against-blue validation loss chart.
func compareFigure(runs []runData, o Options, title, metricDefault string, markBest bool) (*figure, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("no runs to compare: pass at least one")
	}
	metric := o.Metric
	if metric == "" {
		metric = metricDefault
	}
	if metric == "" {
		metric = "val_loss"
		for _, r := range runs {
			if _, ok := r.History.History["val_loss"]; !ok {
				metric = "loss"
			}
		}
	}
	p := &panel{XLabel: "Epoch", YLabel: metric, XInteger: true}
	var vals [][]float64
	var summary []string
	for i, r := range runs {
		n, err := checkHistory(r.History)
		if err != nil {
			return nil, fmt.Errorf("run %d (%s): %w", i, r.Name, err)
		}
		vs, ok := r.History.History[metric]
		if !ok {
			return nil, fmt.Errorf("run %d (%s) has no %q (it has %s): choose Options.Metric from those, or fit with validation data for val_ metrics",
				i, r.Name, metric, strings.Join(sortedKeys(r.History.History), ", "))
		}
		name := r.Name
		if name == "" {
			name = fmt.Sprintf("model %d", i+1)
		}
		if r.Params >= 0 {
			name += fmt.Sprintf(" (%s params)", thousands(r.Params))
		}
		// A NaN is divergence; in a learning-rate sweep, so is a training
		// loss that ends well above where it started.
		if firstNonFinite(vs) >= 0 || (!markBest && !higherIsBetter(metric) && vs[n-1] > 1.5*vs[0]) {
			name += " (diverged)"
		}
		clr := colorAt(o.Colors, i)
		if len(o.Colors) <= i && i < 2 {
			clr = []string{colorRed, colorBlue}[i] // the course's colors
		}
		xs := epochAxis(r.History, n)
		p.Series = append(p.Series, &series{Name: name, X: xs, Y: vs, Color: clr, Symbols: n <= 30})
		vals = append(vals, vs)
		if bi := best(vs, higherIsBetter(metric)); bi >= 0 {
			if markBest {
				p.Points = append(p.Points, point{X: xs[bi], Y: vs[bi], Color: clr, Label: fmtNum(vs[bi])})
			}
			summary = append(summary, fmt.Sprintf("%s: best %s %s at epoch %d", name, metric, fmtNum(vs[bi]), int(xs[bi])))
		} else {
			summary = append(summary, fmt.Sprintf("%s: no finite %s values", name, metric))
		}
	}
	p.YLog = wantLog(vals...)
	sub := metric + " per epoch"
	if p.YLog {
		sub += " (log scale)"
	}
	return &figure{Title: title, Subtitle: sub, Width: 860, Height: 440, Legend: true, Panels: []*panel{p}, Summary: summary}, nil
}

// thousands writes 12345 as 12,345.
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// rateName writes a learning rate as the course does: 1e-06, 0.01, 1.
func rateName(lr float64) string {
	if lr != 0 && (math.Abs(lr) < 1e-3 || math.Abs(lr) >= 1e4) {
		return fmt.Sprintf("lr = %g", lr)
	}
	return "lr = " + fmtNum(lr)
}

// metricTitle names a Keras metric for a panel title.
func metricTitle(m string) string {
	switch m {
	case "loss":
		return "Loss"
	case "accuracy", "acc":
		return "Accuracy"
	case "mse", "mean_squared_error":
		return "Mean squared error"
	case "mae", "mean_absolute_error":
		return "Mean absolute error"
	}
	return m
}

// checkNil reports a nil history.
func checkNil(h *nn.History) (*nn.History, error) {
	if h == nil {
		return nil, fmt.Errorf("the history is nil: pass the *nn.History that Fit returned")
	}
	return h, nil
}

// stopMarked says whether the chart marks where training stopped: a stop
// after a recorded epoch (not a divergence, whose epoch has no values).
func stopMarked(h *nn.History) bool {
	return (h.StopReason == nn.StopEarlyStopping || h.StopReason == nn.StopTraining) && h.StoppedEpoch >= 0
}

func stopLabel(h *nn.History) string {
	if h.StopReason == nn.StopEarlyStopping {
		return "early stop"
	}
	return "stopped"
}

func stopWhy(h *nn.History) string {
	switch h.StopReason {
	case nn.StopEarlyStopping:
		return "early stopping"
	case nn.StopDiverged:
		return "divergence"
	case nn.StopTraining:
		return "a callback"
	}
	return "an error"
}

// History charts a training history, as returned by Fit: the loss (training
// in blue, validation in orange) and, beside it, every other metric
// (accuracy, ...), per epoch. The best epoch of the monitored value (what
// EarlyStopping watched, else val_loss, else loss) is marked in green, and an
// early stop in red. Epochs are numbered from 1 on the axis, as Keras prints
// them ("Epoch 1/20"); nn.History.Epoch counts from 0. When a loss spans more
// than three orders of magnitude (it blew up) the axis is logarithmic.
func History(h *nn.History, o ...Options) *Chart {
	return build("History", o, func(o Options) (*figure, error) {
		d, err := checkNil(h)
		if err != nil {
			return nil, err
		}
		return historyFigure(d, o)
	})
}

// Run is one trained model in a comparison: its name, the model (for its
// number of parameters; may be nil) and the history Fit returned.
type Run struct {
	Name    string
	Model   *nn.Sequential
	History *nn.History
}

// Compare charts one metric of several models per epoch in one chart, the
// course's red-against-blue validation loss plot: the legend gives each
// model's name and number of parameters, and each curve's best value is
// marked. The metric is Options.Metric, by default val_loss when every
// history has it, else loss. The first two models are red and blue, as in
// the course.
func Compare(runs []Run, o ...Options) *Chart {
	return build("Compare", o, func(o Options) (*figure, error) {
		rs := make([]runData, len(runs))
		for i, r := range runs {
			d, err := checkNil(r.History)
			if err != nil {
				return nil, fmt.Errorf("runs[%d] (%s): %w", i, r.Name, err)
			}
			rs[i] = runData{Name: r.Name, Params: -1, History: d}
			if r.Model != nil {
				rs[i].Params = r.Model.CountParams()
			}
		}
		return compareFigure(rs, o, "Model comparison", "", true)
	})
}

// LearningRates charts a learning-rate sweep: the training loss per epoch for
// each rate, from the smallest rate to the largest (Options.Metric picks
// another value, e.g. "val_loss"). A rate that blows the loss up makes the
// axis logarithmic, so the other rates' curves stay readable, and its name
// says "(diverged)". A history cut short (Fit returns the epochs before a
// loss became NaN along with its error) is drawn as far as it goes.
func LearningRates(runs map[float64]*nn.History, o ...Options) *Chart {
	return build("LearningRates", o, func(o Options) (*figure, error) {
		rates := make([]float64, 0, len(runs))
		for lr := range runs {
			rates = append(rates, lr)
		}
		sort.Float64s(rates)
		rs := make([]runData, len(rates))
		for i, lr := range rates {
			if !finite(lr) || lr <= 0 {
				return nil, fmt.Errorf("learning rate %g: rates must be positive numbers", lr)
			}
			d, err := checkNil(runs[lr])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", rateName(lr), err)
			}
			rs[i] = runData{Name: rateName(lr), Params: -1, History: d}
		}
		if len(o.Colors) == 0 {
			o.Colors = palette // not the red-blue pair of model comparisons
		}
		return compareFigure(rs, o, "Learning rates", "loss", false)
	})
}
