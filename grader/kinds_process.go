package grader

import (
	"context"
	"path"
	"sort"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// ProcessCheck asks whether a process runs in a node, by reading /proc
// (no ps in slim images).
type ProcessCheck struct {
	Node    string
	Name    string
	Running bool // default true

	NodeLine int
}

func (c *ProcessCheck) Kind() string { return "process" }
func (c *ProcessCheck) Nodes() []NodeRef {
	return []NodeRef{{Name: c.Node, Field: "node", Line: c.NodeLine, Container: true}}
}

func parseProcess(w *walker, n *yaml.Node, p string) CheckSpec {
	c := &ProcessCheck{Running: true, NodeLine: n.Line}
	seen := w.Fields(n, p, map[string]yamlspec.FieldFunc{
		"node":    func(v *yaml.Node, p string) { w.Str(v, p, &c.Node); c.NodeLine = v.Line },
		"name":    func(v *yaml.Node, p string) { w.Str(v, p, &c.Name) },
		"running": func(v *yaml.Node, p string) { w.Bool(v, p, &c.Running) },
	})
	w.Required(n, p, seen, "node", "name")
	return c
}

// procList prints "pid<TAB>comm<TAB>argv0" per process, skipping the shell
// itself so `name: sh` is not fooled by the probe.
var procList = []string{"sh", "-c", `for d in /proc/[0-9]*; do p=${d#/proc/}; [ "$p" = "$$" ] && continue; ` +
	`c=$(cat "$d/comm" 2>/dev/null) || continue; a=$(tr '\0' '\n' < "$d/cmdline" 2>/dev/null | head -n 1); ` +
	`printf '%s\t%s\t%s\n' "$p" "$c" "$a"; done`}

func (c *ProcessCheck) probe(ctx context.Context, e *env) (verdict, error) {
	res, err := e.t.Exec(ctx, c.Node, procList, DefaultAttemptTimeout)
	if err != nil {
		return verdict{}, err
	}
	found, names := false, map[string]bool{}
	for _, line := range strings.Split(res.Stdout, "\n") {
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 2 || f[1] == "cat" || f[1] == "tr" || f[1] == "head" {
			continue // the probe's own helpers
		}
		names[f[1]] = true
		// comm is truncated to 15 bytes, so also compare argv[0]'s base name.
		if f[1] == c.Name || (len(f) == 3 && path.Base(f[2]) == c.Name) {
			found = true
		}
	}
	var a assertions
	want := map[bool]string{true: "to be running", false: "not to be running"}[c.Running]
	a.record("process "+c.Name+" on "+c.Node, want, missing("running: "+sortedKeys(names)), found == c.Running)
	return a.verdict(), nil
}

func sortedKeys(m map[string]bool) string {
	if len(m) == 0 {
		return "none"
	}
	l := make([]string, 0, len(m))
	for k := range m {
		l = append(l, k)
	}
	sort.Strings(l)
	return strings.Join(l, ", ")
}
