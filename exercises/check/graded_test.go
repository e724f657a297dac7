package check

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/nn"
)

// runGraded calls Graded with exit and stderr captured.
func runGraded(name string, exercise func()) (code int, msg, out string) {
	var e, o bytes.Buffer
	code = -1
	oldExit, oldStderr := exit, stderr
	exit = func(c int) { code = c }
	stderr = func() io.Writer { return &e }
	Writer = &o
	defer func() { exit, stderr, Writer = oldExit, oldStderr, nil }()
	Graded(name, exercise)
	return code, e.String(), o.String()
}

func TestGraded(t *testing.T) {
	in := []float64{3, 5}
	w := map[string][]float64{"node_0": {2, 4}, "node_1": {4, -5}, "output": {2, 7}}
	for _, c := range []struct {
		name     string
		check    string
		exercise func()
		code     int
		want     string
	}{
		{"right", "output", func() { Output(in, w, nn.Linear, -39) }, -1, ""},
		{"not yet", "output", func() { Output(in, w, nn.Linear, 0) }, 1, "FAILED output: not yet: you have 0"},
		{"another check passed", "output", func() { Hidden(0, in, w, nn.Linear, []float64{26, -13}) }, 1, `the check "output" did not run`},
		{"the last verdict counts", "output", func() { Output(in, w, nn.Linear, -39); Output(in, w, nn.Linear, 1) }, 1, "FAILED output: not yet"},
		{"panic before", "output", func() { var m map[string][]float64; m["x"][0] = 1 }, 1, "FAILED output: the code panicked before the check could pass"},
		{"panic after", "output", func() { Output(in, w, nn.Linear, -39); panic("boom") }, 1, "panicked before the check could pass: boom"},
		{"printed, not checked", "output", func() { print("✓ output: right\n") }, 1, "did not run"},
		{"nil", "output", nil, 1, "nil function"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, msg, _ := runGraded(c.check, c.exercise)
			if code != c.code {
				t.Errorf("exit code %d, want %d (-1: no exit); stderr %q", code, c.code, msg)
			}
			if c.want == "" && msg != "" || !strings.Contains(msg, c.want) {
				t.Errorf("stderr %q, want it to contain %q", msg, c.want)
			}
		})
	}
}

// Outside Graded the checks record nothing (and a Graded inside an exercise
// keeps the outer one's verdicts apart).
func TestGradedRecordsOnlyWhileRunning(t *testing.T) {
	Writer = &bytes.Buffer{}
	defer func() { Writer = nil }()
	ReLU(func(x float64) float64 { return max(0, x) })
	if recorded != nil {
		t.Fatal("a check outside Graded recorded its verdict")
	}
	code, msg, _ := runGraded("relu", func() {
		if m := graded("output", func() {}); !strings.Contains(m, "did not run") {
			t.Errorf("inner graded: %q", m)
		}
		ReLU(func(x float64) float64 { return max(0, x) })
	})
	if code != -1 || msg != "" {
		t.Errorf("exit %d, stderr %q: want a pass", code, msg)
	}
}
