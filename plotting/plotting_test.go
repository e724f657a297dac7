package plotting

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/nn"
	"gonum.org/v1/gonum/mat"
)

// fig returns a chart's figure, failing the test on a chart error.
func fig(t *testing.T, c *Chart) *figure {
	t.Helper()
	if err := c.Err(); err != nil {
		t.Fatalf("chart error: %v", err)
	}
	return c.fig
}

// wantErr checks that a chart failed with an error containing every part.
func wantErr(t *testing.T, c *Chart, parts ...string) {
	t.Helper()
	err := c.Err()
	if err == nil {
		t.Fatalf("no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
	// One package prefix, the chart function's: "plotting.History: ...".
	if msg := err.Error(); !strings.HasPrefix(msg, "plotting.") || strings.Contains(msg, "plotting: ") {
		t.Errorf("error %q: want one prefix, plotting.Func: at its start", msg)
	}
}

func seriesByName(t *testing.T, p *panel, name string) *series {
	t.Helper()
	for _, s := range p.Series {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no series %q in panel %q", name, p.Title)
	return nil
}

func earlyStopped() *nn.History {
	return &nn.History{
		Epoch: []int{0, 1, 2, 3, 4, 5},
		History: map[string][]float64{
			"loss":         {0.9, 0.6, 0.45, 0.4, 0.38, 0.37},
			"val_loss":     {1.0, 0.7, 0.5, 0.55, 0.6, 0.62},
			"accuracy":     {0.5, 0.7, 0.8, 0.85, 0.86, 0.87},
			"val_accuracy": {0.45, 0.66, 0.78, 0.77, 0.76, 0.75},
		},
		StopReason: nn.StopEarlyStopping, StoppedEpoch: 5, BestEpoch: 2, Monitor: "val_loss",
	}
}

func TestHistorySeriesAndMarks(t *testing.T) {
	h := earlyStopped()
	f := fig(t, History(h))
	if len(f.Panels) != 2 || f.Panels[0].Title != "Loss" || f.Panels[1].Title != "Accuracy" {
		t.Fatalf("panels: %+v", f.Panels)
	}
	loss := f.Panels[0]
	for _, key := range []string{"loss", "val_loss"} {
		s := seriesByName(t, loss, key)
		if !reflect.DeepEqual(s.Y, h.History[key]) {
			t.Errorf("%s: Y %v, want %v", key, s.Y, h.History[key])
		}
		if !reflect.DeepEqual(s.X, []float64{1, 2, 3, 4, 5, 6}) {
			t.Errorf("%s: X %v, want epochs 1..6 (Keras prints epochs from 1)", key, s.X)
		}
	}
	if seriesByName(t, loss, "loss").Color != colorBlue || seriesByName(t, loss, "val_loss").Color != colorOrange {
		t.Errorf("training should be blue and validation orange")
	}
	seriesByName(t, f.Panels[1], "val_accuracy")
	// Best epoch 2 (0-based) is epoch 3 on the axis; the stop at 5 is epoch 6.
	for _, p := range f.Panels {
		if len(p.VLines) != 2 || p.VLines[0].X != 3 || p.VLines[1].X != 6 {
			t.Errorf("panel %s marks: %+v, want best at 3 and stop at 6", p.Title, p.VLines)
		}
		if !strings.Contains(p.VLines[1].Label, "early stop") {
			t.Errorf("stop mark label %q", p.VLines[1].Label)
		}
	}
	if len(loss.Points) != 1 || loss.Points[0].X != 3 || loss.Points[0].Y != 0.5 {
		t.Errorf("best point %+v, want (3, 0.5)", loss.Points)
	}
	if len(f.Panels[1].Points) != 0 {
		t.Errorf("the accuracy panel should not mark the best val_loss")
	}
	if loss.YLog {
		t.Errorf("a loss from 0.37 to 1 needs no log axis")
	}
	if !strings.Contains(f.Subtitle, "best val_loss 0.5 at epoch 3") || !strings.Contains(f.Subtitle, "epoch 6") {
		t.Errorf("subtitle %q", f.Subtitle)
	}
}

func TestHistoryBestWithoutEarlyStopping(t *testing.T) {
	h := &nn.History{Epoch: []int{0, 1, 2, 3}, BestEpoch: -1, History: map[string][]float64{
		"loss": {4, 3, 2, 1}, "val_loss": {5, 2, 3, 4},
	}}
	f := fig(t, History(h))
	p := f.Panels[0]
	if len(p.VLines) != 1 || p.VLines[0].X != 2 {
		t.Fatalf("marks %+v: want the lowest val_loss, epoch 2", p.VLines)
	}
	// Accuracy-like metrics are best when highest.
	h = &nn.History{BestEpoch: -1, Monitor: "val_accuracy", History: map[string][]float64{
		"loss": {1, 0.5, 0.4}, "val_accuracy": {0.5, 0.9, 0.8}, "accuracy": {0.5, 0.8, 0.9},
	}}
	f = fig(t, History(h))
	if f.Panels[1].Points[0].X != 2 {
		t.Errorf("best val_accuracy at %v, want epoch 2", f.Panels[1].Points[0].X)
	}
}

func TestHistoryLogAxisWhenLossBlowsUp(t *testing.T) {
	h := &nn.History{BestEpoch: -1, History: map[string][]float64{"loss": {1, 30, 900, 27000, math.Inf(1)}}}
	f := fig(t, History(h))
	if !f.Panels[0].YLog {
		t.Errorf("a loss from 1 to 27000 should get a log axis")
	}
	if !strings.Contains(strings.Join(f.Summary, "\n"), "diverged") {
		t.Errorf("summary should say training diverged: %q", f.Summary)
	}
	opt, err := echartsOption(f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(opt, `"type":"log"`) || !strings.Contains(opt, `"-"`) || strings.Contains(opt, "Inf") {
		t.Errorf("option should have a log axis and \"-\" for the infinite loss: %s", opt)
	}
	// Forced linear.
	f = fig(t, History(h, Options{YScale: LinearScale}))
	if f.Panels[0].YLog {
		t.Errorf("YScale LinearScale should win")
	}
}

func TestHistoryErrors(t *testing.T) {
	wantErr(t, History(nil), "nil", "Fit")
	wantErr(t, History(&nn.History{}), "no values")
	wantErr(t, History(&nn.History{History: map[string][]float64{"loss": {1, 2}, "val_loss": {1}}}), `"val_loss" has 1`, `"loss" has 2`)
	wantErr(t, History(&nn.History{Monitor: "val_auc", BestEpoch: -1, History: map[string][]float64{"loss": {1}}}), "val_auc", "loss")
	wantErr(t, History(earlyStopped(), Options{}, Options{}), "at most one Options")
}

func TestCompare(t *testing.T) {
	narrow := nn.NewSequential(nn.Dense{Units: 2, Activation: nn.ReLU, InputDim: 3}, nn.Dense{Units: 1})
	if err := narrow.Build(3); err != nil {
		t.Fatal(err)
	}
	h1 := &nn.History{BestEpoch: -1, History: map[string][]float64{"loss": {1, 0.5}, "val_loss": {1.2, 0.9}}}
	h2 := &nn.History{BestEpoch: -1, History: map[string][]float64{"loss": {1, 0.3}, "val_loss": {1.1, 0.4}}}
	f := fig(t, Compare([]Run{{Name: "narrow", Model: narrow, History: h1}, {Name: "wide", History: h2}}))
	p := f.Panels[0]
	if p.YLabel != "val_loss" {
		t.Errorf("metric %q, want val_loss", p.YLabel)
	}
	if p.Series[0].Name != "narrow (11 params)" || p.Series[1].Name != "wide" {
		t.Errorf("names %q, %q", p.Series[0].Name, p.Series[1].Name)
	}
	if p.Series[0].Color != colorRed || p.Series[1].Color != colorBlue {
		t.Errorf("the course's red and blue: got %s, %s", p.Series[0].Color, p.Series[1].Color)
	}
	if !reflect.DeepEqual(p.Series[1].Y, []float64{1.1, 0.4}) {
		t.Errorf("values %v", p.Series[1].Y)
	}
	f = fig(t, Compare([]Run{{Name: "a", History: h1}}, Options{Metric: "loss", Colors: []string{"green"}}))
	if f.Panels[0].Series[0].Color != colorGreen || f.Panels[0].YLabel != "loss" {
		t.Errorf("options ignored: %+v", f.Panels[0].Series[0])
	}
	wantErr(t, Compare(nil), "no runs")
	wantErr(t, Compare([]Run{{Name: "a", History: h1}}, Options{Metric: "val_accuracy"}), "val_accuracy", "loss, val_loss")
	wantErr(t, Compare([]Run{{Name: "b"}}), "runs[0] (b)", "nil")
}

func TestLearningRates(t *testing.T) {
	runs := map[float64]*nn.History{
		1:    {BestEpoch: -1, History: map[string][]float64{"loss": {10, 800, 5e4}}},
		1e-6: {BestEpoch: -1, History: map[string][]float64{"loss": {10, 10, 10}}},
		0.01: {BestEpoch: -1, History: map[string][]float64{"loss": {10, 4, 2}}},
	}
	f := fig(t, LearningRates(runs))
	p := f.Panels[0]
	var names []string
	for _, s := range p.Series {
		names = append(names, s.Name)
	}
	want := []string{"lr = 1e-06", "lr = 0.01", "lr = 1 (diverged)"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	if !p.YLog {
		t.Errorf("a loss that blows up to 5e4 should get a log axis")
	}
	wantErr(t, LearningRates(map[float64]*nn.History{-1: runs[1]}), "positive")
}

func TestActivations(t *testing.T) {
	f := fig(t, Activations([]nn.Activation{nn.ReLU, nn.Sigmoid}))
	if len(f.Panels) != 2 {
		t.Fatal("want function and slope panels")
	}
	relu := seriesByName(t, f.Panels[1], "relu")
	sig := seriesByName(t, f.Panels[1], "sigmoid")
	for i, x := range relu.X {
		if x < 0 && relu.Y[i] != 0 {
			t.Fatalf("relu slope at %g is %g, want 0 (dying ReLU)", x, relu.Y[i])
		}
		if x > 0 && relu.Y[i] != 1 {
			t.Fatalf("relu slope at %g is %g, want 1", x, relu.Y[i])
		}
		if sig.Y[i] > 0.25+1e-12 {
			t.Fatalf("sigmoid slope %g at %g above 0.25", sig.Y[i], x)
		}
	}
	if sig.Y[0] > 0.01 {
		t.Errorf("sigmoid slope at -5 is %g: should vanish", sig.Y[0])
	}
	if got := len(fig(t, Activations(nil)).Panels[0].Series); got != 4 {
		t.Errorf("nil gives %d activations, want 4", got)
	}
	wantErr(t, Activations([]nn.Activation{nn.Softmax}), "softmax", "not elementwise")
	wantErr(t, Activations([]nn.Activation{"swish"}), `"swish"`)
	wantErr(t, Functions([]Function{{Name: "f"}}), "nil F")
}

func TestProbabilitiesHistogram(t *testing.T) {
	p := []float64{0.05, 0.15, 0.19, 0.5, 0.95, 1}
	f := fig(t, Probabilities(p))
	s := f.Panels[0].Series[0]
	want := []float64{1, 2, 0, 0, 0, 1, 0, 0, 0, 2}
	if !reflect.DeepEqual(s.Y, want) {
		t.Errorf("counts %v, want %v", s.Y, want)
	}
	if cats := f.Panels[0].XCategories; len(cats) != 10 || cats[0] != "0–0.1" || cats[9] != "0.9–1" {
		t.Errorf("bins %q", cats)
	}
	f = fig(t, Probabilities(p, Options{Bins: 2}))
	if !reflect.DeepEqual(f.Panels[0].Series[0].Y, []float64{3, 3}) {
		t.Errorf("2 bins: %v", f.Panels[0].Series[0].Y)
	}
	// A two-node softmax output: column 1.
	m := mat.NewDense(3, 2, []float64{0.9, 0.1, 0.2, 0.8, 0.4, 0.6})
	f = fig(t, Probabilities(m))
	if got := f.Panels[0].Series[0].Y; got[1] != 1 || got[8] != 1 || got[6] != 1 {
		t.Errorf("column 1 of the softmax output: %v", got)
	}
	// Split by class: stacked counts add up.
	f = fig(t, ProbabilitiesByClass([]float64{0.1, 0.15, 0.9}, []int{0, 1, 1}))
	if !reflect.DeepEqual(f.Panels[0].Series[0].Y[1], 1.0) || f.Panels[0].Series[1].Y[1] != 1 || f.Panels[0].Series[1].Y[9] != 1 {
		t.Errorf("by class: %v / %v", f.Panels[0].Series[0].Y, f.Panels[0].Series[1].Y)
	}
	wantErr(t, Probabilities([]float64{0.2, 1.7}), "value 1 is 1.7", "[0, 1]")
	wantErr(t, Probabilities(mat.NewDense(2, 3, nil)), "2x3", "mat.Col")
	wantErr(t, Probabilities("x"), "string")
	wantErr(t, ProbabilitiesByClass([]float64{0.2}, []int{0, 1}), "1 probabilities but 2")
	wantErr(t, Probabilities([]float64{0.5}, Options{Bins: -1}), "Bins")
}

func TestConfusionMatrixCounts(t *testing.T) {
	actual := []int{0, 0, 0, 1, 1, 2}
	pred := []int{0, 1, 0, 1, 1, 0}
	f := fig(t, ConfusionMatrix(actual, pred, Options{Classes: []string{"a", "b", "c"}}))
	want := [][]float64{{2, 1, 0}, {0, 2, 0}, {1, 0, 0}}
	if !reflect.DeepEqual(f.Panels[0].Heat.Values, want) {
		t.Errorf("counts %v, want %v", f.Panels[0].Heat.Values, want)
	}
	if f.Panels[0].Heat.Max != 2 || !reflect.DeepEqual(f.Panels[0].XCategories, []string{"a", "b", "c"}) {
		t.Errorf("max %v, names %v", f.Panels[0].Heat.Max, f.Panels[0].XCategories)
	}
	if !strings.Contains(f.Subtitle, "accuracy 0.6667") {
		t.Errorf("subtitle %q", f.Subtitle)
	}
	// From matrices: one-hot targets and probabilities, as nn gives them.
	y, _ := nn.ToCategorical([]int{0, 1, 1}, 2)
	probs := mat.NewDense(3, 2, []float64{0.8, 0.2, 0.3, 0.7, 0.6, 0.4})
	f = fig(t, ConfusionMatrix(y, probs))
	if !reflect.DeepEqual(f.Panels[0].Heat.Values, [][]float64{{1, 0}, {1, 1}}) {
		t.Errorf("from matrices: %v", f.Panels[0].Heat.Values)
	}
	// One column of probabilities: 1 at 0.5 and above.
	if got := Classes(mat.NewDense(3, 1, []float64{0.2, 0.5, 0.9})); !reflect.DeepEqual(got, []int{0, 1, 1}) {
		t.Errorf("Classes: %v", got)
	}
	wantErr(t, ConfusionMatrix([]int{0, 1}, []int{0}), "2 actual classes but 1 predicted")
	wantErr(t, ConfusionMatrix([]int{0, 3}, []int{0, 1}, Options{Classes: []string{"a", "b"}}), "class 3", "names 2 classes")
	wantErr(t, ConfusionMatrix([]int{-1}, []int{0}), "-1")
}

func TestPredictedVsActual(t *testing.T) {
	a := []float64{1, 2, 3, 4}
	p := mat.NewDense(4, 1, []float64{1, 2, 3, 5})
	f := fig(t, PredictedVsActual(a, p))
	s := f.Panels[0].Series[0]
	if !reflect.DeepEqual(s.X, a) || !reflect.DeepEqual(s.Y, []float64{1, 2, 3, 5}) || !f.Panels[0].Diagonal {
		t.Errorf("scatter %v %v", s.X, s.Y)
	}
	// MAE 0.25, RMSE 0.5, R² = 1 - 1/5 = 0.8.
	if !strings.Contains(f.Subtitle, "MAE 0.25") || !strings.Contains(f.Subtitle, "RMSE 0.5") || !strings.Contains(f.Subtitle, "R² 0.8") {
		t.Errorf("subtitle %q", f.Subtitle)
	}
	wantErr(t, PredictedVsActual([]float64{1}, []float64{1, 2}), "1 actual values but 2 predictions")
	wantErr(t, PredictedVsActual([]float64{math.NaN()}, []float64{1}), "finite")
	wantErr(t, PredictedVsActual(a, p, Options{YScale: LogScale}), "LogScale", "AutoScale")
}

// A model that predicts a narrow range (lesson 4's wages: predictions 3.6 to
// 14, actual wages 1 to 44.5) must still show y = x: both axes share one
// range that covers the predictions and the actual values, in both
// renderers, and the line runs through it.
func TestPredictedVsActualSharedRange(t *testing.T) {
	a := []float64{1, 5.1, 12, 20, 44.5}
	p := []float64{9.6, 3.6, 10, 14, 7.5}
	f := fig(t, PredictedVsActual(a, p))
	pn := f.Panels[0]
	if pn.XMin == nil || pn.XMax == nil || pn.YMin == nil || pn.YMax == nil {
		t.Fatalf("no fixed range: %+v", pn)
	}
	if *pn.XMin != 0 || *pn.XMax != 50 || *pn.YMin != 0 || *pn.YMax != 50 {
		t.Errorf("ranges x [%g, %g], y [%g, %g], want both [0, 50]", *pn.XMin, *pn.XMax, *pn.YMin, *pn.YMax)
	}
	if lo, hi := diagonalEnds(pn); lo != 0 || hi != 50 {
		t.Errorf("the static y = x runs from %g to %g, want 0 to 50", lo, hi)
	}

	js, err := echartsOption(f)
	if err != nil {
		t.Fatal(err)
	}
	var opt struct {
		XAxis  []map[string]any `json:"xAxis"`
		YAxis  []map[string]any `json:"yAxis"`
		Legend struct{ Data []any }
		Series []struct {
			Name      string
			Type      string
			Data      [][]float64
			LineStyle map[string]any
		}
	}
	if err := json.Unmarshal([]byte(js), &opt); err != nil {
		t.Fatal(err)
	}
	x, y := opt.XAxis[0], opt.YAxis[0]
	if x["min"] != 0.0 || x["max"] != 50.0 || y["min"] != x["min"] || y["max"] != x["max"] {
		t.Errorf("interactive axes x [%v, %v], y [%v, %v], want both [0, 50]", x["min"], x["max"], y["min"], y["max"])
	}
	var diag [][]float64
	for _, s := range opt.Series {
		if s.Name == diagonalName {
			diag = s.Data
			if s.Type != "line" || s.LineStyle["type"] != "dashed" {
				t.Errorf("y = x series: type %q, line style %v", s.Type, s.LineStyle)
			}
		}
	}
	if !reflect.DeepEqual(diag, [][]float64{{0, 0}, {50, 50}}) {
		t.Errorf("interactive y = x %v, want from (0, 0) to (50, 50), inside both axes", diag)
	}
	if len(opt.Legend.Data) != 2 || opt.Legend.Data[0] != "examples" ||
		opt.Legend.Data[1].(map[string]any)["name"] != diagonalName {
		t.Errorf("legend %v, want the examples and y = x, as the static legend", opt.Legend.Data)
	}

	// Ranges round outwards to short numbers, and one value still gets a range.
	for _, c := range []struct {
		vs     []float64
		lo, hi float64
	}{
		{[]float64{0.12, 0.87}, 0, 1},
		{[]float64{-3.2, 7.9}, -5, 10},
		{[]float64{1003, 1047}, 1000, 1050},
		{[]float64{1000.0001, 1000.0002}, 1000.00008, 1000.0002},
		{[]float64{0.3, 0.30000000000000004}, -0.2, 0.8},
		{[]float64{5, 5}, 4.4, 5.6},
	} {
		lo, hi := sharedRange(c.vs)
		if lo != c.lo || hi != c.hi {
			t.Errorf("sharedRange(%v) = [%g, %g], want [%g, %g]", c.vs, lo, hi, c.lo, c.hi)
		}
	}
}

func TestMSEHistory(t *testing.T) {
	f := fig(t, MSEHistory([]float64{5, 2, 1}))
	s := f.Panels[0].Series[0]
	if !reflect.DeepEqual(s.X, []float64{1, 2, 3}) || !reflect.DeepEqual(s.Y, []float64{5, 2, 1}) {
		t.Errorf("series %v %v", s.X, s.Y)
	}
	if len(f.Panels[0].Points) != 1 || f.Panels[0].Points[0].Y != 1 {
		t.Errorf("final mark %+v", f.Panels[0].Points)
	}
	f = fig(t, MSEHistory([]float64{5, 2e3, math.NaN()}))
	if !strings.Contains(f.Subtitle, "diverged") {
		t.Errorf("subtitle %q", f.Subtitle)
	}
	wantErr(t, MSEHistory(nil), "no values")
}

// markPointLabels returns the label options of every marked point in a
// chart's ECharts option, by the point's name.
func markPointLabels(t *testing.T, c *Chart) map[string]map[string]any {
	t.Helper()
	var opt struct {
		Series []struct {
			MarkPoint struct {
				Data []struct {
					Name  string
					Label map[string]any
				}
			} `json:"markPoint"`
		}
	}
	decodeOption(t, c, &opt)
	out := map[string]map[string]any{}
	for _, s := range opt.Series {
		for _, d := range s.MarkPoint.Data {
			out[d.Name] = d.Label
		}
	}
	return out
}

// A point's label must stay inside the chart: centred on a point at the
// last epoch, "final 9.63e-05" ran past the right edge (lesson 2), as did
// "best loss 3.51e-05" when the best epoch was the last (lesson 3). The label
// runs away from the nearer edge of the panel, 6 px clear of the point.
func TestPointLabelsStayInside(t *testing.T) {
	wantSide := func(name string, labels map[string]map[string]any, key, align string, dx float64) {
		t.Helper()
		l, ok := labels[key]
		if !ok {
			t.Fatalf("%s: no marked point %q in %v", name, key, labels)
		}
		off, _ := l["offset"].([]any)
		if l["align"] != align || len(off) != 2 || off[0] != dx || l["position"] != "top" {
			t.Errorf("%s: label of %q: align %v, offset %v, position %v; want align %s, offset [%g 0], above the point",
				name, key, l["align"], l["offset"], l["position"], align, dx)
		}
	}
	mse := []float64{25.4, 13.2, 6.8, 3.5, 9.63e-05}
	for _, scale := range []Scale{LinearScale, LogScale} {
		wantSide("MSEHistory "+string(scale), markPointLabels(t, MSEHistory(mse, Options{YScale: scale})), "final 9.63e-05", "right", -6)
	}
	// Best at the last epoch: left of the point; best at the first: right of it.
	last := &nn.History{Epoch: []int{0, 1, 2, 3}, History: map[string][]float64{"loss": {0.3, 0.1, 1e-3, 3.51e-05}}}
	wantSide("History, best last", markPointLabels(t, History(last)), "best loss 3.51e-05", "right", -6)
	first := &nn.History{Epoch: []int{0, 1, 2, 3}, History: map[string][]float64{"loss": {0.2, 0.3, 0.4, 0.5}}}
	wantSide("History, best first", markPointLabels(t, History(first)), "best loss 0.2", "left", 6)
	// Three narrow panels side by side: the same rule in each.
	h := earlyStopped()
	h.History["mae"], h.History["val_mae"] = []float64{1, 1, 1, 1, 1, 1}, []float64{1, 1, 1, 1, 1, 1}
	wantSide("History, 3 panels, epoch 3 of 6", markPointLabels(t, History(h)), "best val_loss 0.5", "left", 6)
	h.BestEpoch = 4
	wantSide("History, 3 panels, epoch 5 of 6", markPointLabels(t, History(h)), "best val_loss 0.6", "right", -6)
	// Every chart with marked points uses the same rule: Compare's best values.
	runs := []Run{{Name: "a", History: first}, {Name: "b", History: last}}
	labels := markPointLabels(t, Compare(runs, Options{Metric: "loss"}))
	wantSide("Compare", labels, "0.2", "left", 6)
	wantSide("Compare", labels, "3.51e-05", "right", -6)
}

func TestGradients(t *testing.T) {
	f := fig(t, Gradients([]GradientRun{{"sigmoid", []float64{1e-6, 1e-4, 1e-2}}, {"relu", []float64{1e-2, 1e-2, 2e-2}}}))
	p := f.Panels[0]
	if !p.YLog || !reflect.DeepEqual(p.XCategories, []string{"1", "2", "3"}) {
		t.Errorf("log %v, layers %v", p.YLog, p.XCategories)
	}
	if !strings.Contains(f.Summary[0], "layer 1 gets 0.0001×") {
		t.Errorf("summary %q", f.Summary[0])
	}
	wantErr(t, Gradients([]GradientRun{{"x", []float64{-1}}}), "layer 1 is -1")
	wantErr(t, Gradients(nil), "no runs")
}

func TestGradientRecorderDuringFit(t *testing.T) {
	m := nn.NewSequential(nn.Dense{Units: 4, Activation: nn.Sigmoid, InputDim: 2}, nn.Dense{Units: 4, Activation: nn.Sigmoid}, nn.Dense{Units: 1})
	m.Seed = 1
	if err := m.Compile(nn.SGD{}, nn.MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	x := [][]float64{{0, 1}, {1, 0}, {1, 1}, {0, 0}}
	y := []float64{1, 1, 0, 0}
	rec := &GradientRecorder{X: x, Y: y}
	if _, err := m.Fit(x, y, nn.FitOptions{Epochs: 3, Callbacks: []nn.Callback{rec}}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rec.Epochs, []int{-1, 0, 1, 2}) || len(rec.Values) != 4 || len(rec.Values[0]) != 3 {
		t.Fatalf("recorded epochs %v, values %v", rec.Epochs, rec.Values)
	}
	f := fig(t, rec.Chart())
	if len(f.Panels[0].Series) != 3 || f.Panels[0].Series[0].X[0] != 0 {
		t.Errorf("chart series %+v", f.Panels[0].Series)
	}
	wantErr(t, (&GradientRecorder{}).Chart(), "nothing recorded")
}

// deepRecorder is a GradientRecorder as Fit leaves it for a network of n
// layers (lesson 6: 10 hidden sigmoid layers and the output layer) trained
// for 3 epochs: the gradients shrink tenfold per layer towards the input.
func deepRecorder(n int) *GradientRecorder {
	r := &GradientRecorder{Epochs: []int{-1, 0, 1, 2}}
	for l := range n {
		r.Layers = append(r.Layers, fmt.Sprintf("dense_%d", l))
	}
	for k := range r.Epochs {
		var v []float64
		for l := range n {
			v = append(v, math.Pow(10, float64(l-n))/float64(k+1))
		}
		r.Values = append(r.Values, v)
	}
	return r
}

// A deep network's lines each get their own color, from blue at the input
// to red at the output: with the 10-color palette, layer 11 was layer 1's
// blue again. Explicit colors still win (lesson 6 passed its own).
func TestGradientRecorderManyLayersColors(t *testing.T) {
	for _, n := range []int{3, 11, 25} {
		f := fig(t, deepRecorder(n).Chart())
		ss := f.Panels[0].Series
		seen := map[string]int{}
		for l, s := range ss {
			if k, ok := seen[s.Color]; ok {
				t.Errorf("%d layers: layer %d has layer %d's color %s", n, l+1, k+1, s.Color)
			}
			seen[s.Color] = l
		}
		first, _ := parseColor(ss[0].Color)
		last, _ := parseColor(ss[n-1].Color)
		r0, _, b0, _ := first.RGBA()
		r1, _, b1, _ := last.RGBA()
		if !(b0 > r0 && r1 > b1) {
			t.Errorf("%d layers: layer 1 is %s, layer %d %s: want blue at the input, red at the output", n, ss[0].Color, n, ss[n-1].Color)
		}
	}
	var colors []string
	for i := range 11 {
		t := float64(i) / 10
		colors = append(colors, fmt.Sprintf("#%02x%02x%02x", int(30+200*t), int(100-60*t), int(220-190*t)))
	}
	f := fig(t, deepRecorder(11).Chart(Options{Colors: colors}))
	for l, s := range f.Panels[0].Series {
		if s.Color != colors[l] {
			t.Errorf("layer %d: color %s, want the option's %s", l+1, s.Color, colors[l])
		}
	}
	// Fewer colors than layers: the rest keep their place in the blue-to-red order.
	f = fig(t, deepRecorder(11).Chart(Options{Colors: []string{"black"}}))
	if ss := f.Panels[0].Series; ss[0].Color != "#000000" || ss[10].Color != depthColors(11)[10] {
		t.Errorf("one color given: layer 1 %s, layer 11 %s", ss[0].Color, ss[10].Color)
	}
}

// decodeOption decodes the parts of a chart's ECharts option that opt has
// fields for. It encodes the option itself, not echartsOption's JSON, in
// which a log axis's label formatter is code.
func decodeOption(t *testing.T, c *Chart, opt any) {
	t.Helper()
	m, err := buildEChartsOption(fig(t, c))
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, opt); err != nil {
		t.Fatal(err)
	}
}

// echartsLegendOf returns the legend of a chart's ECharts option.
func echartsLegendOf(t *testing.T, c *Chart) (typ string, top float64, data []any) {
	t.Helper()
	var opt struct {
		Legend struct {
			Type string
			Top  string
			Data []any
		} `json:"legend"`
	}
	decodeOption(t, c, &opt)
	if _, err := fmt.Sscan(opt.Legend.Top, &top); err != nil {
		t.Fatal(err)
	}
	return opt.Legend.Type, top, opt.Legend.Data
}

// The interactive legend of a deep network's 11 lines shows every entry, in
// as many rows as it takes, above the plot, instead of one row that scrolls
// through them; the chart grows by the rows it adds, so the plot keeps its
// height. The rows are the layout's, each ended by ECharts' line break (an
// empty entry), so the browser wraps where the static chart does. (The
// browser test checks that the rows really fit above the plot.)
func TestLegendRowsFit(t *testing.T) {
	one := fig(t, deepRecorder(2).Chart())
	c := deepRecorder(11).Chart()
	f := fig(t, c)
	typ, legendTop, data := echartsLegendOf(t, c)
	lg := legendOf(f)
	rows := len(lg.Rows)
	if rows < 2 || lg.scrolls() {
		t.Fatalf("11 entries on %d px: %d rows (scrolls %v), want several", f.Width, rows, lg.scrolls())
	}
	var got [][]string
	for i, d := range data {
		if i == 0 || d == "" {
			got = append(got, nil)
		}
		if d != "" {
			got[len(got)-1] = append(got[len(got)-1], d.(string))
		}
	}
	if typ != "plain" || !reflect.DeepEqual(got, lg.Rows) {
		t.Fatalf("legend %q with rows %q, want a plain legend of the layout's rows %q", typ, got, lg.Rows)
	}
	n := 0
	for _, row := range lg.Rows {
		n += len(row)
	}
	if n != 11 {
		t.Errorf("%d entries in the rows, want 11", n)
	}
	gridTop := gridTops(t, c)[0]
	if gridTop < legendTop+float64(rows*legendRowPitch) {
		t.Errorf("the plot starts at %g px, in the legend's %d rows from %g px", gridTop, rows, legendTop)
	}
	if grow := f.Height - one.Height; grow != (rows-1)*legendRowPitch {
		t.Errorf("the chart grew by %d px for %d legend rows, want %d", grow, rows, (rows-1)*legendRowPitch)
	}
	// A height the caller chose stays.
	if h := fig(t, deepRecorder(11).Chart(Options{Height: 500})).Height; h != 500 {
		t.Errorf("Options.Height 500: %d", h)
	}
	// Past maxLegendRows the legend scrolls through every entry instead,
	// with no line breaks.
	typ, _, data = echartsLegendOf(t, deepRecorder(80).Chart())
	if typ != "scroll" || len(data) != 80 {
		t.Errorf("80 entries: legend %q of %d entries, want scroll through 80", typ, len(data))
	}
}

// A name the legend has already is not listed again (ECharts draws it once):
// the function and slope panels of Activations share their curves' names.
func TestLegendNamesOnce(t *testing.T) {
	f := fig(t, Activations([]nn.Activation{nn.ReLU, nn.Sigmoid}))
	if got := legendNames(f); !reflect.DeepEqual(got, []string{"relu", "sigmoid"}) {
		t.Errorf("legend %q, want relu and sigmoid once each", got)
	}
}

// Layers are numbered on the x axis of Gradients: with 11 layers ECharts
// dropped every other "layer N", and the static chart wrote 30 of them over
// each other.
func TestGradientsManyLayers(t *testing.T) {
	vs := make([]float64, 30)
	for i := range vs {
		vs[i] = math.Pow(1.8, float64(i)) * 1e-9
	}
	f := fig(t, Gradients([]GradientRun{{"sigmoid", vs}}))
	cats := f.Panels[0].XCategories
	if len(cats) != 30 || cats[0] != "1" || cats[29] != "30" {
		t.Errorf("categories %q", cats)
	}
	shown := 0
	for _, l := range thinLabels(cats, maxCategoryLabels) {
		if l != "" {
			shown++
		}
	}
	if shown > maxCategoryLabels || shown < maxCategoryLabels/2 {
		t.Errorf("the static chart labels %d of 30 layers, want at most %d", shown, maxCategoryLabels)
	}
}

func TestCapacity(t *testing.T) {
	pts := []CapacityPoint{
		{Name: "big", Params: 5000, HiddenLayers: 3, Score: 0.90, Metric: "val_accuracy"},
		{Name: "small", Params: 50, HiddenLayers: 1, Score: 0.80, Metric: "val_accuracy"},
		{Name: "mid", Params: 500, HiddenLayers: 2, Score: 0.93, Metric: "val_accuracy"},
	}
	f := fig(t, Capacity(pts))
	s := f.Panels[0].Series[0]
	if !reflect.DeepEqual(s.X, []float64{50, 500, 5000}) || !reflect.DeepEqual(s.Y, []float64{0.8, 0.93, 0.9}) {
		t.Errorf("sorted points %v %v", s.X, s.Y)
	}
	if !f.Panels[0].XLog {
		t.Errorf("50 to 5000 params should get a log axis")
	}
	if f.Panels[0].Points[1].Label != "best: mid" {
		t.Errorf("best mark %+v", f.Panels[0].Points)
	}
	f = fig(t, CapacityByLayers(pts))
	if !reflect.DeepEqual(f.Panels[0].Series[0].X, []float64{1, 2, 3}) {
		t.Errorf("by layers %v", f.Panels[0].Series[0].X)
	}
	pts[0].Metric = "val_loss"
	wantErr(t, Capacity(pts), "one metric")

	m := nn.NewSequential(nn.Dense{Units: 3, InputDim: 2}, nn.Dense{Units: 1})
	if err := m.Build(2); err != nil {
		t.Fatal(err)
	}
	h := &nn.History{History: map[string][]float64{"val_accuracy": {0.5, 0.8, 0.7}, "val_loss": {1, 0.5, 0.6}}}
	p, err := CapacityOf("m", m, h, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Params != 13 || p.HiddenLayers != 1 || p.Score != 0.8 || p.Metric != "val_accuracy" {
		t.Errorf("CapacityOf: %+v", p)
	}
	if p, _ := CapacityOf("m", m, h, "val_loss"); p.Score != 0.5 {
		t.Errorf("best val_loss %v, want 0.5", p.Score)
	}
	if _, err := CapacityOf("m", m, h, "mae"); err == nil || !strings.Contains(err.Error(), `"mae"`) {
		t.Errorf("missing metric: %v", err)
	}
}

// The layers axis counts hidden layers, as the course does when it adds
// layers: 50-2 has one, 50-50-50-2 three. (It counted every Dense layer, so
// lesson 9's axis read 2, 3, 4 for models of 1, 2 and 3 hidden layers.)
func TestCapacityByHiddenLayers(t *testing.T) {
	h := &nn.History{History: map[string][]float64{"val_accuracy": {0.5, 0.8}}}
	var pts []CapacityPoint
	for _, hidden := range [][]int{{50}, {50, 50}, {50, 50, 50}} {
		m := nn.NewSequential()
		for i, u := range hidden {
			d := nn.Dense{Units: u, Activation: nn.ReLU}
			if i == 0 {
				d.InputDim = 4
			}
			m.Add(d)
		}
		m.Add(nn.Dense{Units: 2, Activation: nn.Softmax})
		if err := m.Build(4); err != nil {
			t.Fatal(err)
		}
		p, err := CapacityOf(fmt.Sprint(hidden), m, h, "")
		if err != nil {
			t.Fatal(err)
		}
		if p.HiddenLayers != len(hidden) {
			t.Errorf("CapacityOf(%v-2): %d hidden layers, want %d", hidden, p.HiddenLayers, len(hidden))
		}
		pts = append(pts, p)
	}
	f := fig(t, CapacityByLayers(pts))
	pn := f.Panels[0]
	if !reflect.DeepEqual(pn.Series[0].X, []float64{1, 2, 3}) || pn.XLabel != "Hidden layers" {
		t.Errorf("layers axis %q: %v, want Hidden layers: [1 2 3]", pn.XLabel, pn.Series[0].X)
	}
	if !strings.Contains(f.Subtitle, "against hidden layers") || !strings.Contains(f.Summary[0], "1 hidden layer,") {
		t.Errorf("subtitle %q, summary %q", f.Subtitle, f.Summary)
	}
	// A model without hidden layers (logistic regression) is 0 on the axis.
	lin := nn.NewSequential(nn.Dense{Units: 2, InputDim: 4, Activation: nn.Softmax})
	if err := lin.Build(4); err != nil {
		t.Fatal(err)
	}
	p0, err := CapacityOf("no hidden layer", lin, h, "")
	if err != nil || p0.HiddenLayers != 0 {
		t.Fatalf("CapacityOf(a single layer): %+v, %v", p0, err)
	}
	if f := fig(t, CapacityByLayers(append(pts, p0))); f.Panels[0].Series[0].X[0] != 0 {
		t.Errorf("no hidden layer at %v", f.Panels[0].Series[0].X)
	}
	bad := append([]CapacityPoint(nil), pts...)
	bad[1].HiddenLayers = -1
	wantErr(t, CapacityByLayers(bad), "points[1]", "-1 hidden layers", "0 or more")
	bad[1].Params = 0
	wantErr(t, Capacity(bad), "points[1]", "0 params")
}

func TestNetworkOfCourseExample(t *testing.T) {
	// The course's first forward propagation: inputs 2 and 3, hidden nodes
	// 2+3 = 5 and -2+3 = 1, output 2*5 - 1 = 9.
	m := nn.NewSequential(
		nn.Dense{Units: 2, InputDim: 2, Kernel: [][]float64{{1, -1}, {1, 1}}},
		nn.Dense{Units: 1, Kernel: [][]float64{{2}, {-1}}},
	)
	f := fig(t, NetworkOf(m, []float64{2, 3}))
	n := f.Panels[0].Net
	var labels []string
	for _, nd := range n.Nodes {
		labels = append(labels, nd.Label)
	}
	if !reflect.DeepEqual(labels, []string{"2", "3", "5", "1", "9"}) {
		t.Errorf("node values %q, want 2 3 5 1 9", labels)
	}
	if len(n.Edges) != 6 || n.Edges[1].Weight != -1 || n.Edges[1].From != 0 || n.Edges[1].To != 3 || n.Edges[1].Label != "-1" {
		t.Errorf("edges %+v", n.Edges)
	}
	if n.Nodes[2].Note != "" {
		t.Errorf("zero biases should not be written: %q", n.Nodes[2].Note)
	}
	f = fig(t, Network{Weights: [][][]float64{{{0.15, 0.25}, {0.2, 0.3}}}, Biases: [][]float64{{0.35, 0.35}}}.Draw())
	if f.Panels[0].Net.Nodes[2].Note != "b 0.35" || f.Panels[0].Net.Nodes[0].Label != "x1" {
		t.Errorf("bias notes and names: %+v", f.Panels[0].Net.Nodes)
	}
	wantErr(t, Network{}.Draw(), "no weights")
	wantErr(t, Network{Weights: [][][]float64{{{1, 2}}, {{1}}}}.Draw(), "Weights[1] has 1 rows but layer 1 has 2 nodes")
	wantErr(t, Network{Weights: [][][]float64{{{1}}}, Values: [][]float64{{1}}}.Draw(), "Values has 1 layers but the network has 2")
	wantErr(t, NetworkOf(m, []float64{1, 2, 3}), "3")
}

// graphItem is one data item of the network's ECharts graph series.
type graphItem struct {
	Name       string
	Value      []float64
	SymbolSize float64
	Label      map[string]any
}

func networkGraph(t *testing.T, c *Chart) []graphItem {
	t.Helper()
	js, err := echartsOption(fig(t, c))
	if err != nil {
		t.Fatal(err)
	}
	var opt struct {
		Series []struct {
			Type string
			Data []graphItem
		}
	}
	if err := json.Unmarshal([]byte(js), &opt); err != nil {
		t.Fatal(err)
	}
	for _, s := range opt.Series {
		if s.Type == "graph" {
			return s.Data
		}
	}
	t.Fatal("no graph series")
	return nil
}

// Lesson 3's network shows a bias under each node: the node's value must sit
// alone and centred in its circle (a two-line "value\n{note|b 0.35}" label
// is centred as a block and pushed the value up across the outline), and the
// bias must be a label of its own under the circle, clear of the outline.
func TestNetworkValueCentredBiasBelow(t *testing.T) {
	n := Network{
		Weights: [][][]float64{{{.15, .25}, {.20, .30}}, {{.40, .50}, {.45, .55}}},
		Biases:  [][]float64{{.35, .35}, {.60, .60}},
		Values:  [][]float64{{.05, .1}, {.5933, .5969}, {.7514, .7729}},
	}
	f := fig(t, n.Draw())
	items := networkGraph(t, n.Draw())
	byName := map[string]graphItem{}
	for _, it := range items {
		byName[it.Name] = it
	}
	notes := 0
	for k, nd := range f.Panels[0].Net.Nodes {
		node, ok := byName[fmt.Sprintf("n%d", k)]
		if !ok {
			t.Fatalf("node %d missing from the graph", k)
		}
		l := node.Label
		if l["formatter"] != nd.Label || l["position"] != "inside" || l["rich"] != nil || l["offset"] != nil || l["padding"] != nil {
			t.Errorf("node %d (%s): label %v, want the value alone, centred inside the circle", k, nd.Label, l)
		}
		note, ok := byName[fmt.Sprintf("note%d", k)]
		if nd.Note == "" {
			if ok {
				t.Errorf("node %d has no note but the graph has one: %v", k, note.Label)
			}
			continue
		}
		notes++
		if !ok {
			t.Errorf("node %d: no label for its note %q", k, nd.Note)
			continue
		}
		d, _ := note.Label["distance"].(float64)
		if note.Label["formatter"] != nd.Note || note.Label["position"] != "bottom" || d < node.SymbolSize/2+2 ||
			!reflect.DeepEqual(note.Value, node.Value) || note.SymbolSize > 1 {
			t.Errorf("node %d: note %+v, want %q under the circle (%g px across), at least 2 px clear of it", k, note, nd.Note, node.SymbolSize)
		}
	}
	if notes != 4 {
		t.Errorf("%d bias notes, want 4", notes)
	}
	// The layer names go under the lowest nodes' notes.
	for l, name := range []string{"input", "hidden 1", "output"} {
		it := byName[fmt.Sprintf("layer%d", l)]
		d, _ := it.Label["distance"].(float64)
		if it.Label["formatter"] != name || it.Label["position"] != "bottom" || d < byName["n1"].SymbolSize/2+20 {
			t.Errorf("layer %d name %+v, want %q under the notes", l, it, name)
		}
	}
}

// The circles grow to hold the widest value ("0.01591" after lesson 3's
// training was wider than the 46 px circle), as far as a tall layer leaves
// room, and the weights move out along their edges to stay clear of them.
func TestNetworkNodeSize(t *testing.T) {
	draw := func(values ...float64) *netDrawing {
		t.Helper()
		n := Network{
			Weights: [][][]float64{{{-3.893, 2.862}, {-3.868, 2.926}}},
			Values:  [][]float64{{0.05, 0.1}, values},
		}
		return fig(t, n.Draw()).Panels[0].Net
	}
	small, wide := draw(0.5, 0.9), draw(0.01591, 0.9841)
	if small.NodeRadius != 23 {
		t.Errorf("radius %g for short values, want the default 23 px", small.NodeRadius)
	}
	if w := textWidth("0.01591") * wide.ValueFont / 14; 2*wide.NodeRadius < w+8 || wide.ValueFont < 10 {
		t.Errorf("radius %g px: \"0.01591\" (about %g px at %g px) does not fit in the circle", wide.NodeRadius, w, wide.ValueFont)
	}
	if small.ValueFont != 14 {
		t.Errorf("short values written at %g px, want 14", small.ValueFont)
	}
	// The longest values nn gives: shrunk to fit, not past the outline.
	long := draw(-0.012345, 123456)
	if w := textWidth("-0.01235") * long.ValueFont / 14; 2*long.NodeRadius < w+8 {
		t.Errorf("radius %g px, font %g px: \"-0.01235\" (about %g px) does not fit", long.NodeRadius, long.ValueFont, w)
	}
	// Lesson 3's trained network: 3 layers in 600 px, so about 170 px from
	// one layer to the next; "-3.893" must start clear of its source's circle.
	m := Network{
		Weights: [][][]float64{{{.3785, .4773}, {.657, .7546}}, {{-3.893, 2.862}, {-3.868, 2.926}}},
		Biases:  [][]float64{{.35, .35}, {.6, .6}},
		Values:  [][]float64{{.05, .1}, {.607, .6105}, {.01591, .9841}},
	}
	mf := fig(t, m.Draw())
	mn := mf.Panels[0].Net
	const perLayer = 165.0 // measured in Chromium: 173
	if start := mn.LabelAt*perLayer - textWidth("-3.893")*12/14/2; start < mn.NodeRadius+2 || mn.LabelAt > 0.4 {
		t.Errorf("weights at %g of the edge: \"-3.893\" starts %.0f px from its source's centre, the circle is %g px in radius", mn.LabelAt, start, mn.NodeRadius)
	}
	if small.LabelAt != 0.3 {
		t.Errorf("weights at %g of the edge, want 0.3 when the circles are small", small.LabelAt)
	}
	// 16 nodes in a layer: the circles must not overlap whatever the values.
	w := make([][]float64, 16)
	v := make([]float64, 16)
	for i := range w {
		w[i] = []float64{1}
		v[i] = -0.012345
	}
	f := fig(t, Network{Weights: [][][]float64{w}, Values: [][]float64{v, {1}}}.Draw())
	n := f.Panels[0].Net
	_, _, y0, y1 := netBounds(f.Panels[0])
	spacing := (0.92*float64(f.Height) - 58) / (y1 - y0) // pixels between neighbours: the grid (less title and margins) over the y range
	if 2*n.NodeRadius > spacing {
		t.Errorf("16 nodes: circles %g px across but %.0f px apart", 2*n.NodeRadius, spacing)
	}
}

func TestOptions(t *testing.T) {
	colors := []string{"red", "#00f"}
	f := fig(t, Compare([]Run{{Name: "a", History: earlyStopped()}, {Name: "b", History: earlyStopped()}},
		Options{Title: "T", Subtitle: "S", XLabel: "X", YLabel: "Y", Width: 500, Height: 300, Colors: colors}))
	if f.Title != "T" || f.Subtitle != "S" || f.Width != 500 || f.Height != 300 || f.Panels[0].XLabel != "X" || f.Panels[0].YLabel != "Y" {
		t.Errorf("options not applied: %+v", f)
	}
	if f.Panels[0].Series[1].Color != "#0000ff" {
		t.Errorf("color %q, want #0000ff", f.Panels[0].Series[1].Color)
	}
	if colors[1] != "#00f" {
		t.Errorf("the caller's Colors changed: %v", colors)
	}
	wantErr(t, History(earlyStopped(), Options{Colors: []string{"chartreuse"}}), `"chartreuse"`, "#rrggbb")
	wantErr(t, History(earlyStopped(), Options{Width: 50}), "50x0", "200 to 8000")
	wantErr(t, History(earlyStopped(), Options{YScale: "sqrt"}), `"sqrt"`)
	wantErr(t, MSEHistory([]float64{1, 0}, Options{YScale: LogScale}), "positive")
	if !fig(t, MSEHistory([]float64{1, 2}, Options{YScale: LogScale})).Panels[0].YLog {
		t.Errorf("LogScale not applied")
	}
}

func TestEChartsOption(t *testing.T) {
	f := fig(t, History(earlyStopped(), Options{Title: "</script><b>x</b>"}))
	js, err := echartsOption(f)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(js, "</script") || strings.Contains(js, "<b>") {
		t.Errorf("the option must not be able to end its <script>: %s", js)
	}
	var opt map[string]any
	if err := json.Unmarshal([]byte(js), &opt); err != nil {
		t.Fatalf("the option is not JSON: %v", err)
	}
	if n := len(opt["grid"].([]any)); n != 2 {
		t.Errorf("%d grids, want 2 (loss | accuracy)", n)
	}
	var marks []float64
	for _, s := range opt["series"].([]any) {
		sm := s.(map[string]any)
		if ml, ok := sm["markLine"].(map[string]any); ok {
			for _, d := range ml["data"].([]any) {
				marks = append(marks, d.(map[string]any)["xAxis"].(float64))
			}
		}
	}
	if !reflect.DeepEqual(marks, []float64{3, 6, 3, 6}) {
		t.Errorf("mark lines at %v, want best epoch 3 and stop 6 in both panels", marks)
	}
	// Deterministic: the same chart gives the same option.
	js2, _ := echartsOption(fig(t, History(earlyStopped(), Options{Title: "</script><b>x</b>"})))
	if js != js2 {
		t.Errorf("the option differs between two runs")
	}
}

func TestFragmentAndBundle(t *testing.T) {
	c := History(earlyStopped())
	png, err := c.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("not a PNG")
	}
	png2, _ := c.PNG()
	if !bytes.Equal(png, png2) {
		t.Errorf("the PNG differs between two renders")
	}
	svg, err := c.SVG()
	if err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("SVG: %v", err)
	}
	lib := &echartsLib{src: []byte("/* ECharts */"), gzip64: "H4sIAAAAAAAA"}
	frag, err := fragment(c.fig, png, fragmentOptions{lib: lib, embed: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`data-dlnb-chart="1"`, `<img src="data:image/png;base64,`, `"H4sIAAAAAAAA"`, "DecompressionStream", `new Function("define", "module", "exports", src)`} {
		if !strings.Contains(frag, want) {
			t.Errorf("fragment lacks %q", want)
		}
	}
	for _, bad := range []string{"<script src", ".container", "http://", "https://"} {
		if strings.Contains(frag, bad) {
			t.Errorf("fragment has %q: it must work offline and leave the page's styles alone", bad)
		}
	}
	// A cell's later charts leave ECharts to its first one.
	later, err := fragment(c.fig, png, fragmentOptions{lib: lib})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(later, "lib = null;") || strings.Contains(later, "H4sIAAAAAAAA") {
		t.Errorf("a later chart should not carry ECharts")
	}
	page := pageHTML("t", lib, []string{frag})
	if !strings.Contains(page, "/* ECharts */") || strings.Contains(page, "<script src") {
		t.Errorf("page: the library must be inline")
	}

	// Without ECharts the display still has the static chart, with a note.
	t.Setenv(EChartsEnv, filepath.Join(t.TempDir(), "missing.js"))
	if _, err := c.HTML(); !errors.Is(err, ErrNoECharts) || !strings.Contains(err.Error(), EChartsEnv) {
		t.Errorf("HTML without ECharts: %v", err)
	}
	b, err := c.MIMEBundle()
	if err != nil {
		t.Fatal(err)
	}
	html := b["text/html"].(string)
	if !strings.Contains(html, "<img src=\"data:image/png") || !strings.Contains(html, "Static chart") || strings.Contains(html, "<script") {
		t.Errorf("fallback HTML: %.300s", html)
	}
	if raw, err := base64.StdEncoding.DecodeString(b["image/png"].(string)); err != nil || !bytes.Equal(raw, png) {
		t.Errorf("image/png is not the chart's PNG in base64: %v", err)
	}
	if !strings.Contains(b["text/plain"].(string), "best val_loss 0.5 at epoch 3") {
		t.Errorf("text/plain %q", b["text/plain"])
	}
	if err := c.SaveHTML(filepath.Join(t.TempDir(), "x.html")); !errors.Is(err, ErrNoECharts) {
		t.Errorf("SaveHTML without ECharts: %v", err)
	}
	// A file that is not ECharts 5.6.0 is refused.
	bad := filepath.Join(t.TempDir(), "echarts.min.js")
	if err := os.WriteFile(bad, []byte("alert(1)"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EChartsEnv, bad)
	if _, err := c.HTML(); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("a wrong echarts.min.js: %v", err)
	}
}

func TestSaveFiles(t *testing.T) {
	dir := t.TempDir()
	c := MSEHistory([]float64{3, 2, 1})
	for _, save := range []func(string) error{c.SavePNG, c.SaveSVG} {
		p := filepath.Join(dir, "chart")
		if err := save(p); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Fatalf("no file: %v", err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := c.SavePNG(filepath.Join(dir, "no", "such", "dir.png")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing directory: %v", err)
	}
	bad := History(nil)
	if err := bad.SavePNG(filepath.Join(dir, "x.png")); err == nil {
		t.Errorf("a chart error must reach SavePNG")
	}
	if err := bad.Display(); err == nil {
		t.Errorf("a chart error must reach Display")
	}
	if err := SavePage(filepath.Join(dir, "p.html"), ""); err == nil {
		t.Errorf("SavePage with no charts")
	}
}

func TestProgressPlainLines(t *testing.T) {
	m := nn.NewSequential(nn.Dense{Units: 3, Activation: nn.Tanh, InputDim: 1}, nn.Dense{Units: 1})
	m.Seed = 2
	if err := m.Compile(nn.SGD{}, nn.MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	x := []float64{0, 0.25, 0.5, 0.75, 1, -0.5, -1, 0.1}
	var buf bytes.Buffer
	p := &Progress{Output: &buf}
	if _, err := m.Fit(x, x, nn.FitOptions{Epochs: 120, ValidationSplit: 0.25, Callbacks: []nn.Callback{p}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	// 120 epochs: every 3rd (40), plus epoch 1, plus the final line.
	if len(lines) != 42 {
		t.Errorf("%d lines, want 42", len(lines))
	}
	if !strings.HasPrefix(lines[0], "Epoch 1/120 · loss ") || !strings.Contains(lines[0], "val_loss") {
		t.Errorf("first line %q", lines[0])
	}
	if !strings.HasPrefix(lines[len(lines)-2], "Epoch 120/120") || !strings.HasPrefix(lines[len(lines)-1], "Done: 120 epochs") {
		t.Errorf("last lines %q", lines[len(lines)-2:])
	}
	if got := formatLogs(map[string]float64{"val_accuracy": 1, "accuracy": 0.5, "val_loss": 2, "loss": 3}); got != "loss 3.0000, accuracy 0.5000, val_loss 2.0000, val_accuracy 1.0000" {
		t.Errorf("formatLogs %q", got)
	}
}

func TestProgressChartPNG(t *testing.T) {
	h := nn.History{History: map[string][]float64{"loss": {1, 0.5}, "mae": {1, 1}}, BestEpoch: -1}
	b, err := base64.StdEncoding.DecodeString(progressPNG(h))
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("progress chart is not a PNG: %v", err)
	}
	if progressPNG(nn.History{History: map[string][]float64{"mae": {1}}}) != "" {
		t.Errorf("no loss, no chart")
	}
}

func BenchmarkHistoryPNG(b *testing.B) {
	c := History(earlyStopped())
	for b.Loop() {
		if _, err := c.PNG(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHistoryEChartsOption(b *testing.B) {
	f := History(earlyStopped()).fig
	for b.Loop() {
		if _, err := echartsOption(f); err != nil {
			b.Fatal(err)
		}
	}
}

// Every other bad input gives an error that names the problem.
func TestMoreErrors(t *testing.T) {
	big := make([][]float64, 17)
	for i := range big {
		big[i] = []float64{1}
	}
	one := [][][]float64{{{1}}}
	cases := []struct {
		name  string
		chart *Chart
		parts []string
	}{
		{"network biases count", Network{Weights: one, Biases: [][]float64{{1}, {2}}}.Draw(), []string{"2 bias vectors for 1 weight layers"}},
		{"network bias size", Network{Weights: one, Biases: [][]float64{{1, 2}}}.Draw(), []string{"Biases[0] has 2 values but layer 1 has 1"}},
		{"network values size", Network{Weights: one, Values: [][]float64{{1, 2}, {1}}}.Draw(), []string{"Values[0] has 2 values but layer 0 has 1"}},
		{"network too big", Network{Weights: [][][]float64{big}}.Draw(), []string{"17 nodes", "16"}},
		{"network ragged", Network{Weights: [][][]float64{{{1, 2}, {1}}}}.Draw(), []string{"Weights[0][1] has 1 columns"}},
		{"network NaN", Network{Weights: [][][]float64{{{math.NaN()}}}}.Draw(), []string{"Weights[0][0][0] is NaN"}},
		{"network nil model", NetworkOf(nil, nil), []string{"model is nil"}},
		{"capacity empty", Capacity(nil), []string{"no points"}},
		{"capacity NaN", Capacity([]CapacityPoint{{Name: "a", Params: 1, Score: math.NaN()}}), []string{"points[0] (a)", "finite"}},
		{"capacity no size", Capacity([]CapacityPoint{{Name: "a", Score: 1}}), []string{"0 params"}},
		{"capacity negative layers", CapacityByLayers([]CapacityPoint{{Name: "a", Params: 3, HiddenLayers: -2, Score: 1}}), []string{"-2 hidden layers", "0 or more"}},
		{"gradients empty run", Gradients([]GradientRun{{Name: "s"}}), []string{"runs[0] (s) has no values", "LayerGradients"}},
		{"confusion empty", ConfusionMatrix([]int{}, []int{}), []string{"no examples"}},
		{"confusion type", ConfusionMatrix("a", []int{1}), []string{"string"}},
		{"scatter empty", PredictedVsActual([]float64{}, []float64{}), []string{"no examples"}},
		{"scatter matrix", PredictedVsActual(mat.NewDense(2, 2, nil), []float64{1, 2}), []string{"2x2"}},
		{"probabilities empty", Probabilities([]float64{}), []string{"no probabilities"}},
		{"probabilities nil", Probabilities(nil), []string{"nil"}},
		{"functions empty", Functions(nil), []string{"no functions"}},
		{"learning rates nil history", LearningRates(map[float64]*nn.History{0.1: nil}), []string{"lr = 0.1", "nil"}},
		{"history epochs", History(&nn.History{Epoch: []int{0}, History: map[string][]float64{"loss": {1, 2}}}), []string{"1 epoch numbers but 2 values"}},
		{"history no epochs", History(&nn.History{History: map[string][]float64{"loss": {}}}), []string{"no epochs"}},
		{"history many metrics", History(&nn.History{History: map[string][]float64{"loss": {1}, "a": {1}, "b": {1}, "c": {1}}}), []string{"at most 3"}},
		{"bins too many", Probabilities([]float64{0.5}, Options{Bins: 5000}), []string{"Bins 5000"}},
		{"too tall", MSEHistory([]float64{1}, Options{Height: 9000}), []string{"0x9000"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, c.chart, c.parts...) })
	}
	var nilChart *Chart
	if nilChart.Err() == nil || !strings.Contains(nilChart.String(), "nil") {
		t.Errorf("a nil *Chart should say so")
	}
	if _, err := nilChart.PNG(); err == nil {
		t.Errorf("PNG of a nil *Chart")
	}
	if _, err := CapacityOf("x", nil, nil, ""); err == nil || !strings.Contains(err.Error(), "nil") {
		t.Errorf("CapacityOf(nil model): %v", err)
	}
}

// gridTops returns the top of each grid (panel) of a chart's ECharts
// option, in pixels.
func gridTops(t *testing.T, c *Chart) []float64 {
	t.Helper()
	var opt struct {
		Grid []struct{ Top string } `json:"grid"`
	}
	decodeOption(t, c, &opt)
	var tops []float64
	for _, g := range opt.Grid {
		var v float64
		if _, err := fmt.Sscan(g.Top, &v); err != nil {
			t.Fatalf("grid top %q: %v", g.Top, err)
		}
		tops = append(tops, v)
	}
	return tops
}

// In the interactive chart, the label of a marked point at the top of its
// panel is written above the axes: the layout leaves room for it there, or
// it runs into the subtitle (the capacity chart's "best" label) or a panel's
// title (History's best val_accuracy). The label's top is 30 px above the
// point (see pointLabelRoom).
func TestInteractiveTopPointLabelHasRoom(t *testing.T) {
	const rise = 30
	pts := []CapacityPoint{
		{Name: "1 hidden layer", Params: 6370, HiddenLayers: 1, Score: 0.90, Metric: "val_accuracy"},
		{Name: "2 hidden layers", Params: 12730, HiddenLayers: 2, Score: 0.92, Metric: "val_accuracy"},
		{Name: "3 hidden layers", Params: 25450, HiddenLayers: 3, Score: 0.91, Metric: "val_accuracy"},
	}
	// Title 6 + 24 px, subtitle 18 px.
	for _, c := range []*Chart{Capacity(pts), CapacityByLayers(pts)} {
		if top := gridTops(t, c)[0]; top-rise < 6+24+18 {
			t.Errorf("%s: the plot starts at %g px: a label 30 px above its top reaches the subtitle, which ends at 48 px", c.fig.Title, top)
		}
	}
	// Title, subtitle, legend 28 px, panel titles 24 px.
	h := earlyStopped()
	h.Monitor, h.BestEpoch = "val_accuracy", 2
	h.History["val_accuracy"][2] = 0.9 // the best, and the highest of the panel
	if top := gridTops(t, History(h))[1]; top-rise < 6+24+18+28+24 {
		t.Errorf("History: the accuracy panel starts at %g px: a label 30 px above its top reaches the panel's title, which ends at 100 px", top)
	}
	// No room is taken when no label is near the top: the best val_loss is
	// the lowest point.
	h = earlyStopped()
	if got, want := gridTops(t, History(h))[0], float64(6+24+18+28+24+10); got != want {
		t.Errorf("History with the best val_loss at the bottom: the plot starts at %g px, want %g", got, want)
	}
}
