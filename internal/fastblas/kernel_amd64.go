package fastblas

//go:generate go run gen_kernels.go

import "github.com/dlnb/dlnb/internal/cpufeat"

//go:noescape
func sgemmKernel6x16(k int, a *float32, aRow, aK int, b *float32, bK int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func dgemmKernel6x8(k int, a *float64, aRow, aK int, b *float64, bK int, c *float64, ldc int, alpha, beta float64)

func sKernelAVX2(k int, a []float32, aRow, aK int, b []float32, bK int, c []float32, ldc int, alpha, beta float32) {
	sgemmKernel6x16(k, &a[0], aRow, aK, &b[0], bK, &c[0], ldc, alpha, beta)
}

func dKernelAVX2(k int, a []float64, aRow, aK int, b []float64, bK int, c []float64, ldc int, alpha, beta float64) {
	dgemmKernel6x8(k, &a[0], aRow, aK, &b[0], bK, &c[0], ldc, alpha, beta)
}

var (
	sAVX2 = &gemmArch[float32]{name: "avx2", mr: 6, nr: 16, kc: 256, mc: 120, nc: 2048, kernel: sKernelAVX2}
	dAVX2 = &gemmArch[float64]{name: "avx2", mr: 6, nr: 8, kc: 256, mc: 72, nc: 1024, kernel: dKernelAVX2}
)

func init() {
	if cpufeat.X86.HasAVX2FMA {
		sArch, dArch = sAVX2, dAVX2
	}
}
