//go:build !linux

package parallel

// osYield: elsewhere polling yields to other goroutines only.
func osYield() {}
