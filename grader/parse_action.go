package grader

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// actions parses a task's before/after list. Each item is one op:
// {restart: app1}, {stop: app2}, {exec: {node: client, run: "…"}}.
func (w *walker) actions(n *yaml.Node, path string) []Action {
	if n.Kind != yaml.SequenceNode {
		w.Errorf(n, path, "expected a list of actions (%s), got %s", strings.Join(actionOps, ", "), yamlspec.Describe(n))
		return nil
	}
	var out []Action
	for i, item := range n.Content {
		item = yamlspec.Deref(item)
		p := fmt.Sprintf("%s[%d]", path, i)
		if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
			w.Errorf(item, p, "expected one action such as {restart: NODE} or {exec: {node: NODE, run: CMD, timeout: 5m}}, got %s", yamlspec.Describe(item))
			continue
		}
		op, v := item.Content[0].Value, yamlspec.Deref(item.Content[1])
		a := Action{Op: op, Line: item.Line}
		switch {
		case op == "exec":
			seen := w.Fields(v, p+".exec", map[string]yamlspec.FieldFunc{
				"node":    func(v *yaml.Node, fp string) { w.Str(v, fp, &a.Node) },
				"run":     func(v *yaml.Node, fp string) { w.Str(v, fp, &a.Run) },
				"timeout": func(v *yaml.Node, fp string) { w.Duration(v, fp, &a.Timeout) },
			})
			w.Required(v, p+".exec", seen, "node", "run")
		case slices.Contains(actionOps, op):
			w.Str(v, p+"."+op, &a.Node)
		default:
			w.Errorf(item.Content[0], p, "unknown action %q (known: %s)", op, strings.Join(actionOps, ", "))
			continue
		}
		out = append(out, a)
	}
	return out
}
