package labs

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/opslab/opslab/grader"
)

// LabFile is the lab definition inside a lab's folder.
const LabFile = "lab.yaml"

// Levels are the difficulty levels a lab can have, easiest first.
var Levels = []string{"beginner", "intermediate", "advanced"}

// nameRE is the syntax of lab ids and node names: they become Docker names and labels.
var nameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// ParseLab reads, templates and validates fsys/lab.yaml. fsys is rooted at the
// lab's folder; source names that folder in messages ("content/lb-basics").
// params overrides the lab's param defaults. Problems in the file come back as
// grader.SpecErrors (every one found, each with file:line); problems with
// params as a *UsageError.
func ParseLab(fsys fs.FS, source string, params map[string]string) (*Lab, error) {
	return parseLab(fsys, source, params, true)
}

// parseLab can skip the digest: listing labs need not hash their images.
func parseLab(fsys fs.FS, source string, params map[string]string, digest bool) (lab *Lab, err error) {
	file := source + "/" + LabFile
	raw, err := fs.ReadFile(fsys, LabFile)
	if err != nil {
		return nil, grader.SpecErrors{{File: file, Msg: "cannot read the lab file: " + errMsg(err)}}
	}
	text := string(raw)

	// Pass 1: read the param declarations, with every reference stubbed out
	// so an unquoted {{ .port }} does not break the YAML.
	w := &walker{file: file}
	stub := template{lookup: func(string) (string, bool) { return "0", true }}
	stubbed := stub.expand(text, func(line int, msg string) {
		w.errs = append(w.errs, &grader.SpecError{File: file, Line: line, Msg: msg})
	})
	if len(w.errs) > 0 {
		return nil, w.errs
	}
	root := w.yamlDoc(stubbed)
	if root == nil {
		return nil, w.errs
	}
	decls := w.params(paramsNode(root), "params")
	if len(w.errs) > 0 {
		return nil, w.errs
	}
	values, err := ResolveParams(decls, params)
	if err != nil {
		return nil, err
	}

	// Pass 2: the real values, then the strict decode.
	t := template{
		lookup: func(name string) (string, bool) { v, ok := values[name]; return v, ok },
		known:  paramList(decls),
	}
	text = t.expand(text, func(line int, msg string) {
		w.errs = append(w.errs, &grader.SpecError{File: file, Line: line, Msg: msg})
	})
	if len(w.errs) > 0 {
		return nil, w.errs
	}
	if root = w.yamlDoc(text); root == nil {
		return nil, w.errs
	}
	p := &labParser{walker: w, fsys: fsys}
	lab = p.lab(root)
	if len(w.errs) > 0 {
		slices.SortStableFunc(w.errs, func(a, b *grader.SpecError) int { return a.Line - b.Line })
		return nil, w.errs
	}
	lab.Params, lab.Values = decls, values
	lab.FS, lab.Source = fsys, source
	if !digest {
		return lab, nil
	}
	if lab.Digest, err = ComputeDigest(fsys); err != nil {
		return nil, fmt.Errorf("lab %s: %w", source, err)
	}
	return lab, nil
}

// yamlDoc parses text into its top mapping, or records why it cannot.
func (w *walker) yamlDoc(text string) (root *yaml.Node) {
	defer func() {
		// yaml.v3 has panicked on odd input before; a bad file is not a crash.
		if r := recover(); r != nil {
			w.errorf(nil, "", "invalid YAML: %v", r)
			root = nil
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		line, msg := yamlErrLine(err)
		w.errs = append(w.errs, &grader.SpecError{File: w.file, Line: line, Msg: "invalid YAML: " + msg})
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		w.errorf(nil, "", "the file is empty")
		return nil
	}
	root = deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		w.errorf(root, "", "expected a mapping (id: ..., title: ..., nodes: ...), got %s", describeNode(root))
		return nil
	}
	return root
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlErrLine splits "yaml: line N: msg". yaml.v3 counts lines from 0 in
// its parser's errors (its scanner's are right), so those get one added.
func yamlErrLine(err error) (int, string) {
	msg := err.Error()
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return 0, strings.TrimPrefix(msg, "yaml: ")
	}
	n, _ := strconv.Atoi(m[1])
	if slices.ContainsFunc(yamlParserErrors, func(p string) bool { return strings.HasPrefix(m[2], p) }) {
		n++
	}
	return n, m[2]
}

var yamlParserErrors = []string{
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected key",
	"did not find expected '-' indicator",
	"did not find expected ',' or",
	"found undefined tag handle",
	"found incompatible YAML document",
	"found duplicate %",
}

func paramsNode(root *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "params" {
			return deref(root.Content[i+1])
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
