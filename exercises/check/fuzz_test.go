package check

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/nn"
)

// values turns fuzz bytes into a student's answers: numbers (NaN, ±Inf,
// huge, negative zero among them), slices of any length (nil included),
// weights maps with odd keys and lengths.
type values struct{ b []byte }

func (v *values) byte() byte {
	if len(v.b) == 0 {
		return 0
	}
	c := v.b[0]
	v.b = v.b[1:]
	return c
}

func (v *values) float() float64 {
	switch v.byte() % 8 {
	case 0:
		return math.NaN()
	case 1:
		return math.Inf(1 - 2*int(v.byte()%2))
	case 2:
		return 1e308 * float64(int(v.byte())-128)
	case 3:
		return math.Copysign(0, -1)
	case 4:
		return float64(int(v.byte()) - 128)
	}
	if len(v.b) < 8 {
		return float64(v.byte())
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(v.b))
	v.b = v.b[8:]
	return f
}

func (v *values) floats() []float64 {
	n := int(v.byte() % 7)
	if n == 6 {
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = v.float()
	}
	return out
}

func (v *values) weights() map[string][]float64 {
	keys := []string{"node_0", "node_1", "output", "node_0_0", "node_1_1", "", "node_9"}
	n := int(v.byte() % 5)
	if n == 4 {
		return nil
	}
	m := map[string][]float64{}
	for range n + 1 {
		m[keys[int(v.byte())%len(keys)]] = v.floats()
	}
	return m
}

func (v *values) act() nn.Activation {
	return []nn.Activation{"", nn.Linear, nn.ReLU, nn.Sigmoid, "swish", "RELU"}[int(v.byte())%6]
}

func (v *values) history() *nn.History {
	if v.byte()%5 == 0 {
		return nil
	}
	h := &nn.History{History: map[string][]float64{}}
	loss, val := v.floats(), v.floats()
	for i := range loss {
		h.Epoch = append(h.Epoch, i)
	}
	h.History["loss"] = loss
	if val != nil {
		h.History["val_loss"] = val
	}
	return h
}

// FuzzStudentValues gives every check that takes numbers a student's odd
// answers: each must print one verdict, "✓ ...: right" or "✗ ...: not yet"
// with a reason, and never panic or print a stack trace. Plain "go test"
// runs the seeds; "go test -fuzz=FuzzStudentValues ./exercises/check/"
// explores.
func FuzzStudentValues(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{2, 4, 1, 1, 3, 0, 5, 2, 2, 7, 1, 0, 4, 9, 9, 9, 9, 9, 9, 9, 9})
	f.Add(bytes.Repeat([]byte{1, 255}, 40))
	f.Add(bytes.Repeat([]byte{6, 2, 5, 0}, 30))
	f.Fuzz(func(t *testing.T, data []byte) {
		v := &values{b: data}
		var out bytes.Buffer
		Writer = &out
		defer func() { Writer = nil }()
		in, w, act := v.floats(), v.weights(), v.act()
		calls := []func() bool{
			func() bool { return Hidden(int(v.byte()%4)-1, in, w, act, v.floats()) },
			func() bool { return Output(in, w, act, v.float()) },
			func() bool { return Results("results", [][]float64{in, v.floats()}, w, act, v.floats()) },
			func() bool { return PredictionError(in, w, v.float(), v.float()) },
			func() bool { return NetworkMSE("mse", [][]float64{in}, v.floats(), w, v.float()) },
			func() bool { return Slope(in, v.floats(), v.float(), v.floats()) },
			func() bool { return Update("update", in, v.floats(), v.float(), v.float(), v.floats()) },
			func() bool { return MSEHistory(in, v.float(), v.floats(), v.float(), int(v.byte())-8, v.floats()) },
			func() bool { return ValidationRows(int(v.byte())-8, v.float(), int(v.byte())) },
			func() bool { return BestEpoch(v.history(), int(v.byte())-8) },
			func() bool { return Validation(v.history(), nil, int(v.byte())-8) },
			func() bool { return WagesFit(v.history(), nil, int(v.byte())-8) },
			func() bool {
				x := v.float()
				return ReLU(func(float64) float64 { return x })
			},
			func() bool {
				x := v.float()
				return MeanSquaredError(func(p, y []float64) float64 { return x })
			},
			func() bool {
				s := v.floats()
				return GetSlope(func([]float64, float64, []float64) []float64 { return s })
			},
			func() bool {
				x := v.float()
				return Predictor("predict", func([]float64, map[string][]float64) float64 { return x }, [][]float64{in}, w, act)
			},
		}
		for i, call := range calls {
			out.Reset()
			ok := call()
			text := out.String()
			if !strings.HasPrefix(text, "✓ ") && !strings.HasPrefix(text, "✗ ") {
				t.Fatalf("check %d printed %q, not one verdict", i, text)
			}
			if ok != strings.HasPrefix(text, "✓ ") {
				t.Fatalf("check %d returned %v but printed %q", i, ok, text)
			}
			if !ok && !strings.Contains(text, ": not yet") {
				t.Fatalf("check %d: a failed verdict without \"not yet\": %q", i, text)
			}
			for _, bad := range []string{"panic", "goroutine", "runtime error"} {
				if strings.Contains(text, bad) {
					t.Fatalf("check %d printed %q: %q", i, bad, text)
				}
			}
		}
	})
}
