package bench

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Dataset is a set of images as float32 rows scaled to [0, 1] and their labels.
type Dataset struct {
	X        []float32 // N x Features, row-major
	Labels   []int
	N        int
	Features int
}

// LoadMNIST reads the training ("train") or test ("t10k") set from dir.
func LoadMNIST(dir, set string) (*Dataset, error) {
	imgs, rows, cols, n, err := readIdx(filepath.Join(dir, set+"-images-idx3-ubyte.gz"), 3)
	if err != nil {
		return nil, err
	}
	labs, _, _, nl, err := readIdx(filepath.Join(dir, set+"-labels-idx1-ubyte.gz"), 1)
	if err != nil {
		return nil, err
	}
	if nl != n {
		return nil, fmt.Errorf("MNIST %s: %d images but %d labels", set, n, nl)
	}
	d := &Dataset{N: n, Features: rows * cols, X: make([]float32, len(imgs)), Labels: make([]int, n)}
	for i, p := range imgs {
		d.X[i] = float32(p) / 255
	}
	for i, l := range labs {
		if l > 9 {
			return nil, fmt.Errorf("MNIST %s: label %d of image %d is not a digit", set, l, i)
		}
		d.Labels[i] = int(l)
	}
	return d, nil
}

// readIdx reads a gzipped idx file with dims dimensions of unsigned bytes.
func readIdx(path string, dims int) (data []byte, rows, cols, n int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, 0, 0, 0, fmt.Errorf("%s: %v", path, err)
	}
	hdr := make([]uint32, 1+dims)
	if err := binary.Read(zr, binary.BigEndian, hdr); err != nil {
		return nil, 0, 0, 0, fmt.Errorf("%s: reading the header: %v", path, err)
	}
	if want := uint32(0x0800 | dims); hdr[0] != want {
		return nil, 0, 0, 0, fmt.Errorf("%s: magic %#x, want %#x (an idx file of %d-dimensional bytes)", path, hdr[0], want, dims)
	}
	n, rows, cols = int(hdr[1]), 1, 1
	if dims == 3 {
		rows, cols = int(hdr[2]), int(hdr[3])
	}
	data = make([]byte, n*rows*cols)
	if _, err := io.ReadFull(zr, data); err != nil {
		return nil, 0, 0, 0, fmt.Errorf("%s: %d items announced: %v", path, n, err)
	}
	return data, rows, cols, n, nil
}
