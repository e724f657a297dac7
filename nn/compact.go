package nn

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// The compact format of Save, version 2, is one line of JSON, the header,
// then the numbers in binary:
//
//	{"format":"dlnb-nn-sequential","version":2,"name":"sequential","seed":0,"dtype":"float32",
//	 "layers":[{"name":"dense","units":4096,"activation":"relu","input_dim":784,"freeze_bias":false,"frozen":false},...],
//	 "compile":{...},"iterations":280,"shuffle_state":"<base64>",
//	 "data":{"encoding":"little-endian float32","params":20037642,"optimizer_slots":2,"bytes":240451704}}\n
//	<params numbers>  kernel 0 (input_dim x units, row by row), bias 0, kernel 1, bias 1, ...
//	<params numbers>  the optimizer's first running value of each of them (Adam's m, a momentum)
//	<params numbers>  its second (Adam's v), and so on: optimizer_slots blocks in all
//
// The numbers are IEEE 754 float32 or float64 (the model's dtype),
// little-endian, so a 20 M parameter float32 model takes 80 MB plus its
// optimizer's state (Adam: twice that again) and reads back bit-for-bit;
// `head -1 model.json` shows the header. "compile" and "iterations" are
// absent for a model never compiled, as in version 1. Load checks the header
// against the file's length before it allocates anything, and Save and Load
// stream the numbers in blocks of 64 KB: neither makes a copy of the weights.
const compactVersion = 2

// compactMinParams is where Save switches from the readable JSON to the
// compact format: a teaching model stays JSON you can read (up to about
// 10 MB of it); a model of MNIST's size with a few wide layers is binary.
const compactMinParams = 1 << 18

// maxHeader bounds the header line: the layers' shapes and the settings,
// never the weights.
const maxHeader = 4 << 20

type compactHeader struct {
	fileHead
	Iterations   *int        `json:"iterations,omitempty"`
	ShuffleState []byte      `json:"shuffle_state,omitempty"`
	Data         compactData `json:"data"`
}

type compactData struct {
	Encoding string `json:"encoding"`
	Params   int    `json:"params"`
	Slots    int    `json:"optimizer_slots"`
	Bytes    int64  `json:"bytes"`
}

func encodingOf(d DType) (string, int) {
	if d == Float64 {
		return "little-endian float64", 8
	}
	return "little-endian float32", 4
}

// writeCompact streams the model in the compact format to w.
func (m *Sequential) writeCompact(w io.Writer) error {
	if err := m.build(0); err != nil {
		return fmt.Errorf("cannot save a model without weights: %w", err)
	}
	dt := m.eng.dtype()
	head, err := m.head(compactVersion, func(i int) fileLayer { return fileLayerOf(m.specs[i], m.eng.layerShape(i)) })
	if err != nil {
		return err
	}
	h := compactHeader{fileHead: head}
	// The numbers stored, as Load counts them: a NoBias layer keeps its
	// (zero) biases in the flat storage, though CountParams leaves them out.
	total, err := countWeights(m.norm, m.specs, m.drops, m.eng.inputDim())
	if err != nil {
		return err
	}
	slots := 0
	if c := m.compiled; c != nil {
		it := m.eng.iterations()
		h.Iterations = &it
		slots = c.opt.slotsPerParam()
	}
	st, err := m.rng.MarshalBinary()
	if err != nil {
		return err
	}
	h.ShuffleState = st
	enc, width := encodingOf(dt)
	h.Data = compactData{Encoding: enc, Params: total, Slots: slots, Bytes: int64(total) * int64(1+slots) * int64(width)}
	return m.eng.writeData(w, func() error {
		line, err := json.Marshal(h)
		if err != nil {
			return err
		}
		_, err = w.Write(append(line, '\n'))
		return err
	})
}

// readHeaderLine returns the first line of r (without its newline) if it is
// at most maxHeader bytes, and whether it was complete.
func readHeaderLine(r *bufio.Reader) ([]byte, bool, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		switch {
		case err == nil:
			return line[:len(line)-1], true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			if len(line) > maxHeader {
				return line, false, nil
			}
		case err == io.EOF:
			return line, false, nil
		default:
			return line, false, err
		}
	}
}

// readCompact decodes a version 2 header (line, already read) and the
// numbers after it, rest bytes of them, from r.
func readCompact(line []byte, r io.Reader, rest int64) (*Sequential, error) {
	var h compactHeader
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("the header is not valid: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the header's JSON, at byte %d of its line: the file is corrupt", dec.InputOffset())
	}
	n, err := h.model()
	if err != nil {
		return nil, err
	}
	enc, width := encodingOf(n.DType)
	if h.Data.Encoding != enc {
		return nil, fmt.Errorf("data encoding %q: a %s model's is %q", h.Data.Encoding, h.DType, enc)
	}
	for i, l := range h.Layers {
		where := fmt.Sprintf("layer %d (%s)", i, l.Name)
		if err := l.checkType(where); err != nil {
			return nil, err
		}
		if i > 0 && l.InputDim != h.Layers[i-1].Units {
			return nil, fmt.Errorf("%s has %d inputs but the layer before it has %d units", where, l.InputDim, h.Layers[i-1].Units)
		}
		if l.Kernel != nil || l.Bias != nil {
			return nil, fmt.Errorf("%s has a kernel or bias in the header: a compact file keeps its numbers after the header", where)
		}
		if l.Type != "" {
			n.Add(l.layer())
			continue
		}
		d := l.dense()
		d.KernelInitializer = "zeros" // no random draws: the file's numbers replace them
		n.Add(d)
	}
	// Every size is checked against the others and against the bytes the
	// file holds before Build allocates what the header says.
	total, err := countWeights(n.norm, n.specs, n.drops, h.Layers[0].InputDim)
	if err != nil {
		return nil, err
	}
	if h.Data.Params != total {
		return nil, fmt.Errorf("the header says %d parameters but its layers have %d: the file is corrupt", h.Data.Params, total)
	}
	slots := 0
	if h.Compile != nil {
		slots = h.Compile.Optimizer.slotsPerParam()
	}
	if h.Data.Slots != slots {
		return nil, fmt.Errorf("the header says %d optimizer values per parameter, its optimizer keeps %d: the file is corrupt", h.Data.Slots, slots)
	}
	want := int64(total) * int64(1+slots) * int64(width)
	if h.Data.Bytes != want {
		return nil, fmt.Errorf("the header says %d bytes of numbers, its layers need %d: the file is corrupt", h.Data.Bytes, want)
	}
	if rest != want {
		return nil, fmt.Errorf("the file holds %d bytes of numbers after its header, its layers need %d: the file is truncated or was appended to", rest, want)
	}
	if err := n.build(0); err != nil {
		return nil, err
	}
	if h.Compile != nil {
		opt, err := optimizerFromConfig(h.Compile.Optimizer)
		if err != nil {
			return nil, err
		}
		if err := n.Compile(opt, h.Compile.Loss, h.Compile.Metrics...); err != nil {
			return nil, err
		}
		if h.Iterations == nil || *h.Iterations < 0 {
			return nil, errors.New("the header has no optimizer iterations, or a negative count: the file is corrupt")
		}
	} else if h.Iterations != nil {
		return nil, errors.New("the header has optimizer iterations but no compile settings: the file is corrupt")
	}
	it := 0
	if h.Iterations != nil {
		it = *h.Iterations
	}
	if err := n.eng.readData(r, it); err != nil {
		return nil, err
	}
	if h.ShuffleState != nil {
		if err := n.rng.UnmarshalBinary(h.ShuffleState); err != nil {
			return nil, fmt.Errorf("shuffle_state: %w", err)
		}
	}
	if err := h.restore(n); err != nil {
		return nil, err
	}
	return n, nil
}

// dataBlock is how many numbers Save and Load convert at a time.
const dataBlock = 1 << 14

// writeData checks that every weight is finite, calls header, then writes
// the weights and the optimizer's running values, little-endian, under the
// read lock (so the numbers all come from one moment).
func (n *net[T]) writeData(w io.Writer, header func() error) error {
	n.mu.RLock()
	defer n.mu.RUnlock()
	for _, v := range n.params {
		if v-v != 0 {
			return errors.New("the model has a NaN or infinite weight (training diverged): there is nothing worth saving")
		}
	}
	if err := header(); err != nil {
		return err
	}
	blocks := [][]T{n.params}
	if n.opt != nil {
		blocks = append(blocks, n.opt.flat...)
	}
	var z T
	_, f32 := any(z).(float32)
	buf := make([]byte, 0, 8*dataBlock)
	for _, b := range blocks {
		for len(b) > 0 {
			k := min(len(b), dataBlock)
			buf = buf[:0]
			for _, v := range b[:k] {
				if f32 {
					buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(v)))
				} else {
					buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(float64(v)))
				}
			}
			if _, err := w.Write(buf); err != nil {
				return err
			}
			if saveHook != nil {
				if err := saveHook(); err != nil {
					return err
				}
			}
			b = b[k:]
		}
	}
	return nil
}

// saveHook, when set (by tests), runs after every block Save writes: a test
// makes a writer fail, or stop, in the middle of a file.
var saveHook func() error

// readData reads what writeData wrote into the network's weights and its
// optimizer's running values, checking each number.
func (n *net[T]) readData(r io.Reader, iterations int) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	blocks := [][]T{n.params}
	names := []string{"weight"}
	if n.opt != nil {
		n.opt.iterations = iterations
		for s := range n.opt.flat {
			blocks = append(blocks, n.opt.flat[s])
			names = append(names, fmt.Sprintf("optimizer value %d of parameter", s))
		}
	}
	var z T
	_, f32 := any(z).(float32)
	width := 8
	if f32 {
		width = 4
	}
	buf := make([]byte, width*dataBlock)
	for bi, b := range blocks {
		for off := 0; off < len(b); off += dataBlock {
			dst := b[off:min(off+dataBlock, len(b))]
			p := buf[:len(dst)*width]
			if _, err := io.ReadFull(r, p); err != nil {
				return fmt.Errorf("reading the numbers: %v: the file is truncated", err)
			}
			for i := range dst {
				var v float64
				if f32 {
					v = float64(math.Float32frombits(binary.LittleEndian.Uint32(p[4*i:])))
				} else {
					v = math.Float64frombits(binary.LittleEndian.Uint64(p[8*i:]))
				}
				if v-v != 0 {
					return fmt.Errorf("%s %d is %v: the file is corrupt", names[bi], off+i, v)
				}
				dst[i] = T(v)
			}
		}
	}
	return nil
}
