package lesson_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dlnb/dlnb/nn"
	"github.com/dlnb/dlnb/notebooks/lesson"
)

// A training cell saves the model; a later cell loads it instead of training again.
func ExampleLoadModel() {
	dir, err := os.MkdirTemp("", "lesson")
	lesson.Must(err)
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "tiny.model.json")

	// The training cell:
	model := nn.NewSequential(nn.Dense{Units: 4, Activation: nn.ReLU, InputDim: 2}, nn.Dense{Units: 1})
	model.Seed = 1
	lesson.Must(model.Compile(nn.Adam{}, nn.MeanSquaredError))
	lesson.Must1(model.Fit([][]float64{{0, 1}, {1, 0}}, []float64{1, 2}, nn.FitOptions{Epochs: 3}))
	lesson.Must(model.Save(file))

	// Any later cell:
	loaded := lesson.LoadModel(file)
	fmt.Println(loaded.CountParams(), "parameters")
	// Output: 17 parameters
}

// Must1 unwraps a value when there is no error.
func ExampleMust1() {
	x, y := lesson.Titanic()
	model := nn.NewSequential(nn.Dense{Units: 2, Activation: nn.Softmax, InputDim: 10})
	lesson.Must(model.Compile(nn.SGD{}, nn.CategoricalCrossentropy, nn.Accuracy))
	scores := lesson.Must1(model.Evaluate(x, y))
	fmt.Println(len(scores), "scores:", scores["accuracy"] >= 0 && scores["accuracy"] <= 1)
	// Output: 2 scores: true
}

// SplitReport prints how Fit splits the rows for validation.
func ExampleSplitReport() {
	x, y := lesson.Titanic()
	model := nn.NewSequential(nn.Dense{Units: 2, Activation: nn.Softmax, InputDim: 10})
	lesson.Must(model.Compile(nn.Adam{}, nn.CategoricalCrossentropy))
	lesson.Must1(model.Fit(x, y, nn.FitOptions{Epochs: 1, ValidationSplit: 0.3,
		Callbacks: []nn.Callback{lesson.SplitReport{}}}))
	// Output: training on 623 rows, validating on 268 rows
}
