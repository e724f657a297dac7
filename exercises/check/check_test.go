package check

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// verdict runs one check with its output captured.
func verdict(f func() bool) (bool, string) {
	var b bytes.Buffer
	Writer = &b
	defer func() { Writer = nil }()
	ok := f()
	return ok, b.String()
}

// tcase is one call of a check and what it must say: pass or not, and
// substrings of what it prints (the problem and the hint).
type tcase struct {
	name string
	f    func() bool
	ok   bool
	want []string
}

func runCases(t *testing.T, cases []tcase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, out := verdict(c.f)
			if ok != c.ok {
				t.Errorf("passed = %v, want %v; printed:\n%s", ok, c.ok, out)
			}
			mark := "✓ "
			if !c.ok {
				mark = "✗ "
			}
			if !strings.HasPrefix(out, mark) || !strings.HasSuffix(out, "\n") {
				t.Errorf("printed %q: want one verdict starting with %q", out, mark)
			}
			if !c.ok && !strings.Contains(out, ": not yet: ") {
				t.Errorf("printed %q: a wrong answer must say 'not yet'", out)
			}
			if !c.ok && !strings.Contains(out, "\n  hint: ") {
				t.Errorf("printed %q: a wrong answer must come with a hint", out)
			}
			for _, w := range c.want {
				// A long hint is broken between words (wrapHint): compare the words.
				if !strings.Contains(out, w) && !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(w), " ")) {
					t.Errorf("printed:\n%s\nwant it to contain %q", out, w)
				}
			}
		})
	}
}

func TestResultString(t *testing.T) {
	for _, c := range []struct {
		r    result
		want string
	}{
		{right("output", "-39"), "✓ output: right (-39)\n"},
		{right("relu", ""), "✓ relu: right\n"},
		{notYet("output", "you have 0", "add them up"), "✗ output: not yet: you have 0\n  hint: add them up\n"},
		{notYet("x", "no", strings.Repeat("word ", 20)), "✗ x: not yet: no\n  hint:" + strings.Repeat(" word", 17) + "\n        word word word\n"},
		{notYet("x", "broken", ""), "✗ x: not yet: broken\n"},
	} {
		if got := c.r.String(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestClose(t *testing.T) {
	for _, c := range []struct {
		got, want, tol float64
		ok             bool
	}{
		{26, 26, 0, true},
		{26 + 1e-12, 26, HandTol, true},
		{26.001, 26, HandTol, false},
		{1e-10, 0, HandTol, true}, // absolute below 1
		{1e6 + 1e-4, 1e6, HandTol, true},
		{1e6 + 1, 1e6, HandTol, false},
		{math.NaN(), 0, HandTol, false},
		{0, math.NaN(), HandTol, false},
		{math.Inf(1), math.Inf(1), HandTol, true},
		{math.Inf(1), 1e300, HandTol, false},
		{1.00005, 1, ModelTol, true},
	} {
		if got := within(c.got, c.want, c.tol); got != c.ok {
			t.Errorf("within(%v, %v, %v) = %v, want %v", c.got, c.want, c.tol, got, c.ok)
		}
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{
		-39: "-39", 0.1 + 0.2: "0.3", 49.890625: "49.890625", 1.0 / 3: "0.3333333333", 1e-5: "1e-05",
	} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
	if got := nums([]float64{52, 63, 0, 148}); got != "[52 63 0 148]" {
		t.Errorf("nums = %q", got)
	}
}

func TestCallRecovers(t *testing.T) {
	if err := call(func() { panic("boom") }); err == nil || err.Error() != "boom" {
		t.Errorf("call = %v, want the panic as an error", err)
	}
	if err := call(func() {}); err != nil {
		t.Errorf("call = %v, want nil", err)
	}
}

func TestWriterDefaultsToStdout(t *testing.T) {
	Writer = nil
	// report must not fail with a nil Writer (it prints to standard output).
	if !report(right("x", "")) {
		t.Error("report of a right result returned false")
	}
}
