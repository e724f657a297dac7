package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// counts is a Task that counts how often each part ran.
type counts struct{ runs []atomic.Int32 }

func (c *counts) RunPart(p int) { c.runs[p].Add(1) }

func check(t *testing.T, c *counts, parts int) {
	t.Helper()
	for p := range parts {
		if n := c.runs[p].Load(); n != 1 {
			t.Errorf("%d parts: part %d ran %d times, want once", parts, p, n)
		}
	}
}

func TestDoRunsEveryPartOnce(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		old := runtime.GOMAXPROCS(procs)
		for parts := 0; parts <= 9; parts++ {
			c := &counts{runs: make([]atomic.Int32, max(parts, 1))}
			Do(parts, c)
			check(t, c, parts)
		}
		runtime.GOMAXPROCS(old)
	}
}

// A worker that has slept (no part for longer than Spin) wakes for the
// next; a caller whose worker's part takes longer than Spin sleeps until it
// is done. Both ways must still run every part once and wait for it.
func TestDoSleepingWorkerAndCaller(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	for range 3 {
		time.Sleep(2 * Spin)
		c := &counts{runs: make([]atomic.Int32, 2)}
		Do(2, c)
		check(t, c, 2)
	}
	var slowDone atomic.Bool
	Do(2, Func(func(p int) {
		if p == 1 {
			time.Sleep(3 * Spin)
			slowDone.Store(true)
		}
	}))
	if !slowDone.Load() {
		t.Fatal("Do returned before its slow part was done")
	}
}

// TestDoConcurrentCallers: many goroutines calling Do at once, and parts
// calling Do themselves, each get all their parts run exactly once (with
// -race: and no data race).
func TestDoConcurrentCallers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(runtime.GOMAXPROCS(0), 2)))
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				parts := 1 + (g+i)%4
				c := &counts{runs: make([]atomic.Int32, parts)}
				inner := make([]*counts, parts)
				Do(parts, Func(func(p int) {
					c.RunPart(p)
					inner[p] = &counts{runs: make([]atomic.Int32, 2)}
					Do(2, inner[p]) // nested: the workers may all be busy
				}))
				check(t, c, parts)
				for _, ic := range inner {
					check(t, ic, 2)
				}
			}
		}()
	}
	wg.Wait()
}

// The results a part writes are visible to the caller when Do returns.
func TestDoPublishesResults(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	out := make([]int, 1024)
	for round := range 200 {
		Do(2, Func(func(p int) {
			for i := p * 512; i < (p+1)*512; i++ {
				out[i] = round + i
			}
		}))
		for i, v := range out {
			if v != round+i {
				t.Fatalf("round %d: out[%d] = %d, want %d", round, i, v, round+i)
			}
		}
	}
}

// BenchmarkDo times a split into two parts that do nothing: the cost of
// splitting, with the worker awake (the parts follow each other closely).
func BenchmarkDo(b *testing.B) {
	c := &counts{runs: make([]atomic.Int32, 2)}
	for range b.N {
		Do(2, c)
	}
}
