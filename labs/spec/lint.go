package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/opslab/opslab/internal/yamlspec"
)

// Lint checks every lab of a catalog (a folder of labs, or one lab's own
// folder): the strict parse with every choice of every param, plus what only
// matters to authors — README.md, the folder name, a solution when there are
// tasks, mounts of folders that exist, Dockerfiles built FROM ${BASE_IMAGE}.
// An empty result means the content is good.
func Lint(c *Catalog) yamlspec.SpecErrors {
	if len(c.ids) == 0 {
		return yamlspec.SpecErrors{{File: c.source, Msg: "no labs here: a lab is a folder with a " + LabFile}}
	}
	var errs yamlspec.SpecErrors
	for _, id := range c.ids {
		dir, _ := c.labDir(id)
		errs = append(errs, lintLab(dir, id)...)
	}
	return errs
}

func lintLab(dir Dir, folder string) yamlspec.SpecErrors {
	l := &linter{fsys: dir.FS, source: dir.Source, seen: map[string]bool{}}
	lab, err := loadLab(dir, folder, nil, false)
	l.add(err)
	if !isFile(dir.FS, "README.md") {
		l.report(&yamlspec.SpecError{File: dir.Source + "/README.md", Msg: "missing: it holds the instructions learners read (opslab show)"})
	}
	if lab == nil {
		return l.errs
	}
	// Every choice must make a valid lab, not just the one picked this time.
	for _, p := range lab.Params {
		for _, choice := range p.Choices {
			_, err := loadLab(dir, folder, map[string]string{p.Name: choice}, false)
			l.add(err)
		}
	}
	ref, others := Solutions(lab)
	for _, o := range others {
		_, err := ParseAttempt(lab, o)
		l.add(err)
	}
	if len(lab.Tasks) > 0 && ref == "" {
		l.report(&yamlspec.SpecError{File: dir.Source + "/" + SolutionDir, Msg: "missing: a lab with tasks needs a reference solution for `opslab test`"})
	}
	l.mounts(lab)
	l.dockerfiles(lab)
	l.hiddenChecks(lab)
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
