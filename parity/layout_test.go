//go:build parity

package parity

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/nn"
)

// layoutSpec is the course's Titanic model for TestKeras' layout check.
func layoutSpec(t *testing.T) (spec, *datasets.Dataset) {
	d := datasets.Titanic()
	return spec{Kind: "layout", Seed: 0, Layers: []layerSpec{{32, "relu"}, {2, "softmax"}},
		Loss: "categorical_crossentropy", Metrics: []string{"accuracy"}, Epochs: 2, BatchSize: 32, ValidationSplit: 0.3}, d
}

var (
	ansi    = regexp.MustCompile("\x1b\\[[0-9;]*m")
	numbers = regexp.MustCompile(`\d+(\.\d+)?`)
	timing  = regexp.MustCompile(`N(us|ms|s)/step`)
	elapsed = regexp.MustCompile(`(^|[ -])N(:N)?s? `)
)

// progressLines keeps what stays on the screen of fit's output: for each
// line, the text after its last carriage return, without colours and
// backspaces; numbers become N and time units T.
func progressLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if i := strings.LastIndex(l, "\r"); i >= 0 {
			l = l[i+1:]
		}
		l = ansi.ReplaceAllString(l, "")
		l = strings.ReplaceAll(l, "\b", "")
		l = numbers.ReplaceAllString(strings.TrimRight(l, " "), "N")
		l = timing.ReplaceAllString(l, "NT/step")
		l = elapsed.ReplaceAllString(l, "${1}NT ")
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

var (
	kerasRow = regexp.MustCompile(`^│ (\S+) \((\w+)\)\s+│ (\(None, \d+\))\s+│\s+(\d+) │$`)
	nnRow    = regexp.MustCompile(`^ (\S+) \((\w+)\)\s+(\(None, \d+\))\s+(\d+)$`)
	total    = regexp.MustCompile(`^ ?((?:Total|Trainable|Non-trainable) params: [\d,]+)`)
)

// summaryContent extracts the layer rows and the totals of a summary.
func summaryContent(s string, row *regexp.Regexp) []string {
	var c []string
	for _, l := range strings.Split(s, "\n") {
		if m := row.FindStringSubmatch(l); m != nil {
			c = append(c, strings.Join(m[1:], " "))
		} else if m := total.FindStringSubmatch(l); m != nil {
			c = append(c, m[1])
		} else if strings.HasPrefix(l, "Model: ") {
			c = append(c, l)
		}
	}
	return c
}

// compareLayout checks nn's Summary and Verbose 1/2 output against Keras 3's
// for the course's Titanic model: the progress lines must match once the
// numbers are taken out; the summary must hold the same rows and totals (its
// frame is Keras 2's, on purpose: see nn's doc, "Verified against Keras").
func compareLayout(t *testing.T, d *datasets.Dataset, k map[string]string) {
	y := oneHot(t, d)
	m := nn.NewSequential(nn.Dense{Units: 32, Activation: nn.ReLU, InputDim: 10}, nn.Dense{Units: 2, Activation: nn.Softmax})
	if err := m.Compile(nn.SGD{}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
		t.Fatal(err)
	}
	if err := m.Build(10); err != nil {
		t.Fatal(err)
	}
	sum := m.Summary()
	ks, ns := summaryContent(k["summary"], kerasRow), summaryContent(sum, nnRow)
	if len(ks) != 6 || strings.Join(ks, "\n") != strings.Join(ns, "\n") {
		t.Errorf("summary content differs:\nKeras 3:\n%s\nnn:\n%s\n(Keras' summary:\n%s\nnn's:\n%s)", strings.Join(ks, "\n"), strings.Join(ns, "\n"), k["summary"], sum)
	}
	lines := 0
	for _, v := range []int{1, 2} {
		var b bytes.Buffer
		if _, err := m.Fit(d.X, y, nn.FitOptions{Epochs: 2, Verbose: v, ValidationSplit: 0.3, Output: &b}); err != nil {
			t.Fatal(err)
		}
		kl, nl := progressLines(k[fmt.Sprintf("verbose%d", v)]), progressLines(b.String())
		// Keras 1 also leaves the live bar's earlier states on lines of their own
		// only when the terminal does not overwrite them; keep the last line of each epoch.
		kl = lastPerEpoch(kl)
		// nn prints Keras 2's "Train on N samples, validate on M samples" first, for
		// the course (a difference nn's doc states); the rest must be Keras 3's.
		if len(nl) == 0 || !strings.HasPrefix(nl[0], "Train on ") {
			t.Errorf("verbose %d: nn's output does not start with Keras 2's split line: %q", v, nl)
		} else {
			nl = nl[1:]
		}
		if strings.Join(kl, "\n") != strings.Join(nl, "\n") {
			t.Errorf("verbose %d layout differs:\nKeras 3:\n%s\nnn:\n%s", v, strings.Join(kl, "\n"), strings.Join(nl, "\n"))
		}
		lines += len(nl)
	}
	status := "ok"
	if t.Failed() {
		status = "FAIL"
	}
	report = append(report, fmt.Sprintf("%-4s %-46s summary rows and totals, %d progress lines (verbose 1 and 2) match Keras 3 with the numbers out", status, "layout: titanic 32-2 summary and fit output", lines))
}

// lastPerEpoch keeps, between "Epoch k/N" lines, only the last line.
func lastPerEpoch(lines []string) []string {
	var out []string
	for i, l := range lines {
		if strings.HasPrefix(l, "Epoch ") || i+1 == len(lines) || strings.HasPrefix(lines[i+1], "Epoch ") {
			out = append(out, l)
		}
	}
	return out
}
