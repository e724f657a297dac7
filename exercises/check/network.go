package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dlnb/dlnb/nn"
)

// network is the course's hand-written network: weights in a map, as the
// course's Python dict {'node_0': array([2, 4]), ..., 'output': array([2, 7])}.
//
// Names say where a node sits: "node_I" is node I of the only hidden layer,
// "node_L_I" node I of hidden layer L (both counted from 0), and "output" is the
// single output node. weights[name][k] multiplies the value of node k of the
// layer before (for the first hidden layer, input k).
type network struct {
	layers [][]string // the node names of each hidden layer, in order
	w      map[string][]float64
}

// courseNetwork reads the network a check computes with from the notebook's
// weights map, for input rows of width values, and checks the activation of
// its hidden nodes; when it cannot, ok is false and r is the check's "cannot
// check" verdict. what names what the notebook passed ("input row" or "input
// rows"), for the hint.
func courseNetwork(name string, weights map[string][]float64, width int, act nn.Activation, what string) (n *network, r result, ok bool) {
	n, err := parseNetwork(weights, width)
	if err == nil {
		err = checkAct(act)
	}
	if err != nil {
		return nil, notYet(name, "cannot check: "+err.Error(), "the check needs the course's "+what+" and weights map, as the notebook defines them"), false
	}
	return n, result{}, true
}

// rowsNetwork is courseNetwork for a check of several input rows, of which
// there must be at least one.
func rowsNetwork(name string, inputs [][]float64, weights map[string][]float64, act nn.Activation) (*network, result, bool) {
	if len(inputs) == 0 {
		return nil, notYet(name, "cannot check: there are no input rows", "pass the notebook's input rows"), false
	}
	return courseNetwork(name, weights, len(inputs[0]), act, "input rows")
}

// parseNetwork reads a weights map, checking that it is a complete network
// for inputs of the given size.
func parseNetwork(weights map[string][]float64, inputs int) (*network, error) {
	if weights == nil {
		return nil, fmt.Errorf("the weights map is nil")
	}
	if _, ok := weights["output"]; !ok {
		return nil, fmt.Errorf("the weights have no %q entry (the output node's weights)", "output")
	}
	pos := map[string][2]int{} // name -> layer, index
	layers := 0
	for name := range weights {
		if name == "output" {
			continue
		}
		l, i, ok := nodeIndex(name)
		if !ok {
			return nil, fmt.Errorf("the weights have an entry %q: name hidden nodes node_0, node_1 (one hidden layer) or node_0_0, node_1_0 (layer, node), and the output node output", name)
		}
		pos[name] = [2]int{l, i}
		layers = max(layers, l+1)
	}
	n := &network{layers: make([][]string, layers), w: weights}
	for name, p := range pos {
		l, i := p[0], p[1]
		for len(n.layers[l]) <= i {
			n.layers[l] = append(n.layers[l], "")
		}
		n.layers[l][i] = name
	}
	size := inputs
	for l, names := range n.layers {
		if len(names) == 0 {
			return nil, fmt.Errorf("hidden layer %d has no nodes, but a later layer has", l)
		}
		for i, name := range names {
			if name == "" {
				return nil, fmt.Errorf("hidden layer %d has no node %d in the weights", l, i)
			}
			if got := len(weights[name]); got != size {
				return nil, fmt.Errorf("weights[%q] has %s, but the layer before has %s: one weight per value coming in", name, plural(got, "number"), plural(size, "value"))
			}
		}
		size = len(names)
	}
	if got := len(weights["output"]); got != size {
		return nil, fmt.Errorf("weights[%q] has %s, but the last hidden layer has %s: one weight per value coming in", "output", plural(got, "number"), plural(size, "node"))
	}
	return n, nil
}

// nodeIndex reads "node_3" (layer 0, node 3) or "node_1_0" (layer 1, node 0).
func nodeIndex(name string) (layer, index int, ok bool) {
	rest, found := strings.CutPrefix(name, "node_")
	if !found {
		return 0, 0, false
	}
	parts := strings.Split(rest, "_")
	nums := make([]int, len(parts))
	for k, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || strconv.Itoa(v) != p {
			return 0, 0, false
		}
		nums[k] = v
	}
	switch len(nums) {
	case 1:
		return 0, nums[0], true
	case 2:
		return nums[0], nums[1], true
	}
	return 0, 0, false
}

// pass is one forward pass through a network: every hidden layer's net
// inputs and values, and the output.
type pass struct {
	net, values [][]float64 // per hidden layer
	output      float64
}

// forward computes the network on one input row, with act on every hidden
// node and no activation on the output, as the course does.
func (n *network) forward(input []float64, act nn.Activation) pass {
	var p pass
	in := input
	for _, names := range n.layers {
		net := make([]float64, len(names))
		out := make([]float64, len(names))
		for i, name := range names {
			net[i] = dot(in, n.w[name])
			out[i] = activate(act, net[i])
		}
		p.net = append(p.net, net)
		p.values = append(p.values, out)
		in = out
	}
	p.output = dot(in, n.w["output"])
	return p
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// activate applies act; the course's activations are identity and relu, and
// nn's Func covers the others (tanh, sigmoid).
func activate(act nn.Activation, x float64) float64 {
	switch act {
	case "", nn.Linear:
		return x
	case nn.ReLU:
		return max(0, x)
	}
	return act.Func(x)
}

func actName(act nn.Activation) string {
	if act == "" {
		return string(nn.Linear)
	}
	return string(act)
}

// checkAct reports a problem with an activation a check was given (a
// notebook's mistake rather than the student's, but said as clearly).
func checkAct(act nn.Activation) error {
	switch act {
	case "", nn.Linear, nn.ReLU, nn.Tanh, nn.Sigmoid, nn.LeakyReLU:
		return nil
	}
	return fmt.Errorf("activation %q: use nn.Linear, nn.ReLU, nn.Tanh, nn.Sigmoid or nn.LeakyReLU for hidden nodes", act)
}
