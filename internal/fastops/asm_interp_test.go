package fastops

import (
	"encoding/binary"
	"math"
	"testing"
	"unsafe"

	"github.com/dlnb/dlnb/internal/asmtest"
)

// The interpreted paths: asm_amd64.s run by internal/asmtest's interpreter
// through the same wrappers (install512, install256) as the real assembly,
// so every path test (eachPath) checks the AVX-512 and AVX2 code bit for bit
// against the portable loops on any machine, AVX-512 or not, amd64 or not;
// the interpreter fails the test on any access past the n elements each
// function is given. Where the CPU has the real path too, the same tests
// check it, and so the interpreter.
const (
	interpAVX512 = "interpreted-avx512"
	interpAVX2   = "interpreted-avx2"
)

// installInterpreted installs the interpreted versions of the assembly
// functions with the given name suffix ("AVX512" or "AVX").
func installInterpreted(t *testing.T, path string) {
	funcs := asmtest.Parse(t, "asm_amd64.s")
	suffix := map[string]string{interpAVX512: "AVX512", interpAVX2: "AVX"}[path]
	get := func(name string) *asmtest.Func {
		f := funcs[name+suffix]
		if f == nil {
			t.Fatalf("asm_amd64.s has no %s%s", name, suffix)
		}
		return f
	}
	adam, sgd, rmsprop, addBias, reluGrad := get("adam"), get("sgd"), get("rmsprop"), get("addBias"), get("reluGrad")
	toFloat32, sumNaN := get("toFloat32"), get("sumNaN")
	run := func(f *asmtest.Func, args ...any) {
		m := asmtest.New(t, f)
		m.Args(args...)
		m.Run()
	}
	f := asmFuncs{
		adam: func(w, grad, m, v *float32, n int, alpha, c1, c2, eps float32) {
			run(adam, unsafe.Slice(w, n), unsafe.Slice(grad, n), unsafe.Slice(m, n), unsafe.Slice(v, n), n, alpha, c1, c2, eps)
		},
		sgd: func(w, grad *float32, n int, lr float32) {
			run(sgd, unsafe.Slice(w, n), unsafe.Slice(grad, n), n, lr)
		},
		rmsprop: func(w, grad, v *float32, n int, lr, r, c, eps float32) {
			run(rmsprop, unsafe.Slice(w, n), unsafe.Slice(grad, n), unsafe.Slice(v, n), n, lr, r, c, eps)
		},
		addBias: func(z, bias *float32, n int, relu bool) {
			run(addBias, unsafe.Slice(z, n), unsafe.Slice(bias, n), n, relu)
		},
		reluGrad: func(d, out *float32, n int) {
			run(reluGrad, unsafe.Slice(d, n), unsafe.Slice(out, n), n)
		},
		toFloat32: func(dst *float32, src *float64, n int) (acc [8]float64) {
			r := make(asmtest.Result, 64)
			run(toFloat32, unsafe.Slice(dst, n), unsafe.Slice(src, n), n, r)
			return resultF64s(r)
		},
		sumNaN: func(src *float64, n int) (acc [8]float64) {
			r := make(asmtest.Result, 64)
			run(sumNaN, unsafe.Slice(src, n), n, r)
			return resultF64s(r)
		},
	}
	if path == interpAVX512 {
		install512(f)
	} else {
		install256(f)
	}
}

// resultF64s reads an [8]float64 result's bytes.
func resultF64s(r asmtest.Result) (acc [8]float64) {
	for i := range acc {
		acc[i] = math.Float64frombits(binary.LittleEndian.Uint64(r[8*i:]))
	}
	return acc
}
