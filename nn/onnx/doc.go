// Package onnx writes an nn model as an ONNX file, so that a model trained in
// Go predicts from Python (onnxruntime), C++, C#, JavaScript or anything else
// with an ONNX runtime:
//
//	model := nn.NewSequential(nn.Dense{Units: 32, Activation: nn.ReLU}, nn.Dense{Units: 2, Activation: nn.Softmax})
//	... model.Fit(x, y, ...) ...
//	err := onnx.Save(model, "titanic.onnx")
//
// and in Python:
//
//	import onnxruntime as ort
//	s = ort.InferenceSession("titanic.onnx")
//	probabilities = s.run(["y"], {"x": rows.astype("float32")})[0]
//
// # The file
//
// The graph has one input "x", float32 of shape [N, inputs], and one output
// "y", float32 of shape [N, units of the last layer]; N, the batch dimension,
// is symbolic (dim_param "N"), so any number of rows may be given at once.
// Each Dense layer is, in order,
//
//	MatMul(x, <layer>/kernel) -> Add(<layer>/bias) -> the activation
//
// with the layer's kernel (inputs x units, Keras' layout) and biases as
// initializers named after the layer (dense/kernel, dense/bias, ...). A layer
// without biases (Dense.NoBias) has no Add. A Dropout layer writes no node: it
// is the identity in prediction, which is all an ONNX model does (Keras' ONNX
// exporters leave it out too). A Normalization layer is refused with an error
// saying how to scale the rows instead. The activations map to ONNX
// operators as follows:
//
//	nn.Linear     (none: the Add's output is the layer's output)
//	nn.ReLU       Relu
//	nn.LeakyReLU  LeakyRelu, alpha 0.2 (nn's and Keras' slope)
//	nn.Sigmoid    Sigmoid
//	nn.Tanh       Tanh
//	nn.Softmax    Softmax, axis -1 (each row; opset 13's Softmax is per axis, as Keras')
//
// These are every activation nn has; an activation this package does not know
// is an error that names the layer and the activation, and no file is written.
//
// The file uses the default ONNX operator set at version 13 (Opset) and IR
// version 8 (IRVersion), which every onnxruntime since 1.10 (2021) reads.
// The numbers are float32, as Keras' and nn's default precision: a Float64
// model's weights are rounded to float32 in the file, so its predictions there
// differ from nn's in float64 by float32's rounding (about 1e-7 relative).
// A weight that is NaN or infinite, or beyond float32's range, is an error
// (a diverged model; nn.Predict would give NaN too).
//
// The file is written to a temporary name and renamed, so a failed Save
// leaves no half-written file behind. Marshal gives the same bytes without
// writing a file; the bytes are the same for the same model (deterministic
// protobuf encoding).
//
// # Checked by onnxruntime
//
// The parity suite (make test-parity) saves the course's models (wages
// 50-32-1, Titanic 32-2, MNIST 50-50-10, and a model with every activation)
// with Save and runs them in onnxruntime 1.31.1 (parity/uv.lock), after
// onnx.checker's full check: the predictions equal nn.Predict's to 1e-6.
//
// # Why a package of its own
//
// nn itself depends on gonum only; ONNX needs protocol buffers
// (google.golang.org/protobuf, with the bindings of ONNX's onnx.proto
// generated into internal/onnxpb). Keeping the format here, as gonum keeps its
// graph formats in graph/encoding/..., leaves nn's imports as they are for
// programs that never export.
package onnx
