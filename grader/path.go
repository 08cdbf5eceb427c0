package grader

import (
	"fmt"
	"strconv"
	"strings"
)

// splitPath parses ".a.b[0].c" into keys and indexes. It is deliberately
// small (no filters): checks name one value, the matcher does the rest.
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
			out = append(out, s[:end])
			s = s[end:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, fmt.Errorf("path %q has an unclosed [", p)
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

// lookup walks a decoded JSON/YAML document; found is false when a key or
// index does not exist.
func lookup(doc any, p string) (v any, found bool) {
	parts, err := splitPath(p)
	if err != nil {
		return nil, false
	}
	v = doc
	for _, part := range parts {
		switch k := part.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[k]; !ok {
				return nil, false
			}
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil, false
			}
			v = l[k]
		}
	}
	return v, true
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
