package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// run is what Jupyter starts: it starts the supervisor in a session of its own, with the read
// end of a pipe whose write end only this process holds, forwards signals to it, and exits
// with its code. If this process is killed the pipe closes, and the supervisor cleans up.
func run(gonb string, args []string) int {
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dlnb-kernel:", err)
		return 1
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dlnb-kernel:", err)
		return 1
	}
	cmd := exec.Command(self, append([]string{"-supervise", "-gonb", gonb, "--"}, args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{r} // fd 3 in the supervisor
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "dlnb-kernel: starting the supervisor:", err)
		return 1
	}
	r.Close()
	defer w.Close()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	return exitCode(cmd.Wait())
}

// runSupervisor starts GoNB under this process (a child subreaper), passes signals on, and when
// GoNB exits or the parent dies, kills and reaps everything left and removes GoNB's folders.
func runSupervisor(gonb string, args []string) int {
	const prSetChildSubreaper = 36
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); e != 0 {
		fmt.Fprintln(os.Stderr, "dlnb-kernel: prctl(PR_SET_CHILD_SUBREAPER):", e)
	}
	parent := os.NewFile(3, "parent")
	started := time.Now()

	var mu sync.Mutex
	var dirs []string
	found := func(dir string) {
		mu.Lock()
		dirs = append(dirs, dir)
		mu.Unlock()
	}

	logR, logW, err := os.Pipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dlnb-kernel:", err)
		return 1
	}
	cmd := exec.Command(gonb, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, logW
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "dlnb-kernel: starting %s: %v (run scripts/setup.sh again)\n", gonb, err)
		return 1
	}
	logW.Close()
	logDone := make(chan struct{})
	go func() {
		filterLog(logR, os.Stderr, os.Getenv("DLNB_KERNEL_LOG") == "all", found)
		close(logDone)
	}()

	// Signals from run (Jupyter's interrupt or terminate) go to GoNB.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	// The parent died (killed, or exited without waiting): stop GoNB, politely first.
	go func() {
		io.Copy(io.Discard, parent)
		cmd.Process.Signal(syscall.SIGTERM)
		time.Sleep(2 * time.Second)
		cmd.Process.Kill()
	}()

	waitErr := cmd.Wait()
	killOrphans()
	select {
	case <-logDone:
	case <-time.After(2 * time.Second): // an orphan we could not kill still holds the log pipe
	}
	mu.Lock()
	for _, d := range dirs {
		removeGoNBDir(d)
	}
	mu.Unlock()
	removeStalePipes(os.TempDir(), started)
	return exitCode(waitErr)
}

// killOrphans kills every process left under this subreaper (gopls, a cell's program, their
// children as they are reparented here) and reaps them, until none is left.
func killOrphans() {
	me := os.Getpid()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, pid := range childrenOf(me) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		switch {
		case errors.Is(err, syscall.ECHILD):
			return // no children left
		case pid > 0:
			continue
		default:
			time.Sleep(10 * time.Millisecond)
		}
	}
	fmt.Fprintln(os.Stderr, "dlnb-kernel: some processes under the kernel did not end in 5 s:", childrenOf(me))
}

// childrenOf lists the processes whose parent is pid (from /proc/*/stat).
func childrenOf(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var kids []int
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses, so cut after the last ')'.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 1 {
			if ppid, err := strconv.Atoi(f[1]); err == nil && ppid == pid {
				kids = append(kids, child)
			}
		}
	}
	return kids
}

// removeGoNBDir removes the folder GoNB named for its generated code, only if it is one
// (a gonb_ folder directly in the temporary directory).
func removeGoNBDir(dir string) {
	dir = filepath.Clean(dir)
	if !strings.HasPrefix(filepath.Base(dir), "gonb_") || filepath.Dir(dir) != filepath.Clean(os.TempDir()) {
		fmt.Fprintf(os.Stderr, "dlnb-kernel: not removing %q: not a GoNB folder in %s\n", dir, os.TempDir())
		return
	}
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, "dlnb-kernel:", err)
	}
}

// removeStalePipes removes the named pipes GoNB makes for each cell's program
// (gonb_pipe_* directly in the temporary directory, removed by GoNB when the program
// ends): a kernel killed just after a cell leaves them behind. It removes only FIFOs made
// since this kernel started that no process has open, so another kernel's live pipes stay.
func removeStalePipes(dir string, since time.Time) {
	pipes, _ := filepath.Glob(filepath.Join(dir, "gonb_pipe_*"))
	if len(pipes) == 0 {
		return
	}
	open := openFiles()
	for _, p := range pipes {
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&os.ModeNamedPipe == 0 || fi.ModTime().Before(since.Add(-time.Second)) || open[p] {
			continue
		}
		os.Remove(p)
	}
}

// openFiles is the set of paths some process has open (from /proc/*/fd).
func openFiles() map[string]bool {
	open := map[string]bool{}
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range fds {
		if t, err := os.Readlink(fd); err == nil {
			open[t] = true
		}
	}
	return open
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	fmt.Fprintln(os.Stderr, "dlnb-kernel:", err)
	return 1
}
