//go:build ignore

// gen_ops writes asm_amd64.s: the float32 elementwise steps (Adam, RMSprop,
// SGD, bias plus ReLU, the ReLU gradient mask, and the float64 data's
// conversion to float32 with its finiteness check) for AVX2 (8 lanes in YMM
// registers; n a multiple of 8, the Go wrappers do the tail) and AVX-512F
// (16 lanes in ZMM registers; any n >= 1, the last partial vector loaded and
// stored under an opmask). Both widths come from the same code, so they do
// the same IEEE operations in the same order as the portable Go loops, with
// no fused multiply-add: the results are bit-identical on every path. Run
// `go generate` after editing it; scripts/test-go.sh regenerates and fails if
// the checked-in file differs.
package main

import (
	"fmt"
	"log"
	"os"
	"strings"
)

// isa is one vector instruction set.
type isa struct {
	suffix string // of the function names
	reg    string // "Y" or "Z"
	lanes  int    // float32 lanes of one register
}

var (
	avx2   = isa{"AVX", "Y", 8}
	avx512 = isa{"AVX512", "Z", 16}
)

// emitter writes one function's lines. In the AVX-512 tail (masked) loads
// zero the lanes past n and stores leave them alone (opmask K1).
type emitter struct {
	b      *strings.Builder
	v      isa
	masked bool
	label  string // suffix that keeps the tail's labels apart
}

func (e *emitter) p(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	s = strings.ReplaceAll(s, "@", e.v.reg) // @3 is Y3 or Z3
	fmt.Fprintf(e.b, "\t%s\n", s)
}

func (e *emitter) load(mem string, r int) {
	if e.masked {
		e.p("VMOVUPS.Z %s, K1, @%d", mem, r)
		return
	}
	e.p("VMOVUPS %s, @%d", mem, r)
}

func (e *emitter) store(r int, mem string) {
	if e.masked {
		e.p("VMOVUPS @%d, K1, %s", r, mem)
		return
	}
	e.p("VMOVUPS @%d, %s", r, mem)
}

// zero clears a register (VXORPS on ZMM registers needs AVX512DQ).
func (e *emitter) zero(r int) {
	if e.v == avx512 {
		e.p("VPXORD @%d, @%[1]d, @%[1]d", r)
		return
	}
	e.p("VXORPS @%d, @%[1]d, @%[1]d", r)
}

// op is one elementwise function: its Go signature, frame size, the
// argument loads (which leave n in CX), the constants and one vector's work
// at offset AX.
type op struct {
	name, sig, doc string
	frame          int
	args, consts   []string
	body           func(e *emitter)
}

var ops = []op{
	{
		name: "adam", sig: "w, grad, m, v *float32, n int, alpha, c1, c2, eps float32", frame: 56,
		doc:  "m += (g-m)*c1; v += (g*g-v)*c2; w -= (m*alpha)/(sqrt(v)+eps)",
		args: []string{"MOVQ w+0(FP), DI", "MOVQ grad+8(FP), SI", "MOVQ m+16(FP), R8", "MOVQ v+24(FP), R9", "MOVQ n+32(FP), CX"},
		consts: []string{"VBROADCASTSS alpha+40(FP), @12", "VBROADCASTSS c1+44(FP), @13",
			"VBROADCASTSS c2+48(FP), @14", "VBROADCASTSS eps+52(FP), @15"},
		body: func(e *emitter) {
			e.load("(SI)(AX*1)", 0) // g
			e.load("(R8)(AX*1)", 1) // m
			e.load("(R9)(AX*1)", 2) // v
			e.p("VSUBPS @1, @0, @3  // g - m")
			e.p("VMULPS @13, @3, @3 // (g - m) * c1")
			e.p("VADDPS @3, @1, @1  // m += ...")
			e.p("VMULPS @0, @0, @4  // g*g")
			e.p("VSUBPS @2, @4, @4  // g*g - v")
			e.p("VMULPS @14, @4, @4 // (g*g - v) * c2")
			e.p("VADDPS @4, @2, @2  // v += ...")
			e.store(1, "(R8)(AX*1)")
			e.store(2, "(R9)(AX*1)")
			e.p("VMULPS @12, @1, @5 // m * alpha")
			e.p("VSQRTPS @2, @6")
			e.p("VADDPS @15, @6, @6 // sqrt(v) + eps")
			e.p("VDIVPS @6, @5, @5")
			e.load("(DI)(AX*1)", 7)
			e.p("VSUBPS @5, @7, @7")
			e.store(7, "(DI)(AX*1)")
		},
	},
	{
		name: "sgd", sig: "w, grad *float32, n int, lr float32", frame: 28,
		doc:    "w -= g*lr",
		args:   []string{"MOVQ w+0(FP), DI", "MOVQ grad+8(FP), SI", "MOVQ n+16(FP), CX"},
		consts: []string{"VBROADCASTSS lr+24(FP), @15"},
		body: func(e *emitter) {
			e.load("(SI)(AX*1)", 0)
			e.p("VMULPS @15, @0, @0")
			e.load("(DI)(AX*1)", 1)
			e.p("VSUBPS @0, @1, @1")
			e.store(1, "(DI)(AX*1)")
		},
	},
	{
		name: "addBias", sig: "z, bias *float32, n int, relu bool", frame: 25,
		doc: "z[j] += bias[j], then max(0, x) if relu: VMAXPS returns its second\n" +
			"// source when either is NaN, so NaN stays NaN, and -0 stays -0, as in the Go loop",
		args:   []string{"MOVQ z+0(FP), DI", "MOVQ bias+8(FP), SI", "MOVQ n+16(FP), CX", "MOVBLZX relu+24(FP), DX"},
		consts: []string{"zero 15"},
		body: func(e *emitter) {
			e.load("(DI)(AX*1)", 0)
			e.load("(SI)(AX*1)", 1)
			e.p("VADDPS @1, @0, @0")
			e.p("TESTQ DX, DX")
			e.p("JEQ biasstore%s", e.label)
			e.p("VMAXPS @0, @15, @0")
			fmt.Fprintf(e.b, "biasstore%s:\n", e.label)
			e.store(0, "(DI)(AX*1)")
		},
	},
	{
		name: "reluGrad", sig: "d, out *float32, n int", frame: 24,
		doc:    "d[i] = 0 where !(out[i] > 0) (ordered compare: NaN gives false)",
		args:   []string{"MOVQ d+0(FP), DI", "MOVQ out+8(FP), SI", "MOVQ n+16(FP), CX"},
		consts: []string{"zero 15"},
		body: func(e *emitter) {
			e.load("(SI)(AX*1)", 0)
			if e.v == avx512 {
				// The compare writes an opmask (K2, within K1 in the tail); a
				// zero-masking load keeps d where out > 0.
				if e.masked {
					e.p("VCMPPS $14, @15, @0, K1, K2")
				} else {
					e.p("VCMPPS $14, @15, @0, K2")
				}
				e.p("VMOVUPS.Z (DI)(AX*1), K2, @1")
			} else {
				e.p("VCMPPS $14, @15, @0, @1")
				e.load("(DI)(AX*1)", 2)
				e.p("VANDPS @2, @1, @1")
			}
			e.store(1, "(DI)(AX*1)")
		},
	},
	{
		name: "rmsprop", sig: "w, grad, v *float32, n int, lr, r, c, eps float32", frame: 48,
		doc:  "v = r*v + c*g*g; w -= (lr*g)/sqrt(v+eps)",
		args: []string{"MOVQ w+0(FP), DI", "MOVQ grad+8(FP), SI", "MOVQ v+16(FP), R9", "MOVQ n+24(FP), CX"},
		consts: []string{"VBROADCASTSS lr+32(FP), @12", "VBROADCASTSS r+36(FP), @13",
			"VBROADCASTSS c+40(FP), @14", "VBROADCASTSS eps+44(FP), @15"},
		body: func(e *emitter) {
			e.load("(SI)(AX*1)", 0) // g
			e.load("(R9)(AX*1)", 1) // v
			e.p("VMULPS @1, @13, @1 // r*v")
			e.p("VMULPS @0, @0, @2  // g*g")
			e.p("VMULPS @14, @2, @2 // c*g*g")
			e.p("VADDPS @2, @1, @1  // v")
			e.store(1, "(R9)(AX*1)")
			e.p("VADDPS @15, @1, @1 // v + eps")
			e.p("VSQRTPS @1, @1")
			e.p("VMULPS @12, @0, @0 // lr*g")
			e.p("VDIVPS @1, @0, @0")
			e.load("(DI)(AX*1)", 3)
			e.p("VSUBPS @0, @3, @3")
			e.store(3, "(DI)(AX*1)")
		},
	},
}

func (o op) write(b *strings.Builder, v isa) {
	name := o.name + v.suffix
	e := &emitter{b: b, v: v}
	if v == avx512 {
		fmt.Fprintf(b, "// func %s(%s)\n// %s, for any n >= 0.\n", name, o.sig, o.doc)
	} else {
		fmt.Fprintf(b, "// func %s(%s)\n// %s; n a multiple of 8.\n", name, o.sig, o.doc)
	}
	fmt.Fprintf(b, "TEXT ·%s(SB), NOSPLIT, $0-%d\n", name, o.frame)
	for _, a := range o.args {
		e.p("%s", a)
	}
	for _, c := range o.consts {
		if r, ok := strings.CutPrefix(c, "zero "); ok {
			var n int
			fmt.Sscan(r, &n)
			e.zero(n)
			continue
		}
		e.p("%s", c)
	}
	e.p("XORQ AX, AX")
	if v == avx512 {
		e.p("MOVQ CX, R11")
		e.p("ANDQ $15, R11 // the lanes of the last, partial vector")
	}
	shift := map[int]int{8: 3, 16: 4}[v.lanes]
	e.p("SHRQ $%d, CX", shift)
	e.p("JEQ %stail", o.name)
	fmt.Fprintf(b, "%sloop:\n", o.name)
	o.body(e)
	e.p("ADDQ $%d, AX", 4*v.lanes)
	e.p("DECQ CX")
	e.p("JNE %sloop", o.name)
	fmt.Fprintf(b, "%stail:\n", o.name)
	if v == avx512 {
		e.p("TESTQ R11, R11")
		e.p("JEQ %sdone", o.name)
		e.p("MOVQ R11, CX")
		e.p("MOVL $1, R12")
		e.p("SHLL CX, R12")
		e.p("DECL R12")
		e.p("KMOVW R12, K1 // the low n%%16 lanes")
		e.masked, e.label = true, "tail"
		o.body(e)
		fmt.Fprintf(b, "%sdone:\n", o.name)
	}
	e.p("VZEROUPPER")
	e.p("RET")
}

// writeConvert writes toFloat32 and sumNaN, the passes over the user's
// float64 data: toFloat32 converts n values to float32 (VCVTPD2PS rounds to
// nearest even, as Go's float32(v) does), and both add v-v for every v into
// acc's lanes, which stay +0 while every v is finite and become NaN at the
// first NaN or infinity; acc is their result (not a pointer argument, which
// would make each caller's array escape to the heap). n is a multiple of 8 (8 float64 lanes of a ZMM
// register, two YMM registers of 4); the Go wrappers do the tail.
func writeConvert(b *strings.Builder, v isa) {
	e := &emitter{b: b, v: v}
	frame := 24 // the offset of acc, the result
	name := "toFloat32" + v.suffix
	fmt.Fprintf(b, "\n// func %s(dst *float32, src *float64, n int) (acc [8]float64)\n", name)
	fmt.Fprintf(b, "// dst[i] = float32(src[i]); acc[lane] += src[i]-src[i]; n a multiple of 8.\n")
	fmt.Fprintf(b, "TEXT ·%s(SB), NOSPLIT, $0-88\n", name)
	for _, a := range []string{"MOVQ dst+0(FP), DI", "MOVQ src+8(FP), SI", "MOVQ n+16(FP), CX"} {
		e.p("%s", a)
	}
	e.zero(14)
	e.zero(15)
	e.p("XORQ AX, AX // dst's byte offset; src's is twice it")
	e.p("SHRQ $3, CX")
	e.p("JEQ %sdone", name)
	fmt.Fprintf(b, "%sloop:\n", name)
	if v == avx512 {
		e.p("VMOVUPD (SI)(AX*2), Z0")
		e.p("VSUBPD Z0, Z0, Z1")
		e.p("VADDPD Z1, Z15, Z15")
		e.p("VCVTPD2PS Z0, Y2")
		e.p("VMOVUPS Y2, (DI)(AX*1)")
	} else {
		e.p("VMOVUPD (SI)(AX*2), Y0")
		e.p("VMOVUPD 32(SI)(AX*2), Y3")
		e.p("VSUBPD Y0, Y0, Y1")
		e.p("VADDPD Y1, Y15, Y15")
		e.p("VSUBPD Y3, Y3, Y4")
		e.p("VADDPD Y4, Y14, Y14")
		e.p("VCVTPD2PSY Y0, X2")
		e.p("VCVTPD2PSY Y3, X5")
		e.p("VMOVUPS X2, (DI)(AX*1)")
		e.p("VMOVUPS X5, 16(DI)(AX*1)")
	}
	e.p("ADDQ $32, AX")
	e.p("DECQ CX")
	e.p("JNE %sloop", name)
	fmt.Fprintf(b, "%sdone:\n", name)
	e.storeAcc(frame)

	name, frame = "sumNaN"+v.suffix, 16
	fmt.Fprintf(b, "\n// func %s(src *float64, n int) (acc [8]float64)\n", name)
	fmt.Fprintf(b, "// acc[lane] += src[i]-src[i]; n a multiple of 8.\n")
	fmt.Fprintf(b, "TEXT ·%s(SB), NOSPLIT, $0-80\n", name)
	for _, a := range []string{"MOVQ src+0(FP), SI", "MOVQ n+8(FP), CX"} {
		e.p("%s", a)
	}
	e.zero(14)
	e.zero(15)
	e.p("XORQ AX, AX")
	e.p("SHRQ $3, CX")
	e.p("JEQ %sdone", name)
	fmt.Fprintf(b, "%sloop:\n", name)
	if v == avx512 {
		e.p("VMOVUPD (SI)(AX*1), Z0")
		e.p("VSUBPD Z0, Z0, Z1")
		e.p("VADDPD Z1, Z15, Z15")
	} else {
		e.p("VMOVUPD (SI)(AX*1), Y0")
		e.p("VMOVUPD 32(SI)(AX*1), Y3")
		e.p("VSUBPD Y0, Y0, Y1")
		e.p("VADDPD Y1, Y15, Y15")
		e.p("VSUBPD Y3, Y3, Y4")
		e.p("VADDPD Y4, Y14, Y14")
	}
	e.p("ADDQ $64, AX")
	e.p("DECQ CX")
	e.p("JNE %sloop", name)
	fmt.Fprintf(b, "%sdone:\n", name)
	e.storeAcc(frame)
}

// storeAcc adds the two accumulators (@14, @15) and stores them as the
// result acc at frame offset off: all 8 lanes of Z15, or Y15's 4 and 4
// zeros (Go does not clear an assembly function's results).
func (e *emitter) storeAcc(off int) {
	e.p("VADDPD @14, @15, @15")
	e.p("LEAQ acc+%d(FP), R8", off)
	e.p("VMOVUPD @15, (R8)")
	if e.v != avx512 {
		e.zero(14)
		e.p("VMOVUPD Y14, 32(R8)")
	}
	e.p("VZEROUPPER")
	e.p("RET")
}

const header = `// Code generated by gen_ops.go; DO NOT EDIT.

#include "textflag.h"

// Plain AVX/AVX-512F arithmetic (no FMA): each operation rounds as the Go
// code's does, so the results are bit-identical to the portable loops.
// The AVX-512 functions use AVX-512F instructions only.
`

func main() {
	var b strings.Builder
	b.WriteString(header)
	for _, v := range []isa{avx2, avx512} {
		for _, o := range ops {
			b.WriteString("\n")
			o.write(&b, v)
		}
		writeConvert(&b, v)
	}
	tmp := "asm_amd64.s.tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(tmp, "asm_amd64.s"); err != nil {
		log.Fatal(err)
	}
}
