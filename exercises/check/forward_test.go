package check

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/nn"
)

// The course's networks (chapter 1).
var (
	course1 = map[string][]float64{"node_0": {2, 4}, "node_1": {4, -5}, "output": {2, 7}}
	course2 = map[string][]float64{
		"node_0_0": {2, 4}, "node_0_1": {4, -5},
		"node_1_0": {-1, 2}, "node_1_1": {1, 2},
		"output": {2, 7},
	}
	courseIn   = []float64{3, 5}
	courseRows = [][]float64{{3, 5}, {1, -1}, {0, 0}, {8, 4}}
)

// The reference computation agrees with the course's numbers.
func TestForwardCourseNumbers(t *testing.T) {
	n, err := parseNetwork(course1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p := n.forward(courseIn, nn.Linear); p.output != -39 || p.values[0][0] != 26 || p.values[0][1] != -13 {
		t.Errorf("identity network: %+v, want hidden [26 -13], output -39", p)
	}
	var relu []float64
	for _, r := range courseRows {
		relu = append(relu, n.forward(r, nn.ReLU).output)
	}
	if nums(relu) != "[52 63 0 148]" {
		t.Errorf("relu network on the course's rows: %v, want [52 63 0 148]", relu)
	}
	n2, err := parseNetwork(course2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p := n2.forward(courseIn, nn.ReLU); p.output != 182 {
		t.Errorf("two hidden layers: %v, want 182", p.output)
	}
}

// The reference computation agrees with nn's forward pass on random networks,
// with every activation the checks accept.
func TestForwardMatchesNN(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 40 {
		inputs, sizes := 1+rng.IntN(4), []int{1 + rng.IntN(4), 1 + rng.IntN(3)}[:1+rng.IntN(2)]
		act := []nn.Activation{nn.Linear, nn.ReLU, nn.Tanh, nn.Sigmoid, nn.LeakyReLU}[trial%5]
		w := map[string][]float64{}
		var layers []nn.Layer
		prev := inputs
		for l, units := range sizes {
			kernel := make([][]float64, prev)
			for i := range kernel {
				kernel[i] = make([]float64, units)
			}
			for j := range units {
				name := "node_" + strconv.Itoa(j)
				if len(sizes) > 1 {
					name = "node_" + strconv.Itoa(l) + "_" + strconv.Itoa(j)
				}
				for i := range prev {
					v := rng.NormFloat64()
					w[name] = append(w[name], v)
					kernel[i][j] = v
				}
			}
			layers = append(layers, nn.Dense{Units: units, Activation: act, Kernel: kernel})
			prev = units
		}
		out := make([][]float64, prev)
		for i := range prev {
			v := rng.NormFloat64()
			w["output"] = append(w["output"], v)
			out[i] = []float64{v}
		}
		layers = append(layers, nn.Dense{Units: 1, Kernel: out})
		m := nn.NewSequential(layers...)
		m.DType = nn.Float64
		row := make([]float64, inputs)
		for i := range row {
			row[i] = 3 * rng.NormFloat64()
		}
		lo, err := m.ForwardPass([][]float64{row})
		if err != nil {
			t.Fatal(err)
		}
		n, err := parseNetwork(w, inputs)
		if err != nil {
			t.Fatalf("trial %d: %v (weights %v)", trial, err, w)
		}
		p := n.forward(row, act)
		if got := lo[len(lo)-1].Out.At(0, 0); !within(p.output, got, 1e-12) {
			t.Errorf("trial %d (%s, %d inputs, layers %v): reference %v, nn %v", trial, act, inputs, sizes, p.output, got)
		}
		for l := range sizes {
			for j := range sizes[l] {
				if !within(p.values[l][j], lo[l].Out.At(0, j), 1e-12) {
					t.Errorf("trial %d layer %d node %d: reference %v, nn %v", trial, l, j, p.values[l][j], lo[l].Out.At(0, j))
				}
			}
		}
	}
}

func TestParseNetworkErrors(t *testing.T) {
	for _, c := range []struct {
		w    map[string][]float64
		want string
	}{
		{nil, "the weights map is nil"},
		{map[string][]float64{"node_0": {1, 2}}, `no "output" entry`},
		{map[string][]float64{"hidden": {1, 2}, "output": {1}}, `an entry "hidden"`},
		{map[string][]float64{"node_01": {1, 2}, "output": {1}}, `an entry "node_01"`},
		{map[string][]float64{"node_1": {1, 2}, "output": {1, 1}}, "hidden layer 0 has no node 0"},
		{map[string][]float64{"node_0": {1, 2, 3}, "output": {1}}, `weights["node_0"] has 3 numbers, but the layer before has 2 values`},
		{map[string][]float64{"node_0": {1, 2}, "output": {1, 1}}, `weights["output"] has 2 numbers, but the last hidden layer has 1 node`},
		{map[string][]float64{"node_0_0": {1, 2}, "node_2_0": {1}, "output": {1}}, "hidden layer 1 has no nodes"},
	} {
		_, err := parseNetwork(c.w, 2)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseNetwork(%v) = %v, want an error containing %q", c.w, err, c.want)
		}
	}
}

func TestHidden(t *testing.T) {
	runCases(t, []tcase{
		{"identity right", func() bool { return Hidden(0, courseIn, course1, nn.Linear, []float64{26, -13}) }, true, []string{"✓ hidden layer: right ([26 -13])"}},
		{"rounding is fine", func() bool { return Hidden(0, courseIn, course1, nn.Linear, []float64{26 + 1e-12, -13}) }, true, nil},
		{"blank", func() bool { return Hidden(0, courseIn, course1, nn.Linear, []float64{0, 0}) }, false,
			[]string{"✗ hidden layer: not yet: node_0 is 0\n  hint: multiply each input by its weight in the weights map's \"node_0\" list and add the products\n"}},
		{"second node wrong", func() bool { return Hidden(0, courseIn, course1, nn.Linear, []float64{26, 13}) }, false, []string{"node_1 is 13"}},
		{"relu forgotten", func() bool { return Hidden(0, courseIn, course1, nn.ReLU, []float64{26, -13}) }, false,
			[]string{"node_1 is -13", "the node's sum before the activation: apply relu"}},
		{"relu blank", func() bool { return Hidden(0, courseIn, course1, nn.ReLU, []float64{0, 0}) }, false, []string{"then apply relu to the sum"}},
		{"inputs paired with the wrong weights", func() bool { return Hidden(0, courseIn, course1, nn.Linear, []float64{22, -13}) }, false,
			[]string{"pair input 0 with the first weight"}},
		{"nil", func() bool { return Hidden(0, courseIn, course1, nn.Linear, nil) }, false,
			[]string{"you have 0 values, want one per node of the layer (2)", "[node_0 node_1]"}},
		{"too many", func() bool { return Hidden(0, courseIn, course1, nn.Linear, []float64{26, -13, 0}) }, false, []string{"you have 3 values"}},
		{"deep layer 0 right", func() bool { return Hidden(0, courseIn, course2, nn.ReLU, []float64{26, 0}) }, true, []string{"✓ hidden layer 0: right ([26 0])"}},
		{"deep layer 1 right", func() bool { return Hidden(1, courseIn, course2, nn.ReLU, []float64{0, 26}) }, true, []string{"✓ hidden layer 1: right ([0 26])"}},
		{"deep layer 1 wrong", func() bool { return Hidden(1, courseIn, course2, nn.ReLU, []float64{0, 0}) }, false,
			[]string{"hidden layer 1: not yet: node_1_1 is 0", "each value of hidden layer 0", "check that layer first"}},
		{"layer out of range", func() bool { return Hidden(2, courseIn, course2, nn.ReLU, []float64{0, 0}) }, false, []string{"cannot check: the network has 2 hidden layers"}},
		{"nil weights", func() bool { return Hidden(0, courseIn, nil, nn.ReLU, []float64{0, 0}) }, false, []string{"cannot check: the weights map is nil"}},
		{"input of the wrong size", func() bool { return Hidden(0, []float64{1, 2, 3}, course1, nn.ReLU, []float64{0, 0}) }, false, []string{"cannot check"}},
		{"unknown activation", func() bool { return Hidden(0, courseIn, course1, "swish", []float64{0, 0}) }, false, []string{`cannot check: activation "swish"`}},
	})
}

func TestOutput(t *testing.T) {
	negative := map[string][]float64{"node_0": {2, 4}, "node_1": {4, -5}, "output": {-2, 7}}
	runCases(t, []tcase{
		{"identity right", func() bool { return Output(courseIn, course1, nn.Linear, -39) }, true, []string{"✓ output: right (-39)"}},
		{"relu right", func() bool { return Output(courseIn, course1, nn.ReLU, 52) }, true, []string{"✓ output: right (52)"}},
		{"deep right", func() bool { return Output(courseIn, course2, nn.ReLU, 182) }, true, []string{"(182)"}},
		{"blank", func() bool { return Output(courseIn, course1, nn.Linear, 0) }, false,
			[]string{"✗ output: not yet: you have 0", `weights map's "output" list`, "if a hidden layer check above says not yet"}},
		{"identity value for the relu network", func() bool { return Output(courseIn, course1, nn.ReLU, -39) }, false, []string{"you have -39"}},
		{"relu on the output", func() bool { return Output(courseIn, negative, nn.ReLU, 0) }, false, []string{"the output node has no activation"}},
		{"nil weights", func() bool { return Output(courseIn, nil, nn.ReLU, 0) }, false, []string{"cannot check"}},
	})
}

func TestReLU(t *testing.T) {
	runCases(t, []tcase{
		{"max", func() bool { return ReLU(func(x float64) float64 { return max(0, x) }) }, true, []string{"✓ relu: right\n"}},
		{"if", func() bool {
			return ReLU(func(x float64) float64 {
				if x > 0 {
					return x
				}
				return 0
			})
		}, true, nil},
		{"blank", func() bool { return ReLU(func(float64) float64 { return 0 }) }, false,
			[]string{"relu(3) gives 0", "its input when the input is positive and 0 otherwise"}},
		{"identity", func() bool { return ReLU(func(x float64) float64 { return x }) }, false, []string{"relu(-13) gives -13"}},
		{"abs", func() bool { return ReLU(func(x float64) float64 { return max(x, -x) }) }, false, []string{"relu(-13) gives 13"}},
		{"panics", func() bool { return ReLU(func(x float64) float64 { var s []float64; return s[int(x)] }) }, false, []string{"relu(3) panicked"}},
		{"nil", func() bool { return ReLU(nil) }, false, []string{"relu is nil"}},
	})
}

func predictRelu(row []float64, w map[string][]float64) float64 {
	n0 := max(0, row[0]*w["node_0"][0]+row[1]*w["node_0"][1])
	n1 := max(0, row[0]*w["node_1"][0]+row[1]*w["node_1"][1])
	return n0*w["output"][0] + n1*w["output"][1]
}

func TestPredictor(t *testing.T) {
	noRelu := func(row []float64, w map[string][]float64) float64 {
		n0 := row[0]*w["node_0"][0] + row[1]*w["node_0"][1]
		n1 := row[0]*w["node_1"][0] + row[1]*w["node_1"][1]
		return n0*w["output"][0] + n1*w["output"][1]
	}
	globalRow := func([]float64, map[string][]float64) float64 { return predictRelu(courseIn, course1) }
	runCases(t, []tcase{
		{"right", func() bool { return Predictor("predictWithNetwork", predictRelu, courseRows, course1, nn.ReLU) }, true, []string{"✓ predictWithNetwork: right\n"}},
		{"blank", func() bool {
			return Predictor("predictWithNetwork", func([]float64, map[string][]float64) float64 { return 0 }, courseRows, course1, nn.ReLU)
		}, false, []string{"predictWithNetwork([3 5], weights) returns 0", "with relu"}},
		{"no relu", func() bool { return Predictor("predictWithNetwork", noRelu, courseRows, course1, nn.ReLU) }, false,
			[]string{"predictWithNetwork([3 5], weights) returns -39", "without relu"}},
		{"uses the global row", func() bool { return Predictor("p", globalRow, courseRows, course1, nn.ReLU) }, false, []string{"p([1 -1], weights) returns 52"}},
		{"panics", func() bool {
			return Predictor("p", func(row []float64, _ map[string][]float64) float64 { return row[2] }, courseRows, course1, nn.ReLU)
		}, false, []string{"p([3 5], weights) panicked", "index out of range"}},
		{"nil", func() bool { return Predictor("p", nil, courseRows, course1, nn.ReLU) }, false, []string{"the function is nil"}},
		{"no rows", func() bool { return Predictor("p", predictRelu, nil, course1, nn.ReLU) }, false, []string{"cannot check: there are no input rows"}},
	})
}

func TestResults(t *testing.T) {
	runCases(t, []tcase{
		{"right", func() bool { return Results("results", courseRows, course1, nn.ReLU, []float64{52, 63, 0, 148}) }, true, []string{"✓ results: right ([52 63 0 148])"}},
		{"nil", func() bool { return Results("results", courseRows, course1, nn.ReLU, nil) }, false,
			[]string{"you have 0 predictions for 4 input rows", "append one prediction per input row to results"}},
		{"one short", func() bool { return Results("results", courseRows, course1, nn.ReLU, []float64{52, 63, 0}) }, false, []string{"you have 3 predictions"}},
		{"no relu", func() bool { return Results("results", courseRows, course1, nn.ReLU, []float64{-39, -31, 0, 148}) }, false,
			[]string{"row 0 (input [3 5]): you have -39", "without relu"}},
		{"one row wrong", func() bool { return Results("results", courseRows, course1, nn.ReLU, []float64{52, 63, 1, 148}) }, false,
			[]string{"row 2 (input [0 0]): you have 1"}},
		{"ragged rows", func() bool { return Results("r", [][]float64{{1, 2}, {1}}, course1, nn.ReLU, []float64{0, 0}) }, false, []string{"cannot check: input row 1 has 1 value"}},
	})
}

func courseModel(k2 [][]float64, act0 nn.Activation) *nn.Sequential {
	return nn.NewSequential(
		nn.Dense{Units: 2, Activation: act0, Kernel: [][]float64{{2, 4}, {4, -5}}},
		nn.Dense{Units: 2, Activation: nn.ReLU, Kernel: k2},
		nn.Dense{Units: 1, Kernel: [][]float64{{2}, {7}}},
	)
}

func TestModel(t *testing.T) {
	right := [][]float64{{-1, 1}, {2, 2}}
	transposed := [][]float64{{-1, 2}, {1, 2}}
	runCases(t, []tcase{
		{"right", func() bool { return Model(courseModel(right, nn.ReLU), course2, nn.ReLU, courseRows) }, true,
			[]string{"✓ model: right (predicts [182 162 0 392])"}},
		{"right in float64", func() bool {
			m := courseModel(right, nn.ReLU)
			m.DType = nn.Float64
			return Model(m, course2, nn.ReLU, courseRows)
		}, true, nil},
		{"transposed kernel", func() bool { return Model(courseModel(transposed, nn.ReLU), course2, nn.ReLU, courseRows) }, false,
			[]string{"layer 1 (dense_1) has the kernel [[-1 2] [1 2]]", "the kernel is transposed"}},
		{"wrong kernel", func() bool {
			return Model(courseModel([][]float64{{1, 1}, {2, 2}}, nn.ReLU), course2, nn.ReLU, courseRows)
		}, false,
			[]string{"layer 1 (dense_1) has the kernel", "Kernel[i][j] is the weight from input i to unit j"}},
		{"no relu", func() bool { return Model(courseModel(right, nn.Linear), course2, nn.ReLU, courseRows) }, false,
			[]string{"layer 0 (dense) has activation linear", "the hidden layers use relu and the output layer is linear"}},
		{"relu on the output", func() bool {
			m := nn.NewSequential(nn.Dense{Units: 2, Activation: nn.ReLU, Kernel: [][]float64{{2, 4}, {4, -5}}}, nn.Dense{Units: 1, Activation: nn.ReLU, Kernel: [][]float64{{2}, {7}}})
			return Model(m, course1, nn.ReLU, courseRows)
		}, false, []string{"layer 1 (dense_1) has activation relu"}},
		{"bias", func() bool {
			m := nn.NewSequential(nn.Dense{Units: 2, Activation: nn.ReLU, Kernel: [][]float64{{2, 4}, {4, -5}}, Bias: []float64{1, 0}}, nn.Dense{Units: 1, Kernel: [][]float64{{2}, {7}}})
			return Model(m, course1, nn.ReLU, courseRows)
		}, false, []string{"bias 1 for unit 0", "no biases"}},
		{"random weights", func() bool {
			m := nn.NewSequential(nn.Dense{Units: 2, Activation: nn.ReLU, InputDim: 2}, nn.Dense{Units: 1})
			return Model(m, course1, nn.ReLU, courseRows)
		}, false, []string{"layer 0 (dense) has the kernel"}},
		{"no input size", func() bool {
			m := nn.NewSequential(nn.Dense{Units: 2, Activation: nn.ReLU}, nn.Dense{Units: 1})
			return Model(m, course1, nn.ReLU, courseRows)
		}, false, []string{"does not know its input size", "give the first layer its weights (Kernel)"}},
		{"wrong units", func() bool {
			m := nn.NewSequential(nn.Dense{Units: 3, Activation: nn.ReLU, InputDim: 2}, nn.Dense{Units: 1})
			return Model(m, course1, nn.ReLU, courseRows)
		}, false, []string{"layer 0 (dense) has 3 units", "[node_0 node_1]"}},
		{"empty", func() bool { return Model(nn.NewSequential(), course2, nn.ReLU, courseRows) }, false,
			[]string{"the model has 0 layers, the network 3 (2 hidden layers and the output)"}},
		{"nil", func() bool { return Model(nil, course2, nn.ReLU, courseRows) }, false, []string{"the model is nil"}},
		{"no rows", func() bool { return Model(nil, course2, nn.ReLU, nil) }, false, []string{"cannot check"}},
	})
}
