package plotting_test

import (
	"fmt"
	"os"

	"github.com/dlnb/dlnb/nn"
	"github.com/dlnb/dlnb/plotting"
)

// A training history with early stopping. In a notebook, Display shows the
// chart; here (not a notebook) it prints the chart's text summary.
func ExampleHistory() {
	h := &nn.History{
		Epoch: []int{0, 1, 2, 3, 4},
		History: map[string][]float64{
			"loss":     {0.69, 0.52, 0.44, 0.41, 0.40},
			"val_loss": {0.70, 0.55, 0.50, 0.52, 0.56},
		},
		StopReason: nn.StopEarlyStopping, StoppedEpoch: 4, BestEpoch: 2, Monitor: "val_loss",
	}
	plotting.History(h).Display()
	// Output:
	// Training history (best val_loss 0.5 at epoch 3 · early stopping ended training at epoch 5)
	//   5 epochs
	//   loss 0.69 → 0.4
	//   val_loss 0.7 → 0.56
	//   best val_loss 0.5 at epoch 3
	//   early stopping ended training at epoch 5
}

// The course's red-against-blue comparison of two models' validation loss.
func ExampleCompare() {
	h1 := &nn.History{History: map[string][]float64{"val_loss": {0.9, 0.7, 0.65}}}
	h2 := &nn.History{History: map[string][]float64{"val_loss": {0.8, 0.5, 0.42}}}
	c := plotting.Compare([]plotting.Run{{Name: "model 1", History: h1}, {Name: "model 2", History: h2}})
	fmt.Println(c)
	// Output:
	// Model comparison (val_loss per epoch)
	//   model 1: best val_loss 0.65 at epoch 3
	//   model 2: best val_loss 0.42 at epoch 3
}

// The network of the course's first forward propagation, with the value of
// every node for the input row (2, 3).
func ExampleNetworkOf() {
	m := nn.NewSequential(
		nn.Dense{Units: 2, InputDim: 2, Kernel: [][]float64{{1, -1}, {1, 1}}, Name: "hidden"},
		nn.Dense{Units: 1, Kernel: [][]float64{{2}, {-1}}, Name: "output"},
	)
	fmt.Println(plotting.NetworkOf(m, []float64{2, 3}))
	// Output:
	// Network (layer sizes 2 → 2 → 1 · node values for input 2 3)
	//   input: 2 nodes = 2 3; weights to the next layer [1 -1] [1 1]
	//   hidden: 2 nodes = 5 1; weights to the next layer [2] [-1]
	//   output: 1 node = 9
}

// Counts of actual against predicted classes.
func ExampleConfusionMatrix() {
	actual := []int{0, 0, 1, 1, 1}
	predicted := []int{0, 1, 1, 1, 0}
	fmt.Println(plotting.ConfusionMatrix(actual, predicted, plotting.Options{Classes: []string{"died", "survived"}}))
	// Output:
	// Confusion matrix (accuracy 0.6: 3 of 5 on the diagonal)
	//   accuracy 0.6 (3 of 5 right)
	//   actual died: predicted 1 1
	//   actual survived: predicted 1 2
}

// Bad input gives a chart that displays its error instead of a panic.
func ExampleChart_Err() {
	c := plotting.PredictedVsActual([]float64{1, 2, 3}, []float64{1, 2})
	fmt.Println(c.Err())
	// Output:
	// plotting.PredictedVsActual: 3 actual values but 2 predictions: pass one of each per example
}

// Options change the title, size and colors; the zero Options is the default.
func ExampleOptions() {
	c := plotting.MSEHistory([]float64{4, 2.5, 1.6, 1.2}, plotting.Options{
		Title: "Hand-written gradient descent", Width: 600, Height: 300, Colors: []string{"purple"},
	})
	fmt.Println(c)
	// Output:
	// Hand-written gradient descent (4 iterations; mse 4 → 1.2)
	//   4 iterations; mse 4 → 1.2
}

// Live progress while a model trains: in a notebook a progress bar and a
// loss chart updated in place, elsewhere a line per epoch.
func ExampleProgress() {
	m := nn.NewSequential(nn.Dense{Units: 4, Activation: nn.ReLU, InputDim: 1}, nn.Dense{Units: 1})
	if err := m.Compile(nn.SGD{}, nn.MeanSquaredError); err != nil {
		panic(err)
	}
	x := []float64{0, 1, 2, 3}
	_, err := m.Fit(x, x, nn.FitOptions{Epochs: 3, Callbacks: []nn.Callback{&plotting.Progress{Output: os.Stdout}}})
	if err != nil {
		panic(err)
	}
}

// Writing charts to files: a standalone HTML page that works offline (it
// needs echarts.min.js, see EChartsPath), or static PNG and SVG images.
func ExampleChart_SavePNG() {
	c := plotting.Activations(nil)
	if err := c.SavePNG(os.TempDir() + "/activations.png"); err != nil {
		fmt.Println(err)
	}
	if err := c.SaveSVG(os.TempDir() + "/activations.svg"); err != nil {
		fmt.Println(err)
	}
}
