package cpufeat

import (
	"fmt"
	"os"
)

// X86 holds what the CPU and the OS support (all false on other
// architectures), whatever path was chosen.
var X86 struct {
	HasAVX2FMA bool // AVX2 and FMA3 usable (CPU flags, and the OS saves the YMM state)
	HasAVX512F bool // AVX-512F usable on top of AVX2 and FMA (the OS saves the opmask and ZMM state)
}

// The kernel paths, fastest first.
const (
	AVX512  = "avx512"
	AVX2    = "avx2"
	Generic = "generic"
)

// Path is the path the kernels take: AVX512, AVX2 or Generic. It is the
// fastest the machine supports unless DLNB_KERNELS names another (or
// DLNB_NOASM=1 asks for Generic).
var Path = Generic

// Disabled reports whether the portable paths alone run (Path == Generic
// although the CPU may have more): DLNB_NOASM=1 or DLNB_KERNELS=generic.
var Disabled bool

// UseAVX2 reports whether the AVX2/FMA kernels may run (the AVX2 and AVX-512
// paths both use them where no AVX-512 version exists).
func UseAVX2() bool { return Path == AVX2 || Path == AVX512 }

// UseAVX512 reports whether the AVX-512 kernels run.
func UseAVX512() bool { return Path == AVX512 }

// Choose returns the path for the value of DLNB_KERNELS (env, "" for unset)
// and DLNB_NOASM=1 (noasm) on a machine with the given support, or an error
// naming what is missing and the choices there are.
func Choose(env string, noasm, avx2, avx512 bool) (string, error) {
	best := Generic
	switch {
	case avx2 && avx512:
		best = AVX512
	case avx2:
		best = AVX2
	}
	switch env {
	case "":
		if noasm {
			return Generic, nil
		}
		return best, nil
	case Generic:
		return Generic, nil
	case AVX2, AVX512:
		if noasm {
			return "", fmt.Errorf("cpufeat: DLNB_KERNELS=%s and DLNB_NOASM=1 contradict each other: unset one", env)
		}
		if env == AVX2 && !avx2 || env == AVX512 && !(avx2 && avx512) {
			return "", fmt.Errorf("cpufeat: DLNB_KERNELS=%s, but this CPU (or its OS) does not support %s; the paths here are %s: set one of them or unset DLNB_KERNELS", env, describe(env), available(avx2, avx512))
		}
		return env, nil
	}
	return "", fmt.Errorf("cpufeat: DLNB_KERNELS=%q is not a kernel path: use avx512, avx2 or generic (this machine has %s), or unset it", env, available(avx2, avx512))
}

func describe(path string) string {
	if path == AVX512 {
		return "AVX-512F (with AVX2 and FMA, and the OS saving the ZMM and opmask registers)"
	}
	return "AVX2 and FMA (with the OS saving the YMM registers)"
}

func available(avx2, avx512 bool) string {
	switch {
	case avx2 && avx512:
		return "avx512, avx2 and generic"
	case avx2:
		return "avx2 and generic"
	}
	return "generic only"
}

func init() {
	detect()
	p, err := Choose(os.Getenv("DLNB_KERNELS"), os.Getenv("DLNB_NOASM") == "1", X86.HasAVX2FMA, X86.HasAVX512F)
	if err != nil {
		// A forced path the machine cannot run would make every benchmark
		// and test of it lie, so the program stops before it starts.
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	Path = p
	Disabled = p == Generic && (X86.HasAVX2FMA || X86.HasAVX512F)
}
