package check

import (
	"fmt"
	"math"

	"github.com/dlnb/dlnb/nn"
	"gonum.org/v1/gonum/mat"
)

// Lesson 1, forward propagation: the value of each node, the output, relu,
// many rows, and the same network built with nn.

// Hidden checks the values of one hidden layer, got, computed by hand for
// the input row through the network given by weights, with activation act on
// the hidden nodes (nn.Linear for the identity, nn.ReLU, ...). layer counts
// from 0: the nodes "node_0", "node_1" of a network with one hidden layer, or
// "node_L_0", "node_L_1", ... of hidden layer L.
//
//	check.Hidden(0, inputData, weights, nn.Linear, []float64{node0Value, node1Value})
func Hidden(layer int, input []float64, weights map[string][]float64, act nn.Activation, got []float64) bool {
	return report(hidden(layer, input, weights, act, got))
}

func hidden(layer int, input []float64, weights map[string][]float64, act nn.Activation, got []float64) result {
	name := fmt.Sprintf("hidden layer %d", layer)
	n, r, ok := courseNetwork(name, weights, len(input), act, "input row")
	if !ok {
		return r
	}
	if len(n.layers) == 1 {
		name = "hidden layer"
	}
	if layer < 0 || layer >= len(n.layers) {
		return notYet(name, fmt.Sprintf("cannot check: the network has %s, numbered from 0", plural(len(n.layers), "hidden layer")), "pass the number of the layer to check")
	}
	names := n.layers[layer]
	if len(got) != len(names) {
		return notYet(name, fmt.Sprintf("you have %s, want one per node of the layer (%d)", plural(len(got), "value"), len(names)),
			fmt.Sprintf("list the values of the nodes %v, in that order", names))
	}
	p := n.forward(input, act)
	for i, node := range names {
		want, net := p.values[layer][i], p.net[layer][i]
		if within(got[i], want, HandTol) {
			continue
		}
		in := "each input"
		if layer > 0 {
			in = fmt.Sprintf("each value of hidden layer %d", layer-1)
		}
		hint := fmt.Sprintf("multiply %s by its weight in the weights map's %q list and add the products", in, node)
		if act != "" && act != nn.Linear {
			hint += ", then apply " + actName(act) + " to the sum"
		}
		switch {
		case act == nn.ReLU && net < 0 && within(got[i], net, HandTol):
			hint = "that is the node's sum before the activation: apply relu to it"
		case layer > 0:
			hint += fmt.Sprintf(" (the values of hidden layer %d, not the inputs: check that layer first)", layer-1)
		case len(input) == 2 && within(got[i], activate(act, input[0]*weights[node][1]+input[1]*weights[node][0]), HandTol):
			hint = fmt.Sprintf("pair input 0 with the first weight of %q and input 1 with the second", node)
		}
		return notYet(name, fmt.Sprintf("%s is %s", node, num(got[i])), hint)
	}
	return right(name, nums(got))
}

// Output checks the network's output, got, computed by hand for the input row
// with activation act on the hidden nodes. The output node has no
// activation, as in the course.
//
//	check.Output(inputData, weights, nn.ReLU, output)
func Output(input []float64, weights map[string][]float64, act nn.Activation, got float64) bool {
	return report(output(input, weights, act, got))
}

func output(input []float64, weights map[string][]float64, act nn.Activation, got float64) result {
	const name = "output"
	n, r, ok := courseNetwork(name, weights, len(input), act, "input row")
	if !ok {
		return r
	}
	p := n.forward(input, act)
	if within(got, p.output, HandTol) {
		return right(name, num(got))
	}
	hint := `multiply each value of the last hidden layer by its weight in the weights map's "output" list and add them up (if a hidden layer check above says not yet, fix that first)`
	if act != "" && act != nn.Linear && p.output < 0 && within(got, activate(act, p.output), HandTol) {
		hint = "the output node has no activation: its value is the sum itself"
	}
	return notYet(name, "you have "+num(got), hint)
}

// ReLU checks a relu function: it must return its input when the input is
// positive and 0 otherwise. It tries it on a few numbers, including the
// course's node values.
func ReLU(relu func(float64) float64) bool {
	return report(reluCheck(relu))
}

func reluCheck(relu func(float64) float64) result {
	const name = "relu"
	const hint = "relu returns its input when the input is positive and 0 otherwise (Go's built-in max can do it)"
	if relu == nil {
		return notYet(name, "relu is nil", "write the body of func relu")
	}
	for _, x := range []float64{3, -13, 26, 0, -0.5, 0.25, 9, -2} {
		var got float64
		if err := call(func() { got = relu(x) }); err != nil {
			return notYet(name, fmt.Sprintf("relu(%s) panicked: %v", num(x), err), hint)
		}
		if got != max(0, x) && !(x == 0 && got == 0) {
			return notYet(name, fmt.Sprintf("relu(%s) gives %s", num(x), num(got)), hint)
		}
	}
	return right(name, "")
}

// Predictor checks a function that predicts one row with the network of
// weights, with activation act on the hidden nodes (the course's
// predict_with_network). It tries the function on the rows of inputs and on
// a few more. name is the function's name in the notebook.
func Predictor(name string, predict func(row []float64, weights map[string][]float64) float64, inputs [][]float64, weights map[string][]float64, act nn.Activation) bool {
	return report(predictor(name, predict, inputs, weights, act))
}

func predictor(name string, predict func(row []float64, weights map[string][]float64) float64, inputs [][]float64, weights map[string][]float64, act nn.Activation) result {
	n, r, ok := rowsNetwork(name, inputs, weights, act)
	if !ok {
		return r
	}
	if predict == nil {
		return notYet(name, "the function is nil", "write the body of func "+name)
	}
	rows := append([][]float64{}, inputs...)
	for _, extra := range [][]float64{{-3, 2}, {0.5, 7}, {6, -2.5}} {
		if len(extra) == len(inputs[0]) {
			rows = append(rows, extra)
		}
	}
	for _, row := range rows {
		in := append([]float64{}, row...)
		var got float64
		what := fmt.Sprintf("%s(%s, weights)", name, nums(row))
		if err := call(func() { got = predict(in, weights) }); err != nil {
			return notYet(name, what+" panicked: "+err.Error(), "use the row and the weights map the function is given")
		}
		if want := n.forward(row, act).output; !within(got, want, HandTol) {
			hint := "compute the hidden nodes from the row (with " + actName(act) + "), then the output from them, as in the exercise before"
			if act == nn.ReLU && within(got, n.forward(row, nn.Linear).output, HandTol) {
				hint = "that is what the network gives without relu: apply relu to every hidden node (and not to the output)"
			}
			return notYet(name, fmt.Sprintf("%s returns %s", what, num(got)), hint)
		}
	}
	return right(name, "")
}

// Results checks the predictions of the network for many rows: got[i] must
// be the network's output for inputs[i], with activation act on the hidden
// nodes. name is how the notebook calls the slice ("results").
func Results(name string, inputs [][]float64, weights map[string][]float64, act nn.Activation, got []float64) bool {
	return report(results(name, inputs, weights, act, got))
}

func results(name string, inputs [][]float64, weights map[string][]float64, act nn.Activation, got []float64) result {
	n, r, ok := rowsNetwork(name, inputs, weights, act)
	if !ok {
		return r
	}
	want := make([]float64, len(inputs))
	identity := make([]float64, len(inputs))
	for i, row := range inputs {
		if len(row) != len(inputs[0]) {
			return notYet(name, fmt.Sprintf("cannot check: input row %d has %s, row 0 has %d", i, plural(len(row), "value"), len(inputs[0])), "give every input row the same number of values")
		}
		want[i] = n.forward(row, act).output
		identity[i] = n.forward(row, nn.Linear).output
	}
	if got == nil || len(got) != len(want) {
		return notYet(name, fmt.Sprintf("you have %s for %s", plural(len(got), "prediction"), plural(len(inputs), "input row")),
			fmt.Sprintf("append one prediction per input row to %s, in the rows' order", name))
	}
	if ok, i := allClose(got, want, HandTol); !ok {
		hint := "check the function that predicts one row on this row by hand"
		if act == nn.ReLU && within(got[i], identity[i], HandTol) {
			hint = "that is what the network gives without relu: apply relu to every hidden node (and not to the output)"
		}
		return notYet(name, fmt.Sprintf("row %d (input %s): you have %s", i, nums(inputs[i]), num(got[i])), hint)
	}
	return right(name, nums(got))
}

// Model checks that an nn model is the network of the weights map: one Dense
// layer per hidden layer with activation act, a linear output layer of one
// unit, the weights in nn's layout (Kernel[i][j] is the weight from input i
// to unit j), zero biases, and the same predictions as the hand computation
// for every row of inputs (within ModelTol: models compute in float32).
//
// Model builds the model if it is not built yet, as Summary does.
func Model(model *nn.Sequential, weights map[string][]float64, act nn.Activation, inputs [][]float64) bool {
	return report(modelCheck(model, weights, act, inputs))
}

func modelCheck(model *nn.Sequential, weights map[string][]float64, act nn.Activation, inputs [][]float64) result {
	const name = "model"
	n, r, ok := rowsNetwork(name, inputs, weights, act)
	if !ok {
		return r
	}
	if model == nil {
		return notYet(name, "the model is nil", "make it with nn.NewSequential(layers...)")
	}
	want := len(n.layers) + 1
	if got := model.NumLayers(); got != want {
		return notYet(name, fmt.Sprintf("the model has %s, the network %d (%s and the output)", plural(got, "layer"), want, plural(len(n.layers), "hidden layer")),
			"give nn.NewSequential one nn.Dense per layer of the network, hidden layers first")
	}
	layerNodes := append(append([][]string{}, n.layers...), []string{"output"})
	size := len(inputs[0])
	for l, names := range layerNodes {
		info, err := model.Layer(l)
		if err != nil {
			return notYet(name, err.Error(), "give the first layer its weights (Kernel), which tell nn the number of inputs, or InputDim")
		}
		what := fmt.Sprintf("layer %d (%s)", l, info.Name)
		wantAct := act
		if l == len(layerNodes)-1 {
			wantAct = nn.Linear
		}
		switch {
		case info.Units != len(names):
			return notYet(name, fmt.Sprintf("%s has %s, want one per node of the network's layer", what, plural(info.Units, "unit")),
				fmt.Sprintf("that layer of the network has the nodes %v", names))
		case info.InputDim != size:
			return notYet(name, fmt.Sprintf("%s takes %s, want %d", what, plural(info.InputDim, "input"), size), "the first layer takes the input row; each next layer the values of the layer before")
		case actName(info.Activation) != actName(wantAct):
			h := "the hidden layers use " + actName(act) + " and the output layer is linear (no Activation)"
			return notYet(name, fmt.Sprintf("%s has activation %s", what, actName(info.Activation)), h)
		}
		// want[i][j] is the weight from input i to unit j.
		wrong, transposed := false, size == len(names)
		for i := range size {
			for j, node := range names {
				if !within(info.Kernel.At(i, j), n.w[node][i], ModelTol) {
					wrong = true
				}
				if transposed && !within(info.Kernel.At(i, j), n.w[names[i]][j], ModelTol) {
					transposed = false
				}
			}
		}
		if wrong {
			hint := fmt.Sprintf("Kernel has one row per input and one column per unit: Kernel[i][j] is the weight from input i to unit j, so the weights map's %q list is column 0 of this layer's Kernel", names[0])
			if transposed {
				hint = fmt.Sprintf("the kernel is transposed: the weights map's %q list is a column of Kernel (Kernel[i][j] is the weight from input i to unit j), not a row", names[0])
			}
			return notYet(name, fmt.Sprintf("%s has the kernel %v", what, rowsOf(info.Kernel)), hint)
		}
		for j, b := range info.Bias {
			if b != 0 {
				return notYet(name, fmt.Sprintf("%s has bias %s for unit %d", what, num(b), j), "the course's network has no biases: leave Bias out (zeros)")
			}
		}
		size = len(names)
	}
	p, err := model.Predict(inputs)
	if err != nil {
		return notYet(name, err.Error(), "the model must take the input rows as they are")
	}
	got := mat.Col(nil, 0, p)
	for i, row := range inputs {
		w := n.forward(row, act).output
		if !within(got[i], w, ModelTol) {
			return notYet(name, fmt.Sprintf("for row %s the model predicts %s, the network %s", nums(row), num(got[i]), num(w)), "compare the layers' weights and activations with the network's")
		}
	}
	return right(name, "predicts "+nums(got))
}

// rowsOf formats a matrix as rows, the way a Kernel is written in Go.
func rowsOf(m mat.Matrix) string {
	r, c := m.Dims()
	out := make([][]float64, r)
	for i := range r {
		out[i] = make([]float64, c)
		for j := range c {
			v := m.At(i, j)
			if math.Abs(v-math.Round(v)) < 1e-6 {
				v = math.Round(v) // float32 noise
			}
			out[i][j] = v
		}
	}
	return fmt.Sprint(out)
}
