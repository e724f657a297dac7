// Package parallel splits the kernels under nn over the machine's cores: a
// fork-join of a few parts (Do), run by worker goroutines that stay awake a
// short while after each part.
//
// A training step of a small network is a chain of short steps (at MNIST's
// batch 32: two matrix products of about 30 µs, an optimizer update of
// 30 µs, a dozen steps of a few µs), and a goroutine that sleeps between
// them costs its wake-up on every one: the runtime's futex wake of an idle
// thread, which on the 2-vCPU virtual machines this project runs on takes
// 10-50 µs (the hypervisor has to wake the idle vCPU too), as long as the
// part it would run. So after a part a worker spins (polls for the next part,
// yielding its thread and CPU between polls) for Spin before it sleeps: the steps
// of a training loop then find it awake, at the price of the CPU time it
// spins, which the process's CPU time shows.
//
// Results never depend on the split: callers cut work into parts that each
// compute the same values whoever runs them and however many there are (rows
// or columns of a product, ranges of an elementwise update), so a seed gives
// bit-identical results whatever GOMAXPROCS is.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Task is work cut into parts: RunPart(i) does part i. Parts must not depend
// on each other; they may run at the same time, in any order.
type Task interface {
	RunPart(part int)
}

// Func is a Task from a function (it allocates its closure: the steps of a
// training loop use a Task kept in a struct instead).
type Func func(part int)

// RunPart calls f(part).
func (f Func) RunPart(part int) { f(part) }

// Spin is how long a worker polls for a new part after finishing one before
// it sleeps, and how long a caller polls for a worker's part to finish
// before it sleeps. The steps of a training loop come closer together than
// this.
const Spin = 200 * time.Microsecond

// Procs is the number of parts worth cutting work into: GOMAXPROCS (the
// cores Go may use at once).
func Procs() int { return runtime.GOMAXPROCS(0) }

// Do runs t.RunPart(i) for every i in [0, parts) and returns when all have
// returned. Part 0 runs on the calling goroutine, the others on idle
// workers; a part no worker is free for (other goroutines' calls hold them,
// or a part calls Do itself), or that its worker has not started when the
// caller is done with its own, runs on the caller. Do with parts <= 1 just
// calls t.RunPart(0).
func Do(parts int, t Task) {
	if parts <= 1 {
		if parts == 1 {
			t.RunPart(0)
		}
		return
	}
	var claimed [maxWorkers]*worker
	ws := pool()
	n := 0 // parts 1..n are posted to claimed[0..n-1]
	for _, w := range ws {
		if n == parts-1 {
			break
		}
		if w.busy.CompareAndSwap(false, true) {
			claimed[n] = w
			n++
			w.post(t, n)
		}
	}
	t.RunPart(0)
	for p := n + 1; p < parts; p++ {
		t.RunPart(p)
	}
	for _, w := range claimed[:n] {
		// A part its worker has not started yet (its thread is waiting for a
		// CPU, or asleep and not yet awake) is taken back and run here: on a
		// loaded machine a split then costs little more than no split.
		if w.ready.CompareAndSwap(posted, idle) {
			w.task = nil
			t.RunPart(w.part)
		} else {
			w.wait()
		}
		w.busy.Store(false)
	}
}

// maxWorkers bounds the workers (and so the parts run at once).
const maxWorkers = 63

// The worker's states (worker.ready): nothing posted, a part posted, asleep.
const (
	idle = iota
	posted
	asleep
)

// The part's states (worker.fin): running, done, its caller asleep.
const (
	running = iota
	done
	waiting
)

type worker struct {
	busy  atomic.Bool  // claimed by a caller of Do
	ready atomic.Int32 // idle, posted, asleep
	wake  chan struct{}
	task  Task
	part  int
	fin   atomic.Int32 // running, done, waiting
	done  chan struct{}
	_     [64]byte // keep workers' flags on separate cache lines
}

// post gives the worker part p of t. Exactly one of post and the worker's
// going to sleep wins the swap from idle, so a sleeping worker gets one wake
// and an awake one none.
func (w *worker) post(t Task, p int) {
	w.task, w.part = t, p
	w.fin.Store(running)
	if w.ready.Swap(posted) == asleep {
		w.wake <- struct{}{}
	}
}

// wait returns when the worker's part has returned.
func (w *worker) wait() {
	start := time.Now()
	for w.fin.Load() == running {
		spun := time.Since(start)
		if spun > Spin {
			if w.fin.CompareAndSwap(running, waiting) {
				<-w.done
			}
			return
		}
		pause(spun)
	}
}

// yieldAfter is how long a poll loop runs before it also yields the CPU
// (osYield) between polls: most waits are shorter, and a yield costs a few
// µs on these VMs when other processes are ready to run.
const yieldAfter = 20 * time.Microsecond

// pause is one wait between two polls, after polling for spun: it lets other
// goroutines run on this thread (runtime.Gosched) and, after yieldAfter,
// other threads on this CPU (osYield).
func pause(spun time.Duration) {
	if spun > yieldAfter {
		osYield()
	}
	runtime.Gosched()
}

func (w *worker) loop() {
	last := time.Now()
	for {
		switch w.ready.Load() {
		case posted:
			if !w.ready.CompareAndSwap(posted, idle) {
				continue // its caller took it back
			}
			t, p := w.task, w.part
			w.task = nil
			t.RunPart(p)
			if !w.fin.CompareAndSwap(running, done) { // the caller sleeps: wake it
				w.done <- struct{}{}
			}
			last = time.Now()
			continue
		case idle:
			spun := time.Since(last)
			if spun > Spin && w.ready.CompareAndSwap(idle, asleep) {
				<-w.wake // post swapped asleep for posted
				last = time.Now()
				continue
			}
			pause(spun)
		}
	}
}

var (
	startOnce sync.Once
	workers   []*worker
)

// pool starts the workers on first use: one fewer than the cores (the
// caller of Do runs a part itself), at least one, at most maxWorkers.
func pool() []*worker {
	startOnce.Do(func() {
		n := min(max(runtime.NumCPU(), runtime.GOMAXPROCS(0))-1, maxWorkers)
		for range max(n, 1) {
			w := &worker{wake: make(chan struct{}, 1), done: make(chan struct{}, 1)}
			workers = append(workers, w)
			go w.loop()
		}
	})
	return workers
}
