package nn_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/dlnb/dlnb/nn"
)

// The course's first network: two inputs (accounts, children), two hidden
// ReLU nodes, one output, with the weights set by hand.
func ExampleSequential_ForwardPass() {
	m := nn.NewSequential(
		nn.Dense{Units: 2, Activation: nn.ReLU, Kernel: [][]float64{{2, 4}, {4, -5}}, Bias: []float64{0, 0}},
		nn.Dense{Units: 1, Kernel: [][]float64{{2}, {7}}, Bias: []float64{0}},
	)
	layers, err := m.ForwardPass([][]float64{{3, 5}, {1, -1}})
	if err != nil {
		log.Fatal(err)
	}
	for i, l := range layers {
		fmt.Printf("layer %d net %v out %v\n", i, l.Net.RawMatrix().Data, l.Out.RawMatrix().Data)
	}
	// Output:
	// layer 0 net [26 -13 -2 9] out [26 0 0 9]
	// layer 1 net [52 63] out [52 63]
}

func ExampleNewSequential() {
	model := nn.NewSequential(
		nn.Dense{Units: 32, Activation: nn.ReLU, InputDim: 10},
		nn.Dense{Units: 2, Activation: nn.Softmax},
	)
	fmt.Print(model.Summary())
	// Output:
	// Model: "sequential"
	// _________________________________________________________________
	//  Layer (type)                Output Shape              Param #
	// =================================================================
	//  dense (Dense)               (None, 32)                352
	//
	//  dense_1 (Dense)             (None, 2)                 66
	// =================================================================
	// Total params: 418
	// Trainable params: 418
	// Non-trainable params: 0
	// _________________________________________________________________
}

// Compile, fit, evaluate and predict, as in Keras. The data: is x[0] > x[1]?
func ExampleSequential_Fit() {
	var x [][]float64
	var labels []int
	for i := range 200 {
		a, b := float64(i%17)/17, float64(i%13)/13
		x = append(x, []float64{a, b})
		if a > b {
			labels = append(labels, 1)
		} else {
			labels = append(labels, 0)
		}
	}
	y, _ := nn.ToCategorical(labels, 2)

	model := nn.NewSequential(
		nn.Dense{Units: 16, Activation: nn.Tanh},
		nn.Dense{Units: 2, Activation: nn.Softmax},
	)
	model.DType = nn.Float64
	if err := model.Compile(nn.Adam{LearningRate: 0.05}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
		log.Fatal(err)
	}
	history, err := model.Fit(x, y, nn.FitOptions{Epochs: 30, ValidationSplit: 0.2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d epochs, val_accuracy above 0.9: %v\n", len(history.Epoch), history.Last("val_accuracy") > 0.9)

	p, _ := model.Predict([][]float64{{0.9, 0.1}})
	fmt.Printf("P(x[0] > x[1]) for (0.9, 0.1) above 0.9: %v\n", p.At(0, 1) > 0.9)
	// Output:
	// 30 epochs, val_accuracy above 0.9: true
	// P(x[0] > x[1]) for (0.9, 0.1) above 0.9: true
}

// Mazur's backpropagation example, one step, every number recorded.
func ExampleSequential_TraceStep() {
	m := nn.NewSequential(
		nn.Dense{Units: 2, Activation: nn.Sigmoid, Kernel: [][]float64{{.15, .25}, {.20, .30}}, Bias: []float64{.35, .35}, FreezeBias: true},
		nn.Dense{Units: 2, Activation: nn.Sigmoid, Kernel: [][]float64{{.40, .50}, {.45, .55}}, Bias: []float64{.60, .60}, FreezeBias: true},
	)
	m.DType = nn.Float64
	if err := m.Compile(nn.SGD{LearningRate: 0.5}, nn.MeanSquaredError); err != nil {
		log.Fatal(err)
	}
	trace, err := m.TraceStep([][]float64{{0.05, 0.10}}, [][]float64{{0.01, 0.99}})
	if err != nil {
		log.Fatal(err)
	}
	w5, _ := trace.Weight("w5")
	fmt.Printf("E_total %.9f\n", trace.LossBefore)
	fmt.Printf("dE/dw5 = %.8f * %.9f * %.9f = %.9f\n", w5.DEdOut, w5.DOutDNet, w5.DNetDW, w5.Grad)
	fmt.Printf("w5: %.2f -> %.8f\n", w5.Old, w5.New)
	fmt.Printf("E after the step %.12f\n", trace.LossAfter)
	// Output:
	// E_total 0.298371109
	// dE/dw5 = 0.74136507 * 0.186815602 * 0.593269992 = 0.082167041
	// w5: 0.40 -> 0.35891648
	// E after the step 0.291027773694
}

func ExampleSequential_GradientCheck() {
	m := nn.NewSequential(nn.Dense{Units: 3, Activation: nn.Tanh, InputDim: 2}, nn.Dense{Units: 2, Activation: nn.Softmax})
	if err := m.Compile(nn.SGD{}, nn.CategoricalCrossentropy); err != nil {
		log.Fatal(err)
	}
	res, err := m.GradientCheck([][]float64{{0.5, -1}, {2, 0.3}}, [][]float64{{1, 0}, {0, 1}}, 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d weights checked, backprop agrees: %v\n", res.Checked, res.MaxRelError < 1e-6)
	// Output:
	// 17 weights checked, backprop agrees: true
}

func ExampleToCategorical() {
	y, _ := nn.ToCategorical([]int{0, 1, 1, 0}, 0)
	fmt.Println(y.RawMatrix().Data)
	// Output:
	// [1 0 0 1 0 1 1 0]
}

// A trained model is saved and loaded again, for instance in a later
// notebook cell, instead of training it again.
func ExampleLoad() {
	model := nn.NewSequential(nn.Dense{Units: 1, InputDim: 1})
	model.DType = nn.Float64
	if err := model.Compile(nn.SGD{LearningRate: 0.1}, nn.MeanSquaredError); err != nil {
		log.Fatal(err)
	}
	x, y := []float64{0, 1, 2, 3}, []float64{1, 3, 5, 7} // y = 2x + 1
	if _, err := model.Fit(x, y, nn.FitOptions{Epochs: 500}); err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(os.TempDir(), "line.json")
	if err := model.Save(path); err != nil {
		log.Fatal(err)
	}
	loaded, err := nn.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	p, _ := loaded.Predict([]float64{10})
	fmt.Printf("%.3f\n", p.At(0, 0))
	// Output:
	// 21.000
}

func ExampleEarlyStopping() {
	x := [][]float64{{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}}
	y := []float64{0, 2, 4, 6, 8, 10, 12, 14, 16, 18}
	model := nn.NewSequential(nn.Dense{Units: 1})
	model.DType = nn.Float64
	if err := model.Compile(nn.SGD{LearningRate: 0.02}, nn.MeanSquaredError); err != nil {
		log.Fatal(err)
	}
	stop := &nn.EarlyStopping{Monitor: "val_loss", MinDelta: 1e-3, Patience: 2}
	h, err := model.Fit(x, y, nn.FitOptions{Epochs: 1000, ValidationSplit: 0.3, Callbacks: []nn.Callback{stop}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("stopped early: %v, before epoch 1000: %v\n", h.Stopped(), len(h.Epoch) < 1000)
	// Output:
	// stopped early: true, before epoch 1000: true
}

// Column is Keras' predictions[:, j]: here the probability of class 1 in
// every row of a softmax output.
func ExampleColumn() {
	predictions, _ := nn.FromRows([][]float64{{0.9, 0.1}, {0.25, 0.75}})
	fmt.Println(nn.Column(predictions, 1))
	fmt.Println(nn.Column(predictions, 2) == nil)
	// Output:
	// [0.1 0.75]
	// true
}

// After Fit, the History says how the rows were split, in Keras 2's words
// (Fit prints the same line first when Verbose is 1 or 2).
func ExampleTrainParams_String() {
	x := make([][]float64, 891)
	y := make([]float64, 891)
	for i := range x {
		x[i] = []float64{float64(i % 7), float64(i % 3)}
		y[i] = float64(i % 2)
	}
	model := nn.NewSequential(nn.Dense{Units: 1, Activation: nn.Sigmoid})
	if err := model.Compile(nn.SGD{}, nn.BinaryCrossentropy); err != nil {
		panic(err)
	}
	h, err := model.Fit(x, y, nn.FitOptions{ValidationSplit: 0.3})
	if err != nil {
		panic(err)
	}
	fmt.Println(h.Params)
	// Output:
	// Train on 623 samples, validate on 268 samples
}
