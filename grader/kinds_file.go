package grader

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// FileCheck inspects a file in a node or in the learner's workspace,
// including values inside YAML/JSON files.
type FileCheck struct {
	Node     string // default: workspace
	Path     string
	Exists   bool // default true
	Mode     *fs.FileMode
	Owner    *Matcher
	Contains []string
	Matches  *regexp.Regexp
	Content  *Matcher
	YAML     []PathMatcher
	JSON     []PathMatcher
	Markdown []SectionMatcher

	NodeLine int
}

func (c *FileCheck) Kind() string { return "file" }
func (c *FileCheck) Nodes() []NodeRef {
	return []NodeRef{{Name: c.Node, Field: "node", Line: c.NodeLine}}
}

func parseFile(w *walker, n *yaml.Node, path string) CheckSpec {
	c := &FileCheck{Node: WorkspaceNode, Exists: true, NodeLine: n.Line}
	seen := w.Fields(n, path, map[string]yamlspec.FieldFunc{
		"node":   func(v *yaml.Node, p string) { w.Str(v, p, &c.Node); c.NodeLine = v.Line },
		"path":   func(v *yaml.Node, p string) { w.Str(v, p, &c.Path) },
		"exists": func(v *yaml.Node, p string) { w.Bool(v, p, &c.Exists) },
		"mode": func(v *yaml.Node, p string) {
			s, ok := w.Scalar(v, p, `an octal mode like "0644"`)
			if !ok {
				return
			}
			m, err := strconv.ParseUint(s, 8, 32)
			if err != nil || m > 0o7777 {
				w.Errorf(v, p, "expected an octal mode like \"0644\", got %q", s)
				return
			}
			mode := fs.FileMode(m)
			c.Mode = &mode
		},
		"owner":    func(v *yaml.Node, p string) { c.Owner = w.matcher(v, p) },
		"contains": func(v *yaml.Node, p string) { w.Strs(v, p, &c.Contains) },
		"matches": func(v *yaml.Node, p string) {
			s, ok := w.Scalar(v, p, "a regular expression")
			if !ok {
				return
			}
			re, err := regexp.Compile(s)
			if err != nil {
				w.Errorf(v, p, "invalid regular expression %q: %v", s, err)
				return
			}
			c.Matches = re
		},
		"content":  func(v *yaml.Node, p string) { c.Content = w.matcher(v, p) },
		"yaml":     func(v *yaml.Node, p string) { c.YAML = w.pathMatchers(v, p) },
		"json":     func(v *yaml.Node, p string) { c.JSON = w.pathMatchers(v, p) },
		"markdown": func(v *yaml.Node, p string) { c.Markdown = w.sectionMatchers(v, p) },
	})
	w.Required(n, path, seen, "path")
	return c
}

func (c *FileCheck) probe(ctx context.Context, e *env) (verdict, error) {
	f, err := e.t.ReadFile(ctx, c.Node, c.Path)
	if err != nil {
		return verdict{}, err
	}
	var a assertions
	where := c.Path
	if c.Node != WorkspaceNode {
		where = c.Node + ":" + c.Path
	}
	if !f.Exists || !c.Exists {
		a.record("file "+where, existence(c.Exists), missing(presence(f.Exists)), f.Exists == c.Exists)
		return a.verdict(), nil
	}
	if c.Mode != nil {
		a.record("mode", fmt.Sprintf("%04o", uint32(*c.Mode)), missing(fmt.Sprintf("%04o", uint32(f.Mode.Perm()))), f.Mode.Perm() == c.Mode.Perm())
	}
	a.check("owner", c.Owner, f.Owner)
	content := string(f.Content)
	for _, s := range c.Contains {
		m := &Matcher{Op: "contain", values: []string{s}}
		a.record(where, m.String(), missing("content without it"), m.Match(content))
	}
	if c.Matches != nil {
		a.record(where, "to match /"+c.Matches.String()+"/", missing("no matching line"), c.Matches.MatchString(content))
	}
	a.check("content", c.Content, content)
	if len(c.YAML) > 0 {
		var doc any
		if err := yaml.Unmarshal(f.Content, &doc); err != nil {
			a.fail("valid YAML in "+where, "invalid YAML", fmt.Sprintf("%s is not valid YAML: %v", where, err))
		} else {
			checkPaths(&a, where, doc, c.YAML)
		}
	}
	if len(c.JSON) > 0 {
		var doc any
		if err := json.Unmarshal(f.Content, &doc); err != nil {
			a.fail("valid JSON in "+where, "invalid JSON", fmt.Sprintf("%s is not valid JSON: %v", where, err))
		} else {
			checkPaths(&a, where, doc, c.JSON)
		}
	}
	if len(c.Markdown) > 0 {
		checkSections(&a, where, f.Content, c.Markdown)
	}
	return a.verdict(), nil
}

func existence(exists bool) string {
	if exists {
		return "to exist"
	}
	return "not to exist"
}

func presence(exists bool) string {
	if exists {
		return "present"
	}
	return "missing"
}
