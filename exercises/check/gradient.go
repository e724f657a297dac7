package check

import (
	"fmt"
	"math"
	"slices"

	"github.com/dlnb/dlnb/nn"
)

// Lesson 2, errors, slopes and gradient descent. The network of the first
// checks is the course's hand-written one with relu hidden nodes; the slope
// checks use the course's model without a hidden layer, prediction =
// sum(input * weights), with the squared error as the loss:
//
//	error = prediction - target
//	slope = 2 * input * error          (one number per weight)
//	weights_updated = weights - learning_rate * slope

// PredictionError checks the prediction error of the relu network of
// weights for one input row: the network's prediction minus the target.
func PredictionError(input []float64, weights map[string][]float64, target, got float64) bool {
	return report(predictionError(input, weights, target, got))
}

func predictionError(input []float64, weights map[string][]float64, target, got float64) result {
	const name = "error"
	n, r, ok := courseNetwork(name, weights, len(input), nn.ReLU, "input row")
	if !ok {
		return r
	}
	want := n.forward(input, nn.ReLU).output - target
	if within(got, want, HandTol) {
		return right(name, num(got))
	}
	hint := "predict the row with the network (relu hidden nodes), then subtract the target"
	if want != 0 && within(got, -want, HandTol) {
		hint = "the error is the prediction minus the target, not the other way round"
	}
	return notYet(name, "you have "+num(got), hint)
}

// ZeroError checks weights1, a change of weights0 that makes the relu
// network predict the target for the input row exactly. The course changes
// a single weight; any change that works is accepted.
func ZeroError(input []float64, target float64, weights0, weights1 map[string][]float64) bool {
	return report(zeroError(input, target, weights0, weights1))
}

func zeroError(input []float64, target float64, weights0, weights1 map[string][]float64) result {
	const name = "weights1"
	n0, err := parseNetwork(weights0, len(input))
	if err != nil {
		return notYet(name, "cannot check: weights0: "+err.Error(), "the check needs the course's input row and weights0, as the notebook defines them")
	}
	n1, err := parseNetwork(weights1, len(input))
	if err != nil {
		return notYet(name, err.Error(), "start from a copy of weights0 (the same keys and sizes) and change one number")
	}
	changed := 0
	for k, w := range weights1 {
		for i := range w {
			if w[i] != weights0[k][i] {
				changed++
			}
		}
	}
	pred := n1.forward(input, nn.ReLU).output
	if changed == 0 {
		return notYet(name, fmt.Sprintf("weights1 is the same as weights0: the prediction is %s, the target %s", num(pred), num(target)),
			"change one weight so that the network predicts the target (an output weight is the easiest to reason about)")
	}
	if !within(pred, target, HandTol) {
		return notYet(name, fmt.Sprintf("with weights1 the network predicts %s, the target is %s (error %s)", num(pred), num(target), num(pred-target)),
			fmt.Sprintf("the output is node_0*weights[\"output\"][0] + node_1*weights[\"output\"][1]; with weights_0 the hidden values are %s: which weight change moves the output onto the target?", nums(n0.forward(input, nn.ReLU).values[len(n0.layers)-1])))
	}
	detail := "error 0"
	if changed > 1 {
		detail += fmt.Sprintf(", %d weights changed; one is enough", changed)
	}
	return right(name, detail)
}

// MeanSquaredError checks a function that returns the mean squared error of
// predictions against targets: the mean over the rows of (prediction -
// target) squared. It tries it on a few rows of numbers.
func MeanSquaredError(mse func(predictions, targets []float64) float64) bool {
	return report(meanSquaredError(mse))
}

func meanSquaredError(mse func(predictions, targets []float64) float64) result {
	const name = "meanSquaredError"
	const hint = "for every row, square prediction minus target; then take the mean of those squares"
	if mse == nil {
		return notYet(name, "the function is nil", "write the body of func meanSquaredError")
	}
	cases := [][2][]float64{
		{{3, 7, 1}, {1, 3, 5}},
		{{9, 3, 6, 0}, {1, 3, 5, 7}},
		{{2.5}, {2.5}},
	}
	for _, c := range cases {
		p, t := slices.Clone(c[0]), slices.Clone(c[1])
		var got float64
		if err := call(func() { got = mse(p, t) }); err != nil {
			return notYet(name, fmt.Sprintf("meanSquaredError(%s, %s) panicked: %v", nums(c[0]), nums(c[1]), err), hint)
		}
		var sq, abs, sum float64
		for i := range c[0] {
			e := c[0][i] - c[1][i]
			sq += e * e
			abs += math.Abs(e)
			sum += e
		}
		k := float64(len(c[0]))
		want := sq / k
		if within(got, want, HandTol) {
			continue
		}
		h := hint
		switch {
		case within(got, sq, HandTol):
			h = "that is the sum of the squared errors: divide it by the number of rows"
		case within(got, math.Sqrt(want), HandTol):
			h = "that is the square root of the mean squared error (RMSE): leave the root out"
		case within(got, abs/k, HandTol):
			h = "that is the mean absolute error: square each error instead"
		case within(got, sum/k, HandTol) || within(got, (sum/k)*(sum/k), HandTol):
			h = "square each row's error before taking the mean (positive and negative errors must not cancel)"
		}
		return notYet(name, fmt.Sprintf("meanSquaredError(%s, %s) gives %s", nums(c[0]), nums(c[1]), num(got)), h)
	}
	return right(name, "")
}

// NetworkMSE checks got, the mean squared error of the relu network of
// weights over the input rows and their targets. name is how the notebook
// calls the value ("mse_0").
func NetworkMSE(name string, inputs [][]float64, targets []float64, weights map[string][]float64, got float64) bool {
	return report(networkMSE(name, inputs, targets, weights, got))
}

func networkMSE(name string, inputs [][]float64, targets []float64, weights map[string][]float64, got float64) result {
	if len(inputs) == 0 || len(inputs) != len(targets) {
		return notYet(name, fmt.Sprintf("cannot check: %s and %s", plural(len(inputs), "input row"), plural(len(targets), "target")), "pass the notebook's input rows and one target per row")
	}
	n, err := parseNetwork(weights, len(inputs[0]))
	if err != nil {
		return notYet(name, "cannot check: "+err.Error(), "the check needs the course's input rows and weights maps, as the notebook defines them")
	}
	var sq, sum float64
	for i, row := range inputs {
		if len(row) != len(inputs[0]) {
			return notYet(name, fmt.Sprintf("cannot check: input row %d has %s, row 0 has %d", i, plural(len(row), "value"), len(inputs[0])), "give every input row the same number of values")
		}
		e := n.forward(row, nn.ReLU).output - targets[i]
		sq += e * e
		sum += e
	}
	k := float64(len(inputs))
	want := sq / k
	if within(got, want, HandTol) {
		return right(name, num(got))
	}
	hint := "predict every row with this weights map, then take meanSquaredError of the predictions and the targets"
	if within(got, sq, HandTol) {
		hint = "that is the sum of the squared errors: divide by the number of rows"
	}
	return notYet(name, "you have "+num(got), hint)
}

// linear is the course's model without a hidden layer.
func linear(input, weights []float64) float64 { return dot(input, weights) }

func slopeOf(input []float64, target float64, weights []float64) []float64 {
	e := linear(input, weights) - target
	s := make([]float64, len(input))
	for i, x := range input {
		s[i] = 2 * x * e
	}
	return s
}

func mseOf(input []float64, target float64, weights []float64) float64 {
	e := linear(input, weights) - target
	return e * e
}

// checkLinear checks the inputs of the slope checks.
func checkLinear(input, weights []float64) error {
	if len(input) == 0 {
		return fmt.Errorf("the input row is empty")
	}
	if len(weights) != len(input) {
		return fmt.Errorf("%s for %s: the model has one weight per input", plural(len(weights), "weight"), plural(len(input), "input"))
	}
	return nil
}

// slopeHint says what is wrong with a slope that is not right.
func slopeHint(input []float64, target float64, weights, got []float64) string {
	want := slopeOf(input, target, weights)
	e := linear(input, weights) - target
	scaled := func(f func(i int) float64) bool {
		for i := range want {
			if !within(got[i], f(i), HandTol) {
				return false
			}
		}
		return true
	}
	switch {
	case e != 0 && scaled(func(i int) float64 { return want[i] / 2 }):
		return "that is half the slope: the slope of the squared error is 2 * input * error"
	case e != 0 && scaled(func(i int) float64 { return -want[i] }):
		return "the sign is wrong: the error is prediction minus target"
	case e != 0 && scaled(func(i int) float64 { return 2 * weights[i] * e }):
		return "multiply the error by each weight's input (the input it multiplies), not by the weight"
	}
	return "prediction = sum of input * weights; error = prediction - target; the slope for weight i is 2 * input[i] * error"
}

// Slope checks the slope of the squared error with respect to each weight,
// for one input row and its target: 2 * input * error.
func Slope(input, weights []float64, target float64, got []float64) bool {
	return report(slope(input, weights, target, got))
}

func slope(input, weights []float64, target float64, got []float64) result {
	const name = "slope"
	if err := checkLinear(input, weights); err != nil {
		return notYet(name, "cannot check: "+err.Error(), "pass the notebook's input row and weights")
	}
	if len(got) != len(weights) {
		return notYet(name, fmt.Sprintf("you have %s, want one per weight (%d)", plural(len(got), "number"), len(weights)),
			"the slope has one number per weight: 2 * input[i] * error for weight i")
	}
	if ok, _ := allClose(got, slopeOf(input, target, weights), HandTol); ok {
		return right(name, nums(got))
	}
	return notYet(name, "you have "+nums(got), slopeHint(input, target, weights, got))
}

// Update checks weights after one step of gradient descent: weights -
// learningRate * slope, with the slope of the squared error on the input row.
// name is how the notebook calls the result ("weights_updated").
func Update(name string, input, weights []float64, target, learningRate float64, got []float64) bool {
	return report(update(name, input, weights, target, learningRate, got))
}

func update(name string, input, weights []float64, target, learningRate float64, got []float64) result {
	if err := checkLinear(input, weights); err != nil {
		return notYet(name, "cannot check: "+err.Error(), "pass the notebook's input row and the weights before the update")
	}
	if len(got) != len(weights) {
		return notYet(name, fmt.Sprintf("you have %s, want one per weight (%d)", plural(len(got), "number"), len(weights)),
			"one new value per weight: the weight minus the learning rate times its slope")
	}
	s := slopeOf(input, target, weights)
	step := func(sign, rate float64) []float64 {
		out := make([]float64, len(weights))
		for i := range weights {
			out[i] = weights[i] + sign*rate*s[i]
		}
		return out
	}
	if ok, _ := allClose(got, step(-1, learningRate), HandTol); ok {
		return right(name, nums(got))
	}
	hint := "each new weight is the old weight minus learning_rate * its slope"
	if ok, _ := allClose(got, step(+1, learningRate), HandTol); ok {
		hint = "you moved up the slope: subtract learning_rate * slope, to go down"
	} else if ok, _ := allClose(got, step(-1, 1), HandTol); ok {
		hint = "multiply the slope by the learning rate before subtracting it"
	} else if ok, _ := allClose(got, weights, HandTol); ok {
		hint = "those are the weights before the update: subtract learning_rate * slope from them"
	}
	return notYet(name, "you have "+nums(got), hint)
}

// linearCases are the rows the function checks try: the course's first,
// then others with more and fewer inputs and nonzero targets.
var linearCases = []struct {
	input, weights []float64
	target         float64
}{
	{[]float64{1, 2, 3}, []float64{0, 2, 1}, 0},
	{[]float64{3, -1, 0.5, 2}, []float64{1, 0.5, -2, 0.25}, 4},
	{[]float64{-2, 5}, []float64{1.5, 1}, -1},
}

// GetSlope checks a function getSlope(input, target, weights) that returns
// the slope of the squared error with respect to each weight, as the
// course's get_slope. It tries it on a few rows.
func GetSlope(getSlope func(input []float64, target float64, weights []float64) []float64) bool {
	return report(getSlopeCheck(getSlope))
}

func getSlopeCheck(getSlope func(input []float64, target float64, weights []float64) []float64) result {
	const name = "getSlope"
	if getSlope == nil {
		return notYet(name, "the function is nil", "write the body of func getSlope")
	}
	for _, c := range linearCases {
		in, w := slices.Clone(c.input), slices.Clone(c.weights)
		var got []float64
		if err := call(func() { got = getSlope(in, c.target, w) }); err != nil {
			return notYet(name, fmt.Sprintf("getSlope(%s, %s, %s) panicked: %v", nums(c.input), num(c.target), nums(c.weights), err), "compute the prediction, the error, then one slope per weight")
		}
		what := fmt.Sprintf("getSlope(%s, %s, %s)", nums(c.input), num(c.target), nums(c.weights))
		if !slices.Equal(in, c.input) || !slices.Equal(w, c.weights) {
			return notYet(name, what+" changed its arguments", "return a new slice: the caller's input and weights must stay as they are")
		}
		if len(got) != len(c.weights) {
			return notYet(name, fmt.Sprintf("%s returns %s, want one per weight (%d)", what, plural(len(got), "number"), len(c.weights)), "make a slice with one slope per weight")
		}
		if ok, _ := allClose(got, slopeOf(c.input, c.target, c.weights), HandTol); !ok {
			return notYet(name, fmt.Sprintf("%s returns %s", what, nums(got)), slopeHint(c.input, c.target, c.weights, got))
		}
	}
	return right(name, "")
}

// GetMSE checks a function getMSE(input, target, weights) that returns the
// mean squared error of the model's prediction for the row, as the course's
// get_mse (for one row, the squared error).
func GetMSE(getMSE func(input []float64, target float64, weights []float64) float64) bool {
	return report(getMSECheck(getMSE))
}

func getMSECheck(getMSE func(input []float64, target float64, weights []float64) float64) result {
	const name = "getMSE"
	if getMSE == nil {
		return notYet(name, "the function is nil", "write the body of func getMSE")
	}
	for _, c := range linearCases {
		in, w := slices.Clone(c.input), slices.Clone(c.weights)
		var got float64
		what := fmt.Sprintf("getMSE(%s, %s, %s)", nums(c.input), num(c.target), nums(c.weights))
		if err := call(func() { got = getMSE(in, c.target, w) }); err != nil {
			return notYet(name, what+" panicked: "+err.Error(), "compute the prediction, the error, and square it")
		}
		if !slices.Equal(in, c.input) || !slices.Equal(w, c.weights) {
			return notYet(name, what+" changed its arguments", "only read input and weights: the caller's slices must stay as they are")
		}
		want := mseOf(c.input, c.target, c.weights)
		if !within(got, want, HandTol) {
			e := linear(c.input, c.weights) - c.target
			h := "prediction = sum of input * weights; error = prediction - target; the mean squared error of one row is error squared"
			if within(got, e, HandTol) || within(got, math.Abs(e), HandTol) {
				h = "that is the error itself: square it"
			}
			return notYet(name, fmt.Sprintf("%s returns %s", what, num(got)), h)
		}
	}
	return right(name, "")
}

// descent runs the course's gradient descent: n updates of weights, and the
// MSE before each update and after it.
func descent(input []float64, target float64, weights []float64, learningRate float64, n int) (before, after []float64, final []float64) {
	w := slices.Clone(weights)
	for range n {
		before = append(before, mseOf(input, target, w))
		s := slopeOf(input, target, w)
		for i := range w {
			w[i] -= learningRate * s[i]
		}
		after = append(after, mseOf(input, target, w))
	}
	return before, after, w
}

// maxUpdates bounds the updates a check replays: a loop of gradient descent
// by hand makes tens, and a wrong n must not make the check run for ever.
const maxUpdates = 100000

// MSEHistory checks got, the MSE after each of n updates of gradient descent
// (the course's mse_hist), starting from weights with the given learning rate.
// Pass the starting weights, not the weights after the loop: Go's slices
// share their numbers, so a loop that updates weights in place changes the
// slice it was given.
func MSEHistory(input []float64, target float64, weights []float64, learningRate float64, n int, got []float64) bool {
	return report(mseHistory(input, target, weights, learningRate, n, got))
}

func mseHistory(input []float64, target float64, weights []float64, learningRate float64, n int, got []float64) result {
	const name = "mseHist"
	if err := checkLinear(input, weights); err != nil {
		return notYet(name, "cannot check: "+err.Error(), "pass the notebook's input row and starting weights")
	}
	if n < 1 || n > maxUpdates {
		return notYet(name, fmt.Sprintf("cannot check: n is %d; pass the number of updates the loop makes (1 to %d)", n, maxUpdates), "the course's loop makes 20 updates")
	}
	before, after, _ := descent(input, target, weights, learningRate, n)
	if len(got) != n {
		return notYet(name, fmt.Sprintf("you have %s, want %d (one per update)", plural(len(got), "value"), n),
			"in the loop, after updating the weights, append getMSE(...) of the new weights to mseHist")
	}
	if ok, i := allClose(got, after, HandTol); !ok {
		hint := "each round: slope with the current weights, weights minus learning_rate * slope, then append the MSE of the new weights"
		if ok, _ := allClose(got, before, HandTol); ok {
			hint = "those are the MSEs before each update: append the MSE after updating the weights"
		} else if i > 0 && within(got[i], got[i-1], HandTol) {
			hint = "the MSE does not change from one round to the next: are the weights updated in the loop, and is the slope computed from the current weights?"
		}
		return notYet(name, fmt.Sprintf("update %d: you have %s", i+1, num(got[i])), hint)
	}
	return right(name, fmt.Sprintf("%.4g -> %.4g", got[0], got[n-1]))
}

// SameAsByHand checks that an nn model trained the way the course's gradient
// descent by hand does: one linear unit with the starting weights as its
// kernel and no bias that trains, SGD with the learning rate, mean squared
// error, n epochs on the one row. history.History["loss"][k] must be the MSE
// before update k, and the model's kernel after training the hand-computed
// weights after n updates (within ModelTol).
func SameAsByHand(model *nn.Sequential, history *nn.History, input []float64, target float64, weights []float64, learningRate float64, n int) bool {
	return report(sameAsByHand(model, history, input, target, weights, learningRate, n))
}

func sameAsByHand(model *nn.Sequential, history *nn.History, input []float64, target float64, weights []float64, learningRate float64, n int) result {
	const name = "nn model"
	if err := checkLinear(input, weights); err != nil {
		return notYet(name, "cannot check: "+err.Error(), "pass the notebook's input row and starting weights")
	}
	if model == nil {
		return notYet(name, "the model is nil", "make it with nn.NewSequential(nn.Dense{...})")
	}
	if model.NumLayers() != 1 {
		return notYet(name, fmt.Sprintf("the model has %s, want 1", plural(model.NumLayers(), "layer")), "the course's model has no hidden layer: one nn.Dense with one unit")
	}
	info, err := model.Layer(0)
	if err != nil {
		return notYet(name, err.Error(), "give the layer its starting weights as Kernel")
	}
	if info.Units != 1 || info.InputDim != len(input) || actName(info.Activation) != string(nn.Linear) {
		return notYet(name, fmt.Sprintf("the layer has %s, %s and activation %s", plural(info.Units, "unit"), plural(info.InputDim, "input"), actName(info.Activation)),
			fmt.Sprintf("one linear unit (no Activation) with %d inputs: Kernel has one row per input", len(input)))
	}
	if history == nil {
		return notYet(name, "the history is nil", "history, err := model.Fit(...) trains the model and returns it")
	}
	if n < 1 || n > maxUpdates {
		return notYet(name, fmt.Sprintf("cannot check: n is %d; pass the number of updates (epochs) it trained (1 to %d)", n, maxUpdates), "the course's loop makes 20 updates")
	}
	before, _, final := descent(input, target, weights, learningRate, n)
	loss := history.History["loss"]
	if len(loss) != n {
		return notYet(name, fmt.Sprintf("the history has %s, want %d", plural(len(loss), "epoch"), n),
			fmt.Sprintf("fit %d epochs (FitOptions.Epochs): with one row, each epoch is one update", n))
	}
	for k := range loss {
		if !within(loss[k], before[k], ModelTol) {
			hint := "the loss of epoch k is the MSE before update k: compare the learning rate (nn.SGD{LearningRate: ...}) and the loss (nn.MeanSquaredError)"
			switch {
			case k == 0:
				hint = "the first loss is the MSE of the starting weights: give the layer Kernel with the starting weights, one row per input ([][]float64{{w0}, {w1}, ...}), and no bias"
			case len(info.Bias) == 1 && info.Bias[0] != 0:
				hint = "the bias trained too: the course's model has none, so keep it at 0 (FreezeBias: true)"
			}
			return notYet(name, fmt.Sprintf("epoch %d: loss %s, by hand %s", k+1, num(loss[k]), num(before[k])), hint)
		}
	}
	for i, w := range final {
		if !within(info.Kernel.At(i, 0), w, ModelTol) {
			return notYet(name, fmt.Sprintf("after training, weight %d is %s, by hand %s", i, num(info.Kernel.At(i, 0)), num(w)),
				fmt.Sprintf("is the bias frozen (FreezeBias: true), and does Fit run %d epochs on the one row?", n))
		}
	}
	return right(name, fmt.Sprintf("loss %.4g -> %.4g, the weights as by hand", loss[0], loss[n-1]))
}
