//go:build parity

package parity

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/nn"
	"github.com/dlnb/dlnb/nn/onnx"
	"gonum.org/v1/gonum/mat"
)

// TestHowtoPython runs the Python snippet of the how-to
// notebooks/howto/keep-a-trained-model.ipynb, as a student would, in the
// parity environment (which has onnxruntime): on an XOR model that nn/onnx
// saved as xor.onnx, it must print nn's predictions to its 6 decimals.
func TestHowtoPython(t *testing.T) {
	const notebook = "../notebooks/howto/keep-a-trained-model.ipynb"
	b, err := os.ReadFile(notebook)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			Type   string   `json:"cell_type"`
			Source []string `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", notebook, err)
	}
	var snippet string
	for _, c := range nb.Cells {
		if m := regexp.MustCompile("(?s)```python\n(.*?)```").FindStringSubmatch(strings.Join(c.Source, "")); c.Type == "markdown" && m != nil {
			snippet = m[1]
		}
	}
	if snippet == "" {
		t.Fatalf("%s has no ```python block", notebook)
	}
	m := nn.NewSequential(nn.Dense{Units: 8, Activation: nn.Tanh, InputDim: 2}, nn.Dense{Units: 1, Activation: nn.Sigmoid})
	m.Seed = 1
	x := mat.NewDense(4, 2, []float64{0, 0, 0, 1, 1, 0, 1, 1})
	y := mat.NewDense(4, 1, []float64{0, 1, 1, 0})
	if err := m.Compile(nn.Adam{LearningRate: 0.05}, nn.BinaryCrossentropy); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(x, y, nn.FitOptions{Epochs: 300, BatchSize: 4}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := onnx.Save(m, filepath.Join(dir, "xor.onnx")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "predict.py"), []byte(snippet), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python(t), "predict.py")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the how-to's predict.py: %v\n%s", err, out)
	}
	f := regexp.MustCompile(`onnxruntime predicts: \[([^\]]*)\]`).FindStringSubmatch(string(out))
	if f == nil {
		t.Fatalf("the how-to's predict.py printed %q, not \"onnxruntime predicts: [...]\"", out)
	}
	want, err := m.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(f[1])
	worst := 0.0
	for i := range 4 {
		v := math.NaN()
		if i < len(got) {
			v, _ = strconv.ParseFloat(got[i], 64)
		}
		worst = math.Max(worst, math.Abs(v-want.At(i, 0)))
	}
	status := "ok"
	// 6 decimals printed: half of 1e-6 from rounding, plus the 1e-6 of the other ONNX cases.
	if !(len(got) == 4 && worst <= 1.5e-6) {
		status = "FAIL"
		t.Errorf("the how-to's predict.py printed %s, nn predicts %.6f: differ by %.2g > 1.5e-6", f[0], mat.Col(nil, 0, want), worst)
	}
	report = append(report, fmt.Sprintf("%-4s onnx: %-41s 4 rows: max diff %.1e tolerance 1.5e-06 (6 decimals printed)", status, "the how-to's Python snippet", worst))
}
