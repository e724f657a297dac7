package nn

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/janpfeifer/gonb/cache"
	"gonum.org/v1/gonum/mat"
)

func trainedModel(t testing.TB, dt DType, opt Optimizer) (*Sequential, [][]float64, [][]float64) {
	t.Helper()
	x, y := titanicLike(200)
	m := NewSequential(Dense{Units: 8, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
	m.DType, m.Seed = dt, 42
	if err := m.Compile(opt, CategoricalCrossentropy, Accuracy); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 16}); err != nil {
		t.Fatal(err)
	}
	return m, x, y
}

func sameMatrix(t *testing.T, what string, a, b *mat.Dense) {
	t.Helper()
	if !slices.Equal(a.RawMatrix().Data, b.RawMatrix().Data) {
		t.Errorf("%s differ", what)
	}
}

// saveAndLoad saves m in format f to a temporary file and loads it back.
func saveAndLoad(t *testing.T, m *Sequential, f SaveFormat) *Sequential {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m")
	if err := m.SaveWith(path, SaveOptions{Format: f}); err != nil {
		t.Fatalf("format %d: %v", f, err)
	}
	l, err := Load(path)
	if err != nil {
		t.Fatalf("format %d: %v", f, err)
	}
	return l
}

// sameResumedTraining trains a and b two more epochs on x, y and fails
// unless their losses are the same to the bit: b was saved from a (or from
// the same model) and loaded, and resumes training exactly where a does.
func sameResumedTraining(t *testing.T, what string, a, b *Sequential, x, y [][]float64) {
	t.Helper()
	ha, _ := a.Fit(x, y, FitOptions{Epochs: 2, BatchSize: 16})
	hb, err := b.Fit(x, y, FitOptions{Epochs: 2, BatchSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ha.History["loss"], hb.History["loss"]) {
		t.Errorf("%s: resumed training differs: %v vs %v", what, ha.History["loss"], hb.History["loss"])
	}
}

// A saved and loaded model predicts bit-for-bit the same, and training it
// further gives exactly what training the original further gives: the
// optimizer's state and the shuffling stream travel in the file.
func TestSaveLoadRoundTrip(t *testing.T) {
	for _, dt := range []DType{Float32, Float64} {
		for _, opt := range []Optimizer{Adam{}, SGD{Momentum: 0.9}, RMSprop{Momentum: 0.5}, SGD{}} {
			m, x, y := trainedModel(t, dt, opt)
			l := saveAndLoad(t, m, SaveJSON)
			p1, _ := m.Predict(x)
			p2, _ := l.Predict(x)
			sameMatrix(t, dt.String()+" predictions", p1, p2)
			if l.DType != dt || l.Seed != 42 || l.Summary() != m.Summary() {
				t.Errorf("loaded model: %v seed %d\n%s", l.DType, l.Seed, l.Summary())
			}
			sameResumedTraining(t, fmt.Sprintf("%v %T", dt, opt), m, l, x, y)
			p1, _ = m.Predict(x)
			p2, _ = l.Predict(x)
			sameMatrix(t, "predictions after resumed training", p1, p2)
		}
	}
}

// *Sequential goes through encoding/gob, so GoNB's cache package keeps a
// trained model between notebook cells.
func TestGobAndGoNBCache(t *testing.T) {
	m, x, _ := trainedModel(t, Float32, Adam{})
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(m); err != nil {
		t.Fatal(err)
	}
	var g *Sequential
	if err := gob.NewDecoder(&b).Decode(&g); err != nil {
		t.Fatal(err)
	}
	p1, _ := m.Predict(x)
	p2, _ := g.Predict(x)
	sameMatrix(t, "gob predictions", p1, p2)

	store, err := cache.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	train := func() *Sequential { calls++; return m }
	cache.CacheWith(store, "model", train)
	c := cache.CacheWith(store, "model", train) // a later cell: read from the cache
	if calls != 1 {
		t.Errorf("trained %d times, want once", calls)
	}
	p3, _ := c.Predict(x)
	sameMatrix(t, "cached predictions", p1, p3)
}

func TestLoadErrors(t *testing.T) {
	m, _, _ := trainedModel(t, Float32, Adam{})
	good, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name, content, want string
	}{
		{"empty", "", "not a model file written by nn.Save"},
		{"truncated", string(good[:len(good)/2]), "not a model file written by nn.Save"},
		{"other json", `{"hello": 1}`, "not a model file"},
		{"wrong format", strings.Replace(string(good), fileFormat, "keras", 1), `format is "keras"`},
		{"future version", strings.Replace(string(good), `"version": 1`, `"version": 9`, 1), "version 9"},
		{"bad dtype", strings.Replace(string(good), `"float32"`, `"int8"`, 1), `dtype "int8"`},
		{"bad activation", strings.Replace(string(good), `"relu"`, `"rleu"`, 1), `unknown activation "rleu"`},
		{"short bias", strings.Replace(string(good), `"bias": [`, `"bias": [1,`, 1), "holds a kernel of 10 rows and 9 biases"},
		{"bad loss", strings.Replace(string(good), `"categorical_crossentropy"`, `"hinge"`, 1), `unknown loss "hinge"`},
		{"iterations", strings.Replace(string(good), `"iterations": 39`, `"iterations": -1`, 1), "iterations is -1"},
	} {
		path := filepath.Join(dir, c.name+".json")
		if err := os.WriteFile(path, []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: Load error %v, want one naming the file and %q", c.name, err, c.want)
		}
	}
	_, err = Load(filepath.Join(dir, "missing.json"))
	if err == nil || !strings.Contains(err.Error(), "missing.json") || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	if err := m.Save(filepath.Join(dir, "no/such/dir/model.json")); err == nil || !strings.Contains(err.Error(), "no/such/dir") {
		t.Errorf("Save into a missing directory: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("a temporary file was left behind: %s", e.Name())
		}
	}
}

// The same seed gives bit-identical weights and history, whatever GOMAXPROCS;
// another seed gives other numbers.
func TestDeterminism(t *testing.T) {
	run := func(seed uint64, procs int) ([]float64, []float64) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		x, y := titanicLike(500)
		m := NewSequential(Dense{Units: 64, Activation: ReLU}, Dense{Units: 64, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
		m.Seed = seed
		if err := m.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
			t.Fatal(err)
		}
		h, err := m.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 128, ValidationSplit: 0.2})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := m.Predict(x)
		return append(h.History["loss"], h.History["val_loss"]...), p.RawMatrix().Data
	}
	h1, p1 := run(1, 1)
	for _, procs := range []int{1, 2, 8} {
		h2, p2 := run(1, procs)
		if !slices.Equal(h1, h2) || !slices.Equal(p1, p2) {
			t.Errorf("GOMAXPROCS %d: seed 1 gave different numbers", procs)
		}
	}
	if h3, _ := run(2, 2); slices.Equal(h1, h3) {
		t.Error("seeds 1 and 2 gave the same history")
	}
}

// TestDeterminismSplitWork: at MNIST's shapes the work of a step is split
// over the cores (the batch's gather, the large products at batch 128, the
// Adam update; the products of prediction and validation), and the same seed still
// gives bit-identical weights, history and predictions whatever GOMAXPROCS.
func TestDeterminismSplitWork(t *testing.T) {
	x, y := mnistLike(5000)
	run := func(procs, batch int) ([]float64, []float64, [][]float64) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		m := NewSequential(Dense{Units: 128, Activation: ReLU}, Dense{Units: 10, Activation: Softmax})
		if err := m.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
			t.Fatal(err)
		}
		// 2,500 training rows; 2,500 validation rows are three chunks of evaluate.
		h, err := m.Fit(x, y, FitOptions{Epochs: 2, BatchSize: batch, ValidationSplit: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := m.Predict(x)
		return append(h.History["loss"], h.History["val_loss"]...), p.RawMatrix().Data, m.eng.getWeights()
	}
	for _, batch := range []int{32, 128} {
		h1, p1, w1 := run(1, batch)
		for _, procs := range []int{2, 3} {
			h2, p2, w2 := run(procs, batch)
			if !slices.Equal(h1, h2) || !slices.Equal(p1, p2) {
				t.Errorf("batch %d, GOMAXPROCS %d: history or predictions differ from GOMAXPROCS 1's", batch, procs)
			}
			for i := range w1 {
				if !slices.Equal(w1[i], w2[i]) {
					t.Errorf("batch %d, GOMAXPROCS %d: weights %d differ from GOMAXPROCS 1's", batch, procs, i)
				}
			}
		}
	}
}

// A small file that declares a huge layer is refused before anything of
// that size is allocated: in well under 10 ms and 1 MB.
func TestLoadCraftedSizes(t *testing.T) {
	crafted := []byte(`{"format":"dlnb-nn-sequential","version":1,"seed":0,"dtype":"float32","layers":[{"name":"dense","units":8000,"activation":"relu","input_dim":8000,"kernel":[[1]],"bias":[1]}]}`)
	if len(crafted) > 200 {
		t.Fatalf("the crafted file has %d bytes", len(crafted))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	err := new(Sequential).UnmarshalBinary(crafted)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	wantErr(t, "crafted sizes", err, "declares 8000 inputs x 8000 units", "kernel of 1 rows")
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("refusing the crafted file allocated %d bytes, want < 1 MB", alloc)
	}
	if took > 10*time.Millisecond {
		t.Errorf("refusing the crafted file took %v, want < 10 ms", took)
	}
	allocs := testing.AllocsPerRun(20, func() { _ = new(Sequential).UnmarshalBinary(crafted) })
	if allocs > 200 {
		t.Errorf("%v allocations to refuse the crafted file", allocs)
	}

	// The same in the compact format: a header whose sizes agree with each
	// other (20000 x 20000, 1.6 GB of float32) and a file of 8 bytes of numbers.
	compact := []byte(`{"format":"dlnb-nn-sequential","version":2,"seed":0,"dtype":"float32","layers":[{"name":"d","units":20000,"input_dim":20000}],` +
		`"data":{"encoding":"little-endian float32","params":400020000,"optimizer_slots":0,"bytes":1600080000}}` + "\n\x00\x00\x80\x3f\x00\x00\x00\x00")
	path := filepath.Join(t.TempDir(), "crafted.model")
	os.WriteFile(path, compact, 0o644)
	runtime.GC()
	runtime.ReadMemStats(&before)
	start = time.Now()
	_, err = Load(path)
	took = time.Since(start)
	runtime.ReadMemStats(&after)
	wantErr(t, "crafted compact sizes", err, path, "holds 8 bytes of numbers after its header, its layers need 1600080000")
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 || took > 10*time.Millisecond {
		t.Errorf("refusing the crafted compact file (%d bytes) allocated %d bytes in %v, want < 1 MB and < 10 ms", len(compact), alloc, took)
	}
}
