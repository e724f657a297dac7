package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The nbgrader course directory (notebooks/exercises/nbgrader/README.md):
// mkexercises writes source/NAME/NAME.ipynb, nbgrader's "source" version of
// every solution, from which `nbgrader generate_assignment` makes the
// version students get.
const nbgraderSourceDir = "notebooks/exercises/nbgrader/source"

// The points of one check's test cell.
const checkPoints = 1

// declared matches a blank that declares variables: "a, b := 0.0, 0.0" or
// "var a, b []float64".
var (
	shortDecl = regexp.MustCompile(`^(\s*)([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*:=(.*)$`)
	varDecl   = regexp.MustCompile(`^\s*var\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s`)
)

// nbgraderSource turns a solution notebook into nbgrader's source version.
//
// Markdown cells and code cells without a blank or a check become read-only
// cells (nbgrader's locked cells), with the solution-only markdown left out.
// A code cell with blanks or checks becomes:
//
//   - a solution cell (the student's, unlocked) holding its declarations and,
//     when the code after %% has blanks, that code as a function
//     exerciseNN(); the code after %% without blanks goes into a read-only
//     cell as that function;
//   - one autograded test cell per check, worth checkPoints, that runs
//     exerciseNN and fails unless the check passed: check.Graded("NAME",
//     exerciseNN).
//
// Each blank becomes an nbgrader solution region, "// BEGIN SOLUTION" to
// "// END SOLUTION", which generate_assignment replaces with the code stub
// "// YOUR CODE HERE" (nbgrader_config.py). So that what it leaves still
// compiles, the region holds only the solution's lines: its TODO lines go
// before it, and its BLANK lines go around it (the zero values before, a
// BLANK "return ..." after), and the solution assigns (=) to the variables
// the BLANK lines declare instead of declaring them again.
func nbgraderSource(nb notebook, source string) (notebook, stats, error) {
	var st stats
	out := notebook{}
	for k, v := range nb {
		out[k] = v
	}
	var cells []any
	add := func(c map[string]any, id, src string, meta map[string]any) {
		cc := make(map[string]any, len(c))
		for k, v := range c {
			cc[k] = v
		}
		cc["id"] = id
		cc["source"] = src
		md := map[string]any{}
		if m, ok := c["metadata"].(map[string]any); ok {
			for k, v := range m {
				md[k] = v
			}
		}
		meta["grade_id"] = id
		meta["schema_version"] = jsonInt(3)
		for _, k := range []string{"grade", "locked", "solution", "task"} {
			if _, ok := meta[k]; !ok {
				meta[k] = false
			}
		}
		md["nbgrader"] = meta
		cc["metadata"] = md
		cells = append(cells, cc)
	}
	for i, c := range nb.cells() {
		if outs, _ := c["outputs"].([]any); len(outs) > 0 || (c["execution_count"] != nil && c["cell_type"] == "code") {
			return nil, st, fmt.Errorf("cell %d has outputs: commit solutions without outputs", i)
		}
		id, _ := c["id"].(string)
		if id == "" {
			id = fmt.Sprintf("cell-%02d", i)
		}
		src := c["source"].(string)
		if c["cell_type"] != "code" {
			if c["cell_type"] == "markdown" {
				var err error
				if src, err = studentMarkdown(src); err != nil {
					return nil, st, fmt.Errorf("cell %d: %v", i, err)
				}
				if strings.TrimSpace(src) == "" {
					continue
				}
			}
			add(c, id, src, map[string]any{"locked": true})
			continue
		}
		decls, body, hasMain := strings.Cut(src, "\n%%\n")
		if !hasMain && strings.HasPrefix(src, "%%\n") {
			decls, body, hasMain = "", strings.TrimPrefix(src, "%%\n"), true
		}
		if !hasMain && strings.TrimSpace(src) == "%%" {
			decls, body, hasMain = "", "", true
		}
		if !hasMain {
			decls, body = src, ""
		}
		d, ds, dChecks, err := nbgraderCode(decls)
		if err != nil {
			return nil, st, fmt.Errorf("cell %d: %v", i, err)
		}
		b, bs, checks, err := nbgraderCode(body)
		if err != nil {
			return nil, st, fmt.Errorf("cell %d: %v", i, err)
		}
		if len(dChecks) > 0 {
			return nil, st, fmt.Errorf("cell %d: a check marker before %%%%: put checks in the code after %%%%", i)
		}
		st.blanks += ds.blanks + bs.blanks
		st.checks += len(checks)
		if ds.blanks+bs.blanks+len(checks) == 0 {
			add(c, id, src, map[string]any{"locked": true}) // read-only code: the exercise's data, helpers
			continue
		}
		fn := fmt.Sprintf("exercise%02d", i)
		run := ""
		if len(checks) > 0 || bs.blanks > 0 {
			run = fmt.Sprintf("// %s runs this exercise's code and its checks; the test cells below call it.\nfunc %s() {\n%s\n}", fn, fn, indentLines(strings.TrimRight(b, "\n")))
		}
		switch {
		case bs.blanks > 0:
			sol := run
			if strings.TrimSpace(d) != "" {
				sol = strings.TrimRight(d, "\n") + "\n\n" + run
			}
			add(c, id, sol, map[string]any{"solution": true})
		case ds.blanks > 0:
			add(c, id, strings.TrimRight(d, "\n"), map[string]any{"solution": true})
			if run != "" {
				add(c, id+"-run", run, map[string]any{"locked": true})
			}
		default:
			code := run
			if strings.TrimSpace(d) != "" {
				code = strings.TrimRight(d, "\n") + "\n\n" + run
			}
			add(c, id, code, map[string]any{"locked": true})
		}
		for k, name := range checks {
			add(c, fmt.Sprintf("%s-test-%d", id, k+1), fmt.Sprintf("%%%%\n// Graded (%s): the check %q of the exercise above.\ncheck.Graded(%q, %s)", plural(checkPoints, "point"), name, name, fn),
				map[string]any{"grade": true, "locked": true, "points": jsonInt(checkPoints)})
		}
	}
	if st.blanks == 0 || st.checks == 0 {
		return nil, st, fmt.Errorf("no exercise: a solution needs at least one %q region and one check marker", beginCode)
	}
	if len(cells) == 0 || cells[0].(map[string]any)["cell_type"] != "markdown" {
		return nil, st, fmt.Errorf("the first cell must be markdown (the notebook's title)")
	}
	first := cells[0].(map[string]any)
	first["source"] = fmt.Sprintf("<!-- Generated from %s by `go run ./exercises/mkexercises`: edit that file, then run the command again. -->\n", source) +
		first["source"].(string) +
		fmt.Sprintf("\n\n**Graded.** This is the nbgrader version: write your code where it says `// YOUR CODE HERE`, in the cells you can edit. "+
			"Each check below an exercise is a test cell worth %s; run it to see whether your answer is right. The other cells are read-only.", plural(checkPoints, "point"))
	out["cells"] = cells
	return out, st, nil
}

// nbgraderCode rewrites the regions of some code as nbgrader solution
// regions and drops its check markers, returning the checks' names.
func nbgraderCode(src string) (string, stats, []string, error) {
	var st stats
	var checks []string
	var out []string
	lines := strings.Split(src, "\n")
	for n := 0; n < len(lines); n++ {
		line := lines[n]
		t := strings.TrimSpace(line)
		if m := marker.FindStringSubmatch(line); m != nil && m[2] == "expect" && strings.HasPrefix(m[3], rightMark) {
			name, _, _ := strings.Cut(strings.TrimPrefix(m[3], rightMark), ":")
			checks = append(checks, strings.TrimSpace(name))
			continue
		}
		if t != beginCode {
			out = append(out, line)
			continue
		}
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		var todos, before, after, sol []string
		declared := map[string]bool{}
		end := -1
		inTODO := false
		for k := n + 1; k < len(lines); k++ {
			l := lines[k]
			lt := strings.TrimSpace(l)
			continued := inTODO && strings.HasPrefix(lt, todoMore)
			inTODO = false
			switch {
			case lt == endCode:
				end = k
			case continued, strings.HasPrefix(lt, todo):
				todos = append(todos, l)
				inTODO = true
			case strings.HasPrefix(lt, blank):
				code := strings.TrimPrefix(strings.TrimPrefix(lt, blank), " ")
				code = l[:len(l)-len(strings.TrimLeft(l, " \t"))] + code
				if strings.HasPrefix(strings.TrimSpace(code), "return") {
					after = append(after, code)
					continue
				}
				before = append(before, code)
				if m := shortDecl.FindStringSubmatch(code); m != nil {
					for _, v := range strings.Split(m[2], ",") {
						declared[strings.TrimSpace(v)] = true
					}
				} else if m := varDecl.FindStringSubmatch(code); m != nil {
					for _, v := range strings.Split(m[1], ",") {
						declared[strings.TrimSpace(v)] = true
					}
				}
			default:
				sol = append(sol, l)
			}
			if end >= 0 {
				break
			}
		}
		if end < 0 {
			return "", st, nil, fmt.Errorf("line %d: %s without %s", n+1, beginCode, endCode)
		}
		// The solution assigns what the blank lines declared.
		var kept []string
		for _, l := range sol {
			if strings.HasPrefix(l, indent) && !strings.HasPrefix(l[len(indent):], " ") && !strings.HasPrefix(l[len(indent):], "\t") {
				if varDecl.MatchString(l) && slicesContainsTrimmed(before, l) {
					continue // the blank's own declaration: "var a, b []float64"
				}
				if m := shortDecl.FindStringSubmatch(l); m != nil {
					all := true
					for _, v := range strings.Split(m[2], ",") {
						all = all && declared[strings.TrimSpace(v)]
					}
					if all {
						l = m[1] + m[2] + " =" + m[3]
					}
				}
			}
			kept = append(kept, l)
		}
		out = append(out, todos...)
		out = append(out, before...)
		out = append(out, indent+beginCode)
		out = append(out, kept...)
		out = append(out, indent+endCode)
		out = append(out, after...)
		st.blanks++
		n = end
	}
	return strings.Join(out, "\n"), st, checks, nil
}

func slicesContainsTrimmed(list []string, s string) bool {
	for _, l := range list {
		if strings.TrimSpace(l) == strings.TrimSpace(s) {
			return true
		}
	}
	return false
}

// indentLines indents every non-empty line by a tab (a function's body).
func indentLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = "\t" + l
		}
	}
	return strings.Join(lines, "\n")
}

// plural is check's: "1 point", "2 points".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// jsonInt is n as the notebook's JSON numbers are kept.
func jsonInt(n int) json.Number { return json.Number(strconv.Itoa(n)) }
