package fastblas

import "math"

// Fast paths of compressA for float32 and the AVX2 kernel's 6-row panels:
// branch-free (a step's zero test decides only whether the next step
// overwrites it), and for transposed A a whole block of panels at once, row
// by row of the stored matrix, which is how it lies in memory.

// compressTrans6 compresses the panels r = 0..panels-1 (rows i0+6r..i0+6r+5
// of op(A) = Aᵀ, steps p0..p0+kb-1) into dst[6r*kc:] and idx[6r*kc:], and
// stores each panel's count in nnz[r].
func compressTrans6(dst []float32, idx []int32, kc int, a []float32, lda, i0, panels, p0, kb int, nnz []int) {
	q := nnz[:panels]
	clear(q)
	for p := range kb {
		row := a[(p0+p)*lda+i0 : (p0+p)*lda+i0+6*panels]
		for r := range q {
			s := row[r*6 : r*6+6 : r*6+6]
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

// compressRows6 compresses one panel of 6 rows of A stored row-major (r0..r5
// each kb long) into dst and idx and returns the count.
func compressRows6(dst []float32, idx []int32, r0, r1, r2, r3, r4, r5 []float32) int {
	kb := len(r0)
	r1, r2, r3, r4, r5 = r1[:kb], r2[:kb], r3[:kb], r4[:kb], r5[:kb]
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
