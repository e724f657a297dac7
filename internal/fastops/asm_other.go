//go:build !amd64

package fastops

// installAsm: other architectures have only the portable Go loops.
func installAsm(string) {}
