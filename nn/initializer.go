package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// The weight initializers a Dense layer accepts, with Keras' names and
// formulas. fanIn and fanOut are the layer's input and output sizes.
var initializers = map[string]func(r *rand.Rand, fanIn, fanOut int) float64{
	"glorot_uniform": func(r *rand.Rand, in, out int) float64 { return uniform(r, math.Sqrt(6/float64(in+out))) },
	"glorot_normal":  func(r *rand.Rand, in, out int) float64 { return truncNormal(r, math.Sqrt(2/float64(in+out))) },
	"he_uniform":     func(r *rand.Rand, in, _ int) float64 { return uniform(r, math.Sqrt(6/float64(in))) },
	"he_normal":      func(r *rand.Rand, in, _ int) float64 { return truncNormal(r, math.Sqrt(2/float64(in))) },
	"lecun_uniform":  func(r *rand.Rand, in, _ int) float64 { return uniform(r, math.Sqrt(3/float64(in))) },
	"lecun_normal":   func(r *rand.Rand, in, _ int) float64 { return truncNormal(r, math.Sqrt(1/float64(in))) },
	"random_uniform": func(r *rand.Rand, _, _ int) float64 { return uniform(r, 0.05) },
	"random_normal":  func(r *rand.Rand, _, _ int) float64 { return 0.05 * r.NormFloat64() },
	"zeros":          func(*rand.Rand, int, int) float64 { return 0 },
	"ones":           func(*rand.Rand, int, int) float64 { return 1 },
}

var initializerNames = []string{"glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
	"lecun_uniform", "lecun_normal", "random_uniform", "random_normal", "zeros", "ones"}

func initializerFor(name, def string) (func(r *rand.Rand, fanIn, fanOut int) float64, error) {
	if name == "" {
		name = def
	}
	if f, ok := initializers[name]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("unknown initializer %q: use one of %s", name, joinNames(initializerNames))
}

func uniform(r *rand.Rand, limit float64) float64 { return limit * (2*r.Float64() - 1) }

// truncNormal draws from a normal cut at two standard deviations, scaled so
// the result still has the wanted standard deviation (Keras' variance scaling).
func truncNormal(r *rand.Rand, stddev float64) float64 {
	for {
		if x := r.NormFloat64(); math.Abs(x) <= 2 {
			return x * stddev / 0.87962566103423978
		}
	}
}
