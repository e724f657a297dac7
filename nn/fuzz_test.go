package nn

import (
	"bytes"
	"slices"
	"testing"
)

// FuzzLoad feeds Load's decoder (both formats) arbitrary bytes: it must
// never panic nor allocate what a small input claims, and whatever it
// accepts must save and load again to the same model.
//
//	go test -run='^$' -fuzz=FuzzLoad -fuzztime=2m ./nn/
func FuzzLoad(f *testing.F) {
	m, _, _ := trainedModel(f, Float32, Adam{})
	j, err := m.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	var c bytes.Buffer
	if err := m.encode(&c, SaveCompact); err != nil {
		f.Fatal(err)
	}
	f.Add(j)
	f.Add(c.Bytes())
	u := NewSequential(Dense{Units: 2, InputDim: 3, Activation: Sigmoid})
	u.DType = Float64
	var uc bytes.Buffer
	u.encode(&uc, SaveCompact)
	f.Add(uc.Bytes())
	uj, _ := u.MarshalBinary()
	f.Add(uj)
	f.Add([]byte(`{"format":"dlnb-nn-sequential","version":1,"seed":0,"dtype":"float32","layers":[{"name":"dense","units":8000,"activation":"relu","input_dim":8000,"kernel":[[1]],"bias":[1]}]}`))
	f.Add([]byte(`{"format":"dlnb-nn-sequential","version":2,"seed":0,"dtype":"float32","layers":[{"name":"d","units":1,"input_dim":1}],"data":{"encoding":"little-endian float32","params":2,"optimizer_slots":0,"bytes":8}}` + "\n\x00\x00\x80\x3f\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Sequential
		if err := m.UnmarshalBinary(data); err != nil {
			return
		}
		// Accepted: it must describe a model that round-trips in both formats.
		in := m.eng.inputDim()
		if in > 1<<12 {
			return
		}
		row := make([]float64, in)
		for i := range row {
			row[i] = float64(i%7) - 3
		}
		p, err := m.Predict([][]float64{row})
		if err != nil {
			t.Fatalf("a loaded model cannot predict: %v", err)
		}
		for _, format := range []SaveFormat{SaveJSON, SaveCompact} {
			var b bytes.Buffer
			if err := m.encode(&b, format); err != nil {
				t.Fatalf("a loaded model cannot be saved (format %d): %v", format, err)
			}
			var again Sequential
			if err := again.UnmarshalBinary(b.Bytes()); err != nil {
				t.Fatalf("a saved model cannot be loaded (format %d): %v", format, err)
			}
			q, _ := again.Predict([][]float64{row})
			pd, qd := p.RawMatrix().Data, q.RawMatrix().Data
			if !slices.EqualFunc(pd, qd, func(a, b float64) bool { return a == b || (a != a && b != b) }) || again.Summary() != m.Summary() {
				t.Fatalf("format %d: the model changed in a round trip: %v vs %v", format, pd, qd)
			}
		}
	})
}
