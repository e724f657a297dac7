//go:build !amd64

package fastops

// installAsm: other architectures have only the portable Go loops (the
// tests install interpreted assembly, and this takes it out again).
func installAsm(string) { uninstall() }
