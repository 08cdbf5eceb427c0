package exam

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/opslab/opslab/internal/treecopy"
)

// Snapshot copies the workspace src to dst (which must not exist) and
// returns the digest of the copy. The copy is what is graded: work done in
// src after the snapshot does not count.
func Snapshot(src, dst string) (string, error) {
	if _, err := os.Lstat(dst); err == nil {
		return "", fmt.Errorf("snapshot %s already exists", dst)
	}
	tmp := dst + ".partial"
	_ = os.RemoveAll(tmp)
	if err := treecopy.Copy(src, tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return "", fmt.Errorf("snapshotting the workspace %s: %w", src, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return "", err
	}
	return DigestDir(dst)
}

// DigestDir is the sha256 (hex) of a folder tree: every entry by sorted
// slash path, with its kind, permission bits and content (a symlink's target).
func DigestDir(dir string) (string, error) {
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("digest of %s: %w", dir, err)
	}
	slices.Sort(names)
	h := sha256.New()
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		info, err := os.Lstat(p)
		if err != nil {
			return "", err
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(h, "L %q %q\n", name, target)
		case info.IsDir():
			fmt.Fprintf(h, "D %q %o\n", name, info.Mode().Perm())
		case info.Mode().IsRegular():
			fmt.Fprintf(h, "F %q %o %d\n", name, info.Mode().Perm(), info.Size())
			if err := hashFile(h, p); err != nil {
				return "", err
			}
		default:
			fmt.Fprintf(h, "O %q %s\n", name, info.Mode().Type())
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(w io.Writer, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// Restore makes the workspace dst hold exactly the snapshot src, in place
// (nodes bind-mount the folder itself, so it is emptied, not replaced).
func Restore(src, dst string) error {
	entries, err := os.ReadDir(dst)
	if err != nil {
		return fmt.Errorf("restoring the snapshot into %s: %w", dst, err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dst, e.Name())); err != nil {
			return fmt.Errorf("restoring the snapshot into %s: %w", dst, err)
		}
	}
	return treecopy.Copy(src, dst)
}
