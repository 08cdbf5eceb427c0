package spec

import (
	"io/fs"
	"path"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"
)

// outsideSymlinks finds symlinks in a lab's folder that point out of it.
// Their targets would be read from the author's machine into images and
// workspaces (a link to ~/.ssh lands in a learner's image), and on another
// machine they point at nothing: a lab is shared as its folder.
func outsideSymlinks(fsys fs.FS, source string) yamlspec.SpecErrors {
	var errs yamlspec.SpecErrors
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		target, err := fs.ReadLink(fsys, p)
		if err != nil {
			return nil
		}
		resolved := path.Join(path.Dir(p), target)
		if path.IsAbs(target) || resolved == ".." || strings.HasPrefix(resolved, "../") {
			errs = append(errs, &yamlspec.SpecError{
				File: source + "/" + p,
				Msg:  "a symlink to " + target + ", outside the lab's folder: copy the file into the lab instead (a lab is shared as its folder, and images must not read the author's files)",
			})
		}
		return nil
	})
	return errs
}
