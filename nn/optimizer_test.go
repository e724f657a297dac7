package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dlnb/dlnb/internal/fastops"
)

// The plain-Go update rules of optimizer.go and the fused loops of
// internal/fastops (assembly for float32 on amd64) give the same weights and
// running values, bit for bit, over several steps, in both precisions.
func TestOptimizersMatchReference(t *testing.T) {
	for _, opt := range []Optimizer{SGD{}, SGD{Momentum: 0.9}, SGD{Momentum: 0.9, Nesterov: true}, Adam{},
		Adam{LearningRate: 0.01, Beta1: 0.8, Beta2: 0.99, Epsilon: 1e-5}, RMSprop{}, RMSprop{Momentum: 0.5, Rho: 0.8}} {
		c, err := opt.config()
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("%T%+v", opt, opt)
		t.Run(name+"/float32", func(t *testing.T) { compareUpdates[float32](t, c, fast32) })
		t.Run(name+"/float64", func(t *testing.T) { compareUpdates[float64](t, c, fast64) })
	}
}

// fast32 is the float32 path the network takes: optimizerState.update.
func fast32(c optimizerConfig, step int, w, g []float32, s [][]float32) {
	o := &optimizerState[float32]{cfg: c, iterations: step}
	o.update(w, g, s)
}

// fast64 calls internal/fastops in float64, as the network did before the
// plain-Go rules took over the float64 path.
func fast64(c optimizerConfig, step int, w, g []float64, s [][]float64) {
	switch c.Name {
	case "sgd":
		var vel []float64
		if len(s) > 0 {
			vel = s[0]
		}
		fastops.SGD(w, g, vel, c.LearningRate, c.Momentum, c.Nesterov)
	case "adam":
		fastops.Adam(w, g, s[0], s[1], fastops.AdamAlpha(c.LearningRate, c.Beta1, c.Beta2, step), c.Beta1, c.Beta2, c.Epsilon)
	case "rmsprop":
		if c.Momentum > 0 {
			fastops.RMSpropMomentum(w, g, s[0], s[1], nil, c.LearningRate, c.Rho, c.Momentum, c.Epsilon)
		} else {
			fastops.RMSprop(w, g, s[0], c.LearningRate, c.Rho, c.Epsilon)
		}
	}
}

func compareUpdates[T number](t *testing.T, c optimizerConfig, fast func(optimizerConfig, int, []T, []T, [][]T)) {
	const n = 37 // the assembly's blocks of 8 and a tail
	r := rand.New(rand.NewPCG(1, 2))
	random := func() []T {
		v := make([]T, n)
		for i := range v {
			v[i] = T(r.NormFloat64())
		}
		return v
	}
	w := random()
	wRef := append([]T(nil), w...)
	slots, slotsRef := make([][]T, c.slotsPerParam()), make([][]T, c.slotsPerParam())
	for k := range slots {
		slots[k], slotsRef[k] = make([]T, n), make([]T, n)
	}
	for step := 1; step <= 5; step++ {
		g := random()
		fast(c, step, w, g, slots)
		reference(c, step, wRef, g, slotsRef)
		for i := range w {
			if math.Float64bits(float64(w[i])) != math.Float64bits(float64(wRef[i])) {
				t.Fatalf("step %d, weight %d: %v from the fast path, %v from the rule", step, i, w[i], wRef[i])
			}
		}
		for k := range slots {
			for i := range slots[k] {
				if slots[k][i] != slotsRef[k][i] {
					t.Fatalf("step %d, slot %d, weight %d: %v from the fast path, %v from the rule", step, k, i, slots[k][i], slotsRef[k][i])
				}
			}
		}
	}
}
