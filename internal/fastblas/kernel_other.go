//go:build !amd64

package fastblas

// supported lists the assembly kernels this machine can run: none here.
func supported() ([]*gemmArch[float32], []*gemmArch[float64]) { return nil, nil }
