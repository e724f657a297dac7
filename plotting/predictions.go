package plotting

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Probabilities charts a histogram of predicted probabilities, in
// Options.Bins equal bins over [0, 1] (10 by default). p is a []float64 or a
// one-column matrix; the n x 2 matrix a two-node softmax predicts is read as
// the probability of class 1 (its second column), as the course's
// predictions[:,1].
func Probabilities(p any, o ...Options) *Chart {
	return build("Probabilities", o, func(o Options) (*figure, error) {
		return probabilitiesFigure(p, nil, o)
	})
}

// ProbabilitiesByClass is Probabilities with each bar split by the example's
// true class (actual: []int or one-hot rows), so you can see where the model
// is confident and right, and where it is confident and wrong. Options.Classes
// names the classes.
func ProbabilitiesByClass(p, actual any, o ...Options) *Chart {
	return build("ProbabilitiesByClass", o, func(o Options) (*figure, error) {
		a, err := classes(actual, "actual")
		if err != nil {
			return nil, err
		}
		return probabilitiesFigure(p, a, o)
	})
}

func probabilitiesFigure(pv any, actual []int, o Options) (*figure, error) {
	sub := ""
	if m, ok := pv.(mat.Matrix); ok {
		if _, c := m.Dims(); c == 2 {
			pv = mat.Col(nil, 1, m)
			sub = "probability of class 1 (column 1 of the two-node output)"
		}
	}
	p, err := column(pv, "the probabilities")
	if err != nil {
		return nil, err
	}
	if len(p) == 0 {
		return nil, fmt.Errorf("no probabilities: pass at least one")
	}
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return nil, fmt.Errorf("value %d is %g, not a probability in [0, 1]: pass predicted probabilities (a softmax or sigmoid output)", i, v)
		}
	}
	if actual != nil && len(actual) != len(p) {
		return nil, fmt.Errorf("%d probabilities but %d true classes: pass one class per prediction", len(p), len(actual))
	}
	bins := o.Bins
	if bins == 0 {
		bins = 10
	}
	counts := histogram(p, bins)
	// Bins are categories ("0.1–0.2"): ECharts stacks bars by category, and
	// the labels say exactly which probabilities each bar counts.
	xs := seq(0, bins)
	cats := make([]string, bins)
	every := (bins + 11) / 12 // at most about 12 labels
	for i := range cats {
		if i%every == 0 {
			cats[i] = fmt.Sprintf("%s–%s", fmtNum(round(float64(i)/float64(bins))), fmtNum(round(float64(i+1)/float64(bins))))
		}
	}
	pn := &panel{XLabel: "Predicted probability", YLabel: "Number of examples", XCategories: cats}
	if actual == nil {
		pn.Series = append(pn.Series, &series{Name: "predictions", Kind: barSeries, X: xs, Y: counts, Color: colorAt(o.Colors, 0)})
	} else {
		nc := 0
		for _, c := range actual {
			nc = max(nc, c+1)
		}
		for c := range nc {
			var pc []float64
			for i, a := range actual {
				if a == c {
					pc = append(pc, p[i])
				}
			}
			clr := colorAt(o.Colors, c)
			pn.Series = append(pn.Series, &series{
				Name: "actual " + className(o.Classes, c), Kind: barSeries, X: xs, Y: histogram(pc, bins), Color: clr, Stack: "classes",
			})
		}
	}
	above := 0
	sum := 0.0
	for _, v := range p {
		sum += v
		if v >= 0.5 {
			above++
		}
	}
	summary := []string{
		fmt.Sprintf("%d predictions in %d bins; mean %s; %d (%.0f%%) at 0.5 or above", len(p), bins, fmtNum(sum/float64(len(p))), above, 100*float64(above)/float64(len(p))),
		"counts per bin: " + joinNums(counts),
	}
	return &figure{
		Title: "Predicted probabilities", Subtitle: sub, Width: 760, Height: 400, Legend: actual != nil,
		Panels: []*panel{pn}, Summary: summary,
	}, nil
}

// histogram counts values in [0, 1] into equal bins; 1 falls in the last.
func histogram(p []float64, bins int) []float64 {
	counts := make([]float64, bins)
	for _, v := range p {
		b := int(v * float64(bins))
		if b >= bins {
			b = bins - 1
		}
		counts[b]++
	}
	return counts
}

func joinNums(vs []float64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = fmtNum(v)
	}
	return strings.Join(s, " ")
}

func className(names []string, c int) string {
	if c < len(names) && names[c] != "" {
		return names[c]
	}
	return fmt.Sprint(c)
}

// ConfusionMatrix charts how often each actual class (rows) was predicted as
// each class (columns), with the counts in the cells: the diagonal is right.
// actual and predicted are class labels ([]int) or matrices with a row per
// example (one-hot targets, predicted probabilities; see Classes).
// Options.Classes names the classes.
func ConfusionMatrix(actual, predicted any, o ...Options) *Chart {
	return build("ConfusionMatrix", o, func(o Options) (*figure, error) {
		a, err := classes(actual, "actual")
		if err != nil {
			return nil, err
		}
		p, err := classes(predicted, "predicted")
		if err != nil {
			return nil, err
		}
		if len(a) != len(p) {
			return nil, fmt.Errorf("%d actual classes but %d predicted: pass one of each per example", len(a), len(p))
		}
		if len(a) == 0 {
			return nil, fmt.Errorf("no examples: pass at least one")
		}
		if am, ok := actual.(mat.Matrix); ok {
			if pm, ok := predicted.(mat.Matrix); ok {
				ar, ac := am.Dims()
				pr, pc := pm.Dims()
				if ac != pc && ac > 1 && pc > 1 {
					return nil, fmt.Errorf("actual is %dx%d but predicted is %dx%d: both need one column per class (or pass class labels as []int)", ar, ac, pr, pc)
				}
			}
		}
		n := len(o.Classes)
		for i := range a {
			if a[i] >= maxConfusionClasses || p[i] >= maxConfusionClasses {
				return nil, fmt.Errorf("example %d has class %d: a confusion matrix shows up to %d classes; are these class labels (0, 1, 2, ...)?", i, max(a[i], p[i]), maxConfusionClasses)
			}
			if len(o.Classes) > 0 && (a[i] >= len(o.Classes) || p[i] >= len(o.Classes)) {
				return nil, fmt.Errorf("example %d has class %d but Options.Classes names %d classes (0 to %d): name them all", i, max(a[i], p[i]), len(o.Classes), len(o.Classes)-1)
			}
			n = max(n, a[i]+1, p[i]+1)
		}
		n = max(n, 2)
		counts := confusion(a, p, n)
		names := make([]string, n)
		for c := range names {
			names[c] = className(o.Classes, c)
		}
		right, maxCount := 0.0, 0.0
		summary := []string{}
		for r := range counts {
			right += counts[r][r]
			for _, v := range counts[r] {
				maxCount = math.Max(maxCount, v)
			}
			summary = append(summary, fmt.Sprintf("actual %s: predicted %s", names[r], joinNums(counts[r])))
		}
		acc := right / float64(len(a))
		summary = append([]string{fmt.Sprintf("accuracy %s (%d of %d right)", fmtNum(acc), int(right), len(a))}, summary...)
		pn := &panel{XLabel: "Predicted class", YLabel: "Actual class", XCategories: names, YCategories: names,
			Heat: &heat{Values: counts, Max: maxCount}}
		size := 360 + 36*n
		return &figure{
			Title: "Confusion matrix", Subtitle: fmt.Sprintf("accuracy %s: %d of %d on the diagonal", fmtNum(acc), int(right), len(a)),
			Width: size + 80, Height: size, Panels: []*panel{pn}, Summary: summary,
		}, nil
	})
}

// maxConfusionClasses bounds a confusion matrix: past it the cells are too
// small to read, and a column of ids passed by mistake would ask for an
// n x n matrix of gigabytes.
const maxConfusionClasses = 100

// confusion counts (actual, predicted) pairs: counts[actual][predicted].
func confusion(actual, predicted []int, n int) [][]float64 {
	counts := make([][]float64, n)
	for i := range counts {
		counts[i] = make([]float64, n)
	}
	for i := range actual {
		counts[actual[i]][predicted[i]]++
	}
	return counts
}

// PredictedVsActual charts a regression's predictions against the true
// values, one point per example, with the line y = x where perfect
// predictions would lie. Both axes share one range, covering the predictions
// and the actual values, so y = x is the diagonal and a model that predicts
// too narrow a range shows as a flat band. The subtitle gives the mean
// absolute error, the root mean squared error and R². actual and predicted
// are []float64 or one-column matrices (Predict's output). The axes are
// linear: Options.YScale LogScale is an error.
func PredictedVsActual(actual, predicted any, o ...Options) *Chart {
	return build("PredictedVsActual", o, func(o Options) (*figure, error) {
		a, err := column(actual, "actual")
		if err != nil {
			return nil, err
		}
		p, err := column(predicted, "predicted")
		if err != nil {
			return nil, err
		}
		if len(a) != len(p) {
			return nil, fmt.Errorf("%d actual values but %d predictions: pass one of each per example", len(a), len(p))
		}
		if len(a) == 0 {
			return nil, fmt.Errorf("no examples: pass at least one")
		}
		for i := range a {
			if !finite(a[i]) || !finite(p[i]) {
				return nil, fmt.Errorf("example %d: actual %g, predicted %g: values must be finite numbers", i, a[i], p[i])
			}
		}
		if o.YScale == LogScale {
			return nil, fmt.Errorf("Options.YScale is LogScale: predictions and actual values share one linear scale, so that y = x is the diagonal; use AutoScale")
		}
		mae, rmse, r2 := regressionScores(a, p)
		// Both axes get the same range, covering the predictions and the
		// actual values: then y = x runs corner to corner, and a model that
		// predicts too narrow a range (the mean, roughly) shows as a flat
		// band across it, not as a cloud that fills the chart.
		lo, hi := sharedRange(a, p)
		pn := &panel{XLabel: "Actual value", YLabel: "Predicted value", Diagonal: true,
			XMin: ptr(lo), XMax: ptr(hi), YMin: ptr(lo), YMax: ptr(hi),
			Series: []*series{{Name: "examples", Kind: scatterSeries, X: a, Y: p, Color: colorAt(o.Colors, 0)}}}
		sub := fmt.Sprintf("MAE %s · RMSE %s · R² %s", fmtNum(mae), fmtNum(rmse), fmtNum(r2))
		return &figure{
			Title: "Predicted against actual", Subtitle: sub, Width: 620, Height: 520, Legend: true,
			Panels: []*panel{pn}, Summary: []string{fmt.Sprintf("%d examples; %s", len(a), sub)},
		}, nil
	})
}

// sharedRange returns one axis range for all the values given, widened to
// round numbers (multiples of 1, 2 or 5 times a power of ten), so that the
// ends of the axes get short labels.
func sharedRange(vs ...[]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if l, h, ok := finiteRange(v); ok {
			lo, hi = math.Min(lo, l), math.Max(hi, h)
		}
	}
	if lo > hi { // no values: callers check, but stay sane
		return 0, 1
	}
	if hi-lo <= 1e-9*math.Max(math.Abs(lo), math.Abs(hi)) { // one value, give or take rounding
		d := math.Max(math.Abs(lo)*0.1, 0.5)
		lo, hi = lo-d, hi+d
	}
	step := niceStep((hi - lo) / 5)
	// clean drops float noise (0.30000000000000004), then a step out makes
	// up for any value it cut off.
	clean := func(v float64) float64 {
		c, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
		return c
	}
	nlo, nhi := clean(math.Floor(lo/step)*step), clean(math.Ceil(hi/step)*step)
	if nlo > lo {
		nlo = clean(nlo - step)
	}
	if nhi < hi {
		nhi = clean(nhi + step)
	}
	return nlo, nhi
}

// niceStep returns the smallest of 1, 2, 5 times a power of ten that is at
// least x (x > 0).
func niceStep(x float64) float64 {
	e := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*e >= x*(1-1e-12) {
			return m * e
		}
	}
	return 10 * e
}

// regressionScores returns the mean absolute error, the root mean squared
// error and the coefficient of determination R².
func regressionScores(a, p []float64) (mae, rmse, r2 float64) {
	mean := 0.0
	for _, v := range a {
		mean += v
	}
	mean /= float64(len(a))
	var se, st float64
	for i := range a {
		d := p[i] - a[i]
		mae += math.Abs(d)
		se += d * d
		st += (a[i] - mean) * (a[i] - mean)
	}
	n := float64(len(a))
	r2 = math.NaN()
	if st > 0 {
		r2 = 1 - se/st
	}
	return mae / n, math.Sqrt(se / n), r2
}

// MSEHistory charts the mean squared error after each update of a gradient
// descent written by hand (the course's mse_hist), iterations from 1.
func MSEHistory(mse []float64, o ...Options) *Chart {
	return build("MSEHistory", o, func(o Options) (*figure, error) {
		if len(mse) == 0 {
			return nil, fmt.Errorf("no values: append the mean squared error after every update, then chart the slice")
		}
		xs := seq(1, len(mse))
		pn := &panel{XLabel: "Iteration", YLabel: "Mean squared error", XInteger: true,
			Series: []*series{{Name: "mse", X: xs, Y: mse, Color: colorAt(o.Colors, 0), Symbols: len(mse) <= 40}}}
		pn.YLog = wantLog(mse)
		n := len(mse)
		line := fmt.Sprintf("%d iterations; mse %s → %s", n, fmtNum(mse[0]), fmtNum(mse[n-1]))
		if k := firstNonFinite(mse); k >= 0 {
			line += fmt.Sprintf(" (%s at iteration %d: the updates diverged; lower the learning rate)", fmtNum(mse[k]), k+1)
		} else {
			pn.Points = append(pn.Points, point{X: xs[n-1], Y: mse[n-1], Label: "final " + fmtNum(mse[n-1]), Color: colorAt(o.Colors, 0)})
		}
		return &figure{
			Title: "Mean squared error during gradient descent", Subtitle: line, Width: 720, Height: 400,
			Panels: []*panel{pn}, Summary: []string{line},
		}, nil
	})
}
