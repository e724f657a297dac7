// Command dlnb-kernel runs the GoNB kernel for Jupyter and cleans up after it, whichever way it
// ends. It is the program the "Go (dlnb)" kernelspec starts (scripts/setup.sh installs it beside
// gonb):
//
//	dlnb-kernel -gonb /path/to/gonb -- --kernel {connection_file} --go_work=/repo
//
// GoNB v0.11.5 starts gopls in a process group of its own and keeps its generated code in
// /tmp/gonb_<id>. Shut down cleanly, it removes both; killed (by a hub's culler, the kernel
// manager's SIGKILL, an out-of-memory kill), it leaves gopls running (85-100 MB each) and the
// folder behind, for ever. dlnb-kernel makes every end clean:
//
//   - On Linux it starts a supervisor, in a session of its own, that is the "child subreaper" of
//     everything GoNB starts (prctl PR_SET_CHILD_SUBREAPER): when GoNB exits, or when dlnb-kernel
//     itself is killed (the supervisor sees its pipe close), the supervisor stops GoNB, kills
//     every process left under it (gopls, a cell's program), reaps them, and removes GoNB's
//     folder.
//   - It keeps the kernel's terminal log to what a student can act on: GoNB's start-up self-test
//     lines ("Info message", "Warning message", "Error message", printed at every start because
//     of a nil *os.File passed as an io.Writer in GoNB's main.go) and its informational lines are
//     dropped; warnings, errors and panics pass through. DLNB_KERNEL_LOG=all shows everything.
//
// Elsewhere (macOS) it runs GoNB directly, with the same log filter.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

func main() {
	gonb := flag.String("gonb", "", "the gonb binary")
	supervise := flag.Bool("supervise", false, "internal: run as the supervisor (started by dlnb-kernel itself)")
	flag.Parse()
	if *gonb == "" {
		fmt.Fprintln(os.Stderr, "dlnb-kernel: -gonb /path/to/gonb is required (see scripts/setup.sh, which writes the kernelspec)")
		os.Exit(2)
	}
	if *supervise {
		os.Exit(runSupervisor(*gonb, flag.Args()))
	}
	os.Exit(run(*gonb, flag.Args()))
}

// selfTest matches GoNB's start-up self-test lines; codeDir captures the folder of its generated code.
var (
	selfTest = regexp.MustCompile(`\] (?:\x1b\[[0-9;]*m)?\[[0-9a-f]+\](?:\x1b\[[0-9;]*m)? (?:Logging to extra logger configured|Info message|Warning message|Error message)$`)
	codeDir  = regexp.MustCompile(`tmp Go code in "([^"]+)"`)
)

// filterLog copies GoNB's log from r to w, keeping what a student or an instructor can act on
// (klog's W, E and F lines, panics and anything that is not a klog line) and dropping klog's
// informational lines and the start-up self-test. It calls found with each folder GoNB reports
// for its generated code.
func filterLog(r io.Reader, w io.Writer, all bool, found func(dir string)) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	dropping := false // inside an informational record's continuation lines (e.g. a stack trace)
	for sc.Scan() {
		line := sc.Text()
		if m := codeDir.FindStringSubmatch(line); m != nil && found != nil {
			found(m[1])
		}
		if all {
			fmt.Fprintln(w, line)
			continue
		}
		if klogHeader(line) {
			dropping = line[0] == 'I' || selfTest.MatchString(line)
			if dropping {
				continue
			}
		} else if dropping && !strings.HasPrefix(line, "panic:") && !strings.HasPrefix(line, "fatal error:") {
			continue
		} else {
			dropping = false
		}
		fmt.Fprintln(w, line)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(w, "dlnb-kernel: reading GoNB's log:", err)
		io.Copy(w, r) // keep draining, so GoNB never blocks on a full pipe
	}
}

// klogHeader reports whether line starts a klog record: "Lmmdd hh:mm:ss.uuuuuu ...", L in IWEF.
func klogHeader(line string) bool {
	if len(line) < 21 || !strings.ContainsRune("IWEF", rune(line[0])) {
		return false
	}
	for i := 1; i <= 4; i++ {
		if line[i] < '0' || line[i] > '9' {
			return false
		}
	}
	return line[5] == ' ' && line[8] == ':'
}
