package cpufeat

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestDetectMatchesProcCPUInfo checks the CPUID reading against what Linux
// reports, where /proc/cpuinfo exists.
func TestDetectMatchesProcCPUInfo(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		if X86.HasAVX2FMA {
			t.Fatal("HasAVX2FMA set on", runtime.GOARCH)
		}
		return
	}
	if Disabled {
		if X86.HasAVX2FMA {
			t.Fatal("DLNB_NOASM=1 but HasAVX2FMA is set")
		}
		return
	}
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skip("no /proc/cpuinfo to compare with:", err)
	}
	var flags []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "flags") {
			flags = strings.Fields(line)
			break
		}
	}
	has := func(f string) bool {
		for _, g := range flags {
			if g == f {
				return true
			}
		}
		return false
	}
	want := has("avx2") && has("fma") && has("avx")
	if X86.HasAVX2FMA != want {
		t.Fatalf("HasAVX2FMA = %v, /proc/cpuinfo says avx2&&fma = %v", X86.HasAVX2FMA, want)
	}
}
