// Package fastblas is gonum's BLAS with a fast matrix multiply (Sgemm and
// Dgemm) for the shapes of training small dense networks.
//
// How it is fast, the way BLIS and OpenBLAS are:
//
//   - A micro-kernel in Go assembly keeps a tile of C in twelve vector
//     registers for the whole k loop, doing 12 FMAs for every 2 loads of B
//     and 6 broadcasts of A: 6x32 float32 (6x16 float64) in ZMM registers on
//     CPUs with AVX-512F, 6x16 (6x8) in YMM registers on CPUs with AVX2 and
//     FMA. Products at most 16 columns wide (nn's output layers) take the
//     AVX2 kernel on AVX-512 machines too, since a 32-column tile would be
//     mostly padding. Both do the same FMAs in the same order, so their
//     results are bit-identical. On CPUs without AVX2/FMA and on other
//     architectures a portable Go 4x4 kernel runs instead. Package cpufeat
//     chooses at start (DLNB_KERNELS=avx512|avx2|generic forces a path);
//     Kernel() says which.
//   - What the wider registers buy depends on the CPU. Zen 4 (AMD EPYC
//     family 25 model 17) issues a 512-bit FMA as two 256-bit halves: its
//     measured float32 peak (BenchmarkFMAPeak, 12 independent FMAs on
//     registers) is 114 GFLOP/s a core with either width, and at nn's MNIST
//     shapes the AVX-512 kernels, which need half the loads and broadcasts
//     per flop, run 0-11% faster than the AVX2 ones, at 74-93% of that peak
//     for the large products. CPUs that execute 512-bit FMAs at full width
//     (Zen 5; Intel server cores with two FMA units) can double the peak.
//   - The assembly is generated: gen_kernels.go writes kernel_amd64.s, both
//     widths from the same code (`go generate` in this directory), and
//     scripts/test-go.sh fails if the checked-in file is not what it writes.
//   - Blocking: k is cut into blocks of at most 256, A into blocks of rows and
//     B into blocks of columns that stay in the caches while they are reused.
//   - A and B are read in place where their layout allows (the kernel takes
//     strides), and packed into contiguous, zero-padded panels where it does
//     not (Bᵀ, edges, leading dimensions that would thrash the TLB).
//   - Sparse A: where sampling finds many k steps whose six values of a panel
//     are all zero (MNIST's blank pixels: more than half of the steps), the
//     panel is compressed to the other steps and a gather kernel reads only
//     the rows of B they need. Exact zero products change no sum, so the
//     result is bit-identical to the dense one (for finite B); BLAS also
//     skips zeros of A.
//   - Large products are split over goroutines by tiles of C, never along k,
//     so every element of C is computed by the same operations in the same
//     order whatever GOMAXPROCS is: results are bit-identical for any number
//     of threads (and across runs), which keeps training reproducible.
//
// Use it through gonum's registries, for every gonum user in the program:
//
//	blas32.Use(fastblas.Implementation{})
//	blas64.Use(fastblas.Implementation{})
//
// All other BLAS routines are gonum's own (Implementation embeds
// gonum.Implementation); bad arguments panic with gonum's messages.
package fastblas
