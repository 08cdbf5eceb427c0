package grader

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// splitPath parses ".a.b[0].c" into keys and indexes. It is deliberately
// small (no filters): checks name values, the matcher does the rest. A key
// "*" or an index "[*]" is a wildcard: every key of a mapping, every item
// of a list (".jobs.*.steps[*].run" is every step's run: of a workflow).
func splitPath(p string) ([]any, error) {
	if p == "." {
		return nil, nil
	}
	if !strings.HasPrefix(p, ".") && !strings.HasPrefix(p, "[") {
		return nil, fmt.Errorf("path %q must start with \".\" (like \".spec.replicas\")", p)
	}
	var out []any
	s := p
	for s != "" {
		switch s[0] {
		case '.':
			s = s[1:]
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			if end == 0 {
				return nil, fmt.Errorf("path %q has an empty key", p)
			}
			if s[:end] == "*" {
				out = append(out, wildcard{})
			} else {
				out = append(out, s[:end])
			}
			s = s[end:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, fmt.Errorf("path %q has an unclosed [", p)
			}
			if s[1:end] == "*" {
				out = append(out, wildcard{})
				s = s[end+1:]
				continue
			}
			i, err := strconv.Atoi(s[1:end])
			if err != nil || i < 0 {
				return nil, fmt.Errorf("path %q has a bad index %q", p, s[1:end])
			}
			out = append(out, i)
			s = s[end+1:]
		default:
			return nil, fmt.Errorf("path %q is malformed near %q", p, s)
		}
	}
	return out, nil
}

// wildcard is a path part that matches every key or item.
type wildcard struct{}

// lookup walks a decoded JSON/YAML document; found is false when a key or
// index does not exist. A path with a wildcard finds the list of every value
// it reaches (in document order; map keys sorted), found when there is one.
func lookup(doc any, p string) (v any, found bool) {
	parts, err := splitPath(p)
	if err != nil {
		return nil, false
	}
	if !slices.ContainsFunc(parts, func(x any) bool { _, ok := x.(wildcard); return ok }) {
		vs := walkPath(doc, parts)
		if len(vs) == 0 {
			return nil, false
		}
		return vs[0], true
	}
	vs := walkPath(doc, parts)
	return vs, len(vs) > 0
}

// walkPath returns every value parts reach from v.
func walkPath(v any, parts []any) []any {
	if len(parts) == 0 {
		return []any{v}
	}
	var out []any
	switch k := parts[0].(type) {
	case string:
		if m, ok := v.(map[string]any); ok {
			if next, ok := m[k]; ok {
				out = walkPath(next, parts[1:])
			}
		}
	case int:
		if l, ok := v.([]any); ok && k < len(l) {
			out = walkPath(l[k], parts[1:])
		}
	case wildcard:
		switch c := v.(type) {
		case map[string]any:
			for _, key := range slices.Sorted(maps.Keys(c)) {
				out = append(out, walkPath(c[key], parts[1:])...)
			}
		case []any:
			for _, item := range c {
				out = append(out, walkPath(item, parts[1:])...)
			}
		}
	}
	return out
}

// checkPaths applies path matchers to a decoded document.
func checkPaths(a *assertions, what string, doc any, pms []PathMatcher) {
	for _, pm := range pms {
		v, ok := lookup(doc, pm.Path)
		if !ok {
			v = missing("<missing>")
		}
		a.check(what+" "+pm.Path, pm.M, v)
	}
}
