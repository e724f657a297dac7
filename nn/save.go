package nn

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/dlnb/dlnb/internal/atomicfile"
)

// The file format of Save, version 1, is one JSON object:
//
//	{
//	  "format": "dlnb-nn-sequential", "version": 1,
//	  "name": "sequential", "seed": 0, "dtype": "float32",
//	  "layers": [{"name": "dense", "units": 32, "activation": "relu",
//	              "input_dim": 10, "freeze_bias": false, "frozen": false,
//	              "kernel": [[...], ...],   // input_dim rows of units numbers
//	              "bias": [...]},
//	             {"name": "dropout", "type": "Dropout", "rate": 0.2,
//	              "units": 32, "input_dim": 32, ...}, ...],
//	  (a Normalization first: {"name": "normalization", "type": "Normalization",
//	   "units": 10, "input_dim": 10, "mean": [...], "variance": [...], ...})
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
// it stopped; "dropout_state", present with Dropout layers, is the stream
// their masks are drawn from. A Dense layer has no "type".
const (
	fileFormat  = "dlnb-nn-sequential"
	fileVersion = 1
)

// fileHead is what both formats write first: what the file is, the model's
// settings, its layers (in version 2 without their numbers) and how it is
// compiled.
type fileHead struct {
	Format  string       `json:"format"`
	Version int          `json:"version"`
	Name    string       `json:"name,omitempty"`
	Seed    uint64       `json:"seed"`
	DType   string       `json:"dtype"`
	Layers  []fileLayer  `json:"layers"`
	Compile *fileCompile `json:"compile,omitempty"`

	// DropoutState is the Dropout layers' random stream (absent without them).
	DropoutState []byte `json:"dropout_state,omitempty"`
}

// head fills in the fields of fileHead; layer gives Dense layer i's entry.
func (m *Sequential) head(version int, layer func(i int) fileLayer) (fileHead, error) {
	h := fileHead{Format: fileFormat, Version: version, Name: m.Name, Seed: m.Seed, DType: m.eng.dtype().String()}
	if z := m.norm; z != nil {
		d := len(z.Mean)
		h.Layers = append(h.Layers, fileLayer{Name: z.Name, Type: normType, Units: d, InputDim: d, Mean: z.Mean, Variance: z.Variance})
	}
	for i := range m.specs {
		h.Layers = append(h.Layers, layer(i))
		if d := m.drops[i]; d != nil {
			u := m.specs[i].Units
			h.Layers = append(h.Layers, fileLayer{Name: d.Name, Type: dropoutType, Rate: d.Rate, Units: u, InputDim: u})
		}
	}
	if c := m.compiled; c != nil {
		h.Compile = &fileCompile{Optimizer: c.opt, Loss: c.loss, Metrics: c.metrics}
	}
	if p := m.eng.dropoutRNG(); p != nil {
		st, err := p.MarshalBinary()
		if err != nil {
			return h, err
		}
		h.DropoutState = st
	}
	return h, nil
}

// restore sets the built model n's Dropout stream from the file.
func (h fileHead) restore(n *Sequential) error {
	p := n.eng.dropoutRNG()
	switch {
	case h.DropoutState == nil:
		return nil
	case p == nil:
		return errors.New("dropout_state in a model without Dropout layers: the file is corrupt")
	}
	if err := p.UnmarshalBinary(h.DropoutState); err != nil {
		return fmt.Errorf("dropout_state: %w", err)
	}
	return nil
}

// model is the empty model a file's head describes: its name, seed and
// precision.
func (h fileHead) model() (*Sequential, error) {
	n := &Sequential{Name: h.Name, Seed: h.Seed}
	switch h.DType {
	case "float32":
	case "float64":
		n.DType = Float64
	default:
		return nil, fmt.Errorf("dtype %q: want float32 or float64", h.DType)
	}
	if len(h.Layers) == 0 {
		return nil, errors.New("the model file has no layers")
	}
	return n, nil
}

type fileModel struct {
	fileHead
	Optimizer    *fileOptState `json:"optimizer_state,omitempty"`
	ShuffleState []byte        `json:"shuffle_state,omitempty"`
}

type fileLayer struct {
	Name       string      `json:"name"`
	Type       string      `json:"type,omitempty"` // "" for Dense, "Dropout"
	Rate       float64     `json:"rate,omitempty"` // a Dropout's
	Mean       []float64   `json:"mean,omitempty"` // a Normalization's
	Variance   []float64   `json:"variance,omitempty"`
	Units      int         `json:"units"`
	Activation Activation  `json:"activation"`
	InputDim   int         `json:"input_dim"`
	FreezeBias bool        `json:"freeze_bias"`
	Frozen     bool        `json:"frozen"`
	NoBias     bool        `json:"no_bias,omitempty"`
	Kernel     [][]float64 `json:"kernel,omitempty"` // absent in the compact format: its numbers follow the header
	Bias       []float64   `json:"bias,omitempty"`

	KernelRegularizer *L1L2 `json:"kernel_regularizer,omitempty"`
}

// fileLayerOf is what both formats record of layer s (info: its shape),
// without the weights. A new Dense setting that is saved goes here and in
// dense, once for both formats.
func fileLayerOf(s Dense, info LayerInfo) fileLayer {
	return fileLayer{Name: s.Name, Units: info.Units, Activation: info.Activation,
		InputDim: info.InputDim, FreezeBias: s.FreezeBias, Frozen: s.Frozen, NoBias: s.NoBias,
		KernelRegularizer: s.KernelRegularizer}
}

// layer is the layer a file records, with its weights if the file holds
// them in JSON.
func (l fileLayer) layer() Layer {
	switch l.Type {
	case dropoutType:
		return Dropout{Name: l.Name, Rate: l.Rate}
	case normType:
		return Normalization{Name: l.Name, Mean: l.Mean, Variance: l.Variance}
	}
	return l.dense()
}

func (l fileLayer) dense() Dense {
	return Dense{Name: l.Name, Units: l.Units, Activation: l.Activation, InputDim: l.InputDim,
		FreezeBias: l.FreezeBias, Frozen: l.Frozen, NoBias: l.NoBias, Kernel: l.Kernel, Bias: l.Bias,
		KernelRegularizer: l.KernelRegularizer}
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

// SaveFormat picks Save's file format.
type SaveFormat int

const (
	// SaveAuto writes JSON for a model of fewer than 262,144 parameters (a
	// teaching model, whose file can be read and diffed), the compact
	// format for a larger one.
	SaveAuto SaveFormat = iota
	// SaveJSON writes every number as JSON text (version 1): about 20 bytes
	// per number.
	SaveJSON
	// SaveCompact writes a JSON header and the numbers in binary (version
	// 2): 4 bytes per float32 number.
	SaveCompact
)

// SaveOptions are the options of SaveWith.
type SaveOptions struct {
	Format SaveFormat
}

// Save writes the model (architecture, weights, compile settings and
// optimizer state) to path, in JSON for a small model and in the compact
// format for a large one (see SaveWith). It writes a temporary file next to
// it and renames it, so a crash never leaves a half-written model; the
// temporary files of a writer that was killed are removed by the next Save
// to the same place.
func (m *Sequential) Save(path string) error {
	return m.SaveWith(path, SaveOptions{})
}

// SaveWith is Save with a choice of format. Load reads either.
func (m *Sequential) SaveWith(path string, o SaveOptions) error {
	if err := checkSavePath(path); err != nil {
		return fmt.Errorf("nn.Save: %w", err)
	}
	if o.Format < SaveAuto || o.Format > SaveCompact {
		return fmt.Errorf("nn.Save %s: unknown Format %d: use nn.SaveAuto, nn.SaveJSON or nn.SaveCompact", path, o.Format)
	}
	if err := m.build(0); err != nil {
		return fmt.Errorf("nn.Save %s: cannot save a model without weights: %w", path, err)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return m.encode(w, o.Format) }); err != nil {
		return fmt.Errorf("nn.Save %s: %w", path, err)
	}
	return nil
}

// encode writes the model in format f to w.
func (m *Sequential) encode(w io.Writer, f SaveFormat) error {
	if err := m.build(0); err != nil {
		return fmt.Errorf("cannot save a model without weights: %w", err)
	}
	if f == SaveAuto {
		f = SaveJSON
		if m.CountParams() >= compactMinParams {
			f = SaveCompact
		}
	}
	if f == SaveCompact {
		return m.writeCompact(w)
	}
	data, err := m.marshalJSON()
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// checkSavePath says what is wrong with a target before anything is
// written, so that errors name it rather than the temporary file.
func checkSavePath(path string) error {
	if path == "" {
		return errors.New(`the path is empty: give a file name, such as "model.json"`)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s: the directory %s does not exist: create it first (os.MkdirAll)", path, dir)
	case err != nil:
		return fmt.Errorf("%s: %w", path, err)
	case !st.IsDir():
		return fmt.Errorf("%s: %s is not a directory", path, dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory: give a file name inside it, such as %s", path, filepath.Join(path, "model.json"))
	}
	return nil
}

// Load reads a model written by Save, in either format, checking
// everything it reads: sizes are checked against the file's length before
// anything is allocated for them.
func Load(path string) (*Sequential, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("nn.Load: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("nn.Load: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("nn.Load %s: it is a directory, not a model file", path)
	}
	m, err := decode(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("nn.Load %s: %w", path, err)
	}
	return m, nil
}

// decode reads a model of size bytes from r, in either format: a first
// line that is a whole JSON object of version 2 is a compact header;
// anything else is read whole as version 1.
func decode(r io.Reader, size int64) (*Sequential, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	line, complete, err := readHeaderLine(br)
	if err != nil {
		return nil, err
	}
	if complete {
		var probe struct {
			Format  string `json:"format"`
			Version int    `json:"version"`
		}
		if json.Unmarshal(line, &probe) == nil && probe.Format == fileFormat && probe.Version == compactVersion {
			return readCompact(line, br, size-int64(len(line))-1)
		}
		line = append(line, '\n')
	}
	rest, err := io.ReadAll(br)
	if err != nil {
		return nil, err
	}
	m := &Sequential{}
	if err := m.unmarshalJSON(append(line, rest...)); err != nil {
		return nil, err
	}
	return m, nil
}

// MarshalBinary encodes the model as Save does. With UnmarshalBinary it
// makes a model gob-encodable, so GoNB's cache package can keep a trained
// model between notebook cells.
func (m *Sequential) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	if err := m.encode(&b, SaveAuto); err != nil {
		return nil, fmt.Errorf("nn.MarshalBinary: %w", err)
	}
	return b.Bytes(), nil
}

// UnmarshalBinary replaces m with a model decoded from either of Save's
// formats.
func (m *Sequential) UnmarshalBinary(data []byte) error {
	n, err := decode(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("nn.UnmarshalBinary: %w", err)
	}
	*m = *n
	return nil
}

// marshalJSON encodes the model in version 1, JSON.
func (m *Sequential) marshalJSON() ([]byte, error) {
	w := m.eng.getWeights()
	head, err := m.head(fileVersion, func(i int) fileLayer {
		info := m.eng.layerInfo(i)
		l := fileLayerOf(m.specs[i], info)
		l.Kernel, l.Bias = rows(info.Kernel), w[2*i+1]
		return l
	})
	if err != nil {
		return nil, err
	}
	f := fileModel{fileHead: head}
	if m.compiled != nil {
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

// unmarshalJSON replaces m with a model decoded from version 1, JSON.
func (m *Sequential) unmarshalJSON(data []byte) error {
	// The format and version first, leniently, so that a file from a newer
	// nn says so instead of failing on a field this one does not know.
	var probe struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&probe); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return errors.New("the file ends in the middle of its JSON: it is truncated (not a model file written by nn.Save, or one whose writing was cut off)")
		}
		return fmt.Errorf("not a model file written by nn.Save: %w", err)
	}
	if probe.Format != fileFormat {
		return fmt.Errorf("not a model file written by nn.Save: format is %q, want %q", probe.Format, fileFormat)
	}
	if probe.Version == compactVersion {
		return errors.New("a compact (version 2) model file whose header line is cut or corrupt")
	}
	if probe.Version != fileVersion {
		return fmt.Errorf("model file version %d: this nn reads versions %d and %d (a newer nn wrote it? update github.com/dlnb/dlnb)", probe.Version, fileVersion, compactVersion)
	}
	var f fileModel
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("not a model file written by nn.Save: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("data after the model's JSON, at byte %d: the file was appended to or corrupted", dec.InputOffset())
	}
	if err := checkFileLayers(f.Layers); err != nil {
		return err
	}
	n, err := f.model()
	if err != nil {
		return err
	}
	for _, l := range f.Layers {
		n.Add(l.layer())
	}
	if err := n.build(0); err != nil { // checks every shape and value
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
			return fmt.Errorf("shuffle_state: %w", err)
		}
	}
	if err := f.restore(n); err != nil {
		return err
	}
	*m = *n
	return nil
}

// checkFileLayers checks the sizes a file declares against the weights it
// holds, before Build allocates what the sizes say: a file of 167 bytes that
// declares 8000 x 8000 weights is refused, not given 256 MB.
func checkFileLayers(ls []fileLayer) error {
	if len(ls) == 0 {
		return errors.New("the model file has no layers")
	}
	for i, l := range ls {
		where := fmt.Sprintf("layer %d (%s)", i, l.Name)
		if err := l.checkType(where); err != nil {
			return err
		}
		if i > 0 && l.InputDim != ls[i-1].Units {
			return fmt.Errorf("%s has %d inputs but the layer before it has %d units", where, l.InputDim, ls[i-1].Units)
		}
		if l.Type != "" {
			if l.Kernel != nil || l.Bias != nil {
				return fmt.Errorf("%s is a %s layer with a kernel: the file is corrupt", where, l.Type)
			}
			continue
		}
		if l.Kernel == nil || l.Bias == nil {
			return fmt.Errorf("%s has no kernel or no bias", where)
		}
		if l.Units <= 0 || l.InputDim <= 0 {
			return fmt.Errorf("%s has %d inputs and %d units: both must be at least 1", where, l.InputDim, l.Units)
		}
		if len(l.Kernel) != l.InputDim || len(l.Bias) != l.Units {
			return fmt.Errorf("%s declares %d inputs x %d units but holds a kernel of %d rows and %d biases: the file is corrupt",
				where, l.InputDim, l.Units, len(l.Kernel), len(l.Bias))
		}
		for r, row := range l.Kernel {
			if len(row) != l.Units {
				return fmt.Errorf("%s: kernel row %d has %d values but the layer has %d units: the file is corrupt", where, r, len(row), l.Units)
			}
		}
	}
	return nil
}

// checkType checks a layer's type, and a Dropout's shape: its width in
// and out are the same.
func (l fileLayer) checkType(where string) error {
	switch {
	case l.Type != "" && l.Type != dropoutType && l.Type != normType:
		return fmt.Errorf("%s has the type %q: this nn reads Dense, Dropout and Normalization layers", where, l.Type)
	case l.Type != "" && l.Units != l.InputDim:
		return fmt.Errorf("%s is a %s layer of %d inputs and %d units: the file is corrupt", where, l.Type, l.InputDim, l.Units)
	case l.Type == normType && (len(l.Mean) != l.Units || len(l.Variance) != l.Units):
		return fmt.Errorf("%s is a Normalization of %d columns with %d means and %d variances: the file is corrupt", where, l.Units, len(l.Mean), len(l.Variance))
	}
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
