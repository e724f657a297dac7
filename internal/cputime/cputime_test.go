package cputime

import (
	"runtime"
	"testing"
)

func TestNowAdvancesWithWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "js" {
		t.Skip("no CPU time on " + runtime.GOOS)
	}
	t0 := Now()
	x := 0.0
	for i := 0; i < 50_000_000; i++ {
		x += float64(i) * 1e-9
	}
	if d := Now() - t0; d <= 0 {
		t.Errorf("50 M additions (%g) took %v of CPU time: want more than 0", x, d)
	}
}
