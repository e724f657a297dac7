package main

import (
	"strings"
	"testing"
)

// A GoNB v0.11.5 start and shutdown, as it prints them (colour codes included).
const gonbLog = "I1207 02:54:53.494517   10652 main.go:187] \x1b[7;39;32m[b83109ba]\x1b[0m Logging to extra logger configured\n" +
	"I1207 02:54:53.494579   10652 main.go:189] \x1b[7;39;32m[b83109ba]\x1b[0m Info message\n" +
	"W1207 02:54:53.494582   10652 main.go:190] \x1b[7;39;32m[b83109ba]\x1b[0m Warning message\n" +
	"E1207 02:54:53.494585   10652 main.go:191] \x1b[7;39;32m[b83109ba]\x1b[0m Error message\n" +
	"W1207 02:54:53.494624   10652 kernel.go:340] \x1b[7;39;32m[b83109ba]\x1b[0m Could not parse Jupyter KernelId\n" +
	"I1207 02:54:53.595108   10652 goexec.go:209] \x1b[7;39;32m[b83109ba]\x1b[0m GoNB: jupyter root in \"/tmp/j\", tmp Go code in \"/tmp/gonb_b83109ba\"\n" +
	"I1207 02:54:56.231328   10652 exec.go:179] \x1b[7;39;32m[b83109ba]\x1b[0m killing gopls: \n" +
	"goroutine 1 [running]:\n" +
	"github.com/janpfeifer/gonb/internal/util.GetStackTrace(...)\n" +
	"\t/root/go/pkg/mod/github.com/janpfeifer/gonb@v0.11.5/internal/util/util.go:16\n" +
	"E1207 02:54:56.233596   10652 exec.go:124] \x1b[7;39;32m[b83109ba]\x1b[0m gopls failed with: signal: killed\n" +
	"panic: close of closed channel\n" +
	"\n" +
	"goroutine 7 [running]:\n" +
	"I1207 02:54:56.236725   10652 main.go:261] \x1b[7;39;32m[b83109ba]\x1b[0m Exiting...\n"

func TestFilterLog(t *testing.T) {
	var out strings.Builder
	var dirs []string
	filterLog(strings.NewReader(gonbLog), &out, false, func(d string) { dirs = append(dirs, d) })
	got := out.String()
	for _, gone := range []string{"Info message", "Warning message", "Error message", "Logging to extra", "GetStackTrace", "killing gopls", "Exiting"} {
		if strings.Contains(got, gone) {
			t.Errorf("the filtered log still shows %q:\n%s", gone, got)
		}
	}
	for _, kept := range []string{"Could not parse Jupyter KernelId", "gopls failed with", "panic: close of closed channel", "goroutine 7 [running]:"} {
		if !strings.Contains(got, kept) {
			t.Errorf("the filtered log lost %q:\n%s", kept, got)
		}
	}
	if len(dirs) != 1 || dirs[0] != "/tmp/gonb_b83109ba" {
		t.Errorf("GoNB's folders found: %q, want [/tmp/gonb_b83109ba]", dirs)
	}

	out.Reset()
	filterLog(strings.NewReader(gonbLog), &out, true, nil)
	if out.String() != gonbLog {
		t.Errorf("DLNB_KERNEL_LOG=all changed the log:\n%s", out.String())
	}
}

func TestKlogHeader(t *testing.T) {
	for line, want := range map[string]bool{
		"I1207 02:54:53.494517   10652 main.go:187] x":  true,
		"E1207 02:54:53.494585   10652 main.go:191] x":  true,
		"goroutine 1 [running]:":                        false,
		"Info message that is long enough to be tested": false,
		"I12": false,
	} {
		if got := klogHeader(line); got != want {
			t.Errorf("klogHeader(%q) = %v, want %v", line, got, want)
		}
	}
}
