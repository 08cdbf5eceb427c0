package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// LabFile is the lab definition inside a lab's folder.
const LabFile = "lab.yaml"

// Levels are the difficulty levels a lab can have, easiest first.
var Levels = []string{"beginner", "intermediate", "advanced"}

// topLevel names what a lab.yaml holds, for "expected a mapping" messages.
const topLevel = "id: ..., title: ..., nodes: ..."

// nameRE is the syntax of lab ids and node names: they become Docker names and labels.
var nameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// ParseLab reads, templates and validates fsys/lab.yaml. fsys is rooted at the
// lab's folder; source names that folder in messages ("content/lb-basics").
// params overrides the lab's param defaults. Problems in the file come back as
// yamlspec.SpecErrors (every one found, each with file:line); problems with
// params as a *UsageError.
func ParseLab(fsys fs.FS, source string, params map[string]string) (*Lab, error) {
	return parseLab(Dir{FS: fsys, Source: source}, params, true)
}

// Dir is where one lab's files are: its own folder, and the catalog's shared
// image folders its nodes may build from.
type Dir struct {
	FS           fs.FS
	Source       string // e.g. "content/lb-basics"
	Shared       fs.FS  // nil: the catalog has no SharedDir
	SharedSource string // e.g. "content/_shared"
}

// parseLab can skip the digest: listing labs need not hash their images.
func parseLab(dir Dir, params map[string]string, digest bool) (lab *Lab, err error) {
	fsys, source := dir.FS, dir.Source
	file := source + "/" + LabFile
	raw, err := readLabFile(fsys)
	if err != nil {
		return nil, yamlspec.SpecErrors{{File: file, Msg: "cannot read the lab file: " + errMsg(err)}}
	}
	text := string(raw)

	// Pass 1: read the param declarations, with every reference stubbed out
	// so an unquoted {{ .port }} does not break the YAML.
	w := newWalker(file)
	stub := template{lookup: func(string) (string, bool) { return "0", true }}
	stubbed := stub.expand(text, func(line int, msg string) {
		w.Errs = append(w.Errs, &yamlspec.SpecError{File: file, Line: line, Msg: msg})
	})
	if len(w.Errs) > 0 {
		return nil, w.Errs
	}
	root := w.Doc(stubbed, topLevel)
	if root == nil {
		return nil, w.Errs
	}
	decls := w.params(paramsNode(root), "params")
	if len(w.Errs) > 0 {
		return nil, w.Errs
	}
	values, err := ResolveParams(decls, params)
	if err != nil {
		return nil, err
	}

	// Pass 2: the real values, then the strict decode.
	grade := drawGradeValues()
	t := template{
		lookup: lookupParam(values, grade),
		known:  paramList(decls) + "; built in: " + strings.Join(GradeValueNames, ", "),
	}
	text = t.expand(text, func(line int, msg string) {
		w.Errs = append(w.Errs, &yamlspec.SpecError{File: file, Line: line, Msg: msg})
	})
	if len(w.Errs) > 0 {
		return nil, w.Errs
	}
	if root = w.Doc(text, topLevel); root == nil {
		return nil, w.Errs
	}
	p := &labParser{walker: w, dir: dir}
	lab = p.lab(root)
	if len(w.Errs) > 0 {
		slices.SortStableFunc(w.Errs, func(a, b *yamlspec.SpecError) int { return a.Line - b.Line })
		return nil, w.Errs
	}
	if errs := outsideSymlinks(fsys, source); len(errs) > 0 {
		return nil, errs
	}
	lab.Params, lab.Values, lab.GradeValues = decls, values, grade
	lab.FS, lab.Source, lab.Shared = fsys, source, dir.Shared
	if !digest {
		return lab, nil
	}
	if lab.Digest, err = ComputeDigest(fsys, sharedDirs(lab)...); err != nil {
		return nil, fmt.Errorf("lab %s: %w", source, err)
	}
	return lab, nil
}

func paramsNode(root *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "params" {
			return yamlspec.Deref(root.Content[i+1])
		}
	}
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
}

// errMsg drops the Go-internal prefix of a path error: people know the file.
func errMsg(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
