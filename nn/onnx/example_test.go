package onnx_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dlnb/dlnb/nn"
	"github.com/dlnb/dlnb/nn/onnx"
)

// A model saved for onnxruntime: in Python,
// ort.InferenceSession("model.onnx").run(["y"], {"x": rows.astype("float32")}).
func Example() {
	model := nn.NewSequential(
		nn.Dense{Units: 32, InputDim: 10, Activation: nn.ReLU},
		nn.Dense{Units: 2, Activation: nn.Softmax},
	)
	// ... model.Compile and model.Fit as usual ...
	dir, err := os.MkdirTemp("", "onnx-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := onnx.Save(model, filepath.Join(dir, "model.onnx")); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("saved: ONNX opset %d, input %q [N, 10], output %q [N, 2]\n", onnx.Opset, onnx.InputName, onnx.OutputName)
	// Output:
	// saved: ONNX opset 13, input "x" [N, 10], output "y" [N, 2]
}
