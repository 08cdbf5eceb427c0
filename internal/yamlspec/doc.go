package yamlspec

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Doc parses text into its top mapping, or records why it cannot; what names
// the expected top level in the message ("id: ..., title: ...").
func (w *Walker) Doc(text, what string) (root *yaml.Node) {
	defer func() {
		// yaml.v3 has panicked on odd input before; a bad file is not a crash.
		if r := recover(); r != nil {
			w.Errorf(nil, "", "invalid YAML: %v", r)
			root = nil
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		line, msg := errLine(err)
		w.Errs = append(w.Errs, &SpecError{File: w.File, Line: line, Msg: "invalid YAML: " + msg})
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		w.Errorf(nil, "", "the file is empty")
		return nil
	}
	root = Deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		w.Errorf(root, "", "expected a mapping (%s), got %s", what, Describe(root))
		return nil
	}
	return root
}

var errLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// errLine splits "yaml: line N: msg". yaml.v3 counts lines from 0 in its
// parser's errors (its scanner's are right), so those get one added.
func errLine(err error) (int, string) {
	msg := err.Error()
	m := errLineRE.FindStringSubmatch(msg)
	if m == nil {
		return 0, strings.TrimPrefix(msg, "yaml: ")
	}
	n, _ := strconv.Atoi(m[1])
	if slices.ContainsFunc(parserErrors, func(p string) bool { return strings.HasPrefix(m[2], p) }) {
		n++
	}
	return n, m[2]
}

var parserErrors = []string{
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected key",
	"did not find expected '-' indicator",
	"did not find expected ',' or",
	"found undefined tag handle",
	"found incompatible YAML document",
	"found duplicate %",
}
