//go:build unix

package nn

import "syscall"

// processCPU returns the CPU time (user + system) the process has used, in
// nanoseconds: benchmarks report it per operation, a figure that other
// programs competing for the cores change much less than the wall time.
func processCPU() int64 {
	var r syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &r) != nil {
		return 0
	}
	return r.Utime.Nano() + r.Stime.Nano()
}
