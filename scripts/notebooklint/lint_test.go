package notebooklint

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// What a student reads in a lesson is what they would type: no test machinery,
// no helper copied into every notebook, one idea per cell (issue 19).
const maxCellLines = 30

// A code line wider than this (a tab counts 4) runs past the right edge of a
// JupyterLab 4 notebook in a 1280-pixel window with the file browser open, where
// the browser stage's screenshots showed the ends of longer lines cut off.
const maxLineWidth = 100

var (
	markerLine = regexp.MustCompile(`^\s*//\s*expect[\w-]*\s*:`)
	defineMust = regexp.MustCompile(`\bfunc\s+must\b`)
)

// lintCell returns what is wrong with one code cell's source.
func lintCell(src string) []string {
	var problems []string
	lines := strings.Split(strings.TrimRight(src, "\n"), "\n")
	if len(lines) > maxCellLines {
		problems = append(problems, fmt.Sprintf("%d lines, more than %d: split it, one idea per cell", len(lines), maxCellLines))
	}
	for i, l := range lines {
		if markerLine.MatchString(l) {
			problems = append(problems, fmt.Sprintf("line %d is a check (%q): move it into the cell's metadata "+
				"(build/venv/jupyter/bin/python scripts/run_notebooks.py --move-markers)", i+1, strings.TrimSpace(l)))
		}
		if w := len(strings.ReplaceAll(l, "\t", "    ")); w > maxLineWidth {
			problems = append(problems, fmt.Sprintf("line %d is %d columns wide, more than %d: break it after a comma", i+1, w, maxLineWidth))
		}
		if defineMust.MatchString(l) {
			problems = append(problems, fmt.Sprintf("line %d defines must: use lesson.Must (package notebooks/lesson)", i+1))
		}
	}
	return problems
}

type notebook struct {
	Cells []struct {
		CellType string          `json:"cell_type"`
		Source   json.RawMessage `json:"source"`
	} `json:"cells"`
}

// source reads a cell's source, a string or a list of strings in nbformat.
func source(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var lines []string
	if err := json.Unmarshal(raw, &lines); err != nil {
		return "", fmt.Errorf("source is neither a string nor a list of strings: %v", err)
	}
	return strings.Join(lines, ""), nil
}

func lintNotebook(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %v", path, err)
	}
	var problems []string
	for i, c := range nb.Cells {
		src, err := source(c.Source)
		if err != nil {
			return nil, fmt.Errorf("%s: cell %d: %v", path, i, err)
		}
		if strings.TrimSpace(src) == "" {
			problems = append(problems, fmt.Sprintf("%s: cell %d is empty", path, i))
			continue
		}
		if c.CellType != "code" {
			continue
		}
		for _, p := range lintCell(src) {
			problems = append(problems, fmt.Sprintf("%s: cell %d: %s", path, i, p))
		}
	}
	return problems, nil
}

func TestLessonsReadLikeTheCourse(t *testing.T) {
	var paths []string
	for _, pattern := range []string{"*.ipynb", "howto/*.ipynb"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) < 11 {
		t.Fatalf("found %d lessons and howtos (%v), want at least 11: run the test from notebooks/", len(paths), paths)
	}
	for _, p := range paths {
		problems, err := lintNotebook(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range problems {
			t.Error(q)
		}
	}
}

// The exercise notebooks keep their checks in the source (a student sees what a check prints, and
// exercises/mkexercises turns them into "not yet"), but they too import lesson.Must, and no cell is
// over 30 lines either: neither a student's nor an instructor's solution (solutions/, which holds the
// answers in the blanks and is what an instructor reads).
func TestExercises(t *testing.T) {
	students, err := filepath.Glob("exercises/*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	solutions, _ := filepath.Glob("exercises/solutions/*.ipynb")
	if len(students) < 4 || len(solutions) < 4 {
		t.Fatalf("found %v and %v, want at least 4 exercise notebooks and 4 solutions", students, solutions)
	}
	for _, p := range append(students, solutions...) {
		problems, err := lintNotebook(p)
		if err != nil {
			t.Fatal(err)
		}
		student := !strings.Contains(p, "solutions")
		for _, q := range problems {
			if strings.Contains(q, "defines must") || strings.Contains(q, "more than 30") || strings.Contains(q, "columns wide") ||
				student && strings.Contains(q, "is a check") {
				t.Error(q)
			}
		}
	}
}

func TestLintCell(t *testing.T) {
	long := strings.Repeat("x++\n", maxCellLines)
	for _, c := range []struct {
		src  string
		want string // "" when the cell is fine
	}{
		{"%%\nfmt.Println(1)\n", ""},
		{long, ""},
		{long + "x++", "31 lines, more than 30"},
		{"%%\n// expect: 42\nfmt.Println(42)", "line 2 is a check"},
		{"%%\n  //expect-re: ^a$", "line 2 is a check"},
		{"%%\nfmt.Println(1) // we expect: 1", ""},
		{"func must(err error) {}", "line 1 defines must"},
		{"lesson.Must(err)\nfunc mustBe() {}", ""},
		{"%%\n\t" + strings.Repeat("x", maxLineWidth-4), ""},
		{"%%\n\t" + strings.Repeat("x", maxLineWidth-3), "line 2 is 101 columns wide"},
	} {
		got := strings.Join(lintCell(c.src), "; ")
		if c.want == "" && got != "" || !strings.Contains(got, c.want) {
			t.Errorf("lintCell(%q) = %q, want %q", c.src, got, c.want)
		}
	}
}

func TestSource(t *testing.T) {
	for _, raw := range []string{`"a\nb"`, `["a\n", "b"]`} {
		if s, err := source(json.RawMessage(raw)); err != nil || s != "a\nb" {
			t.Errorf("source(%s) = %q, %v; want \"a\\nb\"", raw, s, err)
		}
	}
	if _, err := source(json.RawMessage(`3`)); err == nil {
		t.Error("source(3): no error")
	}
}

// The course's exercises, chapter by chapter (DataCamp's titles): README.md maps each to a lesson section.
var courseExercises = []string{
	"Coding the forward propagation algorithm", "The Rectified Linear Activation Function",
	"Applying the network to many observations", "Multi-layer neural networks",
	"Coding how weight changes affect accuracy", "Scaling up to multiple data points", "Calculating slopes",
	"Improving model weights", "Making multiple updates to weights", "A round of backpropagation",
	"Understanding your data", "Specifying a model", "Compiling the model", "Fitting the model",
	"Understanding your classification data", "Last steps in classification models", "Making predictions",
	"Changing optimization parameters", "Evaluating model accuracy on validation dataset", "Early stopping",
	"Experimenting with wider networks", "Adding layers to a network", "Building your own digit recognition model",
}

// A row of README.md's course table: | chapter | exercise | `NN` Section (cell...) | exercise notebook |
var courseRow = regexp.MustCompile("^\\| (\\d) \\| ([^|]+?) \\| `(\\d\\d)` ([^|(]+?) \\((\\d+)[^|]*\\| ([^|]+?) \\|$")

func TestReadmeMapsTheCourse(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		m := courseRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		exercise, lessonNum, section, exNotebook := m[2], m[3], strings.TrimSpace(m[4]), m[6]
		rows[exercise] = true
		paths, _ := filepath.Glob(lessonNum + "-*.ipynb")
		if len(paths) != 1 {
			t.Errorf("README row %q: lesson %s: found %v, want one notebook", exercise, lessonNum, paths)
			continue
		}
		var cell int
		fmt.Sscan(m[5], &cell)
		src, typ, err := cellSource(paths[0], cell)
		if err != nil {
			t.Errorf("README row %q: %v", exercise, err)
			continue
		}
		if typ != "markdown" || !strings.Contains(src, "#") || !strings.Contains(src, section) {
			t.Errorf("README row %q: %s cell %d is not the heading %q (it starts %.60q)", exercise, paths[0], cell, section, src)
		}
		if exNotebook != "none" {
			if _, err := os.Stat(strings.Trim(exNotebook, "`")); err != nil {
				t.Errorf("README row %q: exercise notebook %s: %v", exercise, exNotebook, err)
			}
		}
	}
	for _, e := range courseExercises {
		if !rows[e] {
			t.Errorf("README.md's course table has no row for the course's exercise %q", e)
		}
	}
}

func cellSource(path string, i int) (src, cellType string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", "", err
	}
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return "", "", fmt.Errorf("%s: %v", path, err)
	}
	if i < 0 || i >= len(nb.Cells) {
		return "", "", fmt.Errorf("%s has %d cells, no cell %d", path, len(nb.Cells), i)
	}
	src, err = source(nb.Cells[i].Source)
	return src, nb.Cells[i].CellType, err
}
