package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf8"
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

// canonical returns the notebook as nbformat writes it
// (nbformat.writes: json.dumps(nb, sort_keys=True, indent=1,
// ensure_ascii=False), every source split into lines that keep their line
// ends), plus the final newline scripts/run_notebooks.py --strip adds, so
// the notebook stage's --check-clean accepts what this writes.
func (nb notebook) canonical() []byte {
	var b bytes.Buffer
	writeJSON(&b, nbForWriting(nb), 0)
	b.WriteByte('\n')
	return b.Bytes()
}

// nbForWriting is nb with every cell's source as a list of lines.
func nbForWriting(nb notebook) map[string]any {
	out := make(map[string]any, len(nb))
	for k, v := range nb {
		out[k] = v
	}
	var cells []any
	for _, c := range nb.cells() {
		cc := make(map[string]any, len(c))
		for k, v := range c {
			cc[k] = v
		}
		lines := []any{}
		for _, l := range splitLines(c["source"].(string)) {
			lines = append(lines, l)
		}
		cc["source"] = lines
		cells = append(cells, cc)
	}
	if cells == nil {
		cells = []any{}
	}
	out["cells"] = cells
	return out
}

// splitLines is Python's str.splitlines(keepends=True), which nbformat uses:
// it also ends lines at \r, \v, \f, \x1c-\x1e, \x85, U+2028 and U+2029.
func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		end := -1
		switch r {
		case '\r':
			end = i + 1
			if end < len(s) && s[end] == '\n' {
				end++
			}
		case '\n', '\v', '\f', '\x1c', '\x1d', '\x1e', '\u0085', '\u2028', '\u2029':
			end = i + size
		}
		if end >= 0 {
			out = append(out, s[start:end])
			start, i = end, end
			continue
		}
		i += size
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// writeJSON writes v as Python's json.dumps(v, indent=1, sort_keys=True,
// ensure_ascii=False) does.
func writeJSON(b *bytes.Buffer, v any, level int) {
	indent := func(l int) { b.WriteString("\n" + strings.Repeat(" ", l)) }
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			b.WriteString("{}")
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // byte order of UTF-8 is code point order, Python's
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			indent(level + 1)
			writeString(b, k)
			b.WriteString(": ")
			writeJSON(b, x[k], level+1)
		}
		indent(level)
		b.WriteByte('}')
	case notebook:
		writeJSON(b, map[string]any(x), level)
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			indent(level + 1)
			writeJSON(b, e, level+1)
		}
		indent(level)
		b.WriteByte(']')
	case string:
		writeString(b, x)
	case json.Number:
		b.WriteString(x.String())
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case nil:
		b.WriteString("null")
	default:
		panic(fmt.Sprintf("writeJSON: unexpected %T", v)) // only decoded JSON reaches here
	}
}

// writeString escapes as Python's json with ensure_ascii=False: quotes,
// backslashes and control characters; everything else as it is.
func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}
