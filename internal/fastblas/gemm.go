package fastblas

import (
	"sync"
	"unsafe"

	"github.com/dlnb/dlnb/internal/parallel"
)

type float interface{ ~float32 | ~float64 }

// gemmArch describes one micro-kernel and the blocking that suits it.
type gemmArch[T float] struct {
	name       string
	mr, nr     int // the tile of C the kernel computes
	kc, mc, nc int // cache blocking: k depth, rows of A and columns of B packed at a time
	// kernel computes the mr x nr tile c = alpha*(A·B) + beta*c, A's element
	// (i, p) at a[i*aRow+p*aK], B's row p at b[p*bK:]; beta == 0 means c is
	// written, never read (so NaNs in c do not leak, as BLAS requires).
	kernel func(k int, a []T, aRow, aK int, b []T, bK int, c []T, ldc int, alpha, beta T)
	// gather is kernel for sparse A: a holds mr values for each of the k
	// steps listed in idx, the steps where A's panel is not all zero; B's row
	// for step q is b[idx[q]*bK:]. Exact zero products change no sum, so both
	// kernels give bit-identical C (for finite B).
	gather func(k int, a []T, idx []int32, b []T, bK int, c []T, ldc int, alpha, beta T)
	// narrow, if not nil, is a kernel with the same arithmetic and a
	// narrower tile, which products with n <= narrow.nr use instead (the
	// AVX-512 kernels' 32 columns would be mostly padding at n = 10).
	narrow *gemmArch[T]
	pool   sync.Pool // *workspace[T]
	calls  sync.Pool // *parCall[T], reused by the parallel path
}

// parCall is one parallel product, cut into parts of whole tiles: rows
// (splitM) or columns of C. It is a parallel.Task.
type parCall[T float] struct {
	g            gemmCall[T]
	m, n         int
	parts, tiles int
	unit         int // rows or columns of a tile
	splitM       bool
}

// RunPart computes part t of C.
func (pc *parCall[T]) RunPart(t int) {
	lo, hi := t*pc.tiles/pc.parts*pc.unit, (t+1)*pc.tiles/pc.parts*pc.unit
	if pc.splitM {
		pc.g.region(lo, min(hi, pc.m), 0, pc.n)
		return
	}
	pc.g.region(0, pc.m, lo, min(hi, pc.n))
}

type workspace[T float] struct {
	a, b, tile []T
	idx        []int32 // per panel of A: the steps kept by compressA
	nnz        []int   // per panel of A: how many steps compressA kept, -1: dense
}

// minParallelFMAs is the work (m*n*k multiply-adds) each part of a split
// product must get for the split to pay: at 100 GFLOP/s a part then takes
// at least 40 µs, against the few µs a split costs (internal/parallel's
// workers are awake between the steps of a training loop). At nn's MNIST
// shapes batch 128's two large products are split, and prediction's; batch
// 32's (3.2 million) are not: splitting them too (1 million a part) measured
// no faster on the loaded 2-vCPU machines, for more CPU time
// (bench/README.md).
var minParallelFMAs = 2_000_000

// gemm computes C = alpha*op(A)*op(B) + beta*C; the caller has checked the
// arguments as BLAS does.
func gemm[T float](arch *gemmArch[T], aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if arch.narrow != nil && n <= arch.narrow.nr {
		arch = arch.narrow
	}
	g := gemmCall[T]{arch: arch, aTrans: aTrans, bTrans: bTrans, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc}
	// The k loop is cut into equal blocks whose number depends on k alone, and
	// the work is split over tiles of C only: each element of C is the same
	// sequence of operations whatever the number of goroutines.
	nkb := (k + arch.kc - 1) / arch.kc
	g.kc = (k + nkb - 1) / nkb

	nt := parallel.Procs()
	if w := m * n * k / minParallelFMAs; w < nt {
		nt = max(w, 1)
	}
	tilesM, tilesN := (m+arch.mr-1)/arch.mr, (n+arch.nr-1)/arch.nr
	splitM := tilesM >= tilesN
	tiles, unit := tilesN, arch.nr
	if splitM {
		tiles, unit = tilesM, arch.mr
	}
	nt = min(nt, tiles)
	if nt <= 1 {
		g.region(0, m, 0, n)
		return
	}
	pc, _ := arch.calls.Get().(*parCall[T])
	if pc == nil {
		pc = new(parCall[T])
	}
	*pc = parCall[T]{g: g, m: m, n: n, parts: nt, tiles: tiles, unit: unit, splitM: splitM}
	parallel.Do(nt, pc)
	pc.g = gemmCall[T]{} // drop the references to the caller's slices
	arch.calls.Put(pc)
}

func scaleC[T float](m, n int, beta T, c []T, ldc int) {
	if beta == 1 {
		return
	}
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

type gemmCall[T float] struct {
	arch           *gemmArch[T]
	aTrans, bTrans bool
	k, kc          int
	alpha, beta    T
	a, b, c        []T
	lda, ldb, ldc  int
}

// Whether to read A and B where they are instead of packing them; the tests
// flip these to cover every path.
// inPlaceSpan is the largest span in bytes of a block read in place: 64 pages.
const inPlaceSpan = 256 << 10

var (
	sparseA       = true
	packAlways    = false
	allowInPlaceB = true
)

// region computes rows [i0, i1) and columns [j0, j1) of C.
func (g *gemmCall[T]) region(i0, i1, j0, j1 int) {
	arch := g.arch
	mr, nr := arch.mr, arch.nr
	ws, _ := arch.pool.Get().(*workspace[T])
	if ws == nil {
		ws = new(workspace[T])
	}
	defer arch.pool.Put(ws)
	kc := g.kc
	mc := min(arch.mc, roundUp(i1-i0, mr))
	nc := min(arch.nc, roundUp(j1-j0, nr))
	ws.a = grow(ws.a, mc*kc)
	ws.b = grow(ws.b, nc*kc)
	ws.tile = grow(ws.tile, mr*nr)
	if cap(ws.idx) < mc*kc {
		ws.idx = make([]int32, mc*kc)
	}
	ws.idx = ws.idx[:mc*kc]
	// B is read in place when its rows are contiguous (not transposed); A
	// always can be, with the right strides. Packing pays when a block is
	// reused many times, and is needed for partial panels (zero padding).
	// Reading in place also needs the block to stay within reach of the TLB:
	// a panel whose k rows lie pages apart (a large leading dimension) is
	// faster packed.
	size := int(unsafe.Sizeof(g.alpha))
	inPlaceB := allowInPlaceB && !packAlways && !g.bTrans && kc*g.ldb*size <= inPlaceSpan
	inPlaceA := !packAlways && (!g.aTrans || kc*g.lda*size <= inPlaceSpan)

	for jc := j0; jc < j1; jc += nc {
		nb := min(nc, j1-jc)
		for pc := 0; pc < g.k; pc += kc {
			kb := min(kc, g.k-pc)
			beta := g.beta
			if pc > 0 {
				beta = 1
			}
			// Pack the panels of B that are not read in place.
			for jr := 0; jr < nb; jr += nr {
				if cols := min(nr, nb-jr); !inPlaceB || cols < nr {
					packB(ws.b[jr*kc:], g.b, g.ldb, g.bTrans, jc+jr, cols, pc, kb, nr)
				}
			}
			for ic := i0; ic < i1; ic += mc {
				mb := min(mc, i1-ic)
				ws.nnz = ws.nnz[:0]
				_, is32 := any(g.a).([]float32)
				sparse := sparseA && g.sparseBlock(ic, mb, pc, kb)
				done := 0 // panels compressed by the block-wise fast path
				if a32, ok := any(g.a).([]float32); ok && sparse && g.aTrans && mr == 6 {
					done = mb / 6
					ws.nnz = grow(ws.nnz, done)
					compressTrans6(any(ws.a).([]float32), ws.idx, kc, a32, g.lda, ic, done, pc, kb, ws.nnz)
				}
				for ir := done * mr; ir < mb; ir += mr {
					rows := min(mr, mb-ir)
					nnz := -1
					// float32 6-row panels are compressed cheaply (branch-free);
					// other types first check that compressing pays.
					fast := mr == 6 && rows == 6 && is32
					if sparse && (fast || g.looksSparse(ic+ir, rows, pc, kb)) {
						nnz = g.compressA(ws.a[ir*kc:], ws.idx[ir*kc:], ic+ir, rows, pc, kb, mr)
					}
					if nnz < 0 && (!inPlaceA || rows < mr) {
						packA(ws.a[ir*kc:], g.a, g.lda, g.aTrans, ic+ir, rows, pc, kb, mr)
					}
					ws.nnz = append(ws.nnz, nnz)
				}
				for jr := 0; jr < nb; jr += nr {
					cols := min(nr, nb-jr)
					bp, bK := ws.b[jr*kc:], nr
					if inPlaceB && cols == nr {
						bp, bK = g.b[pc*g.ldb+jc+jr:], g.ldb
					}
					for ir := 0; ir < mb; ir += mr {
						rows := min(mr, mb-ir)
						nnz := ws.nnz[ir/mr]
						ap, aRow, aK := ws.a[ir*kc:], 1, mr
						if inPlaceA && rows == mr {
							if g.aTrans {
								ap, aRow, aK = g.a[pc*g.lda+ic+ir:], 1, g.lda
							} else {
								ap, aRow, aK = g.a[(ic+ir)*g.lda+pc:], g.lda, 1
							}
						}
						cOff := (ic+ir)*g.ldc + jc + jr
						// The gather kernel reads B from the start of the k block.
						bg := bp
						if nnz >= 0 {
							ap = ws.a[ir*kc:]
						}
						if rows == mr && cols == nr {
							if nnz >= 0 {
								arch.gather(nnz, ap, ws.idx[ir*kc:], bg, bK, g.c[cOff:], g.ldc, g.alpha, beta)
							} else {
								arch.kernel(kb, ap, aRow, aK, bp, bK, g.c[cOff:], g.ldc, g.alpha, beta)
							}
							continue
						}
						// A partial tile: run the same kernel on a copy, so the
						// edges get exactly the arithmetic of full tiles.
						t := ws.tile
						clear(t)
						if beta != 0 {
							for i := range rows {
								copy(t[i*nr:i*nr+cols], g.c[cOff+i*g.ldc:])
							}
						}
						if nnz >= 0 {
							arch.gather(nnz, ap, ws.idx[ir*kc:], bg, bK, t, nr, g.alpha, beta)
						} else {
							arch.kernel(kb, ap, aRow, aK, bp, bK, t, nr, g.alpha, beta)
						}
						for i := range rows {
							copy(g.c[cOff+i*g.ldc:cOff+i*g.ldc+cols], t[i*nr:])
						}
					}
				}
			}
		}
	}
}

// sparseBlock samples 32 steps of the panels of op(A)'s block (rows
// [i0, i0+mb), columns [p0, p0+kb)) and reports whether at least 4 have all
// their mr values zero, which is what compression removes: MNIST's pixels
// (more than half such steps), not ReLU activations (whose zeros rarely line
// up six at a time) nor dense data, which skip it entirely; nor do small
// blocks, where it cannot pay.
func (g *gemmCall[T]) sparseBlock(i0, mb, p0, kb int) bool {
	mr := g.arch.mr
	panels := mb / mr
	if panels == 0 || mb*kb < 2048 {
		return false
	}
	zeros := 0
	for t := range 32 {
		// Spread over the panels, and over the steps in a shuffled order.
		i, p := i0+(t*panels>>5)*mr, p0+(t*13&31)*kb>>5
		zero := true
		for ii := i; ii < i+mr && zero; ii++ {
			if g.aTrans {
				zero = g.a[p*g.lda+ii] == 0
			} else {
				zero = g.a[ii*g.lda+p] == 0
			}
		}
		if zero {
			zeros++
		}
	}
	return zeros >= 4
}

// looksSparse samples every 8th step of rows [i, i+rows) of op(A) over
// columns [p0, p0+kb) and reports whether at most 3/4 of them have a nonzero
// value: then compressing the panel pays. Both ways give the same C, so the
// guess only affects speed.
func (g *gemmCall[T]) looksSparse(i, rows, p0, kb int) bool {
	samples, nonzero := 0, 0
	for p := p0; p < p0+kb; p += 8 {
		samples++
		if g.aTrans {
			if !allZero(g.a[p*g.lda+i : p*g.lda+i+rows]) {
				nonzero++
			}
			continue
		}
		for ii := i; ii < i+rows; ii++ {
			if g.a[ii*g.lda+p] != 0 {
				nonzero++
				break
			}
		}
	}
	return 4*nonzero <= 3*samples
}

// compressA packs the steps p in [p0, p0+kb) where rows [i, i+rows) of op(A)
// are not all zero into dst (mr values a step, zero-padded rows) and their
// offsets p-p0 into idx, and returns how many it kept.
func (g *gemmCall[T]) compressA(dst []T, idx []int32, i, rows, p0, kb, mr int) int {
	q := 0
	if g.aTrans {
		for p := p0; p < p0+kb; p++ {
			src := g.a[p*g.lda+i : p*g.lda+i+rows]
			if allZero(src) {
				continue
			}
			d := dst[q*mr : q*mr+mr]
			copy(d, src)
			clear(d[rows:])
			idx[q] = int32(p - p0)
			q++
		}
		return q
	}
	if a32, ok := any(g.a).([]float32); ok && rows == 6 && mr == 6 {
		return compressRows6(any(dst).([]float32), idx, a32, i*g.lda+p0, g.lda, kb)
	}
	if rows == 6 && mr == 6 {
		// The AVX2 kernel's panel, unrolled.
		a, lda := g.a, g.lda
		r0 := a[i*lda+p0 : i*lda+p0+kb]
		r1 := a[(i+1)*lda+p0 : (i+1)*lda+p0+kb]
		r2 := a[(i+2)*lda+p0 : (i+2)*lda+p0+kb]
		r3 := a[(i+3)*lda+p0 : (i+3)*lda+p0+kb]
		r4 := a[(i+4)*lda+p0 : (i+4)*lda+p0+kb]
		r5 := a[(i+5)*lda+p0 : (i+5)*lda+p0+kb]
		for p := range kb {
			v0, v1, v2, v3, v4, v5 := r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]
			if v0 == 0 && v1 == 0 && v2 == 0 && v3 == 0 && v4 == 0 && v5 == 0 {
				continue
			}
			d := dst[q*6 : q*6+6 : q*6+6]
			d[0], d[1], d[2], d[3], d[4], d[5] = v0, v1, v2, v3, v4, v5
			idx[q] = int32(p)
			q++
		}
		return q
	}
	for p := p0; p < p0+kb; p++ {
		d := dst[q*mr : q*mr+mr]
		nonzero := false
		for ii := range rows {
			v := g.a[(i+ii)*g.lda+p]
			d[ii] = v
			nonzero = nonzero || v != 0
		}
		if !nonzero {
			continue
		}
		clear(d[rows:])
		idx[q] = int32(p - p0)
		q++
	}
	return q
}

func allZero[T float](s []T) bool {
	for _, x := range s {
		if x != 0 {
			return false
		}
	}
	return true
}

// packA copies rows [i, i+rows) and columns [p0, p0+kb) of op(A) into dst as
// one panel, element (ii, p) at dst[p*mr+ii], zero-padding rows up to mr.
func packA[T float](dst, a []T, lda int, aTrans bool, i, rows, p0, kb, mr int) {
	dst = dst[:kb*mr]
	if rows < mr {
		clear(dst)
	}
	if aTrans { // op(A)(i, p) = a[p*lda+i]: each p is a contiguous run
		for p := range kb {
			copy(dst[p*mr:p*mr+rows], a[(p0+p)*lda+i:])
		}
		return
	}
	for ii := range rows {
		src := a[(i+ii)*lda+p0 : (i+ii)*lda+p0+kb]
		for p, v := range src {
			dst[p*mr+ii] = v
		}
	}
}

// packB copies rows [p0, p0+kb) and columns [j, j+cols) of op(B) into dst as
// one panel, element (p, jj) at dst[p*nr+jj], zero-padding columns up to nr.
func packB[T float](dst, b []T, ldb int, bTrans bool, j, cols, p0, kb, nr int) {
	dst = dst[:kb*nr]
	if cols < nr {
		clear(dst)
	}
	if !bTrans { // op(B)(p, j) = b[p*ldb+j]: each p is a contiguous run
		for p := range kb {
			copy(dst[p*nr:p*nr+cols], b[(p0+p)*ldb+j:])
		}
		return
	}
	for jj := range cols {
		src := b[(j+jj)*ldb+p0 : (j+jj)*ldb+p0+kb]
		for p, v := range src {
			dst[p*nr+jj] = v
		}
	}
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
