package check

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// Graded runs an exercise's code as an autograded test cell of the course's
// nbgrader assignments does (notebooks/exercises/nbgrader/), and fails the
// cell unless the check called name ran in it and passed:
//
//	%%
//	check.Graded("hidden layer", exercise03)
//
// exercise runs the student's code and its checks, which print their
// verdicts as always (✓ or ✗ with a hint). nbgrader gives a test cell its
// points when it ends without an error output, so when the check said "not
// yet", did not run, or the student's code panicked before it, Graded writes
// why to standard error, naming the check, and ends the cell's program with
// exit status 1: GoNB turns that into the cell's error output, and nbgrader
// scores the cell 0. A student's code that does not compile fails the cell
// too, with the compiler's message.
//
// Graded reads the verdicts the checks return, not what they print: a
// student's fmt.Println("✓ ...") does not pass it.
func Graded(name string, exercise func()) {
	if msg := graded(name, exercise); msg != "" {
		fmt.Fprintln(stderr(), msg)
		exit(1)
	}
}

// graded runs exercise recording the verdicts, and returns why the check
// called name did not pass ("" when it passed).
func graded(name string, exercise func()) string {
	if exercise == nil {
		return fmt.Sprintf("FAILED %s: no exercise to run (check.Graded was given a nil function)", name)
	}
	recMu.Lock()
	prev := recorded
	rec := []result{}
	recorded = &rec
	recMu.Unlock()
	defer func() {
		recMu.Lock()
		recorded = prev
		recMu.Unlock()
	}()
	err := call(exercise)
	recMu.Lock()
	got := append([]result(nil), rec...)
	recMu.Unlock()
	var last *result
	for i := range got {
		if got[i].name == name {
			last = &got[i]
		}
	}
	switch {
	case last != nil && last.ok && err == nil:
		return ""
	case last != nil && !last.ok:
		return fmt.Sprintf("FAILED %s: not yet: %s", name, last.problem)
	case err != nil:
		return fmt.Sprintf("FAILED %s: the code panicked before the check could pass: %v", name, err)
	}
	return fmt.Sprintf("FAILED %s: the check %q did not run (did the code return before it, or was its call removed?)", name, name)
}

var (
	recMu    sync.Mutex
	recorded *[]result // while Graded runs an exercise: the verdicts so far
)

// record keeps r for Graded, when it is running an exercise.
func record(r result) {
	recMu.Lock()
	defer recMu.Unlock()
	if recorded != nil {
		*recorded = append(*recorded, r)
	}
}

// exit and stderr are os.Exit and os.Stderr; the tests replace them.
var (
	exit   = os.Exit
	stderr = func() io.Writer { return os.Stderr }
)
