package onnx_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/onnxpb"
	"github.com/dlnb/dlnb/nn"
	"github.com/dlnb/dlnb/nn/onnx"
	"google.golang.org/protobuf/proto"
)

// decode reads back what Marshal wrote.
func decode(t *testing.T, m *nn.Sequential) *onnxpb.ModelProto {
	t.Helper()
	b, err := onnx.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var p onnxpb.ModelProto
	if err := proto.Unmarshal(b, &p); err != nil {
		t.Fatalf("the bytes are not an ONNX ModelProto: %v", err)
	}
	return &p
}

func TestMarshalGraph(t *testing.T) {
	m := nn.NewSequential(
		nn.Dense{Units: 3, InputDim: 2, Activation: nn.LeakyReLU, Kernel: [][]float64{{1, 2, 3}, {4, 5, 6}}, Bias: []float64{0.5, -0.5, 0.25}},
		nn.Dense{Units: 2, Activation: nn.Tanh, NoBias: true},
		nn.Dense{Units: 2, Activation: nn.Softmax, Name: "out"},
	)
	p := decode(t, m)
	if p.GetIrVersion() != 8 || len(p.GetOpsetImport()) != 1 || p.GetOpsetImport()[0].GetVersion() != 13 || p.GetOpsetImport()[0].GetDomain() != "" {
		t.Fatalf("IR version %d, opsets %v: want IR 8 and the default domain at opset 13", p.GetIrVersion(), p.GetOpsetImport())
	}
	g := p.GetGraph()
	var ops []string
	for _, n := range g.GetNode() {
		ops = append(ops, n.GetOpType()+"("+strings.Join(n.GetInput(), ",")+")->"+n.GetOutput()[0])
	}
	want := []string{
		"MatMul(x,dense/kernel)->dense/MatMul", "Add(dense/MatMul,dense/bias)->dense/Add", "LeakyRelu(dense/Add)->dense/LeakyRelu",
		"MatMul(dense/LeakyRelu,dense_1/kernel)->dense_1/MatMul", "Tanh(dense_1/MatMul)->dense_1/Tanh",
		"MatMul(dense_1/Tanh,out/kernel)->out/MatMul", "Add(out/MatMul,out/bias)->out/Add", "Softmax(out/Add)->y",
	}
	if !slices.Equal(ops, want) {
		t.Errorf("nodes\n%s\nwant\n%s", strings.Join(ops, "\n"), strings.Join(want, "\n"))
	}
	if a := g.GetNode()[2].GetAttribute(); len(a) != 1 || a[0].GetName() != "alpha" || a[0].GetF() != 0.2 {
		t.Errorf("LeakyRelu attributes %v, want alpha 0.2", a)
	}
	if a := g.GetNode()[7].GetAttribute(); len(a) != 1 || a[0].GetName() != "axis" || a[0].GetI() != -1 {
		t.Errorf("Softmax attributes %v, want axis -1", a)
	}
	k := g.GetInitializer()[0]
	if k.GetName() != "dense/kernel" || !slices.Equal(k.GetDims(), []int64{2, 3}) || !slices.Equal(k.GetFloatData(), []float32{1, 2, 3, 4, 5, 6}) ||
		k.GetDataType() != int32(onnxpb.TensorProto_FLOAT) {
		t.Errorf("first initializer %v, want dense/kernel 2x3 float32 1..6 row by row", k)
	}
	if b := g.GetInitializer()[1]; b.GetName() != "dense/bias" || !slices.Equal(b.GetFloatData(), []float32{0.5, -0.5, 0.25}) {
		t.Errorf("second initializer %v, want dense/bias", b)
	}
	shape := func(v *onnxpb.ValueInfoProto) string {
		var s []string
		for _, d := range v.GetType().GetTensorType().GetShape().GetDim() {
			if d.GetDimParam() != "" {
				s = append(s, d.GetDimParam())
			} else {
				s = append(s, string(rune('0'+d.GetDimValue())))
			}
		}
		return v.GetName() + "[" + strings.Join(s, ",") + "]"
	}
	if in, out := shape(g.GetInput()[0]), shape(g.GetOutput()[0]); in != "x[N,2]" || out != "y[N,2]" {
		t.Errorf("input %s, output %s: want x[N,2] and y[N,2]", in, out)
	}
	b1, _ := onnx.Marshal(m)
	b2, _ := onnx.Marshal(m)
	if !bytes.Equal(b1, b2) {
		t.Error("two Marshals of one model differ")
	}
}

// Every activation nn has exports; a linear last layer ends at its Add, one
// without biases at its MatMul.
func TestEveryActivation(t *testing.T) {
	for _, a := range []nn.Activation{"", nn.Linear, nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.Sigmoid, nn.Softmax} {
		for _, noBias := range []bool{false, true} {
			p := decode(t, nn.NewSequential(nn.Dense{Units: 2, InputDim: 3, Activation: a, NoBias: noBias}))
			nodes := p.GetGraph().GetNode()
			if got := nodes[len(nodes)-1].GetOutput()[0]; got != "y" {
				t.Errorf("activation %q, NoBias %v: the last node writes %q, want y", a, noBias, got)
			}
		}
	}
}

func TestSaveWritesMarshal(t *testing.T) {
	m := nn.NewSequential(nn.Dense{Units: 4, InputDim: 3, Activation: nn.ReLU}, nn.Dense{Units: 1})
	m.DType = nn.Float64
	path := filepath.Join(t.TempDir(), "m.onnx")
	if err := onnx.Save(m, path); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := onnx.Marshal(m)
	if !bytes.Equal(got, want) {
		t.Error("the file differs from Marshal's bytes")
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	// nn refuses NaN and infinite weights given by hand; a float64 model can
	// hold numbers float32 cannot.
	huge := nn.NewSequential(nn.Dense{Units: 1, InputDim: 1, Kernel: [][]float64{{-math.MaxFloat64}}})
	huge.DType = nn.Float64
	big := nn.NewSequential(nn.Dense{Units: 1, InputDim: 1, Bias: []float64{1e300}})
	big.DType = nn.Float64
	ok := nn.NewSequential(nn.Dense{Units: 1, InputDim: 1})
	for _, c := range []struct {
		name  string
		m     *nn.Sequential
		path  string
		wants []string
	}{
		{"nil model", nil, "m.onnx", []string{"nil", "nn.NewSequential"}},
		{"no layers", &nn.Sequential{}, "m.onnx", []string{"no layers"}},
		{"no input size", nn.NewSequential(nn.Dense{Units: 2}), "m.onnx", []string{"input size", "InputDim"}},
		{"unknown activation", nn.NewSequential(nn.Dense{Units: 2, InputDim: 2, Activation: "gelu"}), "m.onnx", []string{`"gelu"`, "relu"}},
		{"beyond float32, kernel", huge, "m.onnx", []string{"layer dense", "kernel weight 0 is -1.79", "diverged"}},
		{"beyond float32", big, "m.onnx", []string{"bias weight 0 is 1e+300", "float32"}},
		{"empty path", ok, "", []string{"path is empty"}},
		{"a directory", ok, ".", []string{"is a directory", "model.onnx"}},
		{"no such directory", ok, "missing/m.onnx", []string{"does not exist"}},
	} {
		path := c.path
		if path != "" {
			path = filepath.Join(dir, path)
		}
		err := onnx.Save(c.m, path)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", c.name, err, w)
			}
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("failed saves left files: %v", left)
	}
}

// Dropout is the identity in prediction: it writes no node.
func TestDropoutWritesNoNode(t *testing.T) {
	m := nn.NewSequential(
		nn.Dense{Units: 3, InputDim: 2, Activation: nn.ReLU},
		nn.Dropout{Rate: 0.5},
		nn.Dense{Units: 2, Activation: nn.Softmax, Name: "out"},
	)
	g := decode(t, m).GetGraph()
	var ops []string
	for _, n := range g.GetNode() {
		ops = append(ops, n.GetOpType()+"("+strings.Join(n.GetInput(), ",")+")->"+n.GetOutput()[0])
	}
	want := []string{
		"MatMul(x,dense/kernel)->dense/MatMul", "Add(dense/MatMul,dense/bias)->dense/Add", "Relu(dense/Add)->dense/Relu",
		"MatMul(dense/Relu,out/kernel)->out/MatMul", "Add(out/MatMul,out/bias)->out/Add", "Softmax(out/Add)->y",
	}
	if !slices.Equal(ops, want) {
		t.Errorf("nodes\n%s\nwant\n%s", strings.Join(ops, "\n"), strings.Join(want, "\n"))
	}
	if in := g.GetInput()[0].GetType().GetTensorType().GetShape().GetDim(); len(in) != 2 || in[1].GetDimValue() != 2 {
		t.Errorf("input shape %v, want [N, 2]", in)
	}
}

func TestNormalizationNotExported(t *testing.T) {
	var norm nn.Normalization
	if err := norm.Adapt([][]float64{{1, 2}, {3, 4}}); err != nil {
		t.Fatal(err)
	}
	m := nn.NewSequential(norm, nn.Dense{Units: 1})
	_, err := onnx.Marshal(m)
	if err == nil || !strings.Contains(err.Error(), "Normalization") || !strings.Contains(err.Error(), "Mean and Variance") {
		t.Errorf("error %v, want one naming the Normalization layer and what to do instead", err)
	}
}
