package nn

import (
	"os"
	"strings"
	"testing"
)

// The reading path, the files a student reads to see how a network learns,
// stays readable in one sitting: at most 1,500 lines of code and comments.
// Conversion and validation of inputs (input.go, names.go, config.go), the
// engine (engine.go, matrix.go, internal/fastops), progress, save, trace and
// gradient checks live elsewhere.
func TestReadingPathLength(t *testing.T) {
	const limit = 1500
	total := 0
	for _, f := range []string{"model.go", "train.go", "callback.go", "history.go", "dense.go", "activation.go", "loss.go", "optimizer.go", "metric.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Count(string(b), "\n")
		t.Logf("%-14s %4d lines", f, n)
		total += n
	}
	if total > limit {
		t.Errorf("the reading path has %d lines, more than %d: move what a student need not read (checks, conversions, plumbing) to another file", total, limit)
	}
}
