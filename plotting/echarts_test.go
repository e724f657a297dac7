package plotting

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"testing"
)

// The compressed library is kept in the user's cache directory for the next
// program, read back only when it decompresses to the library exactly.
func TestGzippedCache(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	src := bytes.Repeat([]byte("var echarts = {};\n"), 1000)
	unzip := func(gz []byte) []byte {
		t.Helper()
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first, err := gzipped(src)
	if err != nil || !bytes.Equal(unzip(first), src) {
		t.Fatalf("gzipped: %v, or it does not decompress to the library", err)
	}
	file, err := gzippedFile()
	if err != nil {
		t.Fatal(err)
	}
	kept, err := os.ReadFile(file)
	if err != nil || !bytes.Equal(kept, first) {
		t.Fatalf("the cache %s holds %d bytes (%v), want the %d compressed", file, len(kept), err, len(first))
	}
	// Another library (a new version) or a damaged file is compressed again.
	other := append([]byte("// 5.6.1\n"), src...)
	if gz, err := gzipped(other); err != nil || !bytes.Equal(unzip(gz), other) {
		t.Fatalf("after the library changed, gzipped gave another library (%v)", err)
	}
	if err := os.WriteFile(file, []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if gz, err := gzipped(src); err != nil || !bytes.Equal(unzip(gz), src) {
		t.Fatalf("with a damaged cache, gzipped: %v", err)
	}
}
