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
		if !sameContent(committed, g.data) {
			t.Errorf("%s/%s is not what %s makes: edit the solution, never the student notebook, and run: go run ./exercises/mkexercises\n%s",
				studentDir, g.name, g.solution, contentDiff(committed, g.data))
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
	if err := run(root, nil, &bytes.Buffer{}); err != nil {
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

// contentDiff shows the first line where a committed notebook's content
// differs from what generate made.
func contentDiff(committed, generated []byte) string {
	nb, err := parseNotebook("committed", committed)
	if err != nil {
		return err.Error()
	}
	return firstDiff(nb.encode(), generated)
}

// realWriter is the writer mkexercises uses: the harness's --strip - with the
// project's Python (make setup makes it; a missing one fails the test, as the
// tool fails).
func realWriter(t *testing.T) *writer {
	t.Helper()
	w, err := newWriter(repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// A notebook goes through the writer byte for byte when it is in the committed
// form: the committed solutions, and a file of tricky text that nbformat 5.5
// wrote (testdata/tricky.ipynb: escapes, non-ASCII, every line end Python's
// splitlines knows, numbers, empty lists and objects), read by the generator
// and handed over as encode makes it. What the writer gives back is valid: the
// harness validates with nbformat before it writes, and refuses what is not.
func TestWriterRoundTrip(t *testing.T) {
	w := realWriter(t)
	files, err := filepath.Glob(filepath.Join(repoRoot(t), solDir, "*.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("testdata", "tricky.ipynb"))
	var want, encoded [][]byte
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		nb, err := parseNotebook(p, data)
		if err != nil {
			t.Fatal(err)
		}
		want, encoded = append(want, data), append(encoded, nb.encode())
	}
	got, err := w.canonical(encoded...)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range files {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("%s: written back differently\n%s", p, firstDiff(want[i], got[i]))
		}
	}
	// A cell without its source is not a notebook nbformat accepts: the harness says so.
	_, err = w.canonical(encoded[0], []byte(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "id": "a", "metadata": {}}]}`))
	if err == nil || !strings.Contains(err.Error(), "not a valid notebook") {
		t.Errorf("an invalid notebook: %v, want the harness's \"not a valid notebook\"", err)
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
