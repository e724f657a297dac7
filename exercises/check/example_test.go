package check_test

import (
	"fmt"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/exercises/check"
	"github.com/dlnb/dlnb/nn"
)

// The course's network of chapter 1, as its exercises write it.
var (
	inputData = []float64{3, 5}
	weights   = map[string][]float64{"node_0": {2, 4}, "node_1": {4, -5}, "output": {2, 7}}
)

// A hidden layer computed by hand: right with the identity activation,
// not yet with relu (the second node's sum is negative).
func ExampleHidden() {
	node0 := inputData[0]*weights["node_0"][0] + inputData[1]*weights["node_0"][1]
	node1 := inputData[0]*weights["node_1"][0] + inputData[1]*weights["node_1"][1]
	check.Hidden(0, inputData, weights, nn.Linear, []float64{node0, node1})
	check.Hidden(0, inputData, weights, nn.ReLU, []float64{node0, node1})
	// Output:
	// ✓ hidden layer: right ([26 -13])
	// ✗ hidden layer: not yet: node_1 is -13
	//   hint: that is the node's sum before the activation: apply relu to it
}

// A blank left as it is: the check says what to look at.
func ExampleOutput() {
	output := 0.0 // the student's blank
	if !check.Output(inputData, weights, nn.ReLU, output) {
		fmt.Println("(keep going)")
	}
	// Output:
	// ✗ output: not yet: you have 0
	//   hint: multiply each value of the last hidden layer by its weight in the weights map's "output"
	//         list and add them up (if a hidden layer check above says not yet, fix that first)
	// (keep going)
}

// Checks of functions the student writes try them on several inputs; a
// panic is reported, not raised.
func ExampleReLU() {
	check.ReLU(func(x float64) float64 { return max(0, x) })
	check.ReLU(func(x float64) float64 { return x })
	check.ReLU(func(x float64) float64 { var s []float64; return s[0] })
	// Output:
	// ✓ relu: right
	// ✗ relu: not yet: relu(-13) gives -13
	//   hint: relu returns its input when the input is positive and 0 otherwise (Go's built-in max can
	//         do it)
	// ✗ relu: not yet: relu(3) panicked: runtime error: index out of range [0] with length 0
	//   hint: relu returns its input when the input is positive and 0 otherwise (Go's built-in max can
	//         do it)
}

// The slope of the squared error, and a common slip.
func ExampleSlope() {
	input, w, target := []float64{1, 2, 3}, []float64{0, 2, 1}, 0.0
	check.Slope(input, w, target, []float64{14, 28, 42})
	check.Slope(input, w, target, []float64{7, 14, 21})
	// Output:
	// ✓ slope: right ([14 28 42])
	// ✗ slope: not yet: you have [7 14 21]
	//   hint: that is half the slope: the slope of the squared error is 2 * input * error
}

// The MSE history of 20 updates, recorded after each update (right) or
// before it (a common slip).
func ExampleMSEHistory() {
	input, target, rate := []float64{1, 2, 3}, 0.0, 0.01
	var after []float64
	w := []float64{0, 2, 1}
	for range 20 {
		e := input[0]*w[0] + input[1]*w[1] + input[2]*w[2] - target
		for i := range w {
			w[i] -= rate * 2 * input[i] * e
		}
		e = input[0]*w[0] + input[1]*w[1] + input[2]*w[2] - target
		after = append(after, e*e)
	}
	check.MSEHistory(input, target, []float64{0, 2, 1}, rate, 20, after)
	check.MSEHistory(input, target, []float64{0, 2, 1}, rate, 20, nil)
	// Output:
	// ✓ mseHist: right (25.4 -> 9.627e-05)
	// ✗ mseHist: not yet: you have 0 values, want 20 (one per update)
	//   hint: in the loop, after updating the weights, append getMSE(...) of the new weights to
	//         mseHist
}

// A model specified the course's way, and one without relu on its first layer.
func ExampleWagesModel() {
	nCols := datasets.HourlyWages().NumFeatures()
	check.WagesModel(nn.NewSequential(
		nn.Dense{Units: 50, Activation: nn.ReLU, InputDim: nCols},
		nn.Dense{Units: 32, Activation: nn.ReLU},
		nn.Dense{Units: 1},
	))
	check.WagesModel(nn.NewSequential(
		nn.Dense{Units: 50, InputDim: nCols},
		nn.Dense{Units: 32, Activation: nn.ReLU},
		nn.Dense{Units: 1},
	))
	// Output:
	// ✓ model: right (Dense(50, relu), Dense(32, relu), Dense(1), 2165 parameters)
	// ✗ model: not yet: layer 0 (dense) has 50 units and activation linear
	//   hint: layer 0 should be Dense(50, relu); the model is Dense(50, relu), Dense(32, relu),
	//         Dense(1)
}

// Keras' validation split keeps the last rows: int(n*(1-split)) train.
func ExampleValidationRows() {
	check.ValidationRows(891, 0.3, 268)
	check.ValidationRows(891, 0.3, 267)
	// Output:
	// ✓ validation rows: right (268 of 891; 623 rows train)
	// ✗ validation rows: not yet: you have 267
	//   hint: Keras trains on the first int(n * (1 - split)) rows (rounded down) and validates on the
	//         rest
}

// Early stopping, checked against Keras' rule replayed on the history. The
// history here is written out as Fit returns it with &nn.EarlyStopping{Patience: 2}
// (the lesson's Titanic model: val_loss rose twice after epoch 2, so it stopped after 4).
func ExampleEarlyStopping() {
	stop := &nn.EarlyStopping{Patience: 2}
	history := &nn.History{
		Epoch:      []int{0, 1, 2, 3},
		History:    map[string][]float64{"val_loss": {0.681, 0.553, 0.739, 0.557}},
		StopReason: nn.StopEarlyStopping, StoppedEpoch: 3, BestEpoch: 1, Best: 0.553, Monitor: "val_loss",
	}
	check.EarlyStopping(history, nil, stop, 2, 30)
	check.EarlyStopping(history, nil, nil, 2, 30)
	history.History["val_loss"] = append(history.History["val_loss"], 0.6)
	check.EarlyStopping(history, nil, stop, 2, 30)
	// Output:
	// ✓ early stopping: right (stopped after epoch 4 of 30; the best val_loss was at epoch 2)
	// ✗ early stopping: not yet: there is no EarlyStopping callback
	//   hint: make one, &nn.EarlyStopping{Patience: 2}, and pass it to Fit in FitOptions.Callbacks
	// ✗ early stopping: not yet: training ran 5 epochs; with these val_loss values the rule stops after 4
	//   hint: give Fit at most 30 epochs (Epochs: 30) and the callback
}
