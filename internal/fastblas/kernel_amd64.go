package fastblas

//go:generate go run gen_kernels.go

import "github.com/dlnb/dlnb/internal/cpufeat"

//go:noescape
func sgemmKernel6x16(k int, a *float32, aRow, aK int, b *float32, bK int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func dgemmKernel6x8(k int, a *float64, aRow, aK int, b *float64, bK int, c *float64, ldc int, alpha, beta float64)

//go:noescape
func sgemmKernel6x16Gather(k int, a *float32, idx *int32, b *float32, bK int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func dgemmKernel6x8Gather(k int, a *float64, idx *int32, b *float64, bK int, c *float64, ldc int, alpha, beta float64)

func sGatherAVX2(k int, a []float32, idx []int32, b []float32, bK int, c []float32, ldc int, alpha, beta float32) {
	if k == 0 {
		sgemmKernel6x16Gather(0, &a[0], nil, &b[0], bK, &c[0], ldc, alpha, beta)
		return
	}
	_ = a[6*k-1]
	sgemmKernel6x16Gather(k, &a[0], &idx[:k][0], &b[0], bK, &c[0], ldc, alpha, beta)
}

func dGatherAVX2(k int, a []float64, idx []int32, b []float64, bK int, c []float64, ldc int, alpha, beta float64) {
	if k == 0 {
		dgemmKernel6x8Gather(0, &a[0], nil, &b[0], bK, &c[0], ldc, alpha, beta)
		return
	}
	_ = a[6*k-1]
	dgemmKernel6x8Gather(k, &a[0], &idx[:k][0], &b[0], bK, &c[0], ldc, alpha, beta)
}

func sKernelAVX2(k int, a []float32, aRow, aK int, b []float32, bK int, c []float32, ldc int, alpha, beta float32) {
	sgemmKernel6x16(k, &a[0], aRow, aK, &b[0], bK, &c[0], ldc, alpha, beta)
}

func dKernelAVX2(k int, a []float64, aRow, aK int, b []float64, bK int, c []float64, ldc int, alpha, beta float64) {
	dgemmKernel6x8(k, &a[0], aRow, aK, &b[0], bK, &c[0], ldc, alpha, beta)
}

var (
	sAVX2 = &gemmArch[float32]{name: "avx2", mr: 6, nr: 16, kc: 256, mc: 120, nc: 2048, kernel: sKernelAVX2, gather: sGatherAVX2}
	dAVX2 = &gemmArch[float64]{name: "avx2", mr: 6, nr: 8, kc: 256, mc: 72, nc: 1024, kernel: dKernelAVX2, gather: dGatherAVX2}
)

func init() {
	if cpufeat.X86.HasAVX2FMA {
		sArch, dArch = sAVX2, dAVX2
	}
}
