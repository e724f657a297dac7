package fastops

import "github.com/dlnb/dlnb/internal/cpufeat"

//go:noescape
func adamAVX(w, grad, m, v *float32, n int, alpha, c1, c2, eps float32)

//go:noescape
func sgdAVX(w, grad *float32, n int, lr float32)

func init() {
	if !cpufeat.X86.HasAVX2FMA {
		return
	}
	adamF32 = func(w, g, m, v []float32, alpha, c1, c2, eps float32) {
		n := len(w)
		g, m, v = g[:n], m[:n], v[:n] // bounds: panic here, not in assembly
		n8 := n &^ 7
		adamAVX(&w[0], &g[0], &m[0], &v[0], n8, alpha, c1, c2, eps)
		adamGo(w[n8:], g[n8:], m[n8:], v[n8:], alpha, c1, c2, eps)
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
