package cpufeat

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestDetectMatchesProcCPUInfo checks the CPUID reading against what Linux
// reports, where /proc/cpuinfo exists.
func TestDetectMatchesProcCPUInfo(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		if X86.HasAVX2FMA || X86.HasAVX512F || Path != Generic {
			t.Fatalf("on %s: X86 = %+v, Path %s", runtime.GOARCH, X86, Path)
		}
		return
	}
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		if runtime.GOOS == "linux" {
			t.Fatal(err)
		}
		t.Skip("no /proc/cpuinfo to compare with on", runtime.GOOS)
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
	// Linux lists a flag only where the kernel enabled its state, so the
	// flags stand for the CPU and the OS together.
	want2 := has("avx2") && has("fma") && has("avx")
	want512 := want2 && has("avx512f")
	if X86.HasAVX2FMA != want2 || X86.HasAVX512F != want512 {
		t.Fatalf("X86 = %+v, /proc/cpuinfo says avx2&&fma = %v, avx512f = %v", X86, want2, want512)
	}
	t.Logf("CPU supports avx2 %v, avx512 %v; path %s", want2, want512, Path)
}

func TestChoose(t *testing.T) {
	type mach struct{ avx2, avx512 bool }
	all, avx2, none := mach{true, true}, mach{true, false}, mach{false, false}
	for _, c := range []struct {
		env   string
		noasm bool
		m     mach
		want  string // "" for an error
	}{
		{"", false, all, AVX512}, {"", false, avx2, AVX2}, {"", false, none, Generic},
		{"", true, all, Generic},
		{"avx512", false, all, AVX512}, {"avx512", false, avx2, ""}, {"avx512", false, none, ""},
		{"avx2", false, all, AVX2}, {"avx2", false, avx2, AVX2}, {"avx2", false, none, ""},
		{"generic", false, all, Generic}, {"generic", true, none, Generic},
		{"avx2", true, all, ""}, {"AVX2", false, all, ""}, {"sse", false, all, ""},
		// AVX-512F without AVX2/FMA is not a path here.
		{"avx512", false, mach{false, true}, ""}, {"", false, mach{false, true}, Generic},
	} {
		got, err := Choose(c.env, c.noasm, c.m.avx2, c.m.avx512)
		if c.want == "" {
			if err == nil || !strings.Contains(err.Error(), "DLNB_") {
				t.Errorf("Choose(%q, noasm=%v, %+v) = %q, %v; want an error naming the variable", c.env, c.noasm, c.m, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Choose(%q, noasm=%v, %+v) = %q, %v; want %q", c.env, c.noasm, c.m, got, err, c.want)
		}
	}
}

// TestPathMatchesEnvironment checks the path chosen in this process.
func TestPathMatchesEnvironment(t *testing.T) {
	want, err := Choose(os.Getenv("DLNB_KERNELS"), os.Getenv("DLNB_NOASM") == "1", X86.HasAVX2FMA, X86.HasAVX512F)
	if err != nil || Path != want {
		t.Fatalf("Path = %s, Choose says %s, %v", Path, want, err)
	}
	if UseAVX512() && !X86.HasAVX512F || UseAVX2() && !X86.HasAVX2FMA {
		t.Fatalf("path %s on a machine with %+v", Path, X86)
	}
}

// TestRefusedPathStopsTheProgram runs this test binary with a path the
// machine lacks (or an unknown name, where it has them all) and checks that it
// stops at start with status 2 and a message that names the variable.
func TestRefusedPathStopsTheProgram(t *testing.T) {
	if os.Getenv("CPUFEAT_CHILD") == "1" {
		return // only reached if init let the program start
	}
	bad := "avx512"
	switch {
	case !X86.HasAVX2FMA:
		bad = "avx2"
	case X86.HasAVX512F:
		bad = "avx1024"
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRefusedPathStopsTheProgram$")
	cmd.Env = append(os.Environ(), "CPUFEAT_CHILD=1", "DLNB_KERNELS="+bad, "DLNB_NOASM=")
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "DLNB_KERNELS") {
		t.Fatalf("DLNB_KERNELS=%s: err %v, output %q; want exit status 2 and a message naming DLNB_KERNELS", bad, err, out)
	}
	t.Logf("DLNB_KERNELS=%s: %s", bad, strings.TrimSpace(string(out)))
}
