package nn

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// The compact format gives back the same model as JSON: predictions bit for
// bit, and training resumed exactly (optimizer state, shuffling stream).
func TestCompactRoundTrip(t *testing.T) {
	for _, dt := range []DType{Float32, Float64} {
		for _, opt := range []Optimizer{Adam{}, SGD{Momentum: 0.9}, RMSprop{Momentum: 0.5}, SGD{}} {
			m, x, y := trainedModel(t, dt, opt)
			dir := t.TempDir()
			jsonPath, compactPath := filepath.Join(dir, "m.json"), filepath.Join(dir, "m.bin")
			if err := m.SaveWith(jsonPath, SaveOptions{Format: SaveJSON}); err != nil {
				t.Fatal(err)
			}
			if err := m.SaveWith(compactPath, SaveOptions{Format: SaveCompact}); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(compactPath)
			if !bytes.HasPrefix(b, []byte(`{"format":"dlnb-nn-sequential","version":2,`)) {
				t.Errorf("the compact file starts with %q", b[:min(60, len(b))])
			}
			a, err := Load(jsonPath)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Load(compactPath)
			if err != nil {
				t.Fatal(err)
			}
			pa, _ := a.Predict(x)
			pc, _ := c.Predict(x)
			pm, _ := m.Predict(x)
			sameMatrix(t, "compact predictions", pm, pc)
			sameMatrix(t, "json predictions", pa, pc)
			if c.Summary() != m.Summary() || c.DType != dt || c.Seed != m.Seed {
				t.Errorf("compact: %v seed %d\n%s", c.DType, c.Seed, c.Summary())
			}
			sameResumedTraining(t, fmt.Sprintf("%v %T, from the compact file", dt, opt), a, c, x, y)
		}
	}
	// An uncompiled model, and through gob (MarshalBinary picks the format by size).
	m := NewSequential(Dense{Units: 3, InputDim: 2})
	var b bytes.Buffer
	if err := m.encode(&b, SaveCompact); err != nil {
		t.Fatal(err)
	}
	var u Sequential
	if err := u.UnmarshalBinary(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	if u.Loss() != "" || u.Summary() != m.Summary() {
		t.Errorf("uncompiled model: %q\n%s", u.Loss(), u.Summary())
	}
}

// Every way a compact file can be wrong is refused with a reason, before
// the header's sizes are allocated.
func TestCompactLoadErrors(t *testing.T) {
	m, _, _ := trainedModel(t, Float32, Adam{})
	var b bytes.Buffer
	if err := m.encode(&b, SaveCompact); err != nil {
		t.Fatal(err)
	}
	good := b.Bytes()
	nl := bytes.IndexByte(good, '\n')
	header := string(good[:nl])
	with := func(old, new string) []byte {
		if !strings.Contains(header, old) {
			t.Fatalf("the header has no %q: %s", old, header)
		}
		return append([]byte(strings.Replace(header, old, new, 1)+"\n"), good[nl+1:]...)
	}
	nan := append([]byte(nil), good...)
	copy(nan[nl+1:], []byte{0, 0, 0xc0, 0x7f}) // a float32 NaN as the first weight
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", good[:len(good)-5], "holds 1267 bytes of numbers after its header, its layers need 1272: the file is truncated"},
		{"appended", append(append([]byte(nil), good...), 1, 2, 3), "its layers need 1272: the file is truncated or was appended to"},
		{"header only", good[:nl+1], "holds 0 bytes of numbers"},
		{"header cut", good[:nl/2], "the file ends in the middle of its JSON: it is truncated"},
		{"huge layer", with(`"units":2,`, `"units":2000000000000,`), "8 inputs x 2000000000000 units makes the model larger than"},
		{"huge layer, sizes agreeing", with(`"input_dim":10`, `"input_dim":100000000`), "the header says 106 parameters but its layers have 800000026"},
		{"wrong params", with(`"params":106`, `"params":107`), "the header says 107 parameters but its layers have 106"},
		{"wrong bytes", with(`"bytes":1272`, `"bytes":99999999999`), "the header says 99999999999 bytes"},
		{"wrong slots", with(`"optimizer_slots":2`, `"optimizer_slots":1`), "1 optimizer values per parameter, its optimizer keeps 2"},
		{"wrong encoding", with(`little-endian float32`, `big-endian float32`), `data encoding "big-endian float32"`},
		{"unknown field", with(`"seed":42`, `"seed":42,"extra":1`), `unknown field "extra"`},
		{"negative iterations", with(`"iterations":39`, `"iterations":-1`), "negative count"},
		{"chain", with(`"input_dim":8`, `"input_dim":9`), "has 9 inputs but the layer before it has 8 units"},
		{"NaN weight", nan, "weight 0 is NaN"},
		{"weights in the header", with(`"frozen":false}`, `"frozen":false,"bias":[1]}`), "layer 0 (dense) has a kernel or bias in the header"},
		{"NaN optimizer", with(`"learning_rate":0.001`, `"learning_rate":-1`), "LearningRate is -1"},
	} {
		err := new(Sequential).UnmarshalBinary(c.data)
		wantErr(t, c.name, err, c.want)
	}
}

// 784-4096-4096-10, 20 M parameters: saved and loaded in seconds, in 4 bytes
// per parameter plus a header, bit for bit, streaming (Save allocates a few
// blocks, not a copy of the weights; Load allocates the model and no more).
func TestCompactLargeModel(t *testing.T) {
	m := NewSequential(Dense{Units: 4096, Activation: ReLU, InputDim: 784}, Dense{Units: 4096, Activation: ReLU}, Dense{Units: 10, Activation: Softmax})
	if err := m.Build(0); err != nil {
		t.Fatal(err)
	}
	params := m.CountParams()
	if params != 20037642 {
		t.Fatalf("%d parameters", params)
	}
	path := filepath.Join(t.TempDir(), "big.model")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	if err := m.Save(path); err != nil { // SaveAuto: compact at this size
		t.Fatal(err)
	}
	saveTook := time.Since(start)
	runtime.ReadMemStats(&after)
	saveAlloc := after.TotalAlloc - before.TotalAlloc
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&before)
	start = time.Now()
	l, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	loadTook := time.Since(start)
	runtime.ReadMemStats(&after)
	loadAlloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d parameters: file %d bytes (%.4f bytes per parameter), Save %v (allocated %d bytes), Load %v (allocated %d bytes)",
		params, st.Size(), float64(st.Size())/float64(params), saveTook, saveAlloc, loadTook, loadAlloc)
	if float64(st.Size()) > 4.4*float64(params) {
		t.Errorf("the file has %d bytes, more than 10%% over 4 bytes per parameter", st.Size())
	}
	if saveAlloc > 4<<20 {
		t.Errorf("Save allocated %d bytes: it should stream the weights, not copy them", saveAlloc)
	}
	model := uint64(params) * 4 * 2 // weights and gradients, float32
	if loadAlloc > model+8<<20 {
		t.Errorf("Load allocated %d bytes, the model takes %d: it should stream the weights into the model", loadAlloc, model)
	}
	a, b := m.eng.(*net[float32]), l.eng.(*net[float32])
	if !slices.Equal(a.params, b.params) {
		t.Error("the loaded weights are not bit-for-bit the saved ones")
	}
}

// A Save that fails half-way leaves no temporary file; one killed half-way
// leaves one (nothing can remove it then) and the next Save to the same place
// removes it, keeping the temporary files of writers still alive.
func TestSaveTempFiles(t *testing.T) {
	if dir := os.Getenv("DLNB_KILLED_SAVE_DIR"); dir != "" {
		// The child: write a model and stop in the middle, until killed.
		m := NewSequential(Dense{Units: 64, InputDim: 1000})
		saveHook = func() error {
			fmt.Println("writing")
			time.Sleep(time.Minute) // killed long before, unless the parent failed
			os.Exit(3)
			return nil
		}
		m.SaveWith(filepath.Join(dir, "model.bin"), SaveOptions{Format: SaveCompact})
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "model.bin")
	m := NewSequential(Dense{Units: 64, InputDim: 1000})
	temps := func() []string {
		var names []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".tmp") {
				names = append(names, e.Name())
			}
		}
		return names
	}

	saveHook = func() error { return errors.New("disk full") }
	err := m.SaveWith(path, SaveOptions{Format: SaveCompact})
	saveHook = nil
	wantErr(t, "a failing write", err, "Save "+path, "disk full")
	if tmp := temps(); len(tmp) != 0 {
		t.Errorf("a failed Save left %v", tmp)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestSaveTempFiles$")
	cmd.Env = append(os.Environ(), "DLNB_KILLED_SAVE_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "writing\n" {
		t.Fatalf("the child said %q, %v", line, err)
	}
	cmd.Process.Kill() // SIGKILL, in the middle of writing
	cmd.Wait()
	stale := temps()
	if len(stale) != 1 || !strings.HasPrefix(stale[0], fmt.Sprintf(".model.bin.tmp-%d-", cmd.Process.Pid)) {
		t.Fatalf("after the kill, temporary files %v, want the child's one", stale)
	}
	// A temporary file of a live writer (this process) stays.
	live := filepath.Join(dir, fmt.Sprintf(".model.bin.tmp-%d-123", os.Getpid()))
	os.WriteFile(live, nil, 0o644)
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	if tmp := temps(); !slices.Equal(tmp, []string{filepath.Base(live)}) {
		t.Errorf("after the next Save, temporary files %v, want only the live writer's", tmp)
	}
	if _, err := Load(path); err != nil {
		t.Error(err)
	}
}
