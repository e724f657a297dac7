// Package atomicfile writes a file so that a reader never sees half of it and nothing is left
// behind: the content goes to a temporary file in the same directory, which is synced and then
// renamed over the target. It is the one file writer of nn (Save), plotting (Save, SavePNG,
// SaveSVG) and exercises/mkexercises.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// Write writes path with write, through a temporary file in path's directory that is synced
// and renamed over path. The temporary file is removed on every error. Its name carries the
// writer's process id, .<name>.tmp-<pid>-<random>, so that the next Write to the same place
// removes the ones a killed process left (and never one another process is still writing).
// The file is readable by everyone (0644), as os.Create makes it. Errors never name the
// temporary file; callers say which file they were writing.
func Write(path string, write func(io.Writer) error) (err error) {
	if path == "" {
		return errors.New("the file name is empty: give a path such as \"model.json\"")
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("the directory %s does not exist: create it first (os.MkdirAll)", filepath.Clean(dir))
	}
	removeStale(dir, base)
	tmp, err := os.CreateTemp(dir, fmt.Sprintf(".%s.tmp-%d-*", base, os.Getpid()))
	if err != nil {
		return fmt.Errorf("cannot create a file in %s: %v", filepath.Clean(dir), unwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = unwrapPath(err)
		}
	}()
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteBytes writes data to path as Write does.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// unwrapPath drops the *os.PathError around err, whose path is the temporary file's.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// removeStale removes the temporary files of writes to dir/base whose process is gone (killed
// during a write). Errors are ignored: a stale file that cannot be removed costs space, not
// correctness.
func removeStale(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + ".tmp-"
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || e.IsDir() {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

// processAlive says whether process pid exists (signal 0 checks without sending anything).
func processAlive(pid int) bool {
	if pid == os.Getpid() || runtime.GOOS == "windows" {
		return true // Windows has no signal 0: its stale files stay (they never replace the file)
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
