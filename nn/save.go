package nn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
)

// The file format of Save, version 1, is one JSON object:
//
//	{
//	  "format": "dlnb-nn-sequential", "version": 1,
//	  "name": "sequential", "seed": 0, "dtype": "float32",
//	  "layers": [{"name": "dense", "units": 32, "activation": "relu",
//	              "input_dim": 10, "freeze_bias": false, "frozen": false,
//	              "kernel": [[...], ...],   // input_dim rows of units numbers
//	              "bias": [...]}, ...],
//	  "compile": {"optimizer": {"name": "adam", "learning_rate": 0.001, ...},
//	              "loss": "categorical_crossentropy", "metrics": ["accuracy"]},
//	  "optimizer_state": {"iterations": 280, "slots": [...]},
//	  "shuffle_state": "<base64>"
//	}
//
// Numbers are written in the shortest form that reads back to the same
// float64 (float32 weights are exact in it), so a loaded model predicts
// bit-for-bit the same. "compile" is absent for a model never compiled;
// "optimizer_state" holds the optimizer's step count and running values
// (slots[tensor][slot][i], tensors ordered kernel 0, bias 0, kernel 1, ...)
// and "shuffle_state" the shuffling stream, so training resumes exactly where
// it stopped.
const (
	fileFormat  = "dlnb-nn-sequential"
	fileVersion = 1
)

type fileModel struct {
	Format       string        `json:"format"`
	Version      int           `json:"version"`
	Name         string        `json:"name,omitempty"`
	Seed         uint64        `json:"seed"`
	DType        string        `json:"dtype"`
	Layers       []fileLayer   `json:"layers"`
	Compile      *fileCompile  `json:"compile,omitempty"`
	Optimizer    *fileOptState `json:"optimizer_state,omitempty"`
	ShuffleState []byte        `json:"shuffle_state,omitempty"`
}

type fileLayer struct {
	Name       string      `json:"name"`
	Units      int         `json:"units"`
	Activation Activation  `json:"activation"`
	InputDim   int         `json:"input_dim"`
	FreezeBias bool        `json:"freeze_bias"`
	Frozen     bool        `json:"frozen"`
	NoBias     bool        `json:"no_bias,omitempty"`
	Kernel     [][]float64 `json:"kernel"`
	Bias       []float64   `json:"bias"`

	KernelRegularizer *L1L2 `json:"kernel_regularizer,omitempty"`
}

type fileCompile struct {
	Optimizer optimizerConfig `json:"optimizer"`
	Loss      Loss            `json:"loss"`
	Metrics   []Metric        `json:"metrics"`
}

type fileOptState struct {
	Iterations int           `json:"iterations"`
	Slots      [][][]float64 `json:"slots"`
}

// Save writes the model (architecture, weights, compile settings and
// optimizer state) to path. It writes a temporary file next to it and renames
// it, so a crash never leaves a half-written model.
func (m *Sequential) Save(path string) error {
	data, err := m.MarshalBinary()
	if err != nil {
		return fmt.Errorf("Save %s: %v", path, err)
	}
	if err := writeFileAtomic(path, data); err != nil {
		return fmt.Errorf("Save: %v", err)
	}
	return nil
}

// Load reads a model written by Save, checking everything it reads.
func Load(path string) (*Sequential, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("Load: %v", err)
	}
	m := &Sequential{}
	if err := m.UnmarshalBinary(data); err != nil {
		return nil, fmt.Errorf("Load %s: %v", path, err)
	}
	return m, nil
}

// MarshalBinary encodes the model in Save's format. With UnmarshalBinary it
// makes a model gob-encodable, so GoNB's cache package can keep a trained
// model between notebook cells.
func (m *Sequential) MarshalBinary() ([]byte, error) {
	if err := m.build(0); err != nil {
		return nil, fmt.Errorf("cannot save a model without weights: %v", err)
	}
	f := fileModel{Format: fileFormat, Version: fileVersion, Name: m.Name, Seed: m.Seed, DType: m.eng.dtype().String()}
	w := m.eng.getWeights()
	for i, s := range m.specs {
		info := m.eng.layerInfo(i)
		f.Layers = append(f.Layers, fileLayer{Name: s.Name, Units: s.Units, Activation: info.Activation,
			InputDim: info.InputDim, FreezeBias: s.FreezeBias, Frozen: s.Frozen, NoBias: s.NoBias, Kernel: rows(info.Kernel), Bias: w[2*i+1],
			KernelRegularizer: s.KernelRegularizer})
	}
	if c := m.compiled; c != nil {
		f.Compile = &fileCompile{Optimizer: c.opt, Loss: c.loss, Metrics: c.metrics}
		it, slots := m.eng.optimizerState()
		f.Optimizer = &fileOptState{Iterations: it, Slots: slots}
	}
	st, err := m.rng.MarshalBinary()
	if err != nil {
		return nil, err
	}
	f.ShuffleState = st
	for _, ws := range w {
		for _, v := range ws {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, errors.New("the model has a NaN or infinite weight (training diverged): there is nothing worth saving")
			}
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", " ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// UnmarshalBinary replaces m with a model decoded from Save's format.
func (m *Sequential) UnmarshalBinary(data []byte) error {
	var f fileModel
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("not a model file written by nn.Save: %v", err)
	}
	if f.Format != fileFormat {
		return fmt.Errorf("not a model file written by nn.Save: format is %q, want %q", f.Format, fileFormat)
	}
	if f.Version != fileVersion {
		return fmt.Errorf("model file version %d: this nn reads version %d", f.Version, fileVersion)
	}
	n := Sequential{Name: f.Name, Seed: f.Seed}
	switch f.DType {
	case "float32":
	case "float64":
		n.DType = Float64
	default:
		return fmt.Errorf("dtype %q: want float32 or float64", f.DType)
	}
	if len(f.Layers) == 0 {
		return errors.New("the model file has no layers")
	}
	for i, l := range f.Layers {
		if l.Kernel == nil || l.Bias == nil {
			return fmt.Errorf("layer %d (%s) has no kernel or no bias", i, l.Name)
		}
		n.Add(Dense{Name: l.Name, Units: l.Units, Activation: l.Activation, InputDim: l.InputDim,
			FreezeBias: l.FreezeBias, Frozen: l.Frozen, NoBias: l.NoBias, Kernel: l.Kernel, Bias: l.Bias, KernelRegularizer: l.KernelRegularizer})
	}
	if err := n.Build(0); err != nil { // checks every shape and value
		return err
	}
	if f.Compile != nil {
		opt, err := optimizerFromConfig(f.Compile.Optimizer)
		if err != nil {
			return err
		}
		if err := n.Compile(opt, f.Compile.Loss, f.Compile.Metrics...); err != nil {
			return err
		}
		if f.Optimizer != nil {
			if err := checkSlots(f.Optimizer, n.eng.getWeights(), f.Compile.Optimizer.slotsPerParam()); err != nil {
				return err
			}
			n.eng.setOptimizerState(f.Optimizer.Iterations, f.Optimizer.Slots)
		}
	}
	if f.ShuffleState != nil {
		if err := n.rng.UnmarshalBinary(f.ShuffleState); err != nil {
			return fmt.Errorf("shuffle_state: %v", err)
		}
	}
	*m = n
	return nil
}

func checkSlots(s *fileOptState, weights [][]float64, perParam int) error {
	if s.Iterations < 0 {
		return fmt.Errorf("optimizer_state: iterations is %d", s.Iterations)
	}
	if len(s.Slots) != len(weights) {
		return fmt.Errorf("optimizer_state has slots for %d tensors, the model has %d", len(s.Slots), len(weights))
	}
	for i, sl := range s.Slots {
		if len(sl) != perParam {
			return fmt.Errorf("optimizer_state tensor %d has %d slots, the optimizer keeps %d", i, len(sl), perParam)
		}
		for j, v := range sl {
			if len(v) != len(weights[i]) {
				return fmt.Errorf("optimizer_state tensor %d slot %d has %d values, the tensor has %d", i, j, len(v), len(weights[i]))
			}
		}
	}
	return nil
}

// writeFileAtomic writes data to a temporary file in path's directory, syncs
// it and renames it over path.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
