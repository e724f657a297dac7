// Command mkexercises makes the student versions of the exercise notebooks
// from their solutions, the one source of truth, and their nbgrader versions:
//
//	go run ./exercises/mkexercises          writes notebooks/exercises/NAME.ipynb and
//	                                        notebooks/exercises/nbgrader/source/NAME/NAME.ipynb
//	                                        for every notebooks/exercises/solutions/NAME.ipynb
//	go run ./exercises/mkexercises -check   writes nothing; fails if a generated notebook is not
//	                                        what the solution makes (or has no solution)
//
// The nbgrader version (see nbgraderSource) has solution cells, a test cell
// per check and read-only cells, for the course directory
// notebooks/exercises/nbgrader/.
//
// In a solution's code cells, a region
//
//	// BEGIN SOLUTION
//	// TODO: what the student must do
//	// BLANK: node0 := 0.0
//	node0 := inputData[0]*weights["node_0"][0] + inputData[1]*weights["node_0"][1]
//	// END SOLUTION
//
// becomes its TODO lines (with the comment lines indented under them,
// "//       ...", that continue them) and its BLANK lines as code (a blank that
// compiles and runs: a zero value, an empty result). A check's marker
// "// expect: ✓ NAME: ..." becomes the expectation "✗ NAME: not yet" (what the
// check prints for a blank) in the student cell's metadata, where the harness
// reads it and the student does not see it, so the notebook tests prove that the checks pass
// on the solutions and say "not yet" on the blanks. In markdown cells, lines
// between <!-- BEGIN SOLUTION --> and <!-- END SOLUTION --> are left out.
//
// The output is deterministic. It is written in the committed form by the one
// writer every notebook of the repository goes through, the notebook harness's
// `scripts/run_notebooks.py --strip -` (nbformat, in the project's Python
// environment: make setup, or $DLNB_PYTHON), then to disk through a temporary
// file and a rename. -check needs no Python: it compares the notebooks'
// content; their layout is checked with nbformat by the notebook stage
// (run_notebooks.py --check-clean). Run it from the repository (it finds the
// root by its go.mod), or give -root.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dlnb/dlnb/internal/atomicfile"
)

const (
	modulePath = "github.com/dlnb/dlnb"
	studentDir = "notebooks/exercises"           // the student notebooks, relative to the root
	solDir     = "notebooks/exercises/solutions" // their solutions
)

func main() {
	check := flag.Bool("check", false, "write nothing: report student notebooks that differ from what their solutions make, and exit 1 if any")
	root := flag.String("root", "", "the repository's root (default: found from the current directory by its go.mod)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./exercises/mkexercises [-check] [-root DIR]\n\n"+
			"Writes %s/NAME.ipynb, the student version, and %s/NAME/NAME.ipynb, the nbgrader version,\nfor every %s/NAME.ipynb.\n\n", studentDir, nbgraderSourceDir, solDir)
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if *root == "" {
		r, err := findRoot()
		if err != nil {
			fmt.Fprintln(os.Stderr, "mkexercises:", err)
			os.Exit(2)
		}
		*root = r
	}
	var w *writer
	if !*check {
		var err error
		if w, err = newWriter(*root); err != nil {
			fmt.Fprintln(os.Stderr, "mkexercises:", err)
			os.Exit(2)
		}
	}
	if err := run(*root, w, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mkexercises:", err)
		os.Exit(1)
	}
}

// findRoot walks up from the current directory to this module's go.mod.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && bytes.HasPrefix(data, []byte("module "+modulePath+"\n")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%s is not inside the %s repository: run this from it, or give -root", dir, modulePath)
		}
	}
}

// generated is one student notebook made from its solution.
type generated struct {
	name     string // NAME.ipynb
	path     string // where it goes, relative to the root
	data     []byte // the notebook's content (notebook.encode), not yet in the committed layout
	stats    stats
	solution string // the solution's path, relative to the root
}

// generate makes every student notebook from the solutions under root.
func generate(root string) ([]generated, error) {
	sols, err := filepath.Glob(filepath.Join(root, solDir, "*.ipynb"))
	if err != nil {
		return nil, err
	}
	if len(sols) == 0 {
		return nil, fmt.Errorf("no solution notebooks in %s", filepath.Join(root, solDir))
	}
	slices.Sort(sols)
	var out []generated
	for _, p := range sols {
		name := filepath.Base(p)
		rel := solDir + "/" + name
		nb, err := readNotebook(p)
		if err != nil {
			return nil, err
		}
		st, s, err := student(nb, "solutions/"+name)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", rel, err)
		}
		out = append(out, generated{name: name, path: studentDir + "/" + name, data: st.encode(), stats: s, solution: rel})
		ng, s, err := nbgraderSource(nb, "../../../solutions/"+name)
		if err != nil {
			return nil, fmt.Errorf("%s (nbgrader version): %v", rel, err)
		}
		assignment := strings.TrimSuffix(name, ".ipynb")
		out = append(out, generated{name: name, path: nbgraderSourceDir + "/" + assignment + "/" + name, data: ng.encode(), stats: s, solution: rel})
	}
	return out, nil
}

// run writes every student notebook through w, or with w nil, compares
// each with what its solution makes (the -check mode).
func run(root string, w *writer, log io.Writer) error {
	check := w == nil
	gen, err := generate(root)
	if err != nil {
		return err
	}
	var written [][]byte // what is written: the committed form
	if !check {
		all := make([][]byte, len(gen))
		for i, g := range gen {
			all[i] = g.data
		}
		if written, err = w.canonical(all...); err != nil {
			return err
		}
	}
	var problems []string
	want := map[string]bool{}
	for i, g := range gen {
		want[g.path] = true
		path := filepath.Join(root, filepath.FromSlash(g.path))
		rel := g.path
		old, err := os.ReadFile(path)
		var same bool
		if check {
			same = err == nil && sameContent(old, g.data)
		} else {
			same = bytes.Equal(old, written[i])
		}
		switch {
		case same:
			fmt.Fprintf(log, "ok      %s (%d blanks, %d checks)\n", rel, g.stats.blanks, g.stats.checks)
		case check:
			why := "differs from what " + g.solution + " makes"
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				why = "is missing"
			}
			problems = append(problems, fmt.Sprintf("%s %s", rel, why))
		default:
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			if err := atomicfile.WriteBytes(path, written[i]); err != nil {
				return fmt.Errorf("writing %s: %v", path, err)
			}
			fmt.Fprintf(log, "wrote   %s (%d blanks, %d checks)\n", rel, g.stats.blanks, g.stats.checks)
		}
	}
	// A student notebook without a solution is left over from a renamed or
	// deleted solution (or was written by hand): it would not be kept up to date.
	have, err := filepath.Glob(filepath.Join(root, studentDir, "*.ipynb"))
	if err != nil {
		return err
	}
	ngHave, err := filepath.Glob(filepath.Join(root, nbgraderSourceDir, "*", "*.ipynb"))
	if err != nil {
		return err
	}
	for _, p := range append(have, ngHave...) {
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if rel = filepath.ToSlash(rel); !want[rel] {
			problems = append(problems, fmt.Sprintf("%s has no solution %s/%s: delete it, or write the solution", rel, solDir, filepath.Base(p)))
		}
	}
	if len(problems) > 0 {
		msg := strings.Join(problems, "\n")
		if check {
			msg += "\nrun: go run ./exercises/mkexercises (edit the solutions, never the student notebooks)"
		}
		return errors.New(msg)
	}
	return nil
}

// sameContent says whether a committed notebook holds what generate made,
// whatever its layout.
func sameContent(committed, generated []byte) bool {
	nb, err := parseNotebook("", committed)
	return err == nil && bytes.Equal(nb.encode(), generated)
}
