package parallel

import "syscall"

// osYield gives the CPU to another thread that is ready to run on it, if
// there is one (sched_yield; it returns at once when there is none): a
// polling worker or caller must not keep a CPU from the thread it waits for,
// or from the machine's other processes, when there are more threads ready
// than CPUs.
func osYield() { syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0) }
