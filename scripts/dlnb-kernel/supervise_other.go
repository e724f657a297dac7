//go:build !linux

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// run starts GoNB with the log filter; there is no child subreaper outside Linux.
func run(gonb string, args []string) int {
	cmd := exec.Command(gonb, args...)
	cmd.Stdin, cmd.Stdout = os.Stdin, os.Stdout
	logR, err := cmd.StderrPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dlnb-kernel:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "dlnb-kernel: starting %s: %v (run scripts/setup.sh again)\n", gonb, err)
		return 1
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	filterLog(logR, os.Stderr, os.Getenv("DLNB_KERNEL_LOG") == "all", nil)
	err = cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return 1
	}
	return 0
}

func runSupervisor(gonb string, args []string) int { return run(gonb, args) }
