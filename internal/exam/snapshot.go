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
	if err := copyTree(src, tmp); err != nil {
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
	return copyTree(src, dst)
}

// copyTree copies src into dst (created if missing), keeping modes and
// symlinks as they are (never following them out of the tree).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case info.IsDir():
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			return os.Chmod(target, info.Mode().Perm()|0o700) // writable while copying
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case info.Mode().IsRegular():
			return copyFile(p, target, info.Mode().Perm())
		}
		return nil // sockets, fifos: nothing to grade
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, perm)
}
