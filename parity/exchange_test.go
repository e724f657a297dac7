//go:build parity

package parity

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/nn"
	"github.com/dlnb/dlnb/nn/onnx"
	"gonum.org/v1/gonum/mat"
)

// TestExchange moves the course's Titanic model between Keras 3 and nn
// (parity/exchange.py) and to ONNX (nn/onnx's Save), and checks the predictions
// agree to 1e-6 on the course's pred_data, and that bad files get errors that
// name the problem.
func TestExchange(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	pred := datasets.TitanicPredData()
	if err := writeMatrix(p("pred.f64"), pred.X); err != nil {
		t.Fatal(err)
	}

	// An nn model trained as the course does, saved by nn.
	d := datasets.Titanic()
	y := oneHot(t, d)
	m := nn.NewSequential(nn.Dense{Units: 32, Activation: nn.ReLU}, nn.Dense{Units: 2, Activation: nn.Softmax})
	m.Seed = 1
	if err := m.Compile(nn.SGD{}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(d.X, y, nn.FitOptions{Epochs: 10}); err != nil {
		t.Fatal(err)
	}
	if err := m.Save(p("nn.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p("junk.keras"), []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := onnx.Save(m, p("nn.onnx")); err != nil {
		t.Fatal(err)
	}

	args := []string{"exchange.py",
		"course-titanic", p("keras.keras"), // Keras trains and saves the course's model
		"keras2nn", p("keras.keras"), p("from-keras.json"),
		"predict-keras", p("keras.keras"), p("pred.f64"), p("keras-pred.json"),
		"nn2keras", p("nn.json"), p("from-nn.keras"),
		"predict-keras", p("from-nn.keras"), p("pred.f64"), p("from-nn-keras-pred.json"),
		"predict-onnx", p("nn.onnx"), p("pred.f64"), p("onnx-pred.json"),
		"bad-dropout", p("dropout.keras"),
		"keras2nn", p("dropout.keras"), p("dropout.json"),
		"keras2nn", p("junk.keras"), p("junk-keras.json"),
	}
	cmd := exec.Command(python(t), args...)
	cmd.Env = append(os.Environ(), "KERAS_BACKEND=jax")
	out, err := cmd.CombinedOutput()
	// The two bad files must fail (exit status 1), everything else succeed.
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exchange.py: want exit status 1 (two bad files), got %v\n%s", err, out)
	}
	for _, f := range []string{"keras.keras", "from-keras.json", "keras-pred.json", "from-nn.keras", "from-nn-keras-pred.json", "onnx-pred.json"} {
		if _, err := os.Stat(p(f + ".error")); err == nil {
			b, _ := os.ReadFile(p(f + ".error"))
			t.Fatalf("exchange.py failed making %s: %s\n%s", f, b, out)
		}
	}
	for file, want := range map[string][]string{
		"dropout.json.error":    {"Dropout", "Dense layers only"},
		"junk-keras.json.error": {"not a .keras file", "model.save"},
	} {
		b, err := os.ReadFile(p(file))
		if err != nil {
			t.Errorf("a bad file gave no error (%s): %v\n%s", file, err, out)
			continue
		}
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s: error %q does not say %q", file, b, w)
			}
		}
	}

	check := func(what, predFile string, got *mat.Dense) {
		t.Helper()
		var want [][]float64
		b, err := os.ReadFile(p(predFile))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		r, c := got.Dims()
		if len(want) != r || len(want[0]) != c {
			t.Fatalf("%s: %dx%d predictions, want %dx%d", what, len(want), len(want[0]), r, c)
		}
		worst := 0.0
		for i := range want {
			for j := range want[i] {
				worst = math.Max(worst, math.Abs(got.At(i, j)-want[i][j]))
			}
		}
		status := "ok"
		if worst > 1e-6 {
			status = "FAIL"
			t.Errorf("%s: predictions differ by %.2g > 1e-6", what, worst)
		}
		report = append(report, fmt.Sprintf("%-4s %-46s %d rows     max diff %.1e tolerance 1e-06", status, what, r, worst))
	}
	fromKeras, err := nn.Load(p("from-keras.json"))
	if err != nil {
		t.Fatalf("nn.Load of the model converted from Keras: %v", err)
	}
	pk, err := fromKeras.Predict(pred.X)
	if err != nil {
		t.Fatal(err)
	}
	check("exchange: Keras .keras -> nn, predict in nn", "keras-pred.json", pk)
	pn, err := m.Predict(pred.X)
	if err != nil {
		t.Fatal(err)
	}
	check("exchange: nn -> .keras, predict in Keras", "from-nn-keras-pred.json", pn)
	check("exchange: nn -> ONNX, predict in onnxruntime", "onnx-pred.json", pn)
}
