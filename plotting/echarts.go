package plotting

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/dlnb/dlnb/internal/atomicfile"
)

// ECharts, the JavaScript library that draws the interactive charts, is not
// part of this repository (it is third-party code, Apache-2.0). The build
// step scripts/fetch-echarts.sh gets it from the npm registry (npm pack
// echarts@5.6.0, file package/dist/echarts.min.js) and checks its SHA-256.
// At run time the package looks for it, in order:
//
//  1. the file named by $DLNB_ECHARTS_JS;
//  2. build/echarts/echarts-5.6.0.min.js in the repository this package was
//     compiled from (where the fetch script puts it);
//  3. dlnb/echarts-5.6.0.min.js in the user's cache directory
//     (os.UserCacheDir: ~/.cache on Linux);
//  4. /usr/local/share/dlnb/echarts-5.6.0.min.js (system-wide installs, images).
//
// Every candidate is checked against the pinned SHA-256 before use.

const (
	// EChartsVersion is the version of ECharts the charts are made for.
	EChartsVersion = "5.6.0"
	// EChartsEnv names the environment variable that points at echarts.min.js.
	EChartsEnv = "DLNB_ECHARTS_JS"

	echartsFile   = "echarts-" + EChartsVersion + ".min.js"
	echartsSHA256 = "bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1"
)

// ErrNoECharts is returned (wrapped) when echarts.min.js cannot be found.
// Charts still display in a notebook without it, as static images.
var ErrNoECharts = errors.New("echarts.min.js not found")

// echartsCandidates lists where echarts.min.js may be, in order.
func echartsCandidates() []string {
	var c []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		repo := filepath.Dir(filepath.Dir(file))
		c = append(c, filepath.Join(repo, "build", "echarts", echartsFile))
	}
	if dir, err := os.UserCacheDir(); err == nil {
		c = append(c, filepath.Join(dir, "dlnb", echartsFile))
	}
	return append(c, filepath.Join("/usr/local/share/dlnb", echartsFile))
}

// EChartsPath returns the path of the echarts.min.js the charts use, or an
// error that says where it looked and how to get the file.
func EChartsPath() (string, error) {
	if p := os.Getenv(EChartsEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("plotting: $%s=%s: %w: point it at echarts.min.js (ECharts %s), or unset it", EChartsEnv, p, ErrNoECharts, EChartsVersion)
		}
		return p, nil
	}
	cands := echartsCandidates()
	for _, p := range cands {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("plotting: %w (looked in %v): run scripts/fetch-echarts.sh in the dlnb repository (it uses npm), or set $%s to the file", ErrNoECharts, cands, EChartsEnv)
}

// echartsLib is the library, read and checked once per process.
type echartsLib struct {
	src    []byte // echarts.min.js
	gzip64 string // gzip-compressed, base64: what a notebook output carries
}

var (
	libMu    sync.Mutex
	libCache = map[string]*echartsLib{}
)

// loadECharts finds, reads and checks echarts.min.js.
func loadECharts() (*echartsLib, error) {
	path, err := EChartsPath()
	if err != nil {
		return nil, err
	}
	libMu.Lock()
	defer libMu.Unlock()
	if lib, ok := libCache[path]; ok {
		return lib, nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("plotting: reading ECharts: %w", err)
	}
	sum := sha256.Sum256(src)
	if got := hex.EncodeToString(sum[:]); got != echartsSHA256 {
		return nil, fmt.Errorf("plotting: %s is not ECharts %s's echarts.min.js (sha256 %s, want %s): run scripts/fetch-echarts.sh again", path, EChartsVersion, got, echartsSHA256)
	}
	gz, err := gzipped(src)
	if err != nil {
		return nil, err
	}
	lib := &echartsLib{src: src, gzip64: base64.StdEncoding.EncodeToString(gz)}
	libCache[path] = lib
	return lib, nil
}

// gzippedFile is where gzipped keeps the compressed library between
// programs: in the user's cache directory, beside a fetched copy (see
// echartsCandidates).
func gzippedFile() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "dlnb", echartsFile+".gz"), nil
}

// gzipped returns ECharts compressed at gzip's best level, as a notebook
// output carries it. Compressing its 1 MB takes about 0.1 s, in every cell
// that shows a chart (each cell is a new program), so the result is kept in
// gzippedFile and read back by the next program, which checks that it
// decompresses to src exactly (a few ms). The file is only a cache: when it
// cannot be read or written, the library is compressed here, as before.
func gzipped(src []byte) ([]byte, error) {
	file, ferr := gzippedFile()
	if ferr == nil {
		if gz, err := os.ReadFile(file); err == nil {
			if zr, err := gzip.NewReader(bytes.NewReader(gz)); err == nil {
				if got, err := io.ReadAll(zr); err == nil && bytes.Equal(got, src) {
					return gz, nil
				}
			}
		}
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(src); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if ferr == nil && os.MkdirAll(filepath.Dir(file), 0o755) == nil {
		_ = atomicfile.Write(file, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }) // a cache: the next program compresses again if this fails
	}
	return buf.Bytes(), nil
}
