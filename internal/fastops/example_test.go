package fastops_test

import (
	"fmt"

	"github.com/dlnb/dlnb/internal/fastops"
)

// One Adam step on two weights, as Keras 3 takes it: the first step moves
// each weight by about the learning rate, against the gradient's sign.
func ExampleAdam() {
	w := []float32{0.5, -0.5}
	g := []float32{0.2, -0.01}
	m, v := make([]float32, 2), make([]float32, 2)
	alpha := fastops.AdamAlpha[float32](0.001, 0.9, 0.999, 1)
	fastops.Adam(w, g, m, v, alpha, 0.9, 0.999, 1e-7)
	fmt.Printf("%.4f\n", w)
	// Output: [0.4990 -0.4990]
}

// The output layer: softmax probabilities of 2 rows of 3 logits, their summed
// cross-entropy against one-hot targets, and the gradient of the mean loss.
func ExampleSoftmaxCrossEntropy() {
	z := []float64{2, 1, 0, 0, 0, 0}
	y := []float64{1, 0, 0, 0, 1, 0}
	grad := make([]float64, 6)
	loss := fastops.SoftmaxCrossEntropy(z, 2, 3, 3, y, grad, 0.5)
	fmt.Printf("p=%.3f loss=%.3f grad=%.3f\n", z, loss/2, grad)
	// Output: p=[0.665 0.245 0.090 0.333 0.333 0.333] loss=0.753 grad=[-0.167 0.122 0.045 0.167 -0.333 0.167]
}
