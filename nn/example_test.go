package nn_test

import (
	"bufio"
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

// A large model is saved in the compact format: a JSON header on the first
// line, then 4 bytes per float32 number. SaveWith picks the format for any
// size; Load reads either.
func ExampleSequential_SaveWith() {
	model := nn.NewSequential(nn.Dense{Units: 512, Activation: nn.ReLU, InputDim: 784}, nn.Dense{Units: 10, Activation: nn.Softmax})
	if err := model.Build(0); err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(os.TempDir(), "mnist.model")
	if err := model.SaveWith(path, nn.SaveOptions{Format: nn.SaveCompact}); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(path)
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	header, _ := bufio.NewReader(f).ReadString('\n')
	st, _ := f.Stat()
	fmt.Println(header[:43])
	fmt.Printf("%d parameters in %d bytes\n", model.CountParams(), st.Size()-int64(len(header)))
	loaded, err := nn.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(loaded.CountParams())
	// Output:
	// {"format":"dlnb-nn-sequential","version":2,
	// 407050 parameters in 1628200 bytes
	// 407050
}

// A learning rate that halves every epoch; the History records it.
func ExampleLearningRateScheduler() {
	model := nn.NewSequential(nn.Dense{Units: 1, InputDim: 1})
	if err := model.Compile(nn.SGD{LearningRate: 0.1}, nn.MeanSquaredError); err != nil {
		panic(err)
	}
	halve := &nn.LearningRateScheduler{Schedule: func(epoch int, lr float64) float64 {
		if epoch == 0 {
			return lr
		}
		return lr / 2
	}}
	h, err := model.Fit([]float64{1, 2, 3}, []float64{2, 4, 6}, nn.FitOptions{Epochs: 4, Callbacks: []nn.Callback{halve}})
	if err != nil {
		panic(err)
	}
	fmt.Println(h.History["learning_rate"])
	// Output:
	// [0.1 0.05 0.025 0.0125]
}

// When the loss stops improving, ReduceLROnPlateau divides the learning
// rate (here by 2 after 1 epoch without improvement).
func ExampleReduceLROnPlateau() {
	model := nn.NewSequential(nn.Dense{Units: 1, InputDim: 1})
	if err := model.Compile(nn.SGD{LearningRate: 0.5}, nn.MeanSquaredError); err != nil {
		panic(err)
	}
	// A rate this large overshoots: the loss goes up, and the rate comes down.
	reduce := &nn.ReduceLROnPlateau{Monitor: "loss", Factor: 0.5, Patience: 1}
	h, err := model.Fit([]float64{1, 2, 3}, []float64{2, 4, 6}, nn.FitOptions{Epochs: 4, Callbacks: []nn.Callback{reduce}})
	if err != nil {
		panic(err)
	}
	fmt.Println(h.History["learning_rate"])
	fmt.Println("final rate:", model.LearningRate())
	// Output:
	// [0.5 0.5 0.25 0.125]
	// final rate: 0.0625
}

// ModelCheckpoint with SaveBestOnly keeps the best epoch's model on disk
// (TestModelCheckpoint shows it surviving worse epochs after it).
func ExampleModelCheckpoint() {
	dir, err := os.MkdirTemp("", "checkpoint")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	model := nn.NewSequential(nn.Dense{Units: 1, InputDim: 1})
	if err := model.Compile(nn.SGD{LearningRate: 0.05}, nn.MeanSquaredError); err != nil {
		panic(err)
	}
	best := &nn.ModelCheckpoint{Path: filepath.Join(dir, "best.json"), SaveBestOnly: true}
	x, y := []float64{1, 2, 3}, []float64{2, 4, 6}
	h, err := model.Fit(x, y, nn.FitOptions{Epochs: 5, ValidationX: x, ValidationY: y, Callbacks: []nn.Callback{best}})
	if err != nil {
		panic(err)
	}
	saved, err := nn.Load(best.Path)
	if err != nil {
		panic(err)
	}
	scores, _ := saved.Evaluate(x, y)
	fmt.Printf("best epoch %d, val_loss %.4f; the saved model's %.4f\n", h.BestEpoch+1, h.Best, scores["loss"])
	// Output:
	// best epoch 5, val_loss 0.0824; the saved model's 0.0824
}

// A loss or a metric computed on predictions, without a model: the mean
// squared error of a guess, as the course computes it by hand.
func ExampleLoss_Compute() {
	actual := []float64{3, 5, 7}
	predicted := []float64{2.5, 5, 8}
	mse, err := nn.MeanSquaredError.Compute(actual, predicted)
	if err != nil {
		panic(err)
	}
	acc, _ := nn.Accuracy.Compute([]int{1, 0, 1}, []float64{0.8, 0.3, 0.4})
	fmt.Printf("mse %.4f, accuracy %.4f\n", mse, acc)
	// Output:
	// mse 0.4167, accuracy 0.6667
}

// The course writes a layer's weights per node; SetNodeWeights takes them
// as written (Kernel and SetWeights take Keras' layout, one row per input).
func ExampleSequential_SetNodeWeights() {
	model := nn.NewSequential(nn.Dense{Units: 2, InputDim: 2}, nn.Dense{Units: 1})
	// node_0: [2, 4], node_1: [-3, 1]; output: [5, 4]; no biases.
	if err := model.SetNodeWeights(0, [][]float64{{2, 4}, {-3, 1}}, []float64{0, 0}); err != nil {
		panic(err)
	}
	if err := model.SetNodeWeights(1, [][]float64{{5, 4}}, []float64{0}); err != nil {
		panic(err)
	}
	out, _ := model.Predict([][]float64{{3, 5}})
	l, _ := model.Layer(0)
	fmt.Println("kernel row of input 0:", l.Kernel.RawRowView(0))
	fmt.Println("output:", out.At(0, 0))
	// Output:
	// kernel row of input 0: [2 -3]
	// output: 114
}

// An L2 penalty on a layer's weights, Keras' kernel_regularizer=L2(0.01):
// the loss includes 0.01 times the sum of the squared weights.
func ExampleL1L2() {
	model := nn.NewSequential(nn.Dense{Units: 1, InputDim: 2, Kernel: [][]float64{{3}, {-4}},
		KernelRegularizer: &nn.L1L2{L2: 0.01}})
	if err := model.Compile(nn.SGD{}, nn.MeanSquaredError); err != nil {
		panic(err)
	}
	scores, _ := model.Evaluate([][]float64{{1, 1}}, []float64{-1})
	// mse (3-4+1)² = 0, penalty 0.01*(9+16) = 0.25
	fmt.Printf("loss %.4f\n", scores["loss"])
	// Output:
	// loss 0.2500
}

// A Dropout layer between two Dense layers drops 20% of the hidden layer's
// outputs in training (a new random 20% every batch, the others scaled by
// 1/0.8) and none in Predict or Evaluate. It has no weights.
func ExampleDropout() {
	model := nn.NewSequential(
		nn.Dense{Units: 32, Activation: nn.ReLU, InputDim: 10},
		nn.Dropout{Rate: 0.2},
		nn.Dense{Units: 2, Activation: nn.Softmax},
	)
	if err := model.Compile(nn.Adam{}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
		panic(err)
	}
	fmt.Print(model.Summary())
	// Output:
	// Model: "sequential"
	// _________________________________________________________________
	//  Layer (type)                Output Shape              Param #
	// =================================================================
	//  dense (Dense)               (None, 32)                352
	//
	//  dropout (Dropout)           (None, 32)                0
	//
	//  dense_1 (Dense)             (None, 2)                 66
	// =================================================================
	// Total params: 418
	// Trainable params: 418
	// Non-trainable params: 0
	// _________________________________________________________________
}

// A Normalization layer keeps the scaler inside the model: Adapt measures
// each column's mean and variance on the training rows, and the model then
// takes raw rows in Fit, Predict and Evaluate, also after Save and Load.
func ExampleNormalization() {
	xTrain := [][]float64{{1, 100}, {2, 300}, {3, 200}}
	var norm nn.Normalization
	if err := norm.Adapt(xTrain); err != nil {
		panic(err)
	}
	fmt.Printf("mean %.4g, variance %.4g\n", norm.Mean, norm.Variance)
	model := nn.NewSequential(norm, nn.Dense{Units: 2, Kernel: [][]float64{{1, 0}, {0, 1}}})
	out, _ := model.ForwardPass([][]float64{{3, 300}})
	fmt.Printf("(3, 300) becomes %.4f\n", out[0].Out.RawRowView(0))
	// Output:
	// mean [2 200], variance [0.6667 6667]
	// (3, 300) becomes [1.2247 1.2247]
}

// On unbalanced data (here 1 survivor in 4) class weights make each
// survivor's loss count 3 times, as Keras' class_weight={0: 1, 1: 3}.
func ExampleFitOptions_classWeight() {
	x := [][]float64{{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}}
	y := []float64{0, 0, 0, 1, 0, 0, 0, 1}
	// A zero weight makes every first prediction 0.5.
	model := nn.NewSequential(nn.Dense{Units: 1, InputDim: 1, Kernel: [][]float64{{0}}, Activation: nn.Sigmoid})
	if err := model.Compile(nn.SGD{}, nn.BinaryCrossentropy); err != nil {
		panic(err)
	}
	h, err := model.Fit(x, y, nn.FitOptions{BatchSize: 8, NoShuffle: true, ClassWeight: map[int]float64{0: 1, 1: 3}})
	if err != nil {
		panic(err)
	}
	fmt.Printf("weighted loss %.4f = (6*1 + 2*3)/8 * ln 2\n", h.History["loss"][0])
	// Output:
	// weighted loss 1.0397 = (6*1 + 2*3)/8 * ln 2
}

// The course's first networks have no biases: NoBias (Keras'
// use_bias=False) and the weights per node, as the course writes them.
func ExampleDense_noBias() {
	model := nn.NewSequential(
		nn.Dense{Units: 2, InputDim: 2, NoBias: true},
		nn.Dense{Units: 1, NoBias: true},
	)
	if err := model.SetNodeWeights(0, [][]float64{{2, 4}, {4, -5}}, nil); err != nil {
		panic(err)
	}
	if err := model.SetNodeWeights(1, [][]float64{{2, 7}}, nil); err != nil {
		panic(err)
	}
	out, _ := model.Predict([][]float64{{3, 5}})
	fmt.Println("output:", out.At(0, 0), "parameters:", model.CountParams())
	// Output:
	// output: -39 parameters: 6
}

// Fit is a loop over TrainOnBatch. Written out, without shuffling or
// callbacks, one epoch is one pass over the batches; each step returns the
// batch's loss before its update. Fit(x, y, nn.FitOptions{Epochs: 3,
// BatchSize: 2, NoShuffle: true}) gives the same losses.
func ExampleSequential_TrainOnBatch() {
	x := [][]float64{{1}, {2}, {3}, {4}}
	y := []float64{2, 4, 6, 8}
	model := nn.NewSequential(nn.Dense{Units: 1, InputDim: 1, Kernel: [][]float64{{0}}})
	if err := model.Compile(nn.SGD{LearningRate: 0.05}, nn.MeanSquaredError); err != nil {
		panic(err)
	}
	const batchSize = 2
	for epoch := range 3 {
		var loss float64
		for start := 0; start < len(x); start += batchSize {
			logs, err := model.TrainOnBatch(x[start:start+batchSize], y[start:start+batchSize])
			if err != nil {
				panic(err)
			}
			loss += logs["loss"] * batchSize
		}
		fmt.Printf("epoch %d: loss %.4f\n", epoch+1, loss/float64(len(x)))
	}
	// Output:
	// epoch 1: loss 17.5325
	// epoch 2: loss 1.1969
	// epoch 3: loss 0.1245
}

// Precision and recall of yes/no predictions: of the 4 rows predicted 1, 3
// are 1; of the 4 rows that are 1, 3 were found.
func ExampleMetric_Compute() {
	y := []float64{1, 1, 1, 0, 0, 0, 0, 1}
	p := []float64{0.9, 0.6, 0.2, 0.7, 0.1, 0.3, 0.4, 0.8}
	precision, _ := nn.Precision.Compute(y, p)
	recall, _ := nn.Recall.Compute(y, p)
	fmt.Println("precision", precision, "recall", recall)
	// Output:
	// precision 0.75 recall 0.75
}

// AUC, the area under the ROC curve, is the share of (1, 0) pairs that a
// model ranks right, a tie counting half: here 0.35 is below 0.4, and the
// other three pairs are right.
//
// In Fit it counts all the rows of an epoch together, as Keras' stateful
// metrics do (and val_auc all the validation rows). Below, in batches of
// 2, the predictions rise with x: the first three batches rank their pair
// right and the last has only 1s (an AUC of 0 on its own, so the batches'
// mean would be 0.75), but the epoch's AUC is the 8 rows': 12 of the 15
// pairs are right.
func ExampleMetric_Compute_auc() {
	auc, _ := nn.AUC.Compute([]float64{0, 0, 1, 1}, []float64{0.1, 0.4, 0.35, 0.8})
	fmt.Println("auc", auc)

	x := [][]float64{{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}}
	y := []float64{0, 1, 0, 1, 0, 1, 1, 1}
	model := nn.NewSequential(nn.Dense{Units: 1, InputDim: 1, Activation: nn.Sigmoid, Kernel: [][]float64{{1}}, Bias: []float64{-4.5}})
	if err := model.Compile(nn.SGD{}, nn.BinaryCrossentropy, nn.AUC); err != nil {
		panic(err)
	}
	h, err := model.Fit(x, y, nn.FitOptions{BatchSize: 2, NoShuffle: true})
	if err != nil {
		panic(err)
	}
	fmt.Printf("the epoch's auc %.4f = 12/15\n", h.History["auc"][0])
	// Output:
	// auc 0.75
	// the epoch's auc 0.8000 = 12/15
}
