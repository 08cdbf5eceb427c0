package labs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/opslab/opslab/grader"
)

// walker decodes lab.yaml node by node so every problem keeps its line and
// field path, and every problem of a file is reported in one pass. It speaks
// the same message style as the grader's walker for tasks.
type walker struct {
	file string
	errs grader.SpecErrors
}

func (w *walker) errorf(n *yaml.Node, field, format string, a ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	w.errs = append(w.errs, &grader.SpecError{File: w.file, Line: line, Field: field, Msg: fmt.Sprintf(format, a...)})
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// fieldFunc decodes the value of one known key; path is "nodes[0].ports".
type fieldFunc func(v *yaml.Node, path string)

// fields walks a mapping, calling fn for known keys and reporting unknown or
// repeated ones. It returns the key node of every field seen.
func (w *walker) fields(n *yaml.Node, path string, fns map[string]fieldFunc) map[string]*yaml.Node {
	n = deref(n)
	seen := map[string]*yaml.Node{}
	if n == nil || n.Kind != yaml.MappingNode {
		w.errorf(n, path, "expected a mapping, got %s", describeNode(n))
		return seen
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		fp := joinPath(path, k.Value)
		fn, ok := fns[k.Value]
		if !ok {
			w.errorf(k, fp, "unknown field %q (known: %s)", k.Value, knownKeys(fns))
			continue
		}
		if _, dup := seen[k.Value]; dup {
			w.errorf(k, fp, "field %q given twice", k.Value)
			continue
		}
		seen[k.Value] = k
		if fn != nil {
			fn(deref(v), fp)
		}
	}
	return seen
}

func (w *walker) required(n *yaml.Node, path string, seen map[string]*yaml.Node, keys ...string) {
	for _, k := range keys {
		if _, ok := seen[k]; !ok {
			w.errorf(n, joinPath(path, k), "required field is missing")
		}
	}
}

// list calls fn for every item of a sequence.
func (w *walker) list(n *yaml.Node, path string, fn func(i int, item *yaml.Node, path string)) {
	if n == nil || n.Kind != yaml.SequenceNode {
		w.errorf(n, path, "expected a list, got %s", describeNode(n))
		return
	}
	for i, c := range n.Content {
		fn(i, deref(c), fmt.Sprintf("%s[%d]", path, i))
	}
}

func (w *walker) scalar(n *yaml.Node, path, what string) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		w.errorf(n, path, "expected %s, got %s", what, describeNode(n))
		return "", false
	}
	return n.Value, true
}

func (w *walker) str(n *yaml.Node, path string, dst *string) {
	if s, ok := w.scalar(n, path, "a string"); ok {
		*dst = s
	}
}

func (w *walker) boolean(n *yaml.Node, path string, dst *bool) {
	s, ok := w.scalar(n, path, "true or false")
	if !ok {
		return
	}
	b, err := strconv.ParseBool(s)
	if err != nil || n.Tag != "!!bool" {
		w.errorf(n, path, "expected true or false, got %q", s)
		return
	}
	*dst = b
}

func (w *walker) integer(n *yaml.Node, path, what string, dst *int) bool {
	s, ok := w.scalar(n, path, what)
	if !ok {
		return false
	}
	i, err := strconv.Atoi(s)
	if err != nil {
		w.errorf(n, path, "expected %s, got %q", what, s)
		return false
	}
	*dst = i
	return true
}

// strs accepts one string or a list of strings: authors write both.
func (w *walker) strs(n *yaml.Node, path string, dst *[]string) {
	if n != nil && n.Kind == yaml.ScalarNode {
		*dst = []string{n.Value}
		return
	}
	w.list(n, path, func(_ int, item *yaml.Node, p string) {
		var s string
		w.str(item, p, &s)
		*dst = append(*dst, s)
	})
}

func (w *walker) stringMap(n *yaml.Node, path string, dst *map[string]string) {
	if n == nil || n.Kind != yaml.MappingNode {
		w.errorf(n, path, "expected a mapping of strings, got %s", describeNode(n))
		return
	}
	*dst = map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if _, dup := (*dst)[k.Value]; dup {
			w.errorf(k, joinPath(path, k.Value), "key %q given twice", k.Value)
			continue
		}
		var s string
		w.str(deref(n.Content[i+1]), joinPath(path, k.Value), &s)
		(*dst)[k.Value] = s
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func knownKeys[V any](m map[string]V) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}

func describeNode(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return strconv.Quote(n.Value)
	}
	return "a document"
}
