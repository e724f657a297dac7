package main

import (
	"fmt"
	"regexp"
	"strings"
)

// The markers a solution notebook uses (see notebooks/exercises/README.md).
const (
	beginCode = "// BEGIN SOLUTION"
	endCode   = "// END SOLUTION"
	todo      = "// TODO"
	todoMore  = "//  " // a TODO's continuation: a comment indented under its text
	blank     = "// BLANK:"
	beginMD   = "<!-- BEGIN SOLUTION -->"
	endMD     = "<!-- END SOLUTION -->"
	rightMark = "✓"
	wrongMark = "✗"
)

// marker matches a harness marker line, as scripts/run_notebooks.py reads it.
var marker = regexp.MustCompile(`^(\s*)//\s*(expect[\w-]*)\s*:\s?(.*?)\s*$`)

// stats counts what a solution notebook holds.
type stats struct {
	blanks, checks int
}

// student turns a solution notebook into the student's: in code cells each
// region from "// BEGIN SOLUTION" to "// END SOLUTION" becomes its "// TODO"
// lines (with the comment lines indented under them that continue them) and
// the code of its "// BLANK:" lines, and each "// expect: ✓ NAME..."
// marker becomes "// expect: ✗ NAME: not yet" (moved into the cell's metadata
// by markersToMetadata), what the check prints for
// a blank; in markdown cells the lines between <!-- BEGIN SOLUTION --> and
// <!-- END SOLUTION --> go (and a cell left empty goes too). source names
// the solution in the note the student notebook starts with.
func student(nb notebook, source string) (notebook, stats, error) {
	var st stats
	out := notebook{}
	for k, v := range nb {
		out[k] = v
	}
	var cells []any
	for i, c := range nb.cells() {
		if outs, _ := c["outputs"].([]any); len(outs) > 0 || (c["execution_count"] != nil && c["cell_type"] == "code") {
			return nil, st, fmt.Errorf("cell %d has outputs: commit solutions without outputs (/usr/bin/python3 scripts/run_notebooks.py --strip %s)", i, source)
		}
		src := c["source"].(string)
		var err error
		var s stats
		switch c["cell_type"] {
		case "code":
			src, s, err = studentCode(src)
		case "markdown":
			src, err = studentMarkdown(src)
		}
		if err != nil {
			return nil, st, fmt.Errorf("cell %d: %v", i, err)
		}
		st.blanks += s.blanks
		st.checks += s.checks
		if c["cell_type"] == "markdown" && strings.TrimSpace(src) == "" {
			continue // only the solution was in it
		}
		cc := make(map[string]any, len(c))
		for k, v := range c {
			cc[k] = v
		}
		if c["cell_type"] == "code" {
			var moved map[string]any
			src, moved = markersToMetadata(src)
			if len(moved) > 0 {
				meta := map[string]any{}
				if m, ok := c["metadata"].(map[string]any); ok {
					for k, v := range m {
						meta[k] = v
					}
				}
				meta["dlnb"] = moved
				cc["metadata"] = meta
			}
		}
		cc["source"] = src
		cells = append(cells, cc)
	}
	if st.blanks == 0 || st.checks == 0 {
		return nil, st, fmt.Errorf("no exercise: a solution needs at least one %q region and one %q marker", beginCode, "// expect: "+rightMark+" NAME")
	}
	if len(cells) == 0 || cells[0].(map[string]any)["cell_type"] != "markdown" {
		return nil, st, fmt.Errorf("the first cell must be markdown (the notebook's title): the student version starts with a note there")
	}
	first := cells[0].(map[string]any)
	first["source"] = fmt.Sprintf("<!-- Generated from %s by `go run ./exercises/mkexercises`: edit that file, then run the command again. -->\n", source) + first["source"].(string)
	out["cells"] = cells
	return out, st, nil
}

// studentCode rewrites one code cell.
func studentCode(src string) (string, stats, error) {
	var st stats
	var out []string
	lines := strings.Split(src, "\n")
	inRegion, regionLine, regionTODO := false, 0, false
	inTODO := false // the line before was a TODO line or its continuation
	hasOther := ""
	for n, line := range lines {
		t := strings.TrimSpace(line)
		where := fmt.Sprintf("line %d", n+1)
		continued := inTODO && strings.HasPrefix(t, todoMore)
		inTODO = false
		switch {
		case continued:
			inTODO = true
			out = append(out, line)
			continue
		case t == beginCode:
			if inRegion {
				return "", st, fmt.Errorf("%s: %s inside the region that starts at line %d: close it with %s first", where, beginCode, regionLine, endCode)
			}
			inRegion, regionLine, regionTODO = true, n+1, false
			continue
		case t == endCode:
			if !inRegion {
				return "", st, fmt.Errorf("%s: %s without a %s before it", where, endCode, beginCode)
			}
			if !regionTODO {
				return "", st, fmt.Errorf("the region of lines %d-%d has no %q line: say what the student must do", regionLine, n+1, todo+": ...")
			}
			inRegion = false
			st.blanks++
			continue
		case strings.HasPrefix(t, beginCode) || strings.HasPrefix(t, endCode):
			return "", st, fmt.Errorf("%s: %q: write %s or %s alone on the line", where, t, beginCode, endCode)
		case strings.HasPrefix(t, blank):
			if !inRegion {
				return "", st, fmt.Errorf("%s: %s outside a %s region", where, blank, beginCode)
			}
			code := strings.TrimPrefix(strings.TrimPrefix(t, blank), " ")
			if code == "" {
				out = append(out, "")
			} else {
				out = append(out, line[:len(line)-len(strings.TrimLeft(line, " \t"))]+code)
			}
			continue
		case strings.HasPrefix(t, todo):
			if inRegion {
				regionTODO = true
			}
			inTODO = true
			out = append(out, line)
			continue
		}
		if m := marker.FindStringSubmatch(line); m != nil {
			if inRegion {
				return "", st, fmt.Errorf("%s: a marker inside a %s region: put it after %s", where, beginCode, endCode)
			}
			indent, kind, text := m[1], m[2], m[3]
			if kind == "expect" && strings.HasPrefix(text, rightMark) {
				name, _, _ := strings.Cut(strings.TrimPrefix(text, rightMark), ":")
				name = strings.TrimSpace(name)
				if name == "" {
					return "", st, fmt.Errorf("%s: %q: name the check (the name it prints after %s)", where, t, rightMark)
				}
				out = append(out, fmt.Sprintf("%s// expect: %s %s: not yet", indent, wrongMark, name))
				st.checks++
				continue
			}
			if hasOther == "" {
				hasOther = fmt.Sprintf("%s: %q", where, t)
			}
		}
		if inRegion {
			continue // the solution's code
		}
		out = append(out, line)
	}
	if inRegion {
		return "", st, fmt.Errorf("the region that starts at line %d has no %s", regionLine, endCode)
	}
	if hasOther != "" && (st.blanks > 0 || st.checks > 0) {
		return "", st, fmt.Errorf("%s: in a cell with a blank or a check only %q markers can be used (a student's blank would not print what the solution does); move the marker to another cell or check the value with a check", hasOther, "// expect: "+rightMark+" NAME")
	}
	return strings.Join(out, "\n"), st, nil
}

// studentMarkdown drops the solution-only lines of a markdown cell.
func studentMarkdown(src string) (string, error) {
	var out []string
	in, removed := false, false
	for n, line := range strings.Split(src, "\n") {
		switch strings.TrimSpace(line) {
		case beginMD:
			if in {
				return "", fmt.Errorf("line %d: %s inside a solution region", n+1, beginMD)
			}
			in, removed = true, true
			continue
		case endMD:
			if !in {
				return "", fmt.Errorf("line %d: %s without a %s before it", n+1, endMD, beginMD)
			}
			in = false
			continue
		}
		if !in {
			out = append(out, line)
		}
	}
	if in {
		return "", fmt.Errorf("%s without %s", beginMD, endMD)
	}
	s := strings.Join(out, "\n")
	if removed {
		s = strings.TrimRight(s, "\n") // the lines around a region at the end
	}
	return s, nil
}

// markersToMetadata moves a student cell's "// expect..." lines out of what the
// student reads into the cell's metadata, where scripts/run_notebooks.py reads
// them ({"dlnb": {"expect": [...]}}, as --move-markers does for the lessons).
// The solutions keep their markers: mkexercises reads them.
func markersToMetadata(src string) (string, map[string]any) {
	var kept []string
	lists := map[string][]any{}
	var order []string
	for _, line := range strings.Split(src, "\n") {
		m := marker.FindStringSubmatch(line)
		if m == nil {
			kept = append(kept, line)
			continue
		}
		if _, ok := lists[m[2]]; !ok {
			order = append(order, m[2])
		}
		lists[m[2]] = append(lists[m[2]], m[3])
	}
	if len(order) == 0 {
		return src, nil
	}
	for len(kept) > 0 && strings.TrimSpace(kept[len(kept)-1]) == "" {
		kept = kept[:len(kept)-1]
	}
	meta := map[string]any{}
	for _, k := range order {
		if k == "expect-error" && len(lists[k]) == 1 {
			meta[k] = lists[k][0]
		} else {
			meta[k] = lists[k]
		}
	}
	return strings.Join(kept, "\n"), meta
}
