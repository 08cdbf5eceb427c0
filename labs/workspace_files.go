package labs

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/opslab/opslab/labs/spec"
)

// CopyWorkspace copies the lab's workspace/ into dst (which must exist) and
// returns the paths it created, relative to dst. A file the learner already
// has is never overwritten: their work is worth more than our template.
// A copy that fails part-way (a full disk, a read-only folder) removes what it
// made: a half-written template file left behind would count as the learner's
// own on the next start and never be copied again.
func CopyWorkspace(lab *spec.Lab, dst string) (copied []string, err error) {
	if !isDir(lab.FS, spec.WorkspaceDir) {
		return nil, nil
	}
	root, err := os.OpenRoot(dst) // writes cannot escape dst through a learner's symlink
	if err != nil {
		return nil, err
	}
	defer root.Close()
	var made []string // files and folders this copy created, parents first
	err = walkTree(lab.FS, spec.WorkspaceDir, func(rel string, d fs.DirEntry) error {
		if st, err := root.Lstat(rel); err == nil {
			if d.IsDir() && !st.IsDir() {
				return fs.SkipDir // the learner has a file there: keep it, skip ours
			}
			return nil // the learner's file wins
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		made = append(made, rel)
		if err := writeEntry(root, lab.FS, path.Join(spec.WorkspaceDir, rel), rel, d, false); err != nil {
			return err
		}
		if !d.IsDir() {
			copied = append(copied, rel)
		}
		return nil
	})
	if err != nil {
		for _, rel := range slices.Backward(made) {
			_ = root.Remove(rel) // nothing here was the learner's: each did not exist before
		}
		return nil, err
	}
	return copied, nil
}

// OverlaySolution copies a solution folder ("solution" or "wrong/NAME") over
// the workspace at dst, overwriting what is there. Callers back up first.
func OverlaySolution(lab *spec.Lab, dir, dst string) error {
	ref, wrong := spec.Solutions(lab)
	if dir == "" || (dir != ref && !slices.Contains(wrong, dir)) {
		return &spec.UsageError{Msg: fmt.Sprintf("lab %s has no solution %q (%s)", lab.ID, dir, solutionList(ref, wrong))}
	}
	root, err := os.OpenRoot(dst)
	if err != nil {
		return err
	}
	defer root.Close()
	return walkTree(lab.FS, dir, func(rel string, d fs.DirEntry) error {
		if rel == spec.AttemptFile {
			return nil // what the learner did in the nodes, not a file of theirs
		}
		return writeEntry(root, lab.FS, path.Join(dir, rel), rel, d, true)
	})
}

func solutionList(ref string, wrong []string) string {
	all := wrong
	if ref != "" {
		all = append([]string{ref}, wrong...)
	}
	if len(all) == 0 {
		return "it has none"
	}
	return "it has: " + strings.Join(all, ", ")
}

// walkTree calls fn for every entry under dir, parents first, with its path
// relative to dir.
func walkTree(fsys fs.FS, dir string, fn func(rel string, d fs.DirEntry) error) error {
	return fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name == dir {
			return nil
		}
		return fn(strings.TrimPrefix(name, dir+"/"), d)
	})
}

// writeEntry creates one folder, file or symlink of the lab in root.
func writeEntry(root *os.Root, fsys fs.FS, src, rel string, d fs.DirEntry, overwrite bool) error {
	if d.IsDir() {
		err := root.Mkdir(rel, 0o755)
		if err != nil && errors.Is(err, fs.ErrExist) {
			if st, serr := root.Stat(rel); serr == nil && st.IsDir() {
				return nil
			}
			return fmt.Errorf("%s exists in the workspace and is not a folder", rel)
		}
		return err
	}
	if d.Type()&fs.ModeSymlink != 0 {
		if target, err := fs.ReadLink(fsys, src); err == nil {
			if overwrite {
				_ = root.Remove(rel)
			}
			return root.Symlink(target, rel)
		}
	}
	data, err := fs.ReadFile(fsys, src)
	if err != nil {
		return err
	}
	info, err := d.Info()
	if err != nil {
		return err
	}
	mode := fileMode(info.Mode().Perm(), data)
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if overwrite {
		if st, err := root.Lstat(rel); err == nil && !st.Mode().IsRegular() {
			if st.IsDir() {
				return fmt.Errorf("%s is a folder in the workspace; the solution has a file there", rel)
			}
			_ = root.Remove(rel) // a symlink: replace the link, not what it points to
		}
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := root.OpenFile(rel, flags, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return root.Chmod(rel, mode) // the umask must not change what the author set
}

// fileMode keeps the author's permission bits, makes the file writable by its
// owner (the learner edits it) and executable when it has a shebang: embedded
// content loses its x bits, and a script that will not run is a broken lab.
func fileMode(perm fs.FileMode, data []byte) fs.FileMode {
	mode := perm | 0o600
	if perm&0o111 != 0 || bytes.HasPrefix(data, []byte("#!")) {
		mode |= (mode & 0o444) >> 2
	}
	return mode
}

func isDir(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && st.IsDir()
}
