package check

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Writer is where checks print their verdicts; nil means standard output
// (what a notebook cell shows).
var Writer io.Writer

// Tolerances of the comparisons. Hand arithmetic in float64 differs from the
// reference only by rounding (adding in another order), far below HandTol;
// models compute in float32 by default, whose rounding ModelTol allows.
const (
	HandTol  = 1e-9 // relative (absolute below 1): hand computations
	ModelTol = 1e-4 // relative (absolute below 1): what a model predicts or trains
)

// result is one check's verdict.
type result struct {
	name    string // what was checked, as the notebook names it: "node_0", "slope"
	ok      bool
	detail  string // when ok: the value, shown in parentheses
	problem string // when not ok: what is wrong
	hint    string // when not ok: where to look (never the answer)
}

// String is the verdict as a check prints it:
//
//	✓ NAME: right (DETAIL)
//	✗ NAME: not yet: PROBLEM
//	  hint: HINT
func (r result) String() string {
	if r.ok {
		if r.detail == "" {
			return fmt.Sprintf("✓ %s: right\n", r.name)
		}
		return fmt.Sprintf("✓ %s: right (%s)\n", r.name, r.detail)
	}
	s := fmt.Sprintf("✗ %s: not yet: %s\n", r.name, r.problem)
	if r.hint != "" {
		s += wrapHint(r.hint)
	}
	return s
}

// hintWidth is the widest line of a hint: a longer one would wrap in the middle
// of a word in a JupyterLab output (seen in the browser stage's screenshots).
const hintWidth = 96

// wrapHint returns "  hint: HINT" broken between words into lines of at most
// hintWidth characters (a longer word stays whole), the later ones indented
// under the hint's first word.
func wrapHint(hint string) string {
	const first = "  hint:"
	var b strings.Builder
	line := first
	for _, w := range strings.Fields(hint) {
		if line != first && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > hintWidth {
			b.WriteString(line + "\n")
			line = strings.Repeat(" ", len(first)) // the word's space makes it 8, under the hint
		}
		line += " " + w
	}
	return b.String() + line + "\n"
}

func right(name, detail string) result { return result{name: name, ok: true, detail: detail} }

func notYet(name, problem, hint string) result {
	return result{name: name, problem: problem, hint: hint}
}

// report prints r and returns whether it passed.
func report(r result) bool {
	w := Writer
	if w == nil {
		w = os.Stdout
	}
	fmt.Fprint(w, r.String())
	record(r)
	return r.ok
}

// within reports whether got is within tol of want, relative to |want| when
// |want| > 1 and absolute otherwise. NaN and infinities are never close to a
// finite value.
func within(got, want, tol float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return false
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// allClose reports whether got and want have the same length and are close
// element by element; i is the first element that differs (-1 if none, or
// if the lengths differ).
func allClose(got, want []float64, tol float64) (ok bool, i int) {
	if len(got) != len(want) {
		return false, -1
	}
	for i := range want {
		if !within(got[i], want[i], tol) {
			return false, i
		}
	}
	return true, -1
}

// num formats a number for a message: up to 10 significant digits, so float
// noise (0.30000000000000004) does not show.
func num(v float64) string {
	return strconv.FormatFloat(v, 'g', 10, 64)
}

// nums formats a list of numbers as Go's fmt prints a slice: [52 63 0 148].
func nums(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = num(x)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// plural returns "1 value", "2 values".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// call runs f, turning a panic into an error, so that a check of a
// function the student wrote reports the panic instead of stopping the cell.
func call(f func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	f()
	return nil
}
