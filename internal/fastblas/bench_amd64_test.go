package fastblas

import (
	"testing"

	"github.com/dlnb/dlnb/internal/cpufeat"
	"github.com/dlnb/dlnb/internal/cputime"
)

// BenchmarkFMAPeak measures the float32 FMA throughput of each vector width
// the CPU has: 12 independent FMAs on registers, no memory. It is the
// ceiling of the kernels' cpuGFLOP/s with -cpu 1 (on Zen 4, whose 512-bit
// FMAs issue as two 256-bit halves, both widths peak alike).
func BenchmarkFMAPeak(b *testing.B) {
	for _, v := range []struct {
		name  string
		lanes int
		run   func(int)
		ok    bool
	}{
		{cpufeat.AVX2, 8, fmaPeak, cpufeat.X86.HasAVX2FMA},
		{cpufeat.AVX512, 16, fmaPeakAVX512, cpufeat.X86.HasAVX512F},
	} {
		if !v.ok {
			continue
		}
		b.Run(v.name, func(b *testing.B) {
			const iters = 1 << 16
			cpu0 := cputime.Now()
			for range b.N {
				v.run(iters)
			}
			reportFlops(b, 12*v.lanes*iters, cputime.Now()-cpu0)
		})
	}
}
