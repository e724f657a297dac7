// Package asmtest interprets the Go assembly that this project's generators
// write (internal/fastblas's GEMM kernels, internal/fastops's elementwise
// steps), so that their tests check the AVX-512 code on machines that cannot
// execute it: most CI machines have AVX2 only.
//
// It knows only the instructions the generators emit, each with the
// arithmetic of the real one (IEEE float32 and float64 operations, FMA
// rounded once, the opmask registers of AVX-512, masked loads that do not
// touch masked-off lanes), and it fails the test on anything else. Every
// memory access is checked against the slices the test gave the function:
// reading or writing one element past them fails the test, which the real
// CPU would not notice.
//
// A test parses the generated file once with Parse, then for each call makes
// a Machine for one function, sets its arguments in the frame (Args lays them
// out as the Go declaration's would be, which the assembly's name+offset(FP)
// operands read; a slice stands for a pointer to its first element), and runs
// it:
//
//	funcs := asmtest.Parse(t, "asm_amd64.s")
//	// func sgdAVX512(w, grad *float32, n int, lr float32)
//	m := asmtest.New(t, funcs["sgdAVX512"])
//	m.Args(w, g, len(w), lr)
//	m.Run()
//
// The memory given as slices is the test's own: the interpreted code reads
// and writes it in place, and may touch nothing else.
package asmtest

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// Func is one assembly function: its instructions and labels.
type Func struct {
	Name     string
	ArgsSize int // the frame's argument bytes ($0-N in the TEXT line)
	code     []instr
	labels   map[string]int
	path     string
}

type instr struct {
	op   string
	args []string
	line int
}

// Parse reads an assembly file and returns its functions by name (without
// the middle dot).
func Parse(tb testing.TB, path string) map[string]*Func {
	tb.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	funcs := map[string]*Func{}
	var f *Func
	for i, line := range strings.Split(string(src), "\n") {
		if j := strings.Index(line, "//"); j >= 0 {
			line = line[:j]
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "TEXT "):
			fields := strings.Fields(line)
			name := strings.TrimPrefix(fields[1], "·")
			name = strings.TrimSuffix(name, "(SB),")
			f = &Func{Name: name, labels: map[string]int{}, path: path}
			if _, size, ok := strings.Cut(fields[len(fields)-1], "-"); ok {
				f.ArgsSize, _ = strconv.Atoi(size)
			}
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
			f.code = append(f.code, instr{op, args, i + 1})
		}
	}
	return funcs
}

// region is memory the code may touch: a slice of the test's.
type region struct {
	ptr  unsafe.Pointer
	size int // bytes
}

// Machine runs one function once.
type Machine struct {
	tb      testing.TB
	fn      *Func
	gpr     map[string]uint64
	vec     [32][16]uint32 // Z0..Z31 as 32-bit words (Y and X registers are their low halves)
	k       [8]uint16      // the opmask registers
	frame   []byte
	regions []region
	results []resultAt
	zf, lt  bool // the zero flag, and "less than" (signed) from the last compare or test
}

// Result is room for a function's result in Args: the machine copies the
// result's bytes from the frame into it when the function returns.
type Result []byte

type resultAt struct {
	off int
	r   Result
}

// New returns a machine that will run fn, with zeroed registers and frame.
// The code may take the frame's addresses (LEAQ name+off(FP)) and store its
// results through them.
func New(tb testing.TB, fn *Func) *Machine {
	if fn == nil {
		panic("asmtest: New of a nil function (not in the assembly file?)")
	}
	m := &Machine{tb: tb, fn: fn, gpr: map[string]uint64{}, frame: make([]byte, fn.ArgsSize)}
	if len(m.frame) > 0 {
		m.regions = append(m.regions, region{ptr: unsafe.Pointer(&m.frame[0]), size: len(m.frame)})
	}
	return m
}

// fail reports what went wrong and panics: the interpreted code may run on
// a goroutine other than the test's (a worker of internal/parallel), where
// t.Fatal must not be called, and the panic stops the test binary wherever
// it is.
func (m *Machine) fail(format string, args ...any) {
	m.tb.Helper()
	msg := fmt.Sprintf("asmtest: %s (%s): "+format, append([]any{m.fn.Name, m.fn.path}, args...)...)
	m.tb.Error(msg)
	panic(msg)
}

func (m *Machine) put(off int, b []byte) {
	if off < 0 || off+len(b) > len(m.frame) {
		m.fail("argument at offset %d (%d bytes) is outside the %d-byte frame", off, len(b), len(m.frame))
	}
	copy(m.frame[off:], b)
}

// Int sets the 8-byte argument at frame offset off.
func (m *Machine) Int(off, v int) { m.put(off, binary.LittleEndian.AppendUint64(nil, uint64(v))) }

// F32 sets the float32 argument at off.
func (m *Machine) F32(off int, v float32) {
	m.put(off, binary.LittleEndian.AppendUint32(nil, math.Float32bits(v)))
}

// F64 sets the float64 argument at off.
func (m *Machine) F64(off int, v float64) {
	m.put(off, binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)))
}

// Bool sets the bool argument at off.
func (m *Machine) Bool(off int, v bool) {
	b := byte(0)
	if v {
		b = 1
	}
	m.put(off, []byte{b})
}

// Ptr sets the pointer argument at off to the first element of the slice s
// and lets the code touch s's elements, and only them (a nil or empty slice
// passes a nil pointer the code must not follow). s must be heap memory (a
// slice made with make or append): the machine keeps its address.
func (m *Machine) Ptr(off int, s any) {
	v := reflect.ValueOf(s)
	if v.Kind() != reflect.Slice {
		m.fail("Ptr of a %T, not a slice", s)
	}
	r := region{ptr: v.UnsafePointer(), size: v.Len() * int(v.Type().Elem().Size())}
	m.regions = append(m.regions, r)
	m.Int(off, int(uintptr(r.ptr)))
}

// Args sets the arguments in order, each at the next offset aligned to its
// size, as Go lays out an assembly function's arguments: int (8 bytes),
// float32, float64, bool, slices, which pass a pointer to their first
// element (see Ptr), and Results, which come after the arguments and are
// filled when the function returns.
func (m *Machine) Args(vals ...any) {
	off := 0
	align := func(n int) int {
		off = (off + n - 1) / n * n
		o := off
		off += n
		return o
	}
	for _, v := range vals {
		switch v := v.(type) {
		case int:
			m.Int(align(8), v)
		case float32:
			m.F32(align(4), v)
		case float64:
			m.F64(align(8), v)
		case bool:
			m.Bool(align(1), v)
		case Result:
			o := align(8)
			off += len(v) - 8
			m.results = append(m.results, resultAt{o, v})
		default:
			m.Ptr(align(8), v)
		}
	}
	if off != len(m.frame) {
		m.fail("%d bytes of arguments given, the function takes %d", off, len(m.frame))
	}
}

// at returns the address of size bytes at addr, after checking they lie in
// one of the slices given.
func (m *Machine) at(addr uint64, size int) unsafe.Pointer {
	for _, r := range m.regions {
		base := uint64(uintptr(r.ptr))
		if r.size > 0 && addr >= base && addr+uint64(size) <= base+uint64(r.size) {
			if (addr-base)%4 != 0 {
				m.fail("access of %d bytes at offset %d of a %d-byte argument: not 4-byte aligned", size, addr-base, r.size)
			}
			return unsafe.Add(r.ptr, addr-base)
		}
	}
	for _, r := range m.regions {
		base := uint64(uintptr(r.ptr))
		if addr >= base && addr < base+uint64(r.size)+64 {
			m.fail("access of %d bytes at offset %d of a %d-byte argument: past its end", size, addr-base, r.size)
		}
	}
	m.fail("access to address %#x outside every argument", addr)
	return nil
}

func (m *Machine) load32(addr uint64) uint32 { return *(*uint32)(m.at(addr, 4)) }

func (m *Machine) store32(addr uint64, v uint32) { *(*uint32)(m.at(addr, 4)) = v }

// mem evaluates a memory operand: off(BASE)(INDEX*scale), or name+off(FP)
// (then fp is true and addr is the frame offset).
func (m *Machine) mem(s string) (addr uint64, fp bool) {
	if i := strings.Index(s, "(FP)"); i >= 0 {
		_, off, _ := strings.Cut(s[:i], "+")
		n, err := strconv.Atoi(off)
		if err != nil {
			m.fail("bad frame operand %q", s)
		}
		return uint64(n), true
	}
	open := strings.Index(s, "(")
	if open < 0 {
		m.fail("not a memory operand: %q", s)
	}
	if open > 0 {
		n, err := strconv.Atoi(s[:open])
		if err != nil {
			m.fail("bad offset in %q", s)
		}
		addr = uint64(n)
	}
	parts := strings.Split(strings.TrimSuffix(s[open+1:], ")"), ")(")
	addr += m.reg(parts[0])
	if len(parts) == 2 {
		reg, scale, _ := strings.Cut(parts[1], "*")
		sc, _ := strconv.Atoi(scale)
		addr += m.reg(reg) * uint64(sc)
	}
	return addr, false
}

func (m *Machine) reg(name string) uint64 {
	v, ok := m.gpr[name]
	if !ok {
		m.fail("register %s read before it was written", name)
	}
	return v
}

// frameBytes reads size bytes of the frame at off.
func (m *Machine) frameBytes(off uint64, size int) uint64 {
	if int(off)+size > len(m.frame) {
		m.fail("frame read of %d bytes at %d, past the %d-byte frame", size, off, len(m.frame))
	}
	var b [8]byte
	copy(b[:], m.frame[off:int(off)+size])
	return binary.LittleEndian.Uint64(b[:])
}

// vreg parses a vector register: its number and width in 32-bit words.
func vreg(s string) (n, words int, ok bool) {
	if len(s) < 2 || (s[0] != 'X' && s[0] != 'Y' && s[0] != 'Z') {
		return 0, 0, false
	}
	n, err := strconv.Atoi(s[1:])
	if err != nil || n < 0 || n > 31 {
		return 0, 0, false
	}
	return n, map[byte]int{'X': 4, 'Y': 8, 'Z': 16}[s[0]], true
}

func kreg(s string) (int, bool) {
	if len(s) != 2 || s[0] != 'K' || s[1] < '0' || s[1] > '7' {
		return 0, false
	}
	return int(s[1] - '0'), true
}

func imm(s string) (int64, bool) {
	if !strings.HasPrefix(s, "$") {
		return 0, false
	}
	n, err := strconv.ParseInt(s[1:], 10, 64)
	return n, err == nil
}

// value reads an integer source: an immediate, a register or a frame slot.
func (m *Machine) value(s string, size int) uint64 {
	if n, ok := imm(s); ok {
		return uint64(n)
	}
	if strings.Contains(s, "(") {
		addr, fp := m.mem(s)
		if fp {
			return m.frameBytes(addr, size)
		}
		if size != 4 {
			m.fail("integer load of %d bytes from %q", size, s)
		}
		return uint64(m.load32(addr))
	}
	return m.reg(s)
}

// vecOperand reads a vector source (register or memory) of words words.
func (m *Machine) vecOperand(s string, words int) []uint32 {
	if r, _, ok := vreg(s); ok {
		return append([]uint32(nil), m.vec[r][:words]...)
	}
	a, fp := m.mem(s)
	if fp {
		m.fail("vector operand in the frame: %q", s)
	}
	v := make([]uint32, words)
	for i := range v {
		v[i] = m.load32(a + uint64(4*i))
	}
	return v
}

// setVec writes the low words of register r and zeroes the rest, as VEX and
// EVEX encoded instructions do.
func (m *Machine) setVec(r int, v []uint32) {
	m.vec[r] = [16]uint32{}
	copy(m.vec[r][:], v)
}

// FMA32 is a*b+c rounded once to float32, as VFMADD231PS computes it, on the
// bits of float32 values.
func FMA32(a, b, c uint32) uint32 {
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
	z.Add(new(big.Float).SetFloat64(p), new(big.Float).SetFloat64(cv))
	f, _ := z.Float32()
	return math.Float32bits(f)
}

// ps applies f lane by lane to float32 lanes x (the Go operand order's
// second source, Intel's first) and y.
func ps(words int, x, y []uint32, f func(x, y float32) float32) []uint32 {
	out := make([]uint32, words)
	for i := range out {
		out[i] = math.Float32bits(f(math.Float32frombits(x[i]), math.Float32frombits(y[i])))
	}
	return out
}

// Run interprets the function from its first instruction to RET.
func (m *Machine) Run() {
	m.tb.Helper()
	for pc := 0; pc < len(m.fn.code); pc++ {
		in := m.fn.code[pc]
		a := in.args
		bad := func() { m.fail("line %d: cannot interpret %s %v", in.line, in.op, a) }
		jump := func(cond bool) {
			if cond {
				t, ok := m.fn.labels[a[0]]
				if !ok {
					m.fail("line %d: no label %s", in.line, a[0])
				}
				pc = t - 1
			}
		}
		// mask is the write mask of an AVX-512 instruction (its operand
		// before the destination), all lanes without one.
		mask := uint16(0xffff)
		if len(a) >= 3 {
			if k, ok := kreg(a[len(a)-2]); ok {
				mask = m.k[k]
				a = append(append([]string(nil), a[:len(a)-2]...), a[len(a)-1])
			}
		}
		switch op := in.op; op {
		case "MOVQ", "MOVL", "MOVBLZX":
			size := map[string]int{"MOVQ": 8, "MOVL": 4, "MOVBLZX": 1}[op]
			v := m.value(a[0], size)
			if size < 8 {
				v &= 1<<(8*size) - 1
			}
			m.gpr[a[1]] = v
		case "MOVLQSX":
			addr, _ := m.mem(a[0])
			m.gpr[a[1]] = uint64(int64(int32(m.load32(addr))))
		case "LEAQ":
			addr, fp := m.mem(a[0])
			if fp { // the frame's real address: the code may store through it
				addr += uint64(uintptr(unsafe.Pointer(&m.frame[0])))
			}
			m.gpr[a[1]] = addr
		case "XORQ", "ADDQ", "SUBQ", "IMULQ", "ANDQ", "SHLQ", "SHRQ", "SHLL":
			if op == "XORQ" && a[0] == a[1] { // the idiom for zeroing a register
				m.gpr[a[1]] = 0
				m.zf, m.lt = true, false
				break
			}
			x, d := m.value(a[0], 8), m.reg(a[1])
			switch op {
			case "ADDQ":
				d += x
			case "SUBQ":
				d -= x
			case "IMULQ":
				d = uint64(int64(d) * int64(x))
			case "XORQ":
				d ^= x
			case "ANDQ":
				d &= x
			case "SHLQ":
				d <<= x & 63
			case "SHRQ":
				d >>= x & 63
			case "SHLL":
				d = uint64(uint32(d) << (x & 31))
			}
			m.gpr[a[1]] = d
			m.zf, m.lt = d == 0, int64(d) < 0
		case "DECQ":
			m.gpr[a[0]] = m.reg(a[0]) - 1
			m.zf, m.lt = m.gpr[a[0]] == 0, int64(m.gpr[a[0]]) < 0
		case "DECL":
			v := uint32(m.reg(a[0])) - 1
			m.gpr[a[0]] = uint64(v)
			m.zf, m.lt = v == 0, int32(v) < 0
		case "CMPQ": // flags of a[0] - a[1]
			x, y := int64(m.value(a[0], 8)), int64(m.value(a[1], 8))
			m.lt, m.zf = x < y, x == y
		case "TESTQ":
			v := m.reg(a[0]) & m.reg(a[1])
			m.zf, m.lt = v == 0, int64(v) < 0
		case "JLT":
			jump(m.lt)
		case "JGE":
			jump(!m.lt)
		case "JEQ":
			jump(m.zf)
		case "JNE":
			jump(!m.zf)
		case "JMP":
			jump(true)
		case "KMOVW":
			k, ok := kreg(a[1])
			if !ok {
				bad()
			}
			m.k[k] = uint16(m.reg(a[0]))
		case "VXORPS", "VXORPD", "VPXORD":
			r, _, ok := vreg(a[2])
			if !ok || a[0] != a[2] || a[1] != a[2] {
				bad()
			}
			m.vec[r] = [16]uint32{}
		case "VMOVUPS", "VMOVUPD", "VMOVUPS.Z", "VMOVUPD.Z":
			zero := strings.HasSuffix(op, ".Z")
			if strings.HasPrefix(op, "VMOVUPD") && mask != 0xffff {
				bad() // a float64 opmask has one bit per 8 bytes: not emitted
			}
			if r, w, ok := vreg(a[1]); ok { // load
				out := make([]uint32, w)
				if mask != 0xffff && !zero {
					copy(out, m.vec[r][:w])
				}
				if _, _, isReg := vreg(a[0]); isReg {
					src := m.vecOperand(a[0], w)
					for i := range out {
						if mask>>i&1 == 1 {
							out[i] = src[i]
						}
					}
				} else {
					addr, _ := m.mem(a[0])
					for i := range out {
						if mask>>i&1 == 1 { // masked-off lanes are not read (no fault)
							out[i] = m.load32(addr + uint64(4*i))
						}
					}
				}
				m.setVec(r, out)
				break
			}
			r, w, ok := vreg(a[0])
			if !ok || zero {
				bad()
			}
			addr, _ := m.mem(a[1])
			for i := range w {
				if mask>>i&1 == 1 {
					m.store32(addr+uint64(4*i), m.vec[r][i])
				}
			}
		case "VBROADCASTSS", "VBROADCASTSD":
			r, w, ok := vreg(a[1])
			if !ok || mask != 0xffff {
				bad()
			}
			var lo, hi uint32
			if off, fp := m.mem(a[0]); fp {
				lo = uint32(m.frameBytes(off, 4))
				if op == "VBROADCASTSD" {
					hi = uint32(m.frameBytes(off+4, 4))
				}
			} else {
				lo = m.load32(off)
				if op == "VBROADCASTSD" {
					hi = m.load32(off + 4)
				}
			}
			out := make([]uint32, w)
			for i := range out {
				switch {
				case op == "VBROADCASTSS":
					out[i] = lo
				case i%2 == 0:
					out[i] = lo
				default:
					out[i] = hi
				}
			}
			m.setVec(r, out)
		case "VFMADD231PS", "VFMADD231PD", "VMULPS", "VMULPD", "VADDPD", "VSUBPD", "VADDPS", "VSUBPS", "VDIVPS", "VMAXPS", "VANDPS":
			if mask != 0xffff || len(a) != 3 {
				bad()
			}
			d, w, ok := vreg(a[2])
			if !ok {
				bad()
			}
			// Go order: src2, src1, dst; Intel's dst = src1 op src2.
			src2, src1 := m.vecOperand(a[0], w), m.vecOperand(a[1], w)
			var out []uint32
			switch op {
			case "VFMADD231PS": // dst += src1*src2
				out = make([]uint32, w)
				for i := range out {
					out[i] = FMA32(src1[i], src2[i], m.vec[d][i])
				}
			case "VFMADD231PD", "VMULPD", "VADDPD", "VSUBPD":
				out = make([]uint32, w)
				for i := 0; i < w; i += 2 {
					x := math.Float64frombits(uint64(src1[i]) | uint64(src1[i+1])<<32)
					y := math.Float64frombits(uint64(src2[i]) | uint64(src2[i+1])<<32)
					acc := math.Float64frombits(uint64(m.vec[d][i]) | uint64(m.vec[d][i+1])<<32)
					var r float64
					switch op {
					case "VMULPD":
						r = x * y
					case "VADDPD":
						r = x + y
					case "VSUBPD":
						r = x - y
					default:
						r = math.FMA(x, y, acc)
					}
					out[i], out[i+1] = uint32(math.Float64bits(r)), uint32(math.Float64bits(r)>>32)
				}
			case "VMULPS":
				out = ps(w, src1, src2, func(x, y float32) float32 { return x * y })
			case "VADDPS":
				out = ps(w, src1, src2, func(x, y float32) float32 { return x + y })
			case "VSUBPS":
				out = ps(w, src1, src2, func(x, y float32) float32 { return x - y })
			case "VDIVPS":
				out = ps(w, src1, src2, func(x, y float32) float32 { return x / y })
			case "VMAXPS": // src1 > src2 ? src1 : src2: the second source on NaN or equal
				out = ps(w, src1, src2, func(x, y float32) float32 {
					if x > y {
						return x
					}
					return y
				})
			case "VANDPS":
				out = make([]uint32, w)
				for i := range out {
					out[i] = src1[i] & src2[i]
				}
			}
			m.setVec(d, out)
		case "VCVTPD2PS", "VCVTPD2PSY": // float64 lanes to float32, rounded to nearest even
			s, w, ok := vreg(a[0])
			d, dw, dok := vreg(a[1])
			if !ok || !dok || mask != 0xffff || dw != w/2 || (op == "VCVTPD2PSY") != (w == 8) {
				bad()
			}
			out := make([]uint32, dw)
			for i := range out {
				x := math.Float64frombits(uint64(m.vec[s][2*i]) | uint64(m.vec[s][2*i+1])<<32)
				out[i] = math.Float32bits(float32(x))
			}
			m.setVec(d, out)
		case "VSQRTPS":
			d, w, ok := vreg(a[1])
			if !ok || mask != 0xffff {
				bad()
			}
			src := m.vecOperand(a[0], w)
			out := make([]uint32, w)
			for i := range out {
				// float64's square root rounded to float32 is float32's correctly rounded one.
				out[i] = math.Float32bits(float32(math.Sqrt(float64(math.Float32frombits(src[i])))))
			}
			m.setVec(d, out)
		case "VCMPPS": // $pred, src2, src1, [mask,] dst: src1 pred src2
			pred, ok := imm(a[0])
			if !ok || len(a) != 4 {
				bad()
			}
			var w int
			kd, toK := kreg(a[3])
			vd, vw, toV := vreg(a[3])
			switch {
			case toK:
				_, w, _ = vreg(a[2])
			case toV && mask == 0xffff:
				w = vw
			default:
				bad()
			}
			src2, src1 := m.vecOperand(a[1], w), m.vecOperand(a[2], w)
			var bits uint16
			out := make([]uint32, w)
			for i := range w {
				x, y := math.Float32frombits(src1[i]), math.Float32frombits(src2[i])
				var r bool
				switch pred {
				case 0: // EQ_OQ
					r = x == y
				case 1: // LT_OS
					r = x < y
				case 2: // LE_OS
					r = x <= y
				case 13: // GE_OS
					r = x >= y
				case 14: // GT_OS
					r = x > y
				default:
					bad()
				}
				if r && mask>>i&1 == 1 {
					bits |= 1 << i
					out[i] = 0xffffffff
				}
			}
			if toK {
				m.k[kd] = bits
			} else {
				m.setVec(vd, out)
			}
		case "VZEROUPPER": // bits 128 and up of registers 0-15
			for r := range 16 {
				for i := 4; i < 16; i++ {
					m.vec[r][i] = 0
				}
			}
		case "RET":
			for _, r := range m.results {
				copy(r.r, m.frame[r.off:])
			}
			return
		default:
			bad()
		}
	}
	m.fail("ran off the end")
}
