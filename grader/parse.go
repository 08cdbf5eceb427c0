package grader

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// Default timings, chosen so a slow laptop still grades a healthy lab.
const (
	DefaultAttemptTimeout = 10 * time.Second
	defaultInterval       = time.Second
	defaultEventually     = 30 * time.Second
	defaultConsistently   = 5 * time.Second
)

// kindParsers is the registry of check kinds: the key is the YAML kind key.
var kindParsers = map[string]func(w *walker, n *yaml.Node, path string) CheckSpec{
	"command":   parseCommand,
	"file":      parseFile,
	"http":      parseHTTP,
	"port":      parsePort,
	"process":   parseProcess,
	"container": parseContainer,
	"promql":    parsePromQL,
	"alert":     parseAlert,
	"git":       parseGit,
	"sli":       parseSLI,
	"log":       parseLog,
	"compare":   parseCompare,
}

// ParseTasks decodes the `tasks:` sequence of a lab file. Unknown fields are
// errors; it returns every problem it finds as yamlspec.SpecErrors, each with file:line.
func ParseTasks(file string, node *yaml.Node) ([]Task, error) {
	w := newWalker(file)
	node = yamlspec.Deref(node)
	if node != nil && node.Kind == yaml.DocumentNode && len(node.Content) > 0 {
		node = yamlspec.Deref(node.Content[0])
	}
	if node == nil || (node.Kind == yaml.ScalarNode && node.Tag == "!!null") {
		return nil, nil
	}
	if node.Kind != yaml.SequenceNode {
		w.Errorf(node, "tasks", "expected a list of tasks, got %s", yamlspec.Describe(node))
		return nil, w.Errs.Err()
	}
	tasks := make([]Task, 0, len(node.Content))
	for i, n := range node.Content {
		tasks = append(tasks, w.task(yamlspec.Deref(n), fmt.Sprintf("tasks[%d]", i)))
	}
	if len(w.Errs) > 0 {
		sort.SliceStable(w.Errs, func(i, j int) bool { return w.Errs[i].Line < w.Errs[j].Line })
		return nil, w.Errs
	}
	return tasks, nil
}

func (w *walker) task(n *yaml.Node, path string) Task {
	t := Task{Line: n.Line}
	seen := w.Fields(n, path, map[string]yamlspec.FieldFunc{
		"id":       func(v *yaml.Node, p string) { w.Str(v, p, &t.ID) },
		"title":    func(v *yaml.Node, p string) { w.Str(v, p, &t.Title) },
		"points":   func(v *yaml.Node, p string) { w.Number(v, p, &t.Points) },
		"required": func(v *yaml.Node, p string) { w.Bool(v, p, &t.Required) },
		"hints":    func(v *yaml.Node, p string) { w.Strs(v, p, &t.Hints) },
		"needs": func(v *yaml.Node, p string) {
			w.Strs(v, p, &t.Needs)
			t.NeedLines = itemLines(v, len(t.Needs))
		},
		"before": func(v *yaml.Node, p string) { t.Before = w.actions(v, p) },
		"after":  func(v *yaml.Node, p string) { t.After = w.actions(v, p) },
		"grade": func(v *yaml.Node, p string) {
			w.Fields(v, p, map[string]yamlspec.FieldFunc{
				"restart": func(v *yaml.Node, p string) { w.Bool(v, p, &t.RestartBeforeGrade) },
			})
		},
		"checks": func(v *yaml.Node, p string) {
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				w.Errorf(v, p, "expected a non-empty list of checks, got %s", yamlspec.Describe(v))
				return
			}
			for i, c := range v.Content {
				t.Checks = append(t.Checks, w.check(yamlspec.Deref(c), fmt.Sprintf("%s[%d]", p, i), i))
			}
		},
	})
	w.Required(n, path, seen, "id", "title", "checks")
	if t.Points < 0 {
		w.Errorf(n, yamlspec.JoinPath(path, "points"), "points must not be negative, got %g", t.Points)
	}
	return t
}

func itemLines(v *yaml.Node, n int) []int {
	lines := make([]int, n)
	for i := range lines {
		lines[i] = v.Line
		if v.Kind == yaml.SequenceNode && i < len(v.Content) {
			lines[i] = v.Content[i].Line
		}
	}
	return lines
}

func (w *walker) check(n *yaml.Node, path string, index int) Check {
	c := Check{Line: n.Line}
	var kinds []string
	fns := map[string]yamlspec.FieldFunc{
		"id":    func(v *yaml.Node, p string) { w.Str(v, p, &c.ID) },
		"title": func(v *yaml.Node, p string) { w.Str(v, p, &c.Title) },
		"skip":  func(v *yaml.Node, p string) { w.Bool(v, p, &c.Skip) },
		"visibility": func(v *yaml.Node, p string) {
			var vis string
			w.Str(v, p, &vis)
			switch vis {
			case "visible":
			case "hidden":
				c.Hidden = true
			default:
				w.Errorf(v, p, "expected visible or hidden, got %s", yamlspec.Describe(v))
			}
		},
		"eventually": func(v *yaml.Node, p string) {
			c.Eventually = &Eventually{Timeout: defaultEventually, Interval: defaultInterval}
			w.pacing(v, p, "timeout", &c.Eventually.Timeout, &c.Eventually.Interval)
		},
		"consistently": func(v *yaml.Node, p string) {
			c.Consistently = &Consistently{For: defaultConsistently, Interval: defaultInterval}
			w.pacing(v, p, "for", &c.Consistently.For, &c.Consistently.Interval)
		},
	}
	for kind, parse := range kindParsers {
		fns[kind] = func(v *yaml.Node, p string) {
			kinds = append(kinds, kind)
			c.Spec = parse(w, v, p)
		}
	}
	w.Fields(n, path, fns)
	sort.Strings(kinds)
	switch {
	case len(kinds) == 0 && n.Kind == yaml.MappingNode:
		w.Errorf(n, path, "a check needs one kind: %s", yamlspec.KnownKeys(kindParsers))
	case len(kinds) > 1:
		w.Errorf(n, path, "a check has exactly one kind, got %s: split it into separate checks", strings.Join(kinds, " and "))
	}
	if c.Eventually != nil && c.Consistently != nil {
		w.Errorf(n, path, "eventually and consistently cannot be combined in one check")
	}
	if c.ID == "" && len(kinds) == 1 {
		c.ID = fmt.Sprintf("%s-%d", kinds[0], index+1) // stable default for reports
	}
	return c
}

// PathMatcher applies a matcher to the value at a path in a JSON/YAML document.
type PathMatcher struct {
	Path string // ".a.b[0]"; "." is the whole document
	M    *Matcher
}

// pathMatchers parses `{path: .a, equal: 3}` or a list of those.
func (w *walker) pathMatchers(n *yaml.Node, path string) []PathMatcher {
	if n.Kind == yaml.SequenceNode {
		var out []PathMatcher
		for i, c := range n.Content {
			out = append(out, w.pathMatchers(yamlspec.Deref(c), fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	}
	if n.Kind != yaml.MappingNode {
		w.Errorf(n, path, "expected {path: .a.b, <matcher>: value}, got %s", yamlspec.Describe(n))
		return nil
	}
	pm := PathMatcher{}
	var rest []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "path" {
			w.Str(yamlspec.Deref(n.Content[i+1]), yamlspec.JoinPath(path, "path"), &pm.Path)
			continue
		}
		rest = append(rest, n.Content[i], n.Content[i+1])
	}
	if pm.Path == "" {
		w.Errorf(n, yamlspec.JoinPath(path, "path"), "required field is missing")
	} else if _, err := splitPath(pm.Path); err != nil {
		w.Errorf(n, yamlspec.JoinPath(path, "path"), "%v", err)
	}
	pm.M = w.matcherPairs(n, rest, path)
	if pm.M == nil {
		return nil
	}
	return []PathMatcher{pm}
}

// pacing reads a retry block, {<span>: duration, interval: duration}, over
// the defaults already in span and interval.
func (w *walker) pacing(v *yaml.Node, p, spanKey string, span, interval *time.Duration) {
	w.Fields(v, p, map[string]yamlspec.FieldFunc{
		spanKey:    func(v *yaml.Node, p string) { w.Duration(v, p, span) },
		"interval": func(v *yaml.Node, p string) { w.Duration(v, p, interval) },
	})
}
