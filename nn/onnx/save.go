package onnx

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/dlnb/dlnb/internal/atomicfile"
	"github.com/dlnb/dlnb/internal/onnxpb"
	"github.com/dlnb/dlnb/nn"
	"gonum.org/v1/gonum/mat"
	"google.golang.org/protobuf/proto"
)

const (
	// Opset is the version of the default ONNX operator set the files use.
	Opset = 13
	// IRVersion is the ONNX file format's version the files declare.
	IRVersion = 8
)

// The graph's input and output names.
const (
	InputName  = "x"
	OutputName = "y"
)

// Save writes m to path as an ONNX model (see the package documentation),
// through a temporary file renamed into place. m must have weights: trained,
// built, or loaded.
func Save(m *nn.Sequential, path string) error {
	if path == "" {
		return errors.New("onnx.Save: the path is empty: give a file name such as \"model.onnx\"")
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("onnx.Save %s: that is a directory: give a file name such as %q", path, filepath.Join(path, "model.onnx"))
	}
	b, err := Marshal(m)
	if err != nil {
		return fmt.Errorf("onnx.Save %s: %w", path, err)
	}
	if err := atomicfile.WriteBytes(path, b); err != nil {
		return fmt.Errorf("onnx.Save %s: %w", path, err)
	}
	return nil
}

// Marshal returns m as the bytes of an ONNX model file, the bytes Save writes.
func Marshal(m *nn.Sequential) ([]byte, error) {
	g, err := graph(m)
	if err != nil {
		return nil, err
	}
	model := &onnxpb.ModelProto{
		IrVersion:       proto.Int64(IRVersion),
		OpsetImport:     []*onnxpb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(Opset)}},
		ProducerName:    proto.String("dlnb nn"),
		ProducerVersion: proto.String("1"),
		Graph:           g,
	}
	return proto.MarshalOptions{Deterministic: true}.Marshal(model)
}

// ops maps nn's activations to ONNX operators ("" for none).
var ops = map[nn.Activation]string{
	nn.Linear:    "",
	nn.ReLU:      "Relu",
	nn.LeakyReLU: "LeakyRelu",
	nn.Sigmoid:   "Sigmoid",
	nn.Tanh:      "Tanh",
	nn.Softmax:   "Softmax",
}

// graph builds the ONNX graph of m's layers.
func graph(m *nn.Sequential) (*onnxpb.GraphProto, error) {
	if m == nil {
		return nil, errors.New("the model is nil: make one with nn.NewSequential")
	}
	if m.NumLayers() == 0 {
		return nil, errors.New("the model has no layers: add Dense layers before saving")
	}
	name := m.Name
	if name == "" {
		name = "sequential"
	}
	// Dropout is the identity in prediction, so it writes no node (as Keras' ONNX export
	// leaves it out); a Normalization layer has no export yet.
	lastDense := -1
	for i := range m.NumLayers() {
		l, err := m.Layer(i)
		if err != nil {
			return nil, err // nn's message names the layer and the fix
		}
		switch l.Type {
		case "Dropout":
		case "Normalization":
			return nil, fmt.Errorf("layer %d (%s) is a Normalization layer, which ONNX export does not write yet: "+
				"save a model without it and scale the rows before predicting (x - mean) / sqrt(variance) with its Mean and Variance", i, l.Name)
		default:
			lastDense = i
		}
	}
	if lastDense == -1 {
		return nil, errors.New("the model has no Dense layer: add Dense layers before saving")
	}
	g := &onnxpb.GraphProto{Name: proto.String(name)}
	prev := InputName
	var in, out int
	for i := range m.NumLayers() {
		l, err := m.Layer(i)
		if err != nil {
			return nil, err
		}
		if l.Type == "Dropout" {
			continue
		}
		act := l.Activation
		if act == "" {
			act = nn.Linear
		}
		op, ok := ops[act]
		if !ok {
			return nil, fmt.Errorf("layer %d (%s) has activation %q, which ONNX export does not know: it knows %s", i, l.Name, act, known())
		}
		if in == 0 {
			in = l.InputDim
		}
		out = l.Units
		flat := make([]float64, 0, l.InputDim*l.Units) // row-major: input i's weights to every unit
		for r := range l.InputDim {
			flat = append(flat, mat.Row(nil, r, l.Kernel)...)
		}
		kernel, err := floats32(flat, l.Name, "kernel")
		if err != nil {
			return nil, err
		}
		g.Initializer = append(g.Initializer, tensor(l.Name+"/kernel", []int64{int64(l.InputDim), int64(l.Units)}, kernel))
		last := i == lastDense
		// Each node's output: the next node's input, or "y" for the graph's last node.
		next := func(stage string, final bool) string {
			if final && last {
				return OutputName
			}
			return l.Name + "/" + stage
		}
		mm := next("MatMul", l.NoBias && op == "")
		g.Node = append(g.Node, node("MatMul", l.Name+"/MatMul", []string{prev, l.Name + "/kernel"}, mm))
		prev = mm
		if !l.NoBias {
			bias, err := floats32(l.Bias, l.Name, "bias")
			if err != nil {
				return nil, err
			}
			g.Initializer = append(g.Initializer, tensor(l.Name+"/bias", []int64{int64(l.Units)}, bias))
			add := next("Add", op == "")
			g.Node = append(g.Node, node("Add", l.Name+"/Add", []string{prev, l.Name + "/bias"}, add))
			prev = add
		}
		if op != "" {
			o := next(op, true)
			n := node(op, l.Name+"/"+op, []string{prev}, o)
			switch act {
			case nn.LeakyReLU:
				n.Attribute = []*onnxpb.AttributeProto{{Name: proto.String("alpha"), Type: onnxpb.AttributeProto_FLOAT.Enum(), F: proto.Float32(0.2)}}
			case nn.Softmax:
				n.Attribute = []*onnxpb.AttributeProto{{Name: proto.String("axis"), Type: onnxpb.AttributeProto_INT.Enum(), I: proto.Int64(-1)}}
			}
			g.Node = append(g.Node, n)
			prev = o
		}
	}
	g.Input = []*onnxpb.ValueInfoProto{valueInfo(InputName, in)}
	g.Output = []*onnxpb.ValueInfoProto{valueInfo(OutputName, out)}
	return g, nil
}

// known lists the activations the export knows, in nn's order.
func known() string {
	s := ""
	for _, a := range []nn.Activation{nn.Linear, nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.Sigmoid, nn.Softmax} {
		if s != "" {
			s += ", "
		}
		s += string(a)
	}
	return s
}

// floats32 rounds weights to float32, refusing what float32 cannot hold.
func floats32(v []float64, layer, what string) ([]float32, error) {
	f := make([]float32, len(v))
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > math.MaxFloat32 {
			return nil, fmt.Errorf("layer %s: %s weight %d is %g, which a float32 ONNX file cannot hold (the model diverged: train it again with a smaller learning rate)", layer, what, i, x)
		}
		f[i] = float32(x)
	}
	return f, nil
}

func tensor(name string, dims []int64, data []float32) *onnxpb.TensorProto {
	return &onnxpb.TensorProto{Name: proto.String(name), Dims: dims, DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)), FloatData: data}
}

func node(op, name string, inputs []string, output string) *onnxpb.NodeProto {
	return &onnxpb.NodeProto{OpType: proto.String(op), Name: proto.String(name), Input: inputs, Output: []string{output}}
}

// valueInfo is a float32 [N, cols] tensor with a symbolic batch dimension.
func valueInfo(name string, cols int) *onnxpb.ValueInfoProto {
	dims := []*onnxpb.TensorShapeProto_Dimension{
		{Value: &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: "N"}},
		{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: int64(cols)}},
	}
	return &onnxpb.ValueInfoProto{Name: proto.String(name), Type: &onnxpb.TypeProto{
		Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{
			ElemType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)),
			Shape:    &onnxpb.TensorShapeProto{Dim: dims},
		}},
	}}
}
