// Package plotting draws the charts of the lessons: one call per chart, fed
// with what nn returns, shown in a GoNB notebook with Display.
//
//	h, err := model.Fit(x, y, nn.FitOptions{Epochs: 20, ValidationSplit: 0.3,
//		Callbacks: []nn.Callback{&nn.EarlyStopping{Patience: 2}}})
//	plotting.History(h).Display()
//
// # What to chart, and what it tells you
//
// Training:
//   - History: loss and val_loss per epoch (and accuracy beside them). The
//     two curves apart means overfitting; the green line is the best epoch
//     (what EarlyStopping keeps with RestoreBestWeights), the red one where
//     early stopping ended training.
//   - Compare: one metric of several models, named with their number of
//     parameters: is the wider or deeper model worth its size?
//   - LearningRates: the loss per epoch for each learning rate. Too small
//     and the curve stays flat; too large and it jumps up (the axis turns
//     logarithmic so the others stay readable).
//   - Progress: a callback that redraws the loss while Fit runs.
//
// Inside the network:
//   - Activations: each activation and its slope. Backpropagation multiplies
//     by the slope, so where it is 0 (relu below 0) a unit stops learning, and
//     where it is tiny (sigmoid and tanh far from 0) learning crawls.
//   - Gradients, GradientRecorder: the gradient size per layer. In a deep
//     sigmoid network it shrinks by orders of magnitude towards the input:
//     the vanishing-gradient problem.
//   - NetworkOf, Network.Draw: a small network with its weights on the edges
//     and, for one input row, every node's value, as the course draws forward
//     propagation.
//
// Results:
//   - Capacity, CapacityByLayers: validation score against model size, in
//     parameters or in hidden layers.
//   - Probabilities, ProbabilitiesByClass: how confident the predictions are.
//   - ConfusionMatrix: which classes are mistaken for which.
//   - PredictedVsActual: a regression's predictions against the truth.
//   - MSEHistory: the error of a gradient descent written by hand.
//
// Every chart has a title, axis labels and a legend without any option; pass
// an Options value to change the title, size, colors, scale or metric. The
// zero Options is the default.
//
// # Bad input
//
// A chart function never panics. It returns a *Chart that holds the error;
// Display shows the error where the chart would be (and returns it), and Err,
// PNG, SVG, HTML and the Save methods return it. Errors name the problem and
// the fix: "2 actual classes but 1 predicted: pass one of each per example".
//
// # How a chart is shown
//
// Display sends the notebook one output with three forms of the chart: an
// interactive one (an ECharts option: tooltips, a legend that hides and
// shows curves), a static PNG drawn with gonum/plot, and a text
// summary. Jupyter shows the best form it can: the interactive chart in a live
// notebook and in an HTML export; the picture in an untrusted notebook (where
// Jupyter removes scripts), in a PDF or markdown export and on code hosts; the
// text in a terminal. Outside a notebook Display prints the text.
//
// The interactive chart needs ECharts' echarts.min.js, which this repository
// does not contain: scripts/fetch-echarts.sh gets version 5.6.0 from the npm
// registry (npm pack) and checks its SHA-256 (`make test` and the notebook
// setup run it). The package looks for the file in $DLNB_ECHARTS_JS, then in
// build/echarts/ of the repository, then in the user's cache directory, then
// in /usr/local/share/dlnb (see EChartsPath). Without it, Display shows the
// static chart with a note saying how to get ECharts, and SaveHTML returns
// ErrNoECharts.
//
// Nothing is loaded from the network. The first chart each cell displays
// carries ECharts inside it, compressed (about 450 KB), and the cell's other
// charts use it, so every cell works on its own: in the live notebook, after
// a reload, in any order of cells, and in an HTML export opened offline. A
// page written by SaveHTML or SavePage carries it once (about 1 MB).
//
// # How the package is built
//
// Every chart function builds a figure (figure.go): what the chart shows,
// independent of how it is drawn, which the tests check directly. Two
// renderers draw it, following the same layout rules, written once
// (layout.go: where the panels, titles and legend go, where the legend wraps
// its rows, which side of a marked point its label goes on, how far the axes
// reach, which colors mean what). Where ECharts decides something on its own
// (how a legend lays out its entries), the rule is what ECharts does, and the
// static chart draws it the same way:
//
//   - the interactive one (interactive.go) writes an ECharts option, typed
//     in echartsoption.go after ECharts' own option reference, that a small
//     loader (html.go) draws in the browser;
//   - the static one (static.go) builds a gonum/plot Plot per panel, with a
//     few plotters of its own where gonum/plot's do not serve (plotters.go,
//     each saying why), and draws the figure's legend (legend.go).
//
// Both renderers are in this one package, not an interactive and a static
// package: Display sends both forms in every output (the interactive chart
// where scripts run, the picture wherever they do not), so every chart a
// lesson draws needs both, and a program that imports plotting would link
// both packages either way. A split would help only a program that never
// draws a static chart, and none of the lessons is one. Measured (go build
// after an edit of main.go, on this project's 2-core machine with other
// builds sharing it): a program that imports nn and prints a History's values
// is 2.9 MB and builds in 0.3 s; one that also sends an HTML display with
// gonbui, about what an interactive-only package would link, 5.1 MB and
// 0.5-0.7 s; one that displays the History chart 12.8 MB and 0.7 s. Of the difference, 4.4 MB are the twelve Liberation
// faces gonum/plot's root package embeds as its default fonts (the charts
// use two), and 0.75 MB its PDF, EPS and TeX backends, which it links unless
// built with -tags minimal.
//
// SavePNG and SaveSVG write the static chart; PNG, SVG, HTML and MIMEBundle
// return the forms as data. Files are written to a temporary file and renamed.
package plotting
