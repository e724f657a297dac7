//go:build parity

package parity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dlnb/dlnb/nn"
)

// metricPair is labels and predictions for the metrics case.
type metricPair struct {
	Y []float64 `json:"y"`
	P []float64 `json:"p"`
}

// metricPairs are the hand-computed cases of nn's AUC tests (the threshold
// placement at 0 and 1, ties inside a bucket and across, predictions outside
// [0, 1], one class only) and 500 random rows, each a float32 number so
// that both sides see the same predictions.
func metricPairs() []metricPair {
	pairs := []metricPair{
		{[]float64{0, 0, 1, 1}, []float64{0.1, 0.4, 0.35, 0.8}},
		{[]float64{0, 1}, []float64{0, 1}},
		{[]float64{1, 0}, []float64{0, 1}},
		{[]float64{0, 1, 1, 0, 1}, []float64{0.5, 0.5, 0.5, 0.5, 0.5}},
		{[]float64{0, 1, 1, 0}, []float64{0.3, 0.3, 0.9, 0.1}},
		{[]float64{0, 1}, []float64{0.501, 0.502}},
		{[]float64{0, 1}, []float64{0.501, 0.51}},
		{[]float64{0, 1, 0}, []float64{-3, 7, 0.5}},
		{[]float64{1, 1}, []float64{0.2, 0.9}},
		{[]float64{1, 1, 1, 0, 0, 0, 0, 1}, []float64{0.9, 0.6, 0.2, 0.7, 0.1, 0.3, 0.4, 0.8}},
	}
	r := rand.New(rand.NewPCG(11, 12))
	var y, p []float64
	for range 500 {
		c := float64(r.IntN(2))
		y = append(y, c)
		p = append(p, float64(float32(min(max(r.NormFloat64()*0.25+0.4+0.2*c, 0), 1))))
	}
	for i := range pairs {
		for j, v := range pairs[i].P {
			pairs[i].P[j] = float64(float32(v))
		}
	}
	return append(pairs, metricPair{y, p})
}

// compareMetrics checks nn's Metric.Compute against Keras' metrics on their
// own, to 1e-6 (Keras sums in float32, nn in float64).
func compareMetrics(t *testing.T, k *kerasResult) {
	const tol = 1e-6
	pairs := metricPairs()
	worst := 0.0
	for _, m := range []nn.Metric{nn.AUC, nn.Precision, nn.Recall} {
		kv := k.Values[string(m)]
		if len(kv) != len(pairs) {
			t.Fatalf("Keras gave %d values of %s for %d pairs", len(kv), m, len(pairs))
		}
		for i, pair := range pairs {
			v, err := m.Compute(pair.Y, pair.P)
			if err != nil {
				t.Fatalf("%s pair %d: %v", m, i, err)
			}
			d := math.Abs(v - kv[i])
			worst = math.Max(worst, d)
			if !(d <= tol) {
				t.Errorf("%s of pair %d (y %v, p %.4g): nn %.7g, Keras %.7g", m, i, pair.Y[:min(8, len(pair.Y))], pair.P[:min(8, len(pair.P))], v, kv[i])
			}
		}
	}
	status := "ok"
	if t.Failed() {
		status = "FAIL"
	}
	report = append(report, fmt.Sprintf("%-4s %-46s %d pairs: max diff %.1e tolerance %.0e",
		status, "metrics auc, precision, recall on their own", len(pairs), worst, tol))
}
