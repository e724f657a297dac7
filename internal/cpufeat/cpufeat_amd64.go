package cpufeat

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

func detect() {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const (
		fma     = 1 << 12
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return
	}
	// The OS must save the XMM (bit 1) and YMM (bit 2) registers on context
	// switches, and for AVX-512 the opmask (5), the upper halves of ZMM0-15
	// (6) and ZMM16-31 (7). (macOS enables the AVX-512 state only on first
	// use, so there it reads as absent and the AVX2 path runs.)
	xcr0, _ := xgetbv()
	if xcr0&6 != 6 {
		return
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const (
		avx2    = 1 << 5
		avx512f = 1 << 16
	)
	X86.HasAVX2FMA = ebx7&avx2 != 0
	X86.HasAVX512F = X86.HasAVX2FMA && ebx7&avx512f != 0 && xcr0&0xe6 == 0xe6
}
