package grader

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

var matcherOps = map[string]bool{
	"equal": true, "contain": true, "match-regexp": true,
	"gt": true, "lt": true, "ge": true, "le": true,
	"not": true, "and": true, "or": true, "have-len": true,
	"any": true, "all": true,
}

// matcher parses a matcher node: a bare scalar means equal, a mapping names
// operators (several keys mean all of them must hold).
func (w *walker) matcher(n *yaml.Node, path string) *Matcher {
	n = yamlspec.Deref(n)
	if n != nil && n.Kind == yaml.ScalarNode {
		return &Matcher{Op: "equal", value: n.Value, tag: n.Tag, Line: n.Line}
	}
	if n == nil || n.Kind != yaml.MappingNode {
		w.Errorf(n, path, "expected a value or a matcher (%s), got %s", yamlspec.KnownKeys(matcherOps), yamlspec.Describe(n))
		return nil
	}
	return w.matcherPairs(n, n.Content, path)
}

// matcherPairs parses key/value pairs of matcher operators; callers that embed
// a matcher next to other keys (json: {path, equal}) pass the remaining pairs.
func (w *walker) matcherPairs(at *yaml.Node, pairs []*yaml.Node, path string) *Matcher {
	var ms []*Matcher
	for i := 0; i+1 < len(pairs); i += 2 {
		if m := w.matcherOp(pairs[i], yamlspec.Deref(pairs[i+1]), yamlspec.JoinPath(path, pairs[i].Value)); m != nil {
			ms = append(ms, m)
		}
	}
	switch len(ms) {
	case 0:
		if len(pairs) == 0 {
			w.Errorf(at, path, "expected a matcher (%s)", yamlspec.KnownKeys(matcherOps))
		}
		return nil
	case 1:
		return ms[0]
	}
	return &Matcher{Op: "and", subs: ms, Line: at.Line}
}

func (w *walker) matcherOp(k, v *yaml.Node, path string) *Matcher {
	op := k.Value
	m := &Matcher{Op: op, Line: k.Line}
	switch op {
	case "equal":
		s, ok := w.Scalar(v, path, "a value")
		if !ok {
			return nil
		}
		m.value, m.tag = s, v.Tag
	case "contain":
		w.Strs(v, path, &m.values)
		if len(m.values) == 0 {
			return nil
		}
	case "match-regexp":
		s, ok := w.Scalar(v, path, "a regular expression")
		if !ok {
			return nil
		}
		re, err := regexp.Compile(s)
		if err != nil {
			w.Errorf(v, path, "invalid regular expression %q: %v", s, err)
			return nil
		}
		m.value, m.re = s, re
	case "gt", "lt", "ge", "le":
		s, ok := w.Scalar(v, path, "a number or a duration")
		if !ok {
			return nil
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			m.num = f
		} else if d, err := time.ParseDuration(s); err == nil {
			m.dur, m.isDur = d, true
		} else {
			w.Errorf(v, path, "expected a number or a duration like \"500ms\", got %q", s)
			return nil
		}
	case "not", "have-len", "any", "all":
		sub := w.matcher(v, path)
		if sub == nil {
			return nil
		}
		m.subs = []*Matcher{sub}
	case "and", "or":
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			w.Errorf(v, path, "expected a non-empty list of matchers, got %s", yamlspec.Describe(v))
			return nil
		}
		for i, c := range v.Content {
			if sub := w.matcher(c, fmt.Sprintf("%s[%d]", path, i)); sub != nil {
				m.subs = append(m.subs, sub)
			}
		}
		if len(m.subs) != len(v.Content) {
			return nil
		}
	default:
		w.Errorf(k, path, "unknown matcher %q (known: %s)", op, yamlspec.KnownKeys(matcherOps))
		return nil
	}
	return m
}
