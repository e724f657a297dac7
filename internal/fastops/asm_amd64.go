package fastops

import "github.com/dlnb/dlnb/internal/cpufeat"

//go:noescape
func adamAVX(w, grad, m, v *float32, n int, alpha, c1, c2, eps float32)

//go:noescape
func sgdAVX(w, grad *float32, n int, lr float32)

//go:noescape
func rmspropAVX(w, grad, v *float32, n int, lr, r, c, eps float32)

//go:noescape
func addBiasAVX(z, bias *float32, n int, relu bool)

//go:noescape
func reluGradAVX(d, out *float32, n int)

func init() {
	if cpufeat.UseAVX2() {
		installAsm()
	}
}

// installAsm sets the float32 functions to their AVX2 versions; init calls
// it on the AVX2 and AVX-512 paths, and the tests wherever the CPU has AVX2.
func installAsm() {
	adamF32 = func(w, g, m, v []float32, alpha, c1, c2, eps float32) {
		n := len(w)
		g, m, v = g[:n], m[:n], v[:n] // bounds: panic here, not in assembly
		n8 := n &^ 7
		adamAVX(&w[0], &g[0], &m[0], &v[0], n8, alpha, c1, c2, eps)
		adamGo(w[n8:], g[n8:], m[n8:], v[n8:], alpha, c1, c2, eps)
	}
	rmspropF32 = func(w, g, v []float32, lr, r, c, eps float32) {
		n := len(w)
		g, v = g[:n], v[:n]
		n8 := n &^ 7
		rmspropAVX(&w[0], &g[0], &v[0], n8, lr, r, c, eps)
		rmspropGo(w[n8:], g[n8:], v[n8:], lr, r, c, eps)
	}
	addBiasF32 = func(row, bias []float32, relu bool) {
		n8 := len(bias) &^ 7
		row = row[:len(bias)]
		if n8 > 0 {
			addBiasAVX(&row[0], &bias[0], n8, relu)
		}
		for j := n8; j < len(bias); j++ {
			x := row[j] + bias[j]
			if relu && x < 0 {
				x = 0
			}
			row[j] = x
		}
	}
	reluGradF32 = func(d, out []float32) {
		out = out[:len(d)]
		n8 := len(d) &^ 7
		if n8 > 0 {
			reluGradAVX(&d[0], &out[0], n8)
		}
		for i := n8; i < len(d); i++ {
			if !(out[i] > 0) {
				d[i] = 0
			}
		}
	}
	sgdF32 = func(w, g []float32, lr float32) {
		n := len(w)
		g = g[:n]
		n8 := n &^ 7
		sgdAVX(&w[0], &g[0], n8, lr)
		for i := n8; i < n; i++ {
			w[i] -= g[i] * lr
		}
	}
}
