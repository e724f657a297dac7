package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := findRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// The committed student notebooks are exactly what the generator makes from
// the committed solutions: nobody edited one and forgot the other.
func TestCommittedStudentNotebooksAreGenerated(t *testing.T) {
	root := repoRoot(t)
	gen, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range gen {
		if strings.HasPrefix(g.path, nbgraderSourceDir+"/") {
			continue // TestCommittedNbgraderSources
		}
		names = append(names, g.name)
		committed, err := os.ReadFile(filepath.Join(root, studentDir, g.name))
		if err != nil {
			t.Errorf("%s/%s: %v (run: go run ./exercises/mkexercises)", studentDir, g.name, err)
			continue
		}
		if !bytes.Equal(committed, g.data) {
			t.Errorf("%s/%s is not what %s makes: edit the solution, never the student notebook, and run: go run ./exercises/mkexercises\n%s",
				studentDir, g.name, g.solution, firstDiff(committed, g.data))
		}
		// Nothing of the solution's markup reaches the student.
		for _, leak := range []string{beginCode, endCode, blank, beginMD, endMD, "// expect: " + rightMark} {
			if bytes.Contains(g.data, []byte(leak)) {
				t.Errorf("%s: the student notebook contains %q", g.name, leak)
			}
		}
		// The checks' expectations are in the cells' metadata, not in what the student reads.
		if n := bytes.Count(g.data, []byte(`"`+wrongMark+" ")); n != g.stats.checks {
			t.Errorf("%s: %d not-yet expectations for %d checks", g.name, n, g.stats.checks)
		}
		if bytes.Contains(g.data, []byte("// expect")) {
			t.Errorf("%s: a student reads an // expect line: it belongs in the cell's metadata", g.name)
		}
		if g.stats.blanks == 0 || g.stats.checks == 0 {
			t.Errorf("%s: %d blanks and %d checks", g.name, g.stats.blanks, g.stats.checks)
		}
	}
	for _, want := range []string{"01-forward-propagation.ipynb", "02-gradient-descent.ipynb", "04-first-model.ipynb", "07-validation-early-stopping.ipynb"} {
		if !slices.Contains(names, want) {
			t.Errorf("no exercises %s (have %v)", want, names)
		}
	}
	if err := run(root, true, &bytes.Buffer{}); err != nil {
		t.Errorf("mkexercises -check: %v", err)
	}
}

// firstDiff shows the first line where two files differ.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range max(len(al), len(bl)) {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n  committed: " + x + "\n  generated: " + y
		}
	}
	return ""
}

// Reading and writing a notebook gives back the same bytes for nbformat's
// canonical layout: the committed solutions and a file of tricky text that
// nbformat 5.5 wrote (testdata/tricky.ipynb: escapes, non-ASCII, every line
// end Python's splitlines knows, numbers, empty lists and objects). The
// notebook stage checks every committed notebook, the generated ones
// included, with nbformat itself (run_notebooks.py --check-clean).
func TestCanonicalRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot(t), solDir, "*.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("testdata", "tricky.ipynb"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		nb, err := parseNotebook(p, data)
		if err != nil {
			t.Fatal(err)
		}
		if got := nb.canonical(); !bytes.Equal(got, data) {
			t.Errorf("%s: written back differently\n%s", p, firstDiff(data, got))
		}
	}
}

func TestSplitLines(t *testing.T) {
	for in, want := range map[string][]string{
		"":                       nil,
		"a":                      {"a"},
		"a\n":                    {"a\n"},
		"a\nb":                   {"a\n", "b"},
		"a\r\nb\rc\n\n":          {"a\r\n", "b\r", "c\n", "\n"},
		"a\vb\fc\x1cd":           {"a\v", "b\f", "c\x1c", "d"},
		"a\u0085b\u2028c\u2029d": {"a\u0085", "b\u2028", "c\u2029", "d"},
		"✓\n✗":                   {"✓\n", "✗"},
	} {
		if got := splitLines(in); !slices.Equal(got, want) {
			t.Errorf("splitLines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseNotebookErrors(t *testing.T) {
	for data, want := range map[string]string{
		`not json`:                                                         "not a notebook (JSON)",
		`{"nbformat": 3, "cells": []}`:                                     "nbformat is 3, want 4",
		`{"nbformat": 4}`:                                                  "no list of cells",
		`{"nbformat": 4, "cells": [1]}`:                                    "cell 0 is not an object",
		`{"nbformat": 4, "cells": [{"source": "x"}]}`:                      "cell 0 has no cell_type",
		`{"nbformat": 4, "cells": [{"cell_type": "code"}]}`:                "cell 0: the cell has no source",
		`{"nbformat": 4, "cells": [{"cell_type": "code", "source": [1]}]}`: "not a string",
		`{"nbformat": 4, "cells": []} {}`:                                  "data after the JSON object",
	} {
		_, err := parseNotebook("x.ipynb", []byte(data))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseNotebook(%s) = %v, want an error containing %q", data, err, want)
		}
	}
}
