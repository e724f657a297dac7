package fastops

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/dlnb/dlnb/internal/cpufeat"
	"github.com/dlnb/dlnb/internal/cputime"
)

// mnistParams is the number of weights of the 784 -> 128 -> 10 MLP.
const mnistParams = 784*128 + 128 + 128*10 + 10

func BenchmarkAdam(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	w, g := randF[float32](rng, mnistParams, 1), randF[float32](rng, mnistParams, 0.1)
	m, v := make([]float32, mnistParams), make([]float32, mnistParams)
	for _, p := range availablePaths() {
		installAsm(p)
		b.Run("f32/"+p, func(b *testing.B) {
			c0 := cputime.Now()
			for range b.N {
				Adam(w, g, m, v, 1e-4, 0.9, 0.999, 1e-7)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/mnistParams, "ns/weight")
			reportCPU(b, c0)
		})
	}
	installAsm(cpufeat.Path)
	b.Run("f32-go", func(b *testing.B) {
		for range b.N {
			adamGo(w, g, m, v, 1e-4, 0.1, 0.001, 1e-7)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/mnistParams, "ns/weight")
	})
	w64, g64 := randF[float64](rng, mnistParams, 1), randF[float64](rng, mnistParams, 0.1)
	m64, v64 := make([]float64, mnistParams), make([]float64, mnistParams)
	b.Run("f64", func(b *testing.B) {
		for range b.N {
			Adam(w64, g64, m64, v64, 1e-4, 0.9, 0.999, 1e-7)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/mnistParams, "ns/weight")
	})
}

func BenchmarkRMSprop(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	w, g := randF[float32](rng, mnistParams, 1), randF[float32](rng, mnistParams, 0.1)
	v := make([]float32, mnistParams)
	b.Run("f32", func(b *testing.B) {
		for range b.N {
			RMSprop(w, g, v, 0.001, 0.9, 1e-7)
		}
	})
	b.Run("f32-go", func(b *testing.B) {
		for range b.N {
			rmspropGo(w, g, v, 0.001, 0.9, 0.1, 1e-7)
		}
	})
}

func BenchmarkSGD(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	w, g := randF[float32](rng, mnistParams, 1), randF[float32](rng, mnistParams, 0.1)
	vel := make([]float32, mnistParams)
	for _, p := range availablePaths() {
		installAsm(p)
		b.Run("f32/"+p, func(b *testing.B) {
			c0 := cputime.Now()
			for range b.N {
				SGD(w, g, nil, 0.01, 0, false)
			}
			reportCPU(b, c0)
		})
	}
	installAsm(cpufeat.Path)
	b.Run("f32-go", func(b *testing.B) {
		for range b.N {
			for i := range w {
				w[i] -= g[i] * 0.01
			}
		}
	})
	b.Run("f32-momentum", func(b *testing.B) {
		for range b.N {
			SGD(w, g, vel, 0.01, 0.9, false)
		}
	})
}

func BenchmarkLayerOps(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, batch := range []int{32, 128} {
		z := randF[float32](rng, batch*128, 1)
		bias := randF[float32](rng, 128, 1)
		sums := make([]float32, 128)
		for _, p := range availablePaths() {
			installAsm(p)
			b.Run("AddBiasReLU/"+itoa(batch)+"x128/"+p, func(b *testing.B) {
				c0 := cputime.Now()
				for range b.N {
					AddBias(z, batch, 128, bias, true)
				}
				reportCPU(b, c0)
			})
			b.Run("AddBias/"+itoa(batch)+"x10/"+p, func(b *testing.B) {
				c0 := cputime.Now()
				for range b.N {
					AddBias(z[:batch*10], batch, 10, bias[:10], false)
				}
				reportCPU(b, c0)
			})
			b.Run("ReLUGrad/"+itoa(batch)+"x128/"+p, func(b *testing.B) {
				d := clone(z)
				c0 := cputime.Now()
				for range b.N {
					ReLUGrad(d, z)
				}
				reportCPU(b, c0)
			})
		}
		installAsm(cpufeat.Path)
		b.Run("ColSums/"+itoa(batch)+"x128", func(b *testing.B) {
			for range b.N {
				ColSums(sums, z, batch, 128)
			}
		})
		logits := randF[float32](rng, batch*10, 3)
		y := make([]float32, batch*10)
		for i := range batch {
			y[i*10+i%10] = 1
		}
		grad := make([]float32, batch*10)
		b.Run("SoftmaxCrossEntropy/"+itoa(batch)+"x10", func(b *testing.B) {
			p := clone(logits)
			c0 := cputime.Now()
			for range b.N {
				copy(p, logits)
				SoftmaxCrossEntropy(p, batch, 10, 10, y, grad, 1/float32(batch))
			}
			reportCPU(b, c0)
		})
	}
}

// reportCPU reports the process's CPU time per operation since c0 (with
// -cpu 1: the steadier figure on a shared machine).
func reportCPU(b *testing.B, c0 time.Duration) {
	if runtime.GOMAXPROCS(0) == 1 {
		b.ReportMetric(float64((cputime.Now()-c0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
