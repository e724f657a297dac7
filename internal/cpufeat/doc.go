// Package cpufeat chooses the instruction set of dlnb's fast kernels at run
// time, without a dependency: AVX-512, AVX2 with FMA, or portable Go.
//
// The detection follows Intel's rules: AVX needs the CPU flag and the OS's
// consent (OSXSAVE and XCR0 enabling the XMM and YMM state), AVX2 and FMA need
// their own CPUID bits on top, and AVX-512F its CPUID bit and XCR0 enabling
// the opmask and ZMM state as well. X86 says what the machine supports; Path
// says which path the kernels take: the fastest supported one, unless the
// environment variable DLNB_KERNELS names another before the program starts:
//
//	DLNB_KERNELS=avx512   the AVX-512 kernels (and AVX2 where none exists)
//	DLNB_KERNELS=avx2     the AVX2/FMA kernels
//	DLNB_KERNELS=generic  portable Go only (so does DLNB_NOASM=1)
//
// A path the machine cannot run, or an unknown name, stops the program at
// start with a message naming what is missing and the paths there are: a
// benchmark that silently ran another path would report the wrong thing.
package cpufeat
