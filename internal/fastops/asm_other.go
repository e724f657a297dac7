//go:build !amd64

package fastops

func installAsm() {}
