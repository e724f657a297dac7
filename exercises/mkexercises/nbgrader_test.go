package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The committed nbgrader source notebooks are what the generator makes, and
// have the cells nbgrader needs: one test cell per check, worth a point, that
// calls check.Graded; solution cells with balanced regions; everything else
// locked. (scripts/test-nbgrader.sh runs them through nbgrader and GoNB.)
func TestCommittedNbgraderSources(t *testing.T) {
	root := repoRoot(t)
	gen, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range gen {
		if !strings.HasPrefix(g.path, nbgraderSourceDir+"/") {
			continue
		}
		n++
		if want := nbgraderSourceDir + "/" + strings.TrimSuffix(g.name, ".ipynb") + "/" + g.name; g.path != want {
			t.Errorf("%s: want it at %s (source/<assignment>/<notebook>)", g.path, want)
		}
		committed, err := os.ReadFile(filepath.Join(root, g.path))
		if err != nil {
			t.Errorf("%s: %v (run: go run ./exercises/mkexercises)", g.path, err)
			continue
		}
		if !sameContent(committed, g.data) {
			t.Errorf("%s is not what %s makes: run go run ./exercises/mkexercises\n%s", g.path, g.solution, contentDiff(committed, g.data))
		}
		var nb struct {
			Cells []struct {
				ID       string `json:"id"`
				Type     string `json:"cell_type"`
				Source   []string
				Metadata struct {
					Nbgrader *struct {
						GradeID  string   `json:"grade_id"`
						Grade    bool     `json:"grade"`
						Solution bool     `json:"solution"`
						Locked   bool     `json:"locked"`
						Points   *float64 `json:"points"`
					} `json:"nbgrader"`
				} `json:"metadata"`
			} `json:"cells"`
		}
		if err := json.Unmarshal(committed, &nb); err != nil {
			t.Fatal(err)
		}
		tests, sols, points := 0, 0, 0.0
		ids := map[string]bool{}
		for _, c := range nb.Cells {
			m := c.Metadata.Nbgrader
			src := strings.Join(c.Source, "")
			if m == nil || m.GradeID != c.ID || ids[c.ID] {
				t.Errorf("%s: cell %s: no nbgrader metadata, or its grade_id is not its (unique) id", g.name, c.ID)
				continue
			}
			ids[c.ID] = true
			if c.Type == "code" && (strings.Contains(src, "// expect:") || strings.Contains(src, blank)) {
				t.Errorf("%s: cell %s has the student notebooks' markup (expect or BLANK)", g.name, c.ID)
			}
			switch {
			case m.Grade:
				tests++
				if c.Type != "code" || !m.Locked || m.Solution || m.Points == nil || *m.Points != checkPoints || !strings.Contains(src, "check.Graded(") {
					t.Errorf("%s: test cell %s: want locked code worth %d calling check.Graded; source %q", g.name, c.ID, checkPoints, src)
				}
				points += *m.Points
			case m.Solution:
				sols++
				if m.Locked || strings.Count(src, beginCode) == 0 || strings.Count(src, beginCode) != strings.Count(src, endCode) {
					t.Errorf("%s: solution cell %s: want it unlocked, with balanced regions", g.name, c.ID)
				}
			default:
				if !m.Locked || strings.Contains(src, beginCode) {
					t.Errorf("%s: cell %s: want it locked (read-only), without a region", g.name, c.ID)
				}
			}
		}
		if tests != g.stats.checks || sols == 0 || points != float64(g.stats.checks*checkPoints) {
			t.Errorf("%s: %d test cells (%v points) and %d solution cells for %d checks", g.name, tests, points, sols, g.stats.checks)
		}
	}
	if n != 4 {
		t.Errorf("%d nbgrader source notebooks, want 4", n)
	}
}

// A blank's declarations stay outside its region and the solution assigns
// to them, so that nbgrader's stub leaves code that compiles.
func TestNbgraderCode(t *testing.T) {
	in := strings.Join([]string{
		"// BEGIN SOLUTION",
		"// TODO: a and b",
		"//       and more",
		"// BLANK: a, b := 0.0, 0.0",
		"// BLANK: var c []float64",
		"a := 1.0",
		"b := 2.0",
		"var c []float64",
		"c = append(c, a)",
		"d, e := f()",
		"for range 2 {",
		"	a := 3",
		"}",
		"// END SOLUTION",
		"// expect: ✓ sum: right (3)",
		"check.Sum(a, b)",
		"func g() int {",
		"	// BEGIN SOLUTION",
		"	// TODO: return one",
		"	// BLANK: return 0",
		"	return 1",
		"	// END SOLUTION",
		"}",
	}, "\n")
	want := strings.Join([]string{
		"// TODO: a and b",
		"//       and more",
		"a, b := 0.0, 0.0",
		"var c []float64",
		"// BEGIN SOLUTION",
		"a = 1.0",
		"b = 2.0",
		"c = append(c, a)",
		"d, e := f()",
		"for range 2 {",
		"	a := 3",
		"}",
		"// END SOLUTION",
		"check.Sum(a, b)",
		"func g() int {",
		"	// TODO: return one",
		"	// BEGIN SOLUTION",
		"	return 1",
		"	// END SOLUTION",
		"	return 0",
		"}",
	}, "\n")
	got, st, checks, err := nbgraderCode(in)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if st.blanks != 2 || len(checks) != 1 || checks[0] != "sum" {
		t.Errorf("%d blanks, checks %q", st.blanks, checks)
	}
	if _, _, _, err := nbgraderCode("// BEGIN SOLUTION\n// TODO: x\nx := 1"); err == nil {
		t.Error("a region without its end: no error")
	}
}

// A blank over several lines (a composite literal) keeps every line of its
// solution: the braces of the map are not the blank's own declaration.
func TestNbgraderMultiLineBlank(t *testing.T) {
	src := "// BEGIN SOLUTION\n// TODO: change one number\n// BLANK: w := map[string]int{\n// BLANK: \t\"a\": 1,\n// BLANK: }\nw := map[string]int{\n\t\"a\": 2,\n}\n// END SOLUTION\nfmt.Println(w)"
	got, _, _, err := nbgraderCode(src)
	if err != nil {
		t.Fatal(err)
	}
	want := "// TODO: change one number\nw := map[string]int{\n\t\"a\": 1,\n}\n// BEGIN SOLUTION\nw = map[string]int{\n\t\"a\": 2,\n}\n// END SOLUTION\nfmt.Println(w)"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
