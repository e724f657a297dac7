package fastblas

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

// An interpreter for the few instructions gen_kernels.go emits, reading
// kernel_amd64.s itself. It lets every machine check the AVX-512 kernels,
// which most of the CPUs this project runs on cannot execute: run inside
// gemm, an interpreted kernel must give C bit-identical to the AVX2 kernel
// (interpreted, and run for real where the CPU has AVX2, which checks the
// interpreter), and it checks every memory access against the bounds of the
// slices the kernel was given.

type asmInstr struct {
	op   string
	args []string
	line int
}

type asmFunc struct {
	name   string
	code   []asmInstr
	labels map[string]int
}

func parseAsm(t testing.TB, path string) map[string]*asmFunc {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	funcs := map[string]*asmFunc{}
	var f *asmFunc
	for i, line := range strings.Split(string(src), "\n") {
		if j := strings.Index(line, "//"); j >= 0 {
			line = line[:j]
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "TEXT "):
			name := strings.TrimPrefix(strings.Fields(line)[1], "·")
			name = strings.TrimSuffix(name, "(SB),")
			f = &asmFunc{name: name, labels: map[string]int{}}
			funcs[name] = f
		case strings.HasSuffix(line, ":"):
			f.labels[strings.TrimSuffix(line, ":")] = len(f.code)
		default:
			op, rest, _ := strings.Cut(line, " ")
			var args []string
			for _, a := range strings.Split(rest, ",") {
				if a = strings.TrimSpace(a); a != "" {
					args = append(args, a)
				}
			}
			f.code = append(f.code, asmInstr{op, args, i + 1})
		}
	}
	return funcs
}

// asmRegion is a slice the kernel may touch, at a made-up address.
type asmRegion struct {
	base uint64
	f32  []float32
	f64  []float64
	i32  []int32
}

type asmMachine struct {
	t       testing.TB
	fn      *asmFunc
	gpr     map[string]uint64
	vec     [16][16]uint32 // Z0..Z15 as 32-bit words
	frame   map[int]uint64 // argument offset -> value (8-byte slots; 4-byte args at their offsets)
	regions []asmRegion
	zf, lt  bool
}

const asmRegionSpan = 1 << 40

func (m *asmMachine) region(addr uint64, size int) (*asmRegion, int) {
	i := int(addr/asmRegionSpan) - 1
	if i < 0 || i >= len(m.regions) {
		m.t.Fatalf("%s: access to address %#x outside every argument", m.fn.name, addr)
	}
	r := &m.regions[i]
	off := int(addr - r.base)
	n := len(r.f32)*4 + len(r.f64)*8 + len(r.i32)*4
	if off < 0 || off+size > n || off%size != 0 && size <= 8 {
		m.t.Fatalf("%s: access of %d bytes at offset %d of a %d-byte argument", m.fn.name, size, off, n)
	}
	return r, off
}

func (m *asmMachine) load32(addr uint64) uint32 {
	r, off := m.region(addr, 4)
	switch {
	case r.f32 != nil:
		return math.Float32bits(r.f32[off/4])
	case r.i32 != nil:
		return uint32(r.i32[off/4])
	}
	v := math.Float64bits(r.f64[off/8])
	if off%8 != 0 {
		return uint32(v >> 32)
	}
	return uint32(v)
}

func (m *asmMachine) store32(addr uint64, v uint32) {
	r, off := m.region(addr, 4)
	switch {
	case r.f32 != nil:
		r.f32[off/4] = math.Float32frombits(v)
	case r.f64 != nil:
		old := math.Float64bits(r.f64[off/8])
		if off%8 != 0 {
			old = old&0xffffffff | uint64(v)<<32
		} else {
			old = old&^0xffffffff | uint64(v)
		}
		r.f64[off/8] = math.Float64frombits(old)
	default:
		m.t.Fatalf("%s: store into the index argument", m.fn.name)
	}
}

// mem evaluates a memory operand: off(BASE)(INDEX*scale) or name+off(FP).
func (m *asmMachine) mem(s string) (addr uint64, fp bool) {
	if i := strings.Index(s, "(FP)"); i >= 0 {
		_, off, _ := strings.Cut(s[:i], "+")
		n, err := strconv.Atoi(off)
		if err != nil {
			m.t.Fatalf("%s: bad frame operand %q", m.fn.name, s)
		}
		return uint64(n), true
	}
	open := strings.Index(s, "(")
	if open > 0 {
		n, err := strconv.Atoi(s[:open])
		if err != nil {
			m.t.Fatalf("%s: bad offset in %q", m.fn.name, s)
		}
		addr = uint64(n)
	}
	parts := strings.Split(strings.TrimSuffix(s[open+1:], ")"), ")(")
	addr += m.gpr[parts[0]]
	if len(parts) == 2 {
		reg, scale, _ := strings.Cut(parts[1], "*")
		sc, _ := strconv.Atoi(scale)
		addr += m.gpr[reg] * uint64(sc)
	}
	return addr, false
}

func (m *asmMachine) frameWord(off uint64, size int) uint64 {
	if size == 4 && off%8 == 4 {
		return m.frame[int(off-4)] >> 32
	}
	v := m.frame[int(off)]
	if size == 4 {
		v &= 0xffffffff
	}
	return v
}

func vreg(s string) (int, int, bool) { // index, words, ok
	if len(s) < 2 || (s[0] != 'Y' && s[0] != 'Z') {
		return 0, 0, false
	}
	n, err := strconv.Atoi(s[1:])
	if err != nil {
		return 0, 0, false
	}
	if s[0] == 'Y' {
		return n, 8, true
	}
	return n, 16, true
}

func imm(s string) (int64, bool) {
	if !strings.HasPrefix(s, "$") {
		return 0, false
	}
	n, err := strconv.ParseInt(s[1:], 10, 64)
	return n, err == nil
}

// vecOperand reads a vector operand (register or memory) of words 32-bit words.
func (m *asmMachine) vecOperand(s string, words int) []uint32 {
	if r, _, ok := vreg(s); ok {
		return append([]uint32(nil), m.vec[r][:words]...)
	}
	a, _ := m.mem(s)
	v := make([]uint32, words)
	for i := range v {
		v[i] = m.load32(a + uint64(4*i))
	}
	return v
}

// fmaF32 is a*b+c rounded once to float32, as VFMADD231PS computes it.
func fmaF32(a, b, c uint32) uint32 {
	p := float64(math.Float32frombits(a)) * float64(math.Float32frombits(b)) // exact
	cv := float64(math.Float32frombits(c))
	// s+e is p+c exactly (TwoSum). Rounding s to float32 rounds p+c once
	// unless s lies exactly halfway between two float32s and e != 0.
	s := p + cv
	bb := s - p
	e := (p - (s - bb)) + (cv - bb)
	if bits := math.Float64bits(s); e == 0 || bits&(1<<29-1) != 1<<28 || math.Abs(s) < 0x1p-126 {
		return math.Float32bits(float32(s))
	}
	var z big.Float
	z.SetPrec(24).SetMode(big.ToNearestEven)
	z.Add(new(big.Float).SetFloat64(p), new(big.Float).SetFloat64(float64(math.Float32frombits(c))))
	f, _ := z.Float32()
	return math.Float32bits(f)
}

func (m *asmMachine) run() {
	for pc := 0; pc < len(m.fn.code); pc++ {
		in := m.fn.code[pc]
		a := in.args
		fail := func() { m.t.Fatalf("%s line %d: cannot interpret %s %v", m.fn.name, in.line, in.op, a) }
		jump := func(cond bool) {
			if cond {
				pc = m.fn.labels[a[0]] - 1
			}
		}
		switch in.op {
		case "MOVQ", "MOVL":
			off, fp := m.mem(a[0])
			if !fp {
				fail()
			}
			size := 8
			if in.op == "MOVL" {
				size = 4
			}
			m.gpr[a[1]] = m.frameWord(off, size)
		case "MOVLQSX":
			addr, _ := m.mem(a[0])
			m.gpr[a[1]] = uint64(int64(int32(m.load32(addr))))
		case "SHLQ":
			n, _ := imm(a[0])
			m.gpr[a[1]] <<= uint(n)
			m.zf = m.gpr[a[1]] == 0
		case "SHLL":
			n, _ := imm(a[0])
			m.gpr[a[1]] = uint64(uint32(m.gpr[a[1]]) << uint(n))
			m.zf = m.gpr[a[1]] == 0
		case "LEAQ":
			addr, _ := m.mem(a[0])
			m.gpr[a[1]] = addr
		case "ADDQ", "SUBQ", "IMULQ":
			var x uint64
			if n, ok := imm(a[0]); ok {
				x = uint64(n)
			} else {
				x = m.gpr[a[0]]
			}
			switch in.op {
			case "ADDQ":
				m.gpr[a[1]] += x
			case "SUBQ":
				m.gpr[a[1]] -= x
			default:
				m.gpr[a[1]] = uint64(int64(m.gpr[a[1]]) * int64(x))
			}
			m.zf = m.gpr[a[1]] == 0
		case "DECQ":
			m.gpr[a[0]]--
			m.zf = m.gpr[a[0]] == 0
		case "CMPQ":
			n, ok := imm(a[1])
			if !ok {
				fail()
			}
			m.lt, m.zf = int64(m.gpr[a[0]]) < n, int64(m.gpr[a[0]]) == n
		case "TESTQ":
			v := m.gpr[a[0]] & m.gpr[a[1]]
			m.zf, m.lt = v == 0, int64(v) < 0
		case "JLT":
			jump(m.lt)
		case "JGE":
			jump(!m.lt)
		case "JEQ":
			jump(m.zf)
		case "JNE":
			jump(!m.zf)
		case "VXORPS", "VXORPD", "VPXORD":
			r, _, ok := vreg(a[2])
			if !ok || a[0] != a[2] || a[1] != a[2] {
				fail()
			}
			m.vec[r] = [16]uint32{}
		case "VMOVUPS", "VMOVUPD":
			if r, w, ok := vreg(a[1]); ok {
				v := m.vecOperand(a[0], w)
				m.vec[r] = [16]uint32{}
				copy(m.vec[r][:], v)
				break
			}
			r, w, ok := vreg(a[0])
			if !ok {
				fail()
			}
			addr, _ := m.mem(a[1])
			for i := range w {
				m.store32(addr+uint64(4*i), m.vec[r][i])
			}
		case "VBROADCASTSS", "VBROADCASTSD":
			r, w, ok := vreg(a[1])
			if !ok {
				fail()
			}
			var lo, hi uint32
			if off, fp := m.mem(a[0]); fp {
				lo = uint32(m.frameWord(off, 4))
				hi = uint32(m.frameWord(off+4, 4))
			} else {
				lo = m.load32(off)
				if in.op == "VBROADCASTSD" {
					hi = m.load32(off + 4)
				}
			}
			m.vec[r] = [16]uint32{}
			for i := range w {
				if in.op == "VBROADCASTSS" {
					m.vec[r][i] = lo
				} else if i%2 == 0 {
					m.vec[r][i], m.vec[r][i+1] = lo, hi
				}
			}
		case "VFMADD231PS", "VFMADD231PD", "VMULPS", "VMULPD":
			d, w, ok := vreg(a[len(a)-1])
			if !ok {
				fail()
			}
			x := m.vecOperand(a[0], w) // Go order: src2, src1, dst
			y := m.vecOperand(a[1], w)
			acc := m.vec[d]
			out := [16]uint32{}
			fma := strings.HasPrefix(in.op, "VFMADD")
			if strings.HasSuffix(in.op, "PS") {
				for i := range w {
					if fma {
						out[i] = fmaF32(y[i], x[i], acc[i])
					} else {
						out[i] = math.Float32bits(math.Float32frombits(y[i]) * math.Float32frombits(x[i]))
					}
				}
			} else {
				for i := 0; i < w; i += 2 {
					xv := math.Float64frombits(uint64(x[i]) | uint64(x[i+1])<<32)
					yv := math.Float64frombits(uint64(y[i]) | uint64(y[i+1])<<32)
					av := math.Float64frombits(uint64(acc[i]) | uint64(acc[i+1])<<32)
					r := yv * xv
					if fma {
						r = math.FMA(yv, xv, av)
					}
					out[i], out[i+1] = uint32(math.Float64bits(r)), uint32(math.Float64bits(r)>>32)
				}
			}
			m.vec[d] = out
		case "VZEROUPPER":
		case "RET":
			return
		default:
			fail()
		}
	}
	m.t.Fatalf("%s: ran off the end", m.fn.name)
}

// interpGathers counts the interpreted float32 gather kernels run.
var interpGathers int

// interpKernels returns gemmArchs whose kernels are the interpreted assembly.
func interpKernels(t testing.TB) (s map[string]*gemmArch[float32], d map[string]*gemmArch[float64]) {
	funcs := parseAsm(t, "kernel_amd64.s")
	get := func(name string) *asmFunc {
		f := funcs[name]
		if f == nil {
			t.Fatalf("kernel_amd64.s has no %s", name)
		}
		return f
	}
	newMachine := func(f *asmFunc) *asmMachine {
		return &asmMachine{t: t, fn: f, gpr: map[string]uint64{}, frame: map[int]uint64{}}
	}
	add := func(m *asmMachine, r asmRegion) uint64 {
		r.base = uint64(len(m.regions)+1) * asmRegionSpan
		m.regions = append(m.regions, r)
		return r.base
	}
	s, d = map[string]*gemmArch[float32]{}, map[string]*gemmArch[float64]{}
	for _, v := range []struct {
		name, suffix string
		snr, dnr     int
	}{{"avx2", "", 16, 8}, {"avx512", "AVX512", 32, 16}} {
		sk, sg := get(fmt.Sprintf("sgemmKernel6x%d%s", v.snr, v.suffix)), get(fmt.Sprintf("sgemmKernel6x%dGather%s", v.snr, v.suffix))
		dk, dg := get(fmt.Sprintf("dgemmKernel6x%d%s", v.dnr, v.suffix)), get(fmt.Sprintf("dgemmKernel6x%dGather%s", v.dnr, v.suffix))
		s[v.name] = &gemmArch[float32]{name: "interpreted-" + v.name, mr: 6, nr: v.snr, kc: 256, mc: 120, nc: 2048,
			kernel: func(k int, a []float32, aRow, aK int, b []float32, bK int, c []float32, ldc int, alpha, beta float32) {
				m := newMachine(sk)
				m.frame[0], m.frame[8], m.frame[16], m.frame[24] = uint64(k), add(m, asmRegion{f32: a}), uint64(aRow), uint64(aK)
				m.frame[32], m.frame[40], m.frame[48], m.frame[56] = add(m, asmRegion{f32: b}), uint64(bK), add(m, asmRegion{f32: c}), uint64(ldc)
				m.frame[64] = uint64(math.Float32bits(alpha)) | uint64(math.Float32bits(beta))<<32
				m.run()
			},
			gather: func(k int, a []float32, idx []int32, b []float32, bK int, c []float32, ldc int, alpha, beta float32) {
				m := newMachine(sg)
				interpGathers++
				m.frame[0], m.frame[8], m.frame[16] = uint64(k), add(m, asmRegion{f32: a[:6*k]}), add(m, asmRegion{i32: idx[:k]})
				m.frame[24], m.frame[32], m.frame[40], m.frame[48] = add(m, asmRegion{f32: b}), uint64(bK), add(m, asmRegion{f32: c}), uint64(ldc)
				m.frame[56] = uint64(math.Float32bits(alpha)) | uint64(math.Float32bits(beta))<<32
				m.run()
			}}
		d[v.name] = &gemmArch[float64]{name: "interpreted-" + v.name, mr: 6, nr: v.dnr, kc: 256, mc: 72, nc: 1024,
			kernel: func(k int, a []float64, aRow, aK int, b []float64, bK int, c []float64, ldc int, alpha, beta float64) {
				m := newMachine(dk)
				m.frame[0], m.frame[8], m.frame[16], m.frame[24] = uint64(k), add(m, asmRegion{f64: a}), uint64(aRow), uint64(aK)
				m.frame[32], m.frame[40], m.frame[48], m.frame[56] = add(m, asmRegion{f64: b}), uint64(bK), add(m, asmRegion{f64: c}), uint64(ldc)
				m.frame[64], m.frame[72] = math.Float64bits(alpha), math.Float64bits(beta)
				m.run()
			},
			gather: func(k int, a []float64, idx []int32, b []float64, bK int, c []float64, ldc int, alpha, beta float64) {
				m := newMachine(dg)
				m.frame[0], m.frame[8], m.frame[16] = uint64(k), add(m, asmRegion{f64: a[:6*k]}), add(m, asmRegion{i32: idx[:k]})
				m.frame[24], m.frame[32], m.frame[40], m.frame[48] = add(m, asmRegion{f64: b}), uint64(bK), add(m, asmRegion{f64: c}), uint64(ldc)
				m.frame[56], m.frame[64] = math.Float64bits(alpha), math.Float64bits(beta)
				m.run()
			}}
	}
	return s, d
}

// TestInterpretedKernels runs every generated kernel, interpreted, inside
// gemm at sizes that cover the edges of both tile widths, and checks that the
// AVX-512 kernels give C bit-identical to the AVX2 ones, that the interpreted
// AVX2 kernels match the real ones bit for bit where the CPU has AVX2 (so the
// interpreter is right), and that all are within the error bound of the
// exact product (checkOne).
func TestInterpretedKernels(t *testing.T) {
	s, d := interpKernels(t)
	realS, realD := supported()
	rng := rand.New(rand.NewPCG(31, 32))
	type shape struct{ m, n, k int }
	var shapes []shape
	for _, m := range []int{1, 6, 7, 13} {
		for _, n := range []int{1, 15, 16, 17, 32, 33, 49} {
			for _, k := range []int{0, 1, 3, 4, 9} {
				shapes = append(shapes, shape{m, n, k})
			}
		}
	}
	// Large enough for the sparse path (compressed panels, gather kernels).
	shapes = append(shapes, shape{40, 33, 64}, shape{37, 49, 100}, shape{64, 17, 300})
	count := 0
	for _, sh := range shapes {
		m, n, k := sh.m, sh.n, sh.k
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}} {
			aT, bT := tr[0], tr[1]
			count++
			sparse := count%2 == 0
			alpha, beta := 1.25, []float64{0, 1, -0.5}[count%3]
			gotS := map[string][]float32{}
			for _, name := range []string{"avx2", "avx512"} {
				checkOne(t, s[name], rng, aT, bT, m, n, k, float32(alpha), float32(beta), count%3)
				checkOne(t, d[name], rng, aT, bT, m, n, k, alpha, beta, count%3)
			}
			// Same inputs through each kernel, for the bitwise comparisons.
			a, b, c := interpInputs(rng, aT, bT, m, n, k, sparse)
			lda, ldb := k, n
			if aT {
				lda = m
			}
			if bT {
				ldb = k
			}
			run := func(arch *gemmArch[float32]) []float32 {
				out := append([]float32(nil), c...)
				gemm(arch, aT, bT, m, n, k, float32(alpha), a, max(lda, 1), b, max(ldb, 1), float32(beta), out, max(n, 1))
				return out
			}
			runD := func(arch *gemmArch[float64]) []float64 {
				out := widen(c)
				gemm(arch, aT, bT, m, n, k, alpha, widen(a), max(lda, 1), widen(b), max(ldb, 1), beta, out, max(n, 1))
				return out
			}
			gotS["avx2"], gotS["avx512"] = run(s["avx2"]), run(s["avx512"])
			for _, r := range realS {
				gotS["real "+r.name] = run(r)
			}
			d2, d512 := runD(d["avx2"]), runD(d["avx512"])
			for i := range d2 {
				if math.Float64bits(d2[i]) != math.Float64bits(d512[i]) {
					t.Fatalf("float64 %dx%dx%d aT=%v bT=%v: interpreted avx512 C[%d] = %v, avx2 %v", m, n, k, aT, bT, i, d512[i], d2[i])
				}
			}
			for _, r := range realD {
				got := runD(r)
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(d2[i]) {
						t.Fatalf("float64 %dx%dx%d aT=%v bT=%v: real %s C[%d] = %v, interpreted avx2 %v", m, n, k, aT, bT, r.name, i, got[i], d2[i])
					}
				}
			}
			for name, got := range gotS {
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(gotS["avx2"][i]) {
						t.Fatalf("float32 %dx%dx%d aT=%v bT=%v sparse=%v: %s C[%d] = %v, interpreted avx2 %v", m, n, k, aT, bT, sparse, name, i, got[i], gotS["avx2"][i])
					}
				}
			}
		}
	}
	if interpGathers == 0 {
		t.Fatal("no gather kernel ran: the sparse shapes no longer reach the sparse path")
	}
	t.Logf("%d shapes, %d gather calls; real kernels compared: %d", count, interpGathers, len(realS))
}

func interpInputs(rng *rand.Rand, aT, bT bool, m, n, k int, sparse bool) (a, b, c []float32) {
	a = randSlice[float32](rng, max(m*k, 1))
	if sparse {
		for i := range a {
			if rng.IntN(20) < 17 {
				a[i] = 0
			}
		}
	}
	return a, randSlice[float32](rng, max(k*n, 1)), randSlice[float32](rng, max(m*n, 1))
}
