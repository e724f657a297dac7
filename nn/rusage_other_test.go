//go:build !unix

package nn

func processCPU() int64 { return 0 }
