package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestRemoveStalePipes(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	stale := filepath.Join(dir, "gonb_pipe_1")
	held := filepath.Join(dir, "gonb_pipe_2")
	plain := filepath.Join(dir, "gonb_pipe_3")
	for _, p := range []string{stale, held} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(plain, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(held, os.O_RDWR, 0) // O_RDWR does not block on a FIFO on Linux
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	removeStalePipes(dir, start)
	if _, err := os.Lstat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale pipe is still there (%v)", err)
	}
	for _, p := range []string{held, plain} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
}
