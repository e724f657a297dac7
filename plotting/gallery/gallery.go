// Package gallery makes one of each chart of package plotting from real,
// small, seeded nn trainings, and a few cases that once drew badly. The
// browser test renders them, and they are the pictures to look at when
// changing how charts look.
package gallery

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/nn"
	"github.com/dlnb/dlnb/plotting"
)

// Sample is one chart with a file-friendly name.
type Sample struct {
	Name  string
	Chart *plotting.Chart
}

// circles makes n points in [-2, 2]² labelled 1 inside the unit circle: a
// problem a hidden layer is needed for.
func circles(n int, seed uint64) (x [][]float64, y []int) {
	r := rand.New(rand.NewPCG(seed, 1))
	for range n {
		a, b := r.Float64()*4-2, r.Float64()*4-2
		c := 0
		if a*a+b*b+r.NormFloat64()*0.3 < 1.6 {
			c = 1
		}
		x = append(x, []float64{a, b})
		y = append(y, c)
	}
	return x, y
}

func classifier(units ...int) *nn.Sequential {
	m := nn.NewSequential()
	m.Seed = 7
	for i, u := range units {
		d := nn.Dense{Units: u, Activation: nn.ReLU}
		if i == 0 {
			d.InputDim = 2
		}
		m.Add(d)
	}
	m.Add(nn.Dense{Units: 2, Activation: nn.Softmax})
	return m
}

// All trains the small models and returns every kind of chart, then the
// cases that once drew badly.
func All() ([]Sample, error) {
	x, yc := circles(600, 1)
	y, err := nn.ToCategorical(yc, 2)
	if err != nil {
		return nil, err
	}
	var out []Sample
	add := func(name string, c *plotting.Chart) { out = append(out, Sample{name, c}) }

	// History with early stopping.
	m := classifier(16)
	if err := m.Compile(nn.Adam{LearningRate: 0.02}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
		return nil, err
	}
	stop := &nn.EarlyStopping{Patience: 3}
	h, err := m.Fit(x, y, nn.FitOptions{Epochs: 60, ValidationSplit: 0.3, Callbacks: []nn.Callback{stop}})
	if err != nil {
		return nil, err
	}
	add("history", plotting.History(h))

	// Two models compared: narrow and wide.
	narrow, wide := classifier(2), classifier(32)
	var runs []plotting.Run
	for _, r := range []struct {
		name string
		m    *nn.Sequential
	}{{"narrow", narrow}, {"wide", wide}} {
		if err := r.m.Compile(nn.SGD{LearningRate: 0.1}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
			return nil, err
		}
		h, err := r.m.Fit(x, y, nn.FitOptions{Epochs: 25, ValidationSplit: 0.3})
		if err != nil {
			return nil, err
		}
		runs = append(runs, plotting.Run{Name: r.name, Model: r.m, History: h})
	}
	add("compare", plotting.Compare(runs))

	// Learning rates on a regression: 1 blows the loss up.
	xr, yr := regression(200, 3)
	lrs := map[float64]*nn.History{}
	for _, lr := range []float64{1e-6, 0.01, 1} {
		m := nn.NewSequential(nn.Dense{Units: 8, Activation: nn.ReLU, InputDim: 2}, nn.Dense{Units: 1})
		m.Seed = 3
		if err := m.Compile(nn.SGD{LearningRate: lr}, nn.MeanSquaredError); err != nil {
			return nil, err
		}
		h, err := m.Fit(xr, yr, nn.FitOptions{Epochs: 15})
		if err != nil && h == nil {
			return nil, err
		}
		lrs[lr] = h
	}
	add("learning-rates", plotting.LearningRates(lrs))

	add("activations", plotting.Activations(nil))

	// Vanishing gradients: a deep sigmoid network against a deep relu one.
	var grads []plotting.GradientRun
	var rec *plotting.GradientRecorder
	for _, act := range []nn.Activation{nn.Sigmoid, nn.ReLU} {
		m := nn.NewSequential()
		m.Seed = 5
		for i := range 6 {
			d := nn.Dense{Units: 10, Activation: act}
			if i == 0 {
				d.InputDim = 2
			}
			m.Add(d)
		}
		m.Add(nn.Dense{Units: 2, Activation: nn.Softmax})
		if err := m.Compile(nn.SGD{LearningRate: 0.05}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
			return nil, err
		}
		g, err := m.LayerGradients(x, y)
		if err != nil {
			return nil, err
		}
		grads = append(grads, plotting.GradientRun{Name: string(act), Values: g})
		if act == nn.Sigmoid {
			rec = &plotting.GradientRecorder{X: x[:100], Y: sliceRows(y, 100)}
			if _, err := m.Fit(x, y, nn.FitOptions{Epochs: 10, Callbacks: []nn.Callback{rec}}); err != nil {
				return nil, err
			}
		}
	}
	add("gradients", plotting.Gradients(grads))
	add("gradients-training", rec.Chart())

	// Capacity: growing units.
	var pts []plotting.CapacityPoint
	for _, u := range []int{1, 2, 4, 16, 64} {
		m := classifier(u)
		if err := m.Compile(nn.Adam{LearningRate: 0.02}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
			return nil, err
		}
		h, err := m.Fit(x, y, nn.FitOptions{Epochs: 15, ValidationSplit: 0.3})
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("%d units", u)
		if u == 1 {
			name = "1 unit"
		}
		p, err := plotting.CapacityOf(name, m, h, "")
		if err != nil {
			return nil, err
		}
		pts = append(pts, p)
	}
	add("capacity", plotting.Capacity(pts))

	// Predictions of the first classifier.
	pred, err := m.Predict(x)
	if err != nil {
		return nil, err
	}
	add("probabilities", plotting.ProbabilitiesByClass(pred, yc, plotting.Options{Classes: []string{"outside", "inside"}}))
	add("confusion", plotting.ConfusionMatrix(yc, pred, plotting.Options{Classes: []string{"outside", "inside"}}))

	// Regression: predicted against actual.
	reg := nn.NewSequential(nn.Dense{Units: 16, Activation: nn.ReLU, InputDim: 2}, nn.Dense{Units: 1})
	reg.Seed = 11
	if err := reg.Compile(nn.Adam{LearningRate: 0.01}, nn.MeanSquaredError); err != nil {
		return nil, err
	}
	if _, err := reg.Fit(xr, yr, nn.FitOptions{Epochs: 60}); err != nil {
		return nil, err
	}
	pr, err := reg.Predict(xr)
	if err != nil {
		return nil, err
	}
	add("predicted-vs-actual", plotting.PredictedVsActual(yr, pr))

	add("mse-history", plotting.MSEHistory(handGradientDescent()))

	// The course's forward-propagation network.
	fp := nn.NewSequential(
		nn.Dense{Units: 2, InputDim: 2, Activation: nn.Linear, Kernel: [][]float64{{1, -1}, {1, 1}}, Name: "hidden"},
		nn.Dense{Units: 1, Activation: nn.Linear, Kernel: [][]float64{{2}, {-1}}, Name: "output"},
	)
	add("network", plotting.NetworkOf(fp, []float64{2, 3}))

	// Cases that once drew badly. Mazur's network from the course's
	// backpropagation lesson, trained: biases under the nodes, values too
	// wide for the default circle, and a loss whose best epoch is the last
	// (its label must stay inside the chart).
	mz := nn.NewSequential(
		nn.Dense{Units: 2, Activation: nn.Sigmoid, Name: "hidden",
			Kernel: [][]float64{{.15, .25}, {.20, .30}}, Bias: []float64{.35, .35}, FreezeBias: true},
		nn.Dense{Units: 2, Activation: nn.Sigmoid, Name: "output",
			Kernel: [][]float64{{.40, .50}, {.45, .55}}, Bias: []float64{.60, .60}, FreezeBias: true},
	)
	mz.DType = nn.Float64
	if err := mz.Compile(nn.SGD{LearningRate: 0.5}, nn.MeanSquaredError); err != nil {
		return nil, err
	}
	mzX := [][]float64{{0.05, 0.10}}
	hm, err := mz.Fit(mzX, [][]float64{{0.01, 0.99}}, nn.FitOptions{Epochs: 2000, BatchSize: 1})
	if err != nil {
		return nil, err
	}
	add("history-best-last", plotting.History(hm))
	add("network-biases", plotting.NetworkOf(mz, mzX[0]))
	// A regression trained for 2 epochs predicts a much narrower range than
	// the truth: y = x must still cross the chart.
	under := nn.NewSequential(nn.Dense{Units: 16, Activation: nn.ReLU, InputDim: 2}, nn.Dense{Units: 1})
	under.Seed = 11
	if err := under.Compile(nn.Adam{LearningRate: 0.003}, nn.MeanSquaredError); err != nil {
		return nil, err
	}
	if _, err := under.Fit(xr, yr, nn.FitOptions{Epochs: 2}); err != nil {
		return nil, err
	}
	pu, err := under.Predict(xr)
	if err != nil {
		return nil, err
	}
	add("predicted-vs-actual-underfit", plotting.PredictedVsActual(yr, pu))

	// Lesson 5's held-out passengers: the histogram split by class has two
	// stacked bars of 24 (20 + 4, 19 + 5), which the static chart cut off at
	// 21, the height of the tallest single class.
	if err := titanicProbabilities(add); err != nil {
		return nil, err
	}
	// Lesson 7's early stopping: the best val_accuracy sits at the top of
	// its panel on the best epoch's mark, and the last one on the early
	// stop's; the white box behind the marks' labels hid half of each point.
	if err := titanicEarlyStopping(add); err != nil {
		return nil, err
	}

	// Lesson 6's deep networks, 10 hidden layers and the output layer: the
	// 11 lines of the recorder repeated the palette's colors (layer 11 was
	// layer 1's blue) and the legend scrolled; Gradients' axis dropped every
	// other layer's label.
	var deep []plotting.GradientRun
	var deepRec *plotting.GradientRecorder
	for _, act := range []nn.Activation{nn.Sigmoid, nn.ReLU} {
		m := nn.NewSequential()
		m.Seed = 1
		for i := range 10 {
			d := nn.Dense{Units: 8, Activation: act}
			if i == 0 {
				d.InputDim = 2
			}
			m.Add(d)
		}
		m.Add(nn.Dense{Units: 2, Activation: nn.Softmax})
		if err := m.Compile(nn.SGD{}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
			return nil, err
		}
		g, err := m.LayerGradients(x, y)
		if err != nil {
			return nil, err
		}
		deep = append(deep, plotting.GradientRun{Name: string(act), Values: g})
		if act == nn.Sigmoid {
			deepRec = &plotting.GradientRecorder{X: x[:100], Y: sliceRows(y, 100)}
			if _, err := m.Fit(x, y, nn.FitOptions{Epochs: 5, Callbacks: []nn.Callback{deepRec}}); err != nil {
				return nil, err
			}
		}
	}
	add("gradients-deep", plotting.Gradients(deep))
	add("gradients-training-deep", deepRec.Chart(plotting.Options{Title: "Deep sigmoid network: gradient size per layer during training"}))

	// A capacity study whose best model is neither the smallest nor the
	// largest and scores exactly at the top of the axis: its label, above
	// the point, ran into the subtitle. (Scores written out, so that the
	// best one is a round 0.92.)
	add("capacity-best-at-top", plotting.CapacityByLayers([]plotting.CapacityPoint{
		{Name: "1 hidden layer", Params: 25450, HiddenLayers: 1, Score: 0.90, Metric: "val_accuracy"},
		{Name: "2 hidden layers", Params: 26506, HiddenLayers: 2, Score: 0.92, Metric: "val_accuracy"},
		{Name: "3 hidden layers", Params: 27562, HiddenLayers: 3, Score: 0.91, Metric: "val_accuracy"},
	}))

	for _, s := range out {
		if err := s.Chart.Err(); err != nil {
			return nil, fmt.Errorf("sample %s: %w", s.Name, err)
		}
	}
	return out, nil
}

// titanicProbabilities trains lesson 5's model on the first 800 passengers
// and charts its predictions for the other 91 by their true class.
func titanicProbabilities(add func(string, *plotting.Chart)) error {
	all := datasets.Titanic()
	train, err := all.Slice(0, 800)
	if err != nil {
		return err
	}
	held, err := all.Slice(800, 891)
	if err != nil {
		return err
	}
	target, err := train.YOneHot()
	if err != nil {
		return err
	}
	truth, err := held.YOneHot()
	if err != nil {
		return err
	}
	m := nn.NewSequential(
		nn.Dense{Units: 32, Activation: nn.ReLU, InputDim: train.NumFeatures()},
		nn.Dense{Units: 2, Activation: nn.Softmax},
	)
	m.Seed = 1
	if err := m.Compile(nn.SGD{}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
		return err
	}
	if _, err := m.Fit(train.X, target, nn.FitOptions{Epochs: 10}); err != nil {
		return err
	}
	pred, err := m.Predict(held.X)
	if err != nil {
		return err
	}
	add("probabilities-stacked", plotting.ProbabilitiesByClass(pred, truth, plotting.Options{Classes: []string{"died", "survived"}}))
	return nil
}

// titanicEarlyStopping trains lesson 7's model with early stopping.
func titanicEarlyStopping(add func(string, *plotting.Chart)) error {
	d := datasets.Titanic()
	target, err := d.YOneHot()
	if err != nil {
		return err
	}
	m := nn.NewSequential(
		nn.Dense{Units: 100, Activation: nn.ReLU, InputDim: d.NumFeatures()},
		nn.Dense{Units: 100, Activation: nn.ReLU},
		nn.Dense{Units: 2, Activation: nn.Softmax},
	)
	m.Seed = 0
	if err := m.Compile(nn.Adam{}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
		return err
	}
	h, err := m.Fit(d.X, target, nn.FitOptions{Epochs: 30, ValidationSplit: 0.3,
		Callbacks: []nn.Callback{&nn.EarlyStopping{Patience: 2}}})
	if err != nil {
		return err
	}
	add("history-marks-on-points", plotting.History(h))
	return nil
}

func sliceRows(y interface {
	Dims() (int, int)
	At(i, j int) float64
}, n int) [][]float64 {
	_, c := y.Dims()
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, c)
		for j := range out[i] {
			out[i][j] = y.At(i, j)
		}
	}
	return out
}

// regression makes y = 2 a - 3 b + noise.
func regression(n int, seed uint64) (x [][]float64, y []float64) {
	r := rand.New(rand.NewPCG(seed, 2))
	for range n {
		a, b := r.Float64()*2-1, r.Float64()*2-1
		x = append(x, []float64{a, b})
		y = append(y, 2*a-3*b+r.NormFloat64()*0.2)
	}
	return x, y
}

// handGradientDescent is the course's lesson 2: 20 updates of three weights
// on one data set, recording the mean squared error after each.
func handGradientDescent() []float64 {
	xs := [][]float64{{1, 2, 3}, {2, 1, 0}, {3, 0, 1}, {0, 3, 2}}
	ys := []float64{12, 5, 6, 11}
	w := []float64{0, 2, 1}
	var hist []float64
	for range 20 {
		slope := make([]float64, 3)
		for i, x := range xs {
			pred := 0.0
			for k := range w {
				pred += x[k] * w[k]
			}
			for k := range w {
				slope[k] += 2 * x[k] * (pred - ys[i]) / float64(len(xs))
			}
		}
		for k := range w {
			w[k] -= 0.01 * slope[k]
		}
		mse := 0.0
		for i, x := range xs {
			pred := 0.0
			for k := range w {
				pred += x[k] * w[k]
			}
			mse += (pred - ys[i]) * (pred - ys[i]) / float64(len(xs))
		}
		hist = append(hist, mse)
	}
	if math.IsNaN(hist[0]) {
		panic(errors.New("unreachable"))
	}
	return hist
}
