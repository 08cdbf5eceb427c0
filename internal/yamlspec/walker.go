package yamlspec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// MaxAliasUses bounds how many aliased values one file may use. Each use is
// walked again, so a few nested anchors (a "YAML bomb") would otherwise make
// the walk exponential.
const MaxAliasUses = 1000

// Walker collects the problems of one file.
type Walker struct {
	File string
	Errs SpecErrors

	aliasUses int
}

// Errorf records a problem at n (nil: the file as a whole) in field.
func (w *Walker) Errorf(n *yaml.Node, field, format string, a ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	w.Errs = append(w.Errs, &SpecError{File: w.File, Line: line, Field: field, Msg: fmt.Sprintf(format, a...)})
}

// Deref follows an alias to its anchor; chains are capped, as a cycle would never end.
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// value is Deref that counts alias uses and refuses past MaxAliasUses.
func (w *Walker) value(n *yaml.Node, path string) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		w.aliasUses++
		if w.aliasUses == MaxAliasUses+1 {
			w.Errorf(n, path, "more than %d uses of YAML aliases: write the values out", MaxAliasUses)
		}
		if w.aliasUses > MaxAliasUses {
			return nil
		}
	}
	return Deref(n)
}

// FieldFunc decodes the value of one known key; path is "nodes[0].ports".
type FieldFunc func(v *yaml.Node, path string)

// Fields walks a mapping, calling fn for known keys (a nil fn: known, read
// elsewhere) and reporting unknown or repeated ones. It returns the key node
// of every field seen.
func (w *Walker) Fields(n *yaml.Node, path string, fns map[string]FieldFunc) map[string]*yaml.Node {
	n = Deref(n)
	seen := map[string]*yaml.Node{}
	if n == nil || n.Kind != yaml.MappingNode {
		w.Errorf(n, path, "expected a mapping, got %s", Describe(n))
		return seen
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		fp := JoinPath(path, k.Value)
		fn, ok := fns[k.Value]
		if !ok {
			w.Errorf(k, fp, "unknown field %q (known: %s)", k.Value, KnownKeys(fns))
			continue
		}
		if _, dup := seen[k.Value]; dup {
			w.Errorf(k, fp, "field %q given twice", k.Value)
			continue
		}
		seen[k.Value] = k
		if fn == nil {
			continue
		}
		if v = w.value(v, fp); v != nil {
			fn(v, fp)
		}
	}
	return seen
}

// Required reports every key of keys that Fields did not see.
func (w *Walker) Required(n *yaml.Node, path string, seen map[string]*yaml.Node, keys ...string) {
	for _, k := range keys {
		if _, ok := seen[k]; !ok {
			w.Errorf(n, JoinPath(path, k), "required field is missing")
		}
	}
}

// List calls fn for every item of a sequence.
func (w *Walker) List(n *yaml.Node, path string, fn func(i int, item *yaml.Node, path string)) {
	if n == nil || n.Kind != yaml.SequenceNode {
		w.Errorf(n, path, "expected a list, got %s", Describe(n))
		return
	}
	for i, c := range n.Content {
		ip := fmt.Sprintf("%s[%d]", path, i)
		if c = w.value(c, ip); c != nil {
			fn(i, c, ip)
		}
	}
}

// Scalar is n's value when it is a scalar; otherwise it reports what was expected.
func (w *Walker) Scalar(n *yaml.Node, path, what string) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		w.Errorf(n, path, "expected %s, got %s", what, Describe(n))
		return "", false
	}
	return n.Value, true
}

func (w *Walker) Str(n *yaml.Node, path string, dst *string) {
	if s, ok := w.Scalar(n, path, "a string"); ok {
		*dst = s
	}
}

func (w *Walker) Bool(n *yaml.Node, path string, dst *bool) {
	s, ok := w.Scalar(n, path, "true or false")
	if !ok {
		return
	}
	b, err := strconv.ParseBool(s)
	if err != nil || n.Tag != "!!bool" {
		w.Errorf(n, path, "expected true or false, got %q", s)
		return
	}
	*dst = b
}

// Int decodes an integer; what says what it counts ("a port number").
func (w *Walker) Int(n *yaml.Node, path, what string, dst *int) bool {
	s, ok := w.Scalar(n, path, what)
	if !ok {
		return false
	}
	i, err := strconv.Atoi(s)
	if err != nil {
		w.Errorf(n, path, "expected %s, got %q", what, s)
		return false
	}
	*dst = i
	return true
}

func (w *Walker) Number(n *yaml.Node, path string, dst *float64) {
	s, ok := w.Scalar(n, path, "a number")
	if !ok {
		return
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		w.Errorf(n, path, "expected a number, got %q", s)
		return
	}
	*dst = f
}

// Duration decodes a positive Go duration ("500ms", "20s").
func (w *Walker) Duration(n *yaml.Node, path string, dst *time.Duration) {
	s, ok := w.Scalar(n, path, `a duration like "500ms" or "20s"`)
	if !ok {
		return
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		w.Errorf(n, path, "expected a positive duration like \"500ms\" or \"20s\", got %q", s)
		return
	}
	*dst = d
}

// Strs accepts one string or a list of strings: authors write both.
func (w *Walker) Strs(n *yaml.Node, path string, dst *[]string) {
	if n != nil && n.Kind == yaml.ScalarNode {
		*dst = []string{n.Value}
		return
	}
	if n == nil || n.Kind != yaml.SequenceNode {
		w.Errorf(n, path, "expected a string or a list of strings, got %s", Describe(n))
		return
	}
	w.List(n, path, func(_ int, item *yaml.Node, p string) {
		var s string
		w.Str(item, p, &s)
		*dst = append(*dst, s)
	})
}

// StringMap decodes a mapping of strings; a key given twice is an error.
func (w *Walker) StringMap(n *yaml.Node, path string, dst *map[string]string) {
	if n == nil || n.Kind != yaml.MappingNode {
		w.Errorf(n, path, "expected a mapping of strings, got %s", Describe(n))
		return
	}
	*dst = map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		kp := JoinPath(path, k.Value)
		if _, dup := (*dst)[k.Value]; dup {
			w.Errorf(k, kp, "key %q given twice", k.Value)
			continue
		}
		var s string
		if v := w.value(n.Content[i+1], kp); v != nil {
			w.Str(v, kp, &s)
		}
		(*dst)[k.Value] = s
	}
}

// JoinPath extends a field path: "nodes[0]" + "ports" = "nodes[0].ports".
func JoinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// KnownKeys lists a map's keys, sorted, for "known: ..." messages.
func KnownKeys[V any](m map[string]V) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}

// Describe says what a node is, for "expected X, got Y" messages.
func Describe(n *yaml.Node) string {
	n = Deref(n)
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
