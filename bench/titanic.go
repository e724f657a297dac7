package bench

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// TitanicLike makes a data set of the Titanic course model's size (891 rows,
// 10 features, 2 classes) whose labels follow a noisy linear rule: the
// timings depend on the shapes, not on the values.
func TitanicLike(seed uint64) *Dataset {
	const n, f = 891, 10
	rng := rand.New(rand.NewPCG(seed, 891))
	d := &Dataset{N: n, Features: f, X: make([]float32, n*f), Labels: make([]int, n)}
	w := make([]float64, f)
	for j := range w {
		w[j] = rng.NormFloat64()
	}
	for i := range n {
		var s float64
		for j := range f {
			x := rng.NormFloat64()
			d.X[i*f+j] = float32(x)
			s += w[j] * x
		}
		if s+0.5*rng.NormFloat64() > 0 {
			d.Labels[i] = 1
		}
	}
	return d
}

// WriteRaw writes d for the Python peers: a little-endian int32 header (N,
// features), N*features float32 and N int32 labels. The file appears whole
// (written to a temporary file, then renamed).
func WriteRaw(d *Dataset, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".raw-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	put := func(v any) {
		if err == nil {
			err = binary.Write(tmp, binary.LittleEndian, v)
		}
	}
	put([]int32{int32(d.N), int32(d.Features)})
	put(d.X)
	labels := make([]int32, d.N)
	for i, l := range d.Labels {
		labels[i] = int32(l)
	}
	put(labels)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %v", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// ReadRaw reads a file written by WriteRaw, checking its sizes.
func ReadRaw(path string) (*Dataset, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 8 {
		return nil, fmt.Errorf("%s: %d bytes, too short for the header", path, len(b))
	}
	n, f := int(int32(binary.LittleEndian.Uint32(b))), int(int32(binary.LittleEndian.Uint32(b[4:])))
	if n < 1 || f < 1 || len(b) != 8+4*n*f+4*n {
		return nil, fmt.Errorf("%s: header says %d x %d but the file has %d bytes", path, n, f, len(b))
	}
	d := &Dataset{N: n, Features: f, X: make([]float32, n*f), Labels: make([]int, n)}
	for i := range d.X {
		d.X[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[8+4*i:]))
	}
	off := 8 + 4*n*f
	for i := range d.Labels {
		d.Labels[i] = int(int32(binary.LittleEndian.Uint32(b[off+4*i:])))
	}
	return d, nil
}
