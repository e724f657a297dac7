package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStudentCode(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
		blanks, checks int
	}{
		{"a region", "%%\n// BEGIN SOLUTION\n// TODO: node 0\n// BLANK: node0 := 0.0\nnode0 := 26.0\n// END SOLUTION\n// expect: ✓ hidden layer: right ([26 -13])\ncheck.Hidden(node0)",
			"%%\n// TODO: node 0\nnode0 := 0.0\n// expect: ✗ hidden layer: not yet\ncheck.Hidden(node0)", 1, 1},
		{"indented, several blank lines", "func f() (int, int) {\n\t// BEGIN SOLUTION\n\t// TODO: two numbers\n\t// BLANK: a := 0\n\t// BLANK:\n\t// BLANK: return a, a\n\treturn 1, 2\n\t// END SOLUTION\n}",
			"func f() (int, int) {\n\t// TODO: two numbers\n\ta := 0\n\n\treturn a, a\n}", 1, 0},
		{"no blank line: the region goes", "var x []int\n// BEGIN SOLUTION\n// TODO: fill x\nx = append(x, 1)\n// END SOLUTION\n// expect: ✓ x: right",
			"var x []int\n// TODO: fill x\n// expect: ✗ x: not yet", 1, 1},
		{"a TODO on two lines", "// BEGIN SOLUTION\n// TODO: first this,\n//       then that\n// BLANK: x := 0\n// a comment of the solution\nx := 1\n// END SOLUTION",
			"// TODO: first this,\n//       then that\nx := 0", 1, 0},
		{"only right under a TODO", "// BEGIN SOLUTION\n// TODO: t\nx := 1\n//   indented solution comment\n// END SOLUTION", "// TODO: t", 1, 0},
		{"two TODO lines", "// BEGIN SOLUTION\n// TODO: first this\n// TODO: then that\ncode\n// END SOLUTION",
			"// TODO: first this\n// TODO: then that", 1, 0},
		{"marker label", "  // expect: ✓ hidden layer 0: right\n  //expect:✓ early stopping", "  // expect: ✗ hidden layer 0: not yet\n  // expect: ✗ early stopping: not yet", 0, 2},
		{"no region, other markers stay", "%%\n// expect: 42\n// expect-re: ^a$\nfmt.Println(42)", "%%\n// expect: 42\n// expect-re: ^a$\nfmt.Println(42)", 0, 0},
		{"TODO outside a region stays", "// TODO: later\nx := 1", "// TODO: later\nx := 1", 0, 0},
		{"trailing newline kept", "// BEGIN SOLUTION\n// TODO: t\n// BLANK: x := 0\nx := 1\n// END SOLUTION\n", "// TODO: t\nx := 0\n", 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, st, err := studentCode(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
			if st.blanks != c.blanks || st.checks != c.checks {
				t.Errorf("%d blanks, %d checks; want %d, %d", st.blanks, st.checks, c.blanks, c.checks)
			}
		})
	}
}

func TestStudentCodeErrors(t *testing.T) {
	region := func(body string) string { return "// BEGIN SOLUTION\n// TODO: t\n" + body + "\n// END SOLUTION" }
	for _, c := range []struct{ name, in, want string }{
		{"nested", "// BEGIN SOLUTION\n// TODO: t\n// BEGIN SOLUTION\n// END SOLUTION", "line 3: // BEGIN SOLUTION inside the region that starts at line 1"},
		{"END alone", "x := 1\n// END SOLUTION", "line 2: // END SOLUTION without a // BEGIN SOLUTION before it"},
		{"unclosed", "// BEGIN SOLUTION\n// TODO: t\nx := 1", "the region that starts at line 1 has no // END SOLUTION"},
		{"no TODO", "// BEGIN SOLUTION\nx := 1\n// END SOLUTION", `the region of lines 1-3 has no "// TODO: ..." line`},
		{"text after BEGIN", "// BEGIN SOLUTION: node 0\n// TODO: t\n// END SOLUTION", "write // BEGIN SOLUTION or // END SOLUTION alone on the line"},
		{"BLANK outside", "// BLANK: x := 0", "line 1: // BLANK: outside a // BEGIN SOLUTION region"},
		{"marker inside", region("// expect: ✓ x: right"), "line 3: a marker inside a // BEGIN SOLUTION region"},
		{"unnamed check", "// expect: ✓", "name the check"},
		{"unnamed check 2", "// expect: ✓ : right", "name the check"},
		{"other marker with a blank", region("x := 1") + "\n// expect: 42", `line 5: "// expect: 42": in a cell with a blank or a check only "// expect: ✓ NAME" markers`},
		{"other marker with a check", "// expect-re: ^x\n// expect: ✓ x", `line 1: "// expect-re: ^x"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := studentCode(c.in)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestStudentMarkdown(t *testing.T) {
	got, err := studentMarkdown("# Title\n\n<!-- BEGIN SOLUTION -->\n**Solutions.**\n<!-- END SOLUTION -->\nText")
	if err != nil || got != "# Title\n\nText" {
		t.Errorf("got %q, %v", got, err)
	}
	got, err = studentMarkdown("Text\n\n<!-- BEGIN SOLUTION -->\nnote\n  <!-- END SOLUTION -->\n")
	if err != nil || got != "Text" {
		t.Errorf("a region at the end: got %q, %v", got, err)
	}
	got, err = studentMarkdown("no region\n")
	if err != nil || got != "no region\n" {
		t.Errorf("without a region the text stays as it is: got %q, %v", got, err)
	}
	for in, want := range map[string]string{
		"<!-- BEGIN SOLUTION -->\nx": "without <!-- END SOLUTION -->",
		"x\n<!-- END SOLUTION -->":   "line 2: <!-- END SOLUTION --> without",
		"<!-- BEGIN SOLUTION -->\n<!-- BEGIN SOLUTION -->\n<!-- END SOLUTION -->": "line 2: <!-- BEGIN SOLUTION --> inside",
	} {
		if _, err := studentMarkdown(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("studentMarkdown(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

// nbOf makes a notebook of cells given as (type, source) pairs.
func nbOf(t *testing.T, cells ...string) notebook {
	t.Helper()
	var cs []any
	for i := 0; i < len(cells); i += 2 {
		c := map[string]any{"cell_type": cells[i], "id": "c" + string(rune('a'+i/2)), "metadata": map[string]any{}, "source": cells[i+1]}
		if cells[i] == "code" {
			c["outputs"], c["execution_count"] = []any{}, nil
		}
		cs = append(cs, c)
	}
	data, err := json.Marshal(map[string]any{"nbformat": 4, "nbformat_minor": 5, "metadata": map[string]any{}, "cells": cs})
	if err != nil {
		t.Fatal(err)
	}
	nb, err := parseNotebook("t.ipynb", data)
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

const exercise = "%%\n// BEGIN SOLUTION\n// TODO: x\n// BLANK: x := 0\nx := 1\n// END SOLUTION\n// expect: ✓ x: right\ncheck.X(x)"

func TestStudent(t *testing.T) {
	nb := nbOf(t, "markdown", "# Title\n<!-- BEGIN SOLUTION -->\nsolutions\n<!-- END SOLUTION -->",
		"markdown", "<!-- BEGIN SOLUTION -->\nonly for instructors\n<!-- END SOLUTION -->",
		"code", exercise)
	st, s, err := student(nb, "solutions/t.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if s.blanks != 1 || s.checks != 1 {
		t.Errorf("stats %+v", s)
	}
	cells := st.cells()
	if len(cells) != 2 {
		t.Fatalf("%d cells, want 2 (the solution-only markdown cell goes)", len(cells))
	}
	if got := cells[0]["source"]; got != "<!-- Generated from solutions/t.ipynb by `go run ./exercises/mkexercises`: edit that file, then run the command again. -->\n# Title" {
		t.Errorf("first cell: %q", got)
	}
	if got := cells[1]["source"]; got != "%%\n// TODO: x\nx := 0\ncheck.X(x)" {
		t.Errorf("code cell: %q", got)
	}
	if got := fmt.Sprint(cells[1]["metadata"]); got != "map[dlnb:map[expect:[✗ x: not yet]]]" {
		t.Errorf("code cell's metadata: %s, want the check's expectation under dlnb", got)
	}
	if cells[1]["id"] != "cc" {
		t.Errorf("cell id %v, want the solution's (cc)", cells[1]["id"])
	}
	// The solution is not changed.
	if nb.cells()[2]["source"] != exercise || len(nb.cells()) != 3 {
		t.Error("student changed the solution notebook")
	}
}

func TestStudentErrors(t *testing.T) {
	withOutputs := nbOf(t, "markdown", "# T", "code", exercise)
	withOutputs.cells()[1]["outputs"] = []any{map[string]any{"output_type": "stream"}}
	counted := nbOf(t, "markdown", "# T", "code", exercise)
	counted.cells()[1]["execution_count"] = json.Number("3")
	for name, c := range map[string]struct {
		nb   notebook
		want string
	}{
		"outputs":          {withOutputs, "cell 1 has outputs: commit solutions without outputs"},
		"execution count":  {counted, "cell 1 has outputs"},
		"no exercise":      {nbOf(t, "markdown", "# T", "code", "x := 1"), "no exercise"},
		"no check":         {nbOf(t, "markdown", "# T", "code", "// BEGIN SOLUTION\n// TODO: t\n// END SOLUTION"), "no exercise"},
		"code first":       {nbOf(t, "code", exercise), "the first cell must be markdown"},
		"bad region":       {nbOf(t, "markdown", "# T", "code", "// END SOLUTION"), "cell 1: line 1"},
		"bad md region":    {nbOf(t, "markdown", "<!-- END SOLUTION -->", "code", exercise), "cell 0: line 1"},
		"only solution md": {nbOf(t, "markdown", "<!-- BEGIN SOLUTION -->\nx\n<!-- END SOLUTION -->", "code", exercise), "the first cell must be markdown"},
	} {
		if _, _, err := student(c.nb, "solutions/t.ipynb"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
	}
}

// writeSolution puts a solution notebook under a temporary repository.
func writeSolution(t *testing.T, root, name string, nb notebook) {
	t.Helper()
	dir := filepath.Join(root, solDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), nb.encode(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRun(t *testing.T) {
	root := t.TempDir()
	w := realWriter(t)
	if err := run(root, w, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "no solution notebooks") {
		t.Errorf("without solutions: %v", err)
	}
	writeSolution(t, root, "a.ipynb", nbOf(t, "markdown", "# A", "code", exercise))
	writeSolution(t, root, "b.ipynb", nbOf(t, "markdown", "# B", "code", exercise, "code", "%%\nfmt.Println(1)\n// expect: 1"))
	student := func(name string) string { return filepath.Join(root, studentDir, name) }

	// -check before generating: both are missing.
	err := run(root, nil, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "notebooks/exercises/a.ipynb is missing") || !strings.Contains(err.Error(), "b.ipynb is missing") {
		t.Errorf("check before generating: %v", err)
	}
	var log bytes.Buffer
	if err := run(root, w, &log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "wrote   notebooks/exercises/a.ipynb (1 blanks, 1 checks)") {
		t.Errorf("log: %s", log.String())
	}
	first, err := os.ReadFile(student("a.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(first, []byte(`"✗ x: not yet"`)) || bytes.Contains(first, []byte("// expect")) {
		t.Errorf("student notebook:\n%s", first)
	}
	if info, err := os.Stat(student("a.ipynb")); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v: want 0644", info.Mode(), err)
	}
	// A second run changes nothing and says so; -check passes.
	log.Reset()
	if err := run(root, w, &log); err != nil || !strings.Contains(log.String(), "ok      notebooks/exercises/a.ipynb") {
		t.Errorf("second run: %v\n%s", err, log.String())
	}
	if again, _ := os.ReadFile(student("a.ipynb")); !bytes.Equal(again, first) {
		t.Error("the second run wrote different bytes")
	}
	if err := run(root, nil, &bytes.Buffer{}); err != nil {
		t.Errorf("check after generating: %v", err)
	}
	// No temporary files are left behind.
	if tmp, _ := filepath.Glob(filepath.Join(root, studentDir, ".*.tmp")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	// An edited student notebook, and one without a solution, fail -check.
	if err := os.WriteFile(student("a.ipynb"), bytes.Replace(first, []byte("not yet"), []byte("right"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(student("stray.ipynb"), first, 0o644); err != nil {
		t.Fatal(err)
	}
	err = run(root, nil, &bytes.Buffer{})
	for _, want := range []string{
		"notebooks/exercises/a.ipynb differs from what notebooks/exercises/solutions/a.ipynb makes",
		"notebooks/exercises/stray.ipynb has no solution",
		"run: go run ./exercises/mkexercises",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("check with an edited and a stray notebook: %v, want %q", err, want)
		}
	}
	// Generating repairs the edited one, and still refuses the stray.
	err = run(root, w, &bytes.Buffer{})
	if again, _ := os.ReadFile(student("a.ipynb")); !bytes.Equal(again, first) {
		t.Error("generating did not rewrite the edited student notebook")
	}
	if err == nil || !strings.Contains(err.Error(), "stray.ipynb has no solution") {
		t.Errorf("generate with a stray: %v", err)
	}
	// A broken solution is an error that names it, and writes nothing.
	writeSolution(t, root, "c.ipynb", nbOf(t, "markdown", "# C", "code", "// BEGIN SOLUTION"))
	if err := run(root, w, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "notebooks/exercises/solutions/c.ipynb: cell 1") {
		t.Errorf("broken solution: %v", err)
	}
	if _, err := os.Stat(student("c.ipynb")); !os.IsNotExist(err) {
		t.Errorf("a broken solution made a student notebook: %v", err)
	}
}
