package lesson

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/nn"
)

// stopped runs f with Must's exit and stderr captured; it returns what Must
// printed and the exit code (-1 if f did not stop).
func stopped(t *testing.T, f func()) (msg string, code int) {
	t.Helper()
	var buf bytes.Buffer
	oldErr, oldExit := stderr, exit
	defer func() { stderr, exit = oldErr, oldExit }()
	stderr = &buf
	code = -1
	type stop struct{}
	exit = func(c int) { code = c; panic(stop{}) }
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(stop); !ok {
					panic(r)
				}
			}
		}()
		f()
	}()
	return buf.String(), code
}

func TestMust(t *testing.T) {
	if msg, code := stopped(t, func() { Must(nil) }); code != -1 || msg != "" {
		t.Errorf("Must(nil) stopped with %d, %q; want no effect", code, msg)
	}
	msg, code := stopped(t, func() { Must(errors.New("boom")) })
	if code != 1 || msg != "error: boom\n" {
		t.Errorf("Must(boom): exit %d, printed %q; want exit 1, \"error: boom\\n\"", code, msg)
	}
	if got := Must1(42, nil); got != 42 {
		t.Errorf("Must1(42, nil) = %d, want 42", got)
	}
	if a, b := Must2(1, "b", nil); a != 1 || b != "b" {
		t.Errorf("Must2(1, \"b\", nil) = %v, %v", a, b)
	}
	if _, code := stopped(t, func() { Must2(1, 2, errors.New("x")) }); code != 1 {
		t.Errorf("Must2 with an error: exit %d, want 1", code)
	}
	if _, code := stopped(t, func() { Must1(0, errors.New("x")) }); code != 1 {
		t.Errorf("Must1 with an error: exit %d, want 1", code)
	}
}

func TestLoadModel(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.model.json")
	msg, code := stopped(t, func() { LoadModel(path) })
	if code != 1 || !strings.Contains(msg, "run the training cell above first") || !strings.Contains(msg, path) {
		t.Errorf("LoadModel of a missing file: exit %d, %q; want exit 1 naming the file and the training cell", code, msg)
	}
	m := nn.NewSequential(nn.Dense{Units: 3, Activation: nn.ReLU, InputDim: 2}, nn.Dense{Units: 1})
	if err := m.Compile(nn.Adam{}, nn.MeanSquaredError); err != nil {
		t.Fatal(err)
	}
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	if got := LoadModel(path); got.CountParams() != m.CountParams() {
		t.Errorf("LoadModel: %d parameters, saved %d", got.CountParams(), m.CountParams())
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	msg, code = stopped(t, func() { LoadModel(path) })
	if code != 1 || !strings.HasPrefix(msg, "error: ") || strings.Contains(msg, "training cell") {
		t.Errorf("LoadModel of a broken file: exit %d, %q; want exit 1 with nn.Load's own error", code, msg)
	}
}

func TestData(t *testing.T) {
	x, y := Titanic()
	if r, c := x.Dims(); r != 891 || c != 10 {
		t.Errorf("Titanic predictors %dx%d, want 891x10", r, c)
	}
	if r, c := y.Dims(); r != 891 || c != 2 {
		t.Errorf("Titanic target %dx%d, want 891x2", r, c)
	}
	x, y = MNIST()
	if r, c := x.Dims(); r != 2500 || c != 784 {
		t.Errorf("MNIST images %dx%d, want 2500x784", r, c)
	}
	if r, c := y.Dims(); r != 2500 || c != 10 {
		t.Errorf("MNIST target %dx%d, want 2500x10", r, c)
	}
}
