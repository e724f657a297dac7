// Package cpufeat reports the CPU features the fast kernels of dlnb choose
// between at run time (AVX2 and FMA on amd64), without a dependency.
//
// The detection follows Intel's rules: AVX needs the CPU flag and the OS's
// consent (OSXSAVE and XCR0 enabling the XMM and YMM state), AVX2 and FMA need
// their own CPUID bits on top. Setting the environment variable DLNB_NOASM=1
// before the program starts turns every assembly path off, which is how the
// portable Go fallbacks are measured and tested on a machine that has AVX2.
package cpufeat
