package treecopy

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestCopy(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "copy")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(src, "bin"), 0o750))
	must(os.WriteFile(filepath.Join(src, "bin", "run.sh"), []byte("#!/bin/sh\n"), 0o755))
	must(os.WriteFile(filepath.Join(src, "notes.txt"), []byte("hi"), 0o600))
	old := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	must(os.Chtimes(filepath.Join(src, "notes.txt"), old, old))
	must(os.Symlink("/etc/passwd", filepath.Join(src, "outside")))
	must(Copy(src, dst))

	for name, want := range map[string]os.FileMode{"bin": os.ModeDir | 0o750, "bin/run.sh": 0o755, "notes.txt": 0o600} {
		info, err := os.Lstat(filepath.Join(dst, name))
		must(err)
		if info.Mode() != want {
			t.Errorf("%s: mode %v, want %v", name, info.Mode(), want)
		}
	}
	if info, _ := os.Stat(filepath.Join(dst, "notes.txt")); !info.ModTime().Equal(old) {
		t.Errorf("notes.txt: modified %v, want %v", info.ModTime(), old)
	}
	if link, err := os.Readlink(filepath.Join(dst, "outside")); err != nil || link != "/etc/passwd" {
		t.Errorf("symlink: %q %v, want it copied as a link, not followed", link, err)
	}
	if err := Copy(src, dst); err == nil {
		t.Error("copying over existing files: no error, want one (never overwritten)")
	}
}
