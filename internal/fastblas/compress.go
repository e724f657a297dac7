package fastblas

import "math"

// Fast paths of compressA for float32 and the AVX2 kernel's 6-row panels:
// branch-free (a step's zero test decides only whether the next step
// overwrites it), and for transposed A a whole block of panels at once, row
// by row of the stored matrix, which is how it lies in memory.

// The compression routines in use: assembly where the CPU has it.
var (
	compressTrans6 = compressTrans6Go
	compressRows6  = compressRows6Go
)

// compressTrans6Go compresses the panels r = 0..panels-1 (rows i0+6r..i0+6r+5
// of op(A) = Aᵀ, steps p0..p0+kb-1) into dst[6r*kc:] and idx[6r*kc:], and
// stores each panel's count in nnz[r].
func compressTrans6Go(dst []float32, idx []int32, kc int, a []float32, lda, i0, panels, p0, kb int, nnz []int) {
	q := nnz[:panels]
	clear(q)
	// Eight panels at a time: each row of A gives them 3 cache lines, and
	// their 16 output streams stay few enough for the store buffers.
	for r0 := 0; r0 < panels; r0 += 8 {
		r1 := min(r0+8, panels)
		for p := range kb {
			off := (p0+p)*lda + i0
			row := a[off+6*r0 : off+6*r1]
			for r := r0; r < r1; r++ {
				s := row[(r-r0)*6 : (r-r0)*6+6 : (r-r0)*6+6]
				v0, v1, v2, v3, v4, v5 := s[0], s[1], s[2], s[3], s[4], s[5]
				qr := q[r]
				base := r*6*kc + qr*6
				d := dst[base : base+6 : base+6]
				d[0], d[1], d[2], d[3], d[4], d[5] = v0, v1, v2, v3, v4, v5
				idx[r*6*kc+qr] = int32(p)
				bits := math.Float32bits(v0) | math.Float32bits(v1) | math.Float32bits(v2) |
					math.Float32bits(v3) | math.Float32bits(v4) | math.Float32bits(v5)
				if bits<<1 != 0 { // some value is not ±0
					q[r] = qr + 1
				}
			}
		}
	}
}

// compressRows6Go compresses one panel of A stored row-major, the rows
// a[off+ii*lda:][:kb] for ii < 6, into dst and idx and returns the count.
func compressRows6Go(dst []float32, idx []int32, a []float32, off, lda, kb int) int {
	r0 := a[off : off+kb]
	r1 := a[off+lda : off+lda+kb]
	r2 := a[off+2*lda : off+2*lda+kb]
	r3 := a[off+3*lda : off+3*lda+kb]
	r4 := a[off+4*lda : off+4*lda+kb]
	r5 := a[off+5*lda : off+5*lda+kb]
	dst, idx = dst[:6*kb], idx[:kb]
	q := 0
	for p := range kb {
		v0, v1, v2, v3, v4, v5 := r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]
		d := dst[q*6 : q*6+6 : q*6+6]
		d[0], d[1], d[2], d[3], d[4], d[5] = v0, v1, v2, v3, v4, v5
		idx[q] = int32(p)
		bits := math.Float32bits(v0) | math.Float32bits(v1) | math.Float32bits(v2) |
			math.Float32bits(v3) | math.Float32bits(v4) | math.Float32bits(v5)
		if bits<<1 != 0 {
			q++
		}
	}
	return q
}
