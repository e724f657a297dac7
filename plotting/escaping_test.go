package plotting

import (
	"strings"
	"testing"

	"github.com/dlnb/dlnb/nn"
	"gonum.org/v1/gonum/mat"
)

// hostile is a name a chart might be given from untrusted data (a CSV
// header, a student's run name): it ends an attribute, a <div> and a
// <script>, and opens a script and an image with an onerror handler.
const hostile = `"'></div></script><script>alert(1)</script><img src=x onerror=alert(2)>`

// rawPayloads are the parts of hostile that must never reach an HTML or SVG
// output unescaped.
var rawPayloads = []string{"<script>alert(1)", "</div></script>", "<img src=x", `"'>`}

// hostileCharts builds every chart function with hostile in every string
// field it takes (Options' titles, labels and class names; run, function,
// layer, point and metric names).
func hostileCharts(t *testing.T) map[string]*Chart {
	t.Helper()
	o := Options{Title: hostile, Subtitle: hostile, XLabel: hostile, YLabel: hostile}
	h := &nn.History{Epoch: []int{0, 1, 2}, History: map[string][]float64{
		"loss": {0.9, 0.6, 0.5}, "val_loss": {1, 0.7, 0.6}, hostile: {0.5, 0.6, 0.7},
	}}
	plain := &nn.History{Epoch: []int{0, 1, 2}, History: map[string][]float64{"loss": {0.9, 0.6, 0.5}, "val_loss": {1, 0.7, 0.6}}}
	m := nn.NewSequential(
		nn.Dense{Units: 2, Activation: nn.ReLU, InputDim: 2, Name: hostile},
		nn.Dense{Units: 1, Name: hostile + "2"},
	)
	if err := m.Compile(nn.SGD{}, nn.MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	withMetric := o
	withMetric.Metric = hostile
	classes := o
	classes.Classes = []string{hostile, hostile + "1", hostile + "2"}
	points := []CapacityPoint{
		{Name: hostile, Params: 10, HiddenLayers: 1, Score: 0.7, Metric: hostile},
		{Name: hostile + "b", Params: 20, HiddenLayers: 2, Score: 0.8, Metric: hostile},
	}
	return map[string]*Chart{
		"History":              History(h, o),
		"Compare":              Compare([]Run{{Name: hostile, History: h}, {Name: hostile + "b", History: h}}, withMetric),
		"LearningRates":        LearningRates(map[float64]*nn.History{0.1: plain, 0.01: plain}, o),
		"Activations":          Activations([]nn.Activation{nn.ReLU, nn.Sigmoid}, o),
		"Functions":            Functions([]Function{{Name: hostile, F: func(x float64) float64 { return x }, Derivative: func(float64) float64 { return 1 }}}, o),
		"Gradients":            Gradients([]GradientRun{{Name: hostile, Values: []float64{1, 0.1}}}, o),
		"Capacity":             Capacity(points, o),
		"CapacityByLayers":     CapacityByLayers(points, o),
		"NetworkOf":            NetworkOf(m, []float64{1, 2}, o),
		"Probabilities":        Probabilities([]float64{0.1, 0.9, 0.4}, o),
		"ProbabilitiesByClass": ProbabilitiesByClass([]float64{0.1, 0.9, 0.4}, []int{0, 1, 1}, classes),
		"ConfusionMatrix":      ConfusionMatrix([]int{0, 1, 2}, mat.NewDense(3, 3, []float64{1, 0, 0, 0, 0, 1, 0, 1, 0}), classes),
		"PredictedVsActual":    PredictedVsActual([]float64{1, 2, 3}, []float64{1.1, 2.2, 2.9}, o),
		"MSEHistory":           MSEHistory([]float64{3, 2, 1}, o),
	}
}

// TestHostileStringsAreEscaped draws every chart with hostile names and
// checks its interactive fragment (the ECharts option inside a <script>,
// the PNG's alt text), its SVG and its page: the names appear, escaped, and
// no output holds them raw, so a chart's HTML never runs data as code.
func TestHostileStringsAreEscaped(t *testing.T) {
	lib := &echartsLib{src: []byte("/* ECharts */"), gzip64: "H4sIAAAAAAAA"}
	for name, c := range hostileCharts(t) {
		t.Run(name, func(t *testing.T) {
			f := fig(t, c)
			png, err := c.PNG()
			if err != nil {
				t.Fatal(err)
			}
			frag, err := fragment(f, png, fragmentOptions{lib: lib, embed: true, note: hostile})
			if err != nil {
				t.Fatal(err)
			}
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			page := pageHTML(hostile, lib, []string{frag})
			for what, out := range map[string]string{"fragment": frag, "SVG": string(svg), "page": page} {
				for _, raw := range rawPayloads {
					if strings.Contains(out, raw) {
						i := strings.Index(out, raw)
						t.Errorf("%s holds %q unescaped: ...%s...", what, raw, out[max(0, i-80):min(len(out), i+80)])
					}
				}
			}
			// The names are there, escaped: in the option's JSON (\u003c) and
			// in the alt text and note (&lt;). Without this the test would
			// pass on a chart that dropped them.
			if !strings.Contains(frag, `\u003cscript\u003ealert(1)`) {
				t.Errorf("the interactive option lacks the escaped name")
			}
			if !strings.Contains(frag, "&lt;script&gt;alert(1)") {
				t.Errorf("the fragment's text lacks the escaped name")
			}
			// Our own scripts only: the same count as a chart with plain names.
			if n := strings.Count(frag, "<script"); n != strings.Count(plainFragment(t, lib), "<script") {
				t.Errorf("%d <script> tags in the fragment", n)
			}
		})
	}
}

func plainFragment(t *testing.T, lib *echartsLib) string {
	t.Helper()
	c := MSEHistory([]float64{3, 2, 1})
	png, err := c.PNG()
	if err != nil {
		t.Fatal(err)
	}
	frag, err := fragment(fig(t, c), png, fragmentOptions{lib: lib, embed: true})
	if err != nil {
		t.Fatal(err)
	}
	return frag
}
