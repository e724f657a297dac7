package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n []string
	for _, e := range es {
		n = append(n, e.Name())
	}
	return n
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	if err := WriteBytes(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "two" {
		t.Fatalf("read %q, %v; want two", b, err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if n := names(t, dir); len(n) != 1 {
		t.Errorf("the directory holds %v, want only a.txt", n)
	}
}

func TestWriteErrorKeepsOldFileAndNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	if err := WriteBytes(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(path, func(w io.Writer) error { io.WriteString(w, "half"); return boom })
	if !errors.Is(err, boom) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("error %v: want disk full, not naming the temporary file", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("a failed write changed the file to %q", b)
	}
	if n := names(t, dir); len(n) != 1 {
		t.Errorf("a failed write left %v", n)
	}
}

func TestWriteBadPaths(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"", "the file name is empty"},
		{filepath.Join(t.TempDir(), "no", "such", "x"), "does not exist: create it first (os.MkdirAll)"},
	} {
		if err := WriteBytes(c.path, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("WriteBytes(%q): %v, want an error saying %q", c.path, err, c.want)
		}
	}
}

// A writer that was killed leaves its temporary file; the next Write to the same place
// removes it, and leaves alone the temporary file of a writer still alive (this process).
func TestWriteRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("sleep", "0")
	if err := cmd.Run(); err != nil {
		t.Fatalf("running sleep to make a dead pid: %v", err)
	}
	dead := filepath.Join(dir, fmt.Sprintf(".m.bin.tmp-%d-1", cmd.Process.Pid))
	live := filepath.Join(dir, fmt.Sprintf(".m.bin.tmp-%d-2", os.Getpid()))
	other := filepath.Join(dir, ".other.tmp-1-1")
	for _, f := range []string{dead, live, other} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteBytes(filepath.Join(dir, "m.bin"), []byte("m")); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(names(t, dir), " ")
	want := strings.Join([]string{filepath.Base(live), filepath.Base(other), "m.bin"}, " ")
	if got != want {
		t.Errorf("after the write the directory holds %q, want %q", got, want)
	}
}
