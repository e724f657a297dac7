package notebooklint

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var (
	importBlock = regexp.MustCompile(`(?s)\bimport\s*\(([^)]*)\)`)
	importOne   = regexp.MustCompile(`\bimport\s+(?:[\w.]+\s+)?("[^"]+")`)
	quoted      = regexp.MustCompile(`"[^"]+"`)
)

// notebookImports returns the packages the code cells of the notebooks import.
func notebookImports(t *testing.T, paths []string) map[string][]string {
	t.Helper()
	used := map[string][]string{}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var nb notebook
		if err := json.Unmarshal(data, &nb); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, c := range nb.Cells {
			if c.CellType != "code" {
				continue
			}
			src, err := source(c.Source)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			var qs []string
			for _, m := range importBlock.FindAllStringSubmatch(src, -1) {
				qs = append(qs, quoted.FindAllString(m[1], -1)...)
			}
			for _, m := range importOne.FindAllStringSubmatch(src, -1) {
				qs = append(qs, m[1])
			}
			for _, q := range qs {
				p, _ := strconv.Unquote(q)
				if !slices.Contains(used[p], path) {
					used[p] = append(used[p], path)
				}
			}
		}
	}
	return used
}

// imports.go lists exactly the packages outside the standard library that
// lessons, the how-to and the exercises import: setup.sh compiles them into
// the build cache and go.mod pins them, so every one a notebook imports must
// be there (or its first cell compiles for half a minute, and offline fails),
// and one no notebook imports is a pin and a compile for nothing.
func TestImportsListsWhatNotebooksImport(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "imports.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, s := range f.Imports {
		p, _ := strconv.Unquote(s.Path.Value)
		listed[p] = true
	}
	var paths []string
	for _, g := range []string{"*.ipynb", "howto/*.ipynb", "exercises/*.ipynb", "exercises/solutions/*.ipynb"} {
		m, _ := filepath.Glob(g)
		paths = append(paths, m...)
	}
	used := notebookImports(t, paths)
	if len(used) == 0 {
		t.Fatal("found no imports in the notebooks: the parser is broken")
	}
	for p, where := range used {
		if !strings.Contains(strings.Split(p, "/")[0], ".") {
			continue // the standard library
		}
		if !listed[p] {
			t.Errorf("%s imports %s, which imports.go does not list: add it there", strings.Join(where, ", "), p)
		}
	}
	for p := range listed {
		if len(used[p]) == 0 {
			t.Errorf("imports.go lists %s, which no notebook imports: remove it", p)
		}
	}
}
