package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/opslab/opslab/internal/yamlspec"
)

// Lint checks every lab in a catalog folder, or one lab when fsys is a lab's
// own folder (it has a lab.yaml): the strict parse with every choice of every
// param, plus what only matters to authors — README.md, the folder name,
// a solution when there are tasks, mounts of folders that exist, Dockerfiles
// built FROM ${BASE_IMAGE}. An empty result means the content is good.
func Lint(fsys fs.FS, source string) yamlspec.SpecErrors {
	if isFile(fsys, LabFile) {
		return lintLab(fsys, source, singleLabID(fsys, source))
	}
	c, err := LoadCatalog(fsys, source)
	if err != nil {
		return yamlspec.SpecErrors{{File: source, Msg: err.Error()}}
	}
	if len(c.ids) == 0 {
		return yamlspec.SpecErrors{{File: source, Msg: "no labs here: a lab is a folder with a " + LabFile}}
	}
	var errs yamlspec.SpecErrors
	for _, id := range c.ids {
		sub, src, _ := c.Dir(id)
		errs = append(errs, lintLab(sub, src, id)...)
	}
	return errs
}

func lintLab(fsys fs.FS, source, folder string) yamlspec.SpecErrors {
	l := &linter{fsys: fsys, source: source, seen: map[string]bool{}}
	lab, err := loadLab(fsys, source, folder, nil, false)
	l.add(err)
	if !isFile(fsys, "README.md") {
		l.report(&yamlspec.SpecError{File: source + "/README.md", Msg: "missing: it holds the instructions learners read (opslab show)"})
	}
	if lab == nil {
		return l.errs
	}
	// Every choice must make a valid lab, not just the one picked this time.
	for _, p := range lab.Params {
		for _, choice := range p.Choices {
			_, err := loadLab(fsys, source, folder, map[string]string{p.Name: choice}, false)
			l.add(err)
		}
	}
	ref, _ := Solutions(lab)
	if len(lab.Tasks) > 0 && ref == "" {
		l.report(&yamlspec.SpecError{File: source + "/" + SolutionDir, Msg: "missing: a lab with tasks needs a reference solution for `opslab test`"})
	}
	l.mounts(lab)
	l.dockerfiles(lab)
	return l.errs
}

type linter struct {
	fsys   fs.FS
	source string
	errs   yamlspec.SpecErrors
	seen   map[string]bool // the same problem found with several param choices is one problem
}

func (l *linter) report(e *yamlspec.SpecError) {
	if key := e.Error(); !l.seen[key] {
		l.seen[key] = true
		l.errs = append(l.errs, e)
	}
}

func (l *linter) add(err error) {
	var many yamlspec.SpecErrors
	var one *yamlspec.SpecError
	switch {
	case err == nil:
	case errors.As(err, &many):
		for _, e := range many {
			l.report(e)
		}
	case errors.As(err, &one):
		l.report(one)
	default:
		l.report(&yamlspec.SpecError{File: l.source + "/" + LabFile, Msg: err.Error()})
	}
}

// mounts checks that every mounted workspace path is a folder of workspace/:
// editors save by replacing a file, and a bind mount of a single file keeps
// showing the old one, so the learner's fix never reaches the node.
func (l *linter) mounts(lab *Lab) {
	file := l.source + "/" + LabFile
	for i, n := range lab.Nodes {
		for j, m := range n.Mounts {
			field := fmt.Sprintf("nodes[%d].mounts[%d].workspace", i, j)
			st, err := fs.Stat(l.fsys, path.Join(WorkspaceDir, m.Workspace))
			switch {
			case err != nil:
				l.report(&yamlspec.SpecError{File: file, Line: n.Line, Field: field,
					Msg: fmt.Sprintf("%s/%s does not exist in the lab folder", WorkspaceDir, m.Workspace)})
			case !st.IsDir():
				l.report(&yamlspec.SpecError{File: file, Line: n.Line, Field: field,
					Msg: fmt.Sprintf("%q is a file: mount its folder instead (editors replace files, and a single-file mount keeps the old one)", m.Workspace)})
			}
		}
	}
}
