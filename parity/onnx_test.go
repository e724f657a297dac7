//go:build parity

package parity

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/nn"
	"github.com/dlnb/dlnb/nn/onnx"
	"gonum.org/v1/gonum/mat"
)

// TestSaveONNX trains the course's models in nn, saves each with nn/onnx's
// Save, and has onnxruntime (after onnx.checker's full check) predict from
// the files: the predictions must equal nn.Predict's to 1e-6, on all the rows
// at once and on one row (the batch dimension is symbolic). A copy of the
// Titanic model with one bias moved by 1e-3 must be caught: the comparison
// can fail.
func TestSaveONNX(t *testing.T) {
	const tol = 1e-6
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	wages := datasets.HourlyWages()
	titanic := datasets.Titanic()
	digits, err := datasets.MNIST2500()
	if err != nil {
		t.Fatalf("MNIST: %v", err)
	}
	type onnxCase struct {
		name   string
		layers []nn.Dense
		dtype  nn.DType
		loss   nn.Loss
		opt    nn.Optimizer
		x, y   *mat.Dense
	}
	relu := func(u int) nn.Dense { return nn.Dense{Units: u, Activation: nn.ReLU} }
	cases := []onnxCase{
		{"wages 50-32-1 adam mse", []nn.Dense{relu(50), relu(32), {Units: 1}}, nn.Float32, nn.MeanSquaredError, nn.Adam{}, wages.X, wages.Y},
		{"titanic 32-2 sgd cce", []nn.Dense{relu(32), {Units: 2, Activation: nn.Softmax}}, nn.Float32, nn.CategoricalCrossentropy, nn.SGD{}, titanic.X, oneHot(t, titanic)},
		{"mnist 2500 50-50-10 adam", []nn.Dense{relu(50), relu(50), {Units: 10, Activation: nn.Softmax}}, nn.Float32, nn.CategoricalCrossentropy, nn.Adam{}, digits.X, oneHot(t, digits)},
		{"every activation, no-bias layer (titanic)", []nn.Dense{{Units: 16, Activation: nn.LeakyReLU}, {Units: 8, Activation: nn.Tanh, NoBias: true},
			{Units: 8, Activation: nn.Sigmoid}, {Units: 4, Activation: nn.Linear}, {Units: 2, Activation: nn.Softmax}}, nn.Float32, nn.CategoricalCrossentropy, nn.Adam{}, titanic.X, oneHot(t, titanic)},
		{"float64 model, rounded to float32 (wages)", []nn.Dense{relu(50), relu(32), {Units: 1}}, nn.Float64, nn.MeanSquaredError, nn.Adam{}, wages.X, wages.Y},
	}
	var args []string
	models := map[string]*nn.Sequential{}
	for i, c := range cases {
		layers := make([]nn.Layer, len(c.layers))
		for j, l := range c.layers {
			layers[j] = l
		}
		m := nn.NewSequential(layers...)
		m.Seed, m.DType = 1, c.dtype
		if err := m.Compile(c.opt, c.loss); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Fit(c.x, c.y, nn.FitOptions{Epochs: 10}); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := onnx.Save(m, p(fmt.Sprint(i, ".onnx"))); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		models[c.name] = m
		r, cols := c.x.Dims()
		one := mat.NewDense(1, cols, mat.Row(nil, r-1, c.x))
		if err := writeMatrix(p(fmt.Sprint(i, ".f64")), c.x); err != nil {
			t.Fatal(err)
		}
		if err := writeMatrix(p(fmt.Sprint(i, "-one.f64")), one); err != nil {
			t.Fatal(err)
		}
		args = append(args, "predict-onnx", p(fmt.Sprint(i, ".onnx")), p(fmt.Sprint(i, ".f64")), p(fmt.Sprint(i, ".json")),
			"predict-onnx", p(fmt.Sprint(i, ".onnx")), p(fmt.Sprint(i, "-one.f64")), p(fmt.Sprint(i, "-one.json")))
	}
	// The deliberate difference: the Titanic model with its first bias moved by 1e-3.
	moved := p("moved.json")
	if err := models[cases[1].name].Save(moved); err != nil {
		t.Fatal(err)
	}
	mv, err := nn.Load(moved)
	if err != nil {
		t.Fatal(err)
	}
	l0, _ := mv.Layer(0)
	bias := append([]float64(nil), l0.Bias...)
	bias[0] += 1e-3
	if err := mv.SetWeights(0, nil, bias); err != nil {
		t.Fatal(err)
	}
	if err := onnx.Save(mv, p("moved.onnx")); err != nil {
		t.Fatal(err)
	}
	args = append(args, "predict-onnx", p("moved.onnx"), p("1.f64"), p("moved-pred.json"))

	cmd := exec.Command(python(t), append([]string{"exchange.py"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("exchange.py predict-onnx: %v\n%s", err, out)
	}
	worstDiff := func(predFile string, got *mat.Dense) (float64, error) {
		var want [][]float64
		b, err := os.ReadFile(p(predFile))
		if err != nil {
			return 0, err
		}
		if err := json.Unmarshal(b, &want); err != nil {
			return 0, err
		}
		r, c := got.Dims()
		if len(want) != r || len(want[0]) != c {
			return 0, fmt.Errorf("onnxruntime gave %dx%d predictions, nn %dx%d", len(want), len(want[0]), r, c)
		}
		worst := 0.0
		for i := range want {
			for j := range want[i] {
				worst = math.Max(worst, math.Abs(got.At(i, j)-want[i][j])/math.Max(1, math.Abs(want[i][j])))
			}
		}
		return worst, nil
	}
	for i, c := range cases {
		m := models[c.name]
		all, err := m.Predict(c.x)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := c.x.Dims()
		one, err := m.Predict(c.x.Slice(r-1, r, 0, c.x.RawMatrix().Cols).(*mat.Dense))
		if err != nil {
			t.Fatal(err)
		}
		dAll, err := worstDiff(fmt.Sprint(i, ".json"), all)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		dOne, err := worstDiff(fmt.Sprint(i, "-one.json"), one)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		worst := math.Max(dAll, dOne)
		status := "ok"
		if worst > tol {
			status = "FAIL"
			t.Errorf("onnx: %s: onnxruntime's predictions differ from nn's by %.2g > %g", c.name, worst, tol)
		}
		report = append(report, fmt.Sprintf("%-4s onnx: %-41s %4d rows and 1: max diff %.1e tolerance %.0e", status, c.name, r, worst, tol))
	}
	pn, err := models[cases[1].name].Predict(titanic.X)
	if err != nil {
		t.Fatal(err)
	}
	d, err := worstDiff("moved-pred.json", pn)
	if err != nil {
		t.Fatal(err)
	}
	status := "ok"
	if d <= tol {
		status = "FAIL"
		t.Errorf("onnx: a bias moved by 1e-3 changed onnxruntime's predictions by only %.2g: the comparison cannot fail", d)
	}
	report = append(report, fmt.Sprintf("%-4s onnx: %-41s caught: max diff %.1e > tolerance %.0e", status, "deliberate difference (a bias +1e-3)", d, tol))
}
