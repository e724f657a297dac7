package fastblas

import "github.com/dlnb/dlnb/internal/cpufeat"

//go:noescape
func compressStepT6(row *float32, panels int, dst *float32, dstStride int, idx *int32, idxStride int, q *int, p int32)

//go:noescape
func compressRows6ASM(dst *float32, idx *int32, a *float32, lda, kb int) int

func compressTrans6ASM(dst []float32, idx []int32, kc int, a []float32, lda, i0, panels, p0, kb int, nnz []int) {
	q := nnz[:panels]
	clear(q)
	if panels == 0 || kb == 0 {
		return
	}
	// The bounds the assembly relies on, checked once.
	_ = a[(p0+kb-1)*lda+i0+6*panels-1]
	_ = dst[(panels-1)*6*kc+6*kb-1]
	_ = idx[(panels-1)*6*kc+kb-1]
	for p := range kb {
		compressStepT6(&a[(p0+p)*lda+i0], panels, &dst[0], 6*kc*4, &idx[0], 6*kc*4, &q[0], int32(p))
	}
}

func compressRows6Wrap(dst []float32, idx []int32, a []float32, off, lda, kb int) int {
	if kb == 0 {
		return 0
	}
	// The bounds the assembly relies on, checked once.
	_ = a[off+5*lda+kb-1]
	_, _ = dst[6*kb-1], idx[kb-1]
	return compressRows6ASM(&dst[0], &idx[0], &a[off], lda, kb)
}

func init() {
	if cpufeat.UseAVX2() {
		compressTrans6 = compressTrans6ASM
		compressRows6 = compressRows6Wrap
	}
}
