package fastblas

// The portable micro-kernel: a 4x4 tile held in sixteen scalars. It is the
// kernel on CPUs without AVX2/FMA and on other architectures, and the tests run
// it everywhere. The conversions T(a*b) keep the compiler from fusing the
// multiply-adds (it does on arm64), so that this kernel and gatherGeneric
// round alike on every architecture.
func kernelGeneric[T float](k int, a []T, aRow, aK int, b []T, bK int, c []T, ldc int, alpha, beta T) {
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 T
	ai, bi := 0, 0
	for range k {
		a0, a1, a2, a3 := a[ai], a[ai+aRow], a[ai+2*aRow], a[ai+3*aRow]
		bb := b[bi : bi+4 : bi+4]
		b0, b1, b2, b3 := bb[0], bb[1], bb[2], bb[3]
		c00 += T(a0 * b0)
		c01 += T(a0 * b1)
		c02 += T(a0 * b2)
		c03 += T(a0 * b3)
		c10 += T(a1 * b0)
		c11 += T(a1 * b1)
		c12 += T(a1 * b2)
		c13 += T(a1 * b3)
		c20 += T(a2 * b0)
		c21 += T(a2 * b1)
		c22 += T(a2 * b2)
		c23 += T(a2 * b3)
		c30 += T(a3 * b0)
		c31 += T(a3 * b1)
		c32 += T(a3 * b2)
		c33 += T(a3 * b3)
		ai += aK
		bi += bK
	}
	store4(c[0*ldc:], alpha, beta, c00, c01, c02, c03)
	store4(c[1*ldc:], alpha, beta, c10, c11, c12, c13)
	store4(c[2*ldc:], alpha, beta, c20, c21, c22, c23)
	store4(c[3*ldc:], alpha, beta, c30, c31, c32, c33)
}

// gatherGeneric is kernelGeneric on a compressed panel of A (4 values a
// step, only the steps listed in idx, which name B's rows).
func gatherGeneric[T float](k int, a []T, idx []int32, b []T, bK int, c []T, ldc int, alpha, beta T) {
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 T
	for q := range k {
		aa := a[4*q : 4*q+4 : 4*q+4]
		a0, a1, a2, a3 := aa[0], aa[1], aa[2], aa[3]
		bi := int(idx[q]) * bK
		bb := b[bi : bi+4 : bi+4]
		b0, b1, b2, b3 := bb[0], bb[1], bb[2], bb[3]
		c00 += T(a0 * b0)
		c01 += T(a0 * b1)
		c02 += T(a0 * b2)
		c03 += T(a0 * b3)
		c10 += T(a1 * b0)
		c11 += T(a1 * b1)
		c12 += T(a1 * b2)
		c13 += T(a1 * b3)
		c20 += T(a2 * b0)
		c21 += T(a2 * b1)
		c22 += T(a2 * b2)
		c23 += T(a2 * b3)
		c30 += T(a3 * b0)
		c31 += T(a3 * b1)
		c32 += T(a3 * b2)
		c33 += T(a3 * b3)
	}
	store4(c[0*ldc:], alpha, beta, c00, c01, c02, c03)
	store4(c[1*ldc:], alpha, beta, c10, c11, c12, c13)
	store4(c[2*ldc:], alpha, beta, c20, c21, c22, c23)
	store4(c[3*ldc:], alpha, beta, c30, c31, c32, c33)
}

func store4[T float](c []T, alpha, beta, x0, x1, x2, x3 T) {
	c = c[:4:4]
	// The conversions T(...) round each product, as the assembly does, and
	// stop the compiler from fusing them into FMAs.
	if beta == 0 {
		c[0], c[1], c[2], c[3] = T(alpha*x0), T(alpha*x1), T(alpha*x2), T(alpha*x3)
		return
	}
	c[0] = T(alpha*x0) + T(beta*c[0])
	c[1] = T(alpha*x1) + T(beta*c[1])
	c[2] = T(alpha*x2) + T(beta*c[2])
	c[3] = T(alpha*x3) + T(beta*c[3])
}

var (
	sGeneric = &gemmArch[float32]{name: "generic", mr: 4, nr: 4, kc: 256, mc: 64, nc: 1024, kernel: kernelGeneric[float32], gather: gatherGeneric[float32]}
	dGeneric = &gemmArch[float64]{name: "generic", mr: 4, nr: 4, kc: 256, mc: 64, nc: 1024, kernel: kernelGeneric[float64], gather: gatherGeneric[float64]}

	// The kernels in use, chosen at init by the CPU's features.
	sArch, dArch = sGeneric, dGeneric
)
