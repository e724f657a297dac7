package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// A notebook is kept as the generic JSON it is, so that whatever nbformat
// puts in it (metadata, cell ids, attachments) goes through unchanged; only
// the cells' sources are read and rewritten.
type notebook map[string]any

// readNotebook reads and checks a notebook file: nbformat 4, a list of cells,
// each with a cell_type and a source.
func readNotebook(path string) (notebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseNotebook(path, data)
}

func parseNotebook(path string, data []byte) (notebook, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // numbers are written back exactly as they were
	var nb notebook
	if err := dec.Decode(&nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook (JSON): %v", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: not a notebook: data after the JSON object", path)
	}
	if v, _ := nb["nbformat"].(json.Number); v.String() != "4" {
		return nil, fmt.Errorf("%s: nbformat is %v, want 4 (save it with Jupyter or nbformat)", path, nb["nbformat"])
	}
	cells, ok := nb["cells"].([]any)
	if !ok {
		return nil, fmt.Errorf("%s: not a notebook: no list of cells", path)
	}
	for i, c := range cells {
		cell, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: cell %d is not an object", path, i)
		}
		if _, ok := cell["cell_type"].(string); !ok {
			return nil, fmt.Errorf("%s: cell %d has no cell_type", path, i)
		}
		src, err := joinSource(cell["source"])
		if err != nil {
			return nil, fmt.Errorf("%s: cell %d: %v", path, i, err)
		}
		cell["source"] = src
	}
	return nb, nil
}

// joinSource turns a cell's source (a string, or a list of lines as
// nbformat writes it) into one string.
func joinSource(v any) (string, error) {
	switch s := v.(type) {
	case string:
		return s, nil
	case []any:
		var b strings.Builder
		for _, line := range s {
			l, ok := line.(string)
			if !ok {
				return "", fmt.Errorf("the source has a line that is not a string")
			}
			b.WriteString(l)
		}
		return b.String(), nil
	case nil:
		return "", fmt.Errorf("the cell has no source")
	}
	return "", fmt.Errorf("the source is neither a string nor a list of lines")
}

func (nb notebook) cells() []map[string]any {
	raw := nb["cells"].([]any)
	out := make([]map[string]any, len(raw))
	for i, c := range raw {
		out[i] = c.(map[string]any)
	}
	return out
}

// encode returns the notebook as JSON, each cell's source one string. Its
// layout is not the committed one: it is what the generator compares (the
// content of two notebooks, whatever their layout) and what it hands to
// nbformat, which alone decides the layout of a notebook on disk.
func (nb notebook) encode() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "<!--", "&" as they are, as nbformat writes them
	enc.SetIndent("", " ")
	if err := enc.Encode(map[string]any(nb)); err != nil {
		panic(fmt.Sprintf("encode: %v", err)) // only decoded JSON (and strings) reach here
	}
	return b.Bytes()
}

// A writer writes notebooks in their committed form through the notebook
// harness's own writer, `scripts/run_notebooks.py --strip -` (nbformat.writes
// after nbformat.validate, as --strip writes every committed notebook), run by
// the project's Python: one writer for every notebook in the repository, and
// no copy of nbformat's layout here.
type writer struct {
	python string // the Python with nbformat
	script string // scripts/run_notebooks.py
}

// newWriter finds the project's Python: $DLNB_PYTHON, else the environment
// scripts/setup.sh makes, build/venv/jupyter under the repository root.
func newWriter(root string) (*writer, error) {
	w := &writer{python: os.Getenv("DLNB_PYTHON"), script: filepath.Join(root, "scripts", "run_notebooks.py")}
	if w.python == "" {
		w.python = filepath.Join(root, "build", "venv", "jupyter", "bin", "python")
	}
	if _, err := os.Stat(w.script); err != nil {
		return nil, fmt.Errorf("no notebook harness: %v", err)
	}
	if _, err := exec.LookPath(w.python); err != nil {
		return nil, fmt.Errorf("notebooks are written with nbformat from the project's Python environment, and there is none (%v): run make setup, or set DLNB_PYTHON", err)
	}
	return w, nil
}

// canonical returns notebooks (JSON, any layout) in their committed form, or
// the harness's message if nbformat does not accept one. They go to one run of
// the harness, as a JSON list (Python and nbformat take a second or two to start).
func (w *writer) canonical(notebooks ...[]byte) ([][]byte, error) {
	list := make([]json.RawMessage, len(notebooks))
	for i, nb := range notebooks {
		list[i] = nb
	}
	in, err := json.Marshal(list)
	if err != nil {
		return nil, fmt.Errorf("a notebook is not JSON: %v", err)
	}
	cmd := exec.Command(w.python, w.script, "--strip", "-")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return nil, fmt.Errorf("%s --strip -: %s", w.script, strings.TrimSpace(stderr.String()))
		}
		return nil, err
	}
	var texts []string
	if err := json.Unmarshal(out, &texts); err != nil || len(texts) != len(notebooks) {
		return nil, fmt.Errorf("%s --strip - gave %d texts for %d notebooks (%v)", w.script, len(texts), len(notebooks), err)
	}
	written := make([][]byte, len(texts))
	for i, t := range texts {
		written[i] = []byte(t)
	}
	return written, nil
}
