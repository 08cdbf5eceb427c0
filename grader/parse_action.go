package grader

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// actions parses a task's before/after list. Each item is one op:
// {restart: app1}, {stop: app2}, {exec: {node: client, run: "…"}}.
func (w *walker) actions(n *yaml.Node, path string) []Action {
	if n.Kind != yaml.SequenceNode {
		w.errorf(n, path, "expected a list of actions (%s), got %s", strings.Join(actionOps, ", "), describeNode(n))
		return nil
	}
	var out []Action
	for i, item := range n.Content {
		item = deref(item)
		p := fmt.Sprintf("%s[%d]", path, i)
		if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
			w.errorf(item, p, "expected one action such as {restart: NODE} or {exec: {node: NODE, run: CMD}}, got %s", describeNode(item))
			continue
		}
		op, v := item.Content[0].Value, deref(item.Content[1])
		a := Action{Op: op, Line: item.Line}
		switch {
		case op == "exec":
			seen := w.fields(v, p+".exec", map[string]fieldFunc{
				"node": func(v *yaml.Node, fp string) { w.str(v, fp, &a.Node) },
				"run":  func(v *yaml.Node, fp string) { w.str(v, fp, &a.Run) },
			})
			w.required(v, p+".exec", seen, "node", "run")
		case slices.Contains(actionOps, op):
			w.str(v, p+"."+op, &a.Node)
		default:
			w.errorf(item.Content[0], p, "unknown action %q (known: %s)", op, strings.Join(actionOps, ", "))
			continue
		}
		out = append(out, a)
	}
	return out
}
