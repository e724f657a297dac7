package fastblas

import (
	"runtime"
	"sync"
	"unsafe"
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
	pool   sync.Pool // *workspace[T]
}

type workspace[T float] struct {
	a, b, tile []T
	zero       []bool // per panel of A in the current block: all zero
}

// minParallelFMAs is the work (m*n*k multiply-adds) a goroutine must get for
// a split to pay. On the 2-vCPU VMs this was tuned on, waking the idle second
// vCPU takes 10-20 µs when it has slept a while, the time of 1-2 million
// multiply-adds; and when other processes load the machine the second
// goroutine waits for a CPU. So only large products are split: at nn's MNIST
// shapes, batch 128 and prediction, not batch 32.
var minParallelFMAs = 4_000_000

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
	g := gemmCall[T]{arch: arch, aTrans: aTrans, bTrans: bTrans, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc}
	// The k loop is cut into equal blocks whose number depends on k alone, and
	// the work is split over tiles of C only: each element of C is the same
	// sequence of operations whatever the number of goroutines.
	nkb := (k + arch.kc - 1) / arch.kc
	g.kc = (k + nkb - 1) / nkb

	nt := runtime.GOMAXPROCS(0)
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
	var wg sync.WaitGroup
	wg.Add(nt - 1)
	part := func(t int) (int, int) { // [lo, hi) of the split dimension for goroutine t
		lo, hi := t*tiles/nt*unit, (t+1)*tiles/nt*unit
		if splitM {
			return lo, min(hi, m)
		}
		return lo, min(hi, n)
	}
	for t := 1; t < nt; t++ {
		lo, hi := part(t)
		go func() {
			defer wg.Done()
			if splitM {
				g.region(lo, hi, 0, n)
			} else {
				g.region(0, m, lo, hi)
			}
		}()
	}
	lo, hi := part(0)
	if splitM {
		g.region(lo, hi, 0, n)
	} else {
		g.region(0, m, lo, hi)
	}
	wg.Wait()
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
	skipZeroPanels = true
	packAlways     = false
	allowInPlaceB  = true
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
				ws.zero = ws.zero[:0]
				for ir := 0; ir < mb; ir += mr {
					rows := min(mr, mb-ir)
					if !inPlaceA || rows < mr {
						packA(ws.a[ir*kc:], g.a, g.lda, g.aTrans, ic+ir, rows, pc, kb, mr)
						ws.zero = append(ws.zero, allZero(ws.a[ir*kc:ir*kc+kb*mr]))
					} else {
						ws.zero = append(ws.zero, g.zeroPanel(ic+ir, pc, kb, mr))
					}
				}
				for jr := 0; jr < nb; jr += nr {
					cols := min(nr, nb-jr)
					bp, bK := ws.b[jr*kc:], nr
					if inPlaceB && cols == nr {
						bp, bK = g.b[pc*g.ldb+jc+jr:], g.ldb
					}
					for ir := 0; ir < mb; ir += mr {
						rows := min(mr, mb-ir)
						kk := kb
						if ws.zero[ir/mr] && skipZeroPanels {
							// A's panel is zero over this k block: the kernel with
							// k = 0 stores exactly what the zero products would
							// give (BLAS also skips zeros of A), for a fraction of
							// the work. MNIST's pixels are 81% zeros.
							kk = 0
						}
						ap, aRow, aK := ws.a[ir*kc:], 1, mr
						if inPlaceA && rows == mr {
							if g.aTrans {
								ap, aRow, aK = g.a[pc*g.lda+ic+ir:], 1, g.lda
							} else {
								ap, aRow, aK = g.a[(ic+ir)*g.lda+pc:], g.lda, 1
							}
						}
						cOff := (ic+ir)*g.ldc + jc + jr
						if rows == mr && cols == nr {
							arch.kernel(kk, ap, aRow, aK, bp, bK, g.c[cOff:], g.ldc, g.alpha, beta)
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
						arch.kernel(kk, ap, aRow, aK, bp, bK, t, nr, g.alpha, beta)
						for i := range rows {
							copy(g.c[cOff+i*g.ldc:cOff+i*g.ldc+cols], t[i*nr:])
						}
					}
				}
			}
		}
	}
}

// zeroPanel reports whether rows [i, i+mr) and columns [p0, p0+kb) of op(A)
// are all zero.
func (g *gemmCall[T]) zeroPanel(i, p0, kb, mr int) bool {
	if g.aTrans {
		for p := p0; p < p0+kb; p++ {
			if !allZero(g.a[p*g.lda+i : p*g.lda+i+mr]) {
				return false
			}
		}
		return true
	}
	for ii := i; ii < i+mr; ii++ {
		if !allZero(g.a[ii*g.lda+p0 : ii*g.lda+p0+kb]) {
			return false
		}
	}
	return true
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

func grow[T float](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
