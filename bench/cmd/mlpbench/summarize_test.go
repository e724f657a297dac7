package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	in := `# a comment
RESULT impl=go-fast task=mnist batch=32 epochs=1 train_s=0.5 train_cpu_s=0.5 predict_s=0.02 accuracy=0.96
RESULT impl=numpy task=mnist batch=32 epochs=1 train_s=1.0 train_cpu_s=1.5 predict_s=0.04 accuracy=0.96
RESULT impl=go-fast task=mnist batch=32 epochs=1 train_s=0.7 train_cpu_s=0.5 predict_s=0.02 accuracy=0.96
RESULT impl=numpy task=mnist batch=32 epochs=1 train_s=3.0 train_cpu_s=1.5 predict_s=0.04 accuracy=0.96
RESULT impl=go-fast task=mnist batch=32 epochs=1 train_s=9.0 train_cpu_s=0.5 predict_s=0.02 accuracy=0.96
RESULT impl=torch-1t task=mnist batch=32 epochs=1 train_s=1.5 train_cpu_s=1.5 predict_s=0.01 accuracy=0.95
`
	path := filepath.Join(t.TempDir(), "r.txt")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := summarize(path, &out); err != nil {
		t.Fatal(err)
	}
	// go-fast: median 0.7; best peer: numpy's median 2.0 vs torch's 1.5 -> 1.5.
	for _, want := range []string{"mnist, batch 32", "go-fast  3   0.7000   0.47", "torch-1t  1   1.5000   1.00", "numpy  2   2.0000   1.33"} {
		if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	if err := os.WriteFile(path, []byte("RESULT impl=x task=mnist batch=32 train_s=abc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := summarize(path, &out); err == nil || !strings.Contains(err.Error(), "train_s") {
		t.Fatalf("bad number: error %v, want one naming train_s", err)
	}
	if err := os.WriteFile(path, []byte("nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := summarize(path, &out); err == nil {
		t.Fatal("no error for a file without results")
	}
}
