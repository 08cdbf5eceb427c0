package grader

import (
	"context"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// ContainerCheck matches a node's container state: running, restarts, health.
type ContainerCheck struct {
	Node     string
	Running  *bool
	Restarts *Matcher
	Health   *Matcher

	NodeLine int
}

func (c *ContainerCheck) Kind() string { return "container" }
func (c *ContainerCheck) Nodes() []NodeRef {
	return []NodeRef{{Name: c.Node, Field: "node", Line: c.NodeLine, Container: true}}
}

func parseContainer(w *walker, n *yaml.Node, p string) CheckSpec {
	c := &ContainerCheck{NodeLine: n.Line}
	seen := w.Fields(n, p, map[string]yamlspec.FieldFunc{
		"node":     func(v *yaml.Node, p string) { w.Str(v, p, &c.Node); c.NodeLine = v.Line },
		"running":  func(v *yaml.Node, p string) { b := false; w.Bool(v, p, &b); c.Running = &b },
		"restarts": func(v *yaml.Node, p string) { c.Restarts = w.matcher(v, p) },
		"health":   func(v *yaml.Node, p string) { c.Health = w.matcher(v, p) },
	})
	w.Required(n, p, seen, "node")
	if c.Running == nil && c.Restarts == nil && c.Health == nil {
		t := true
		c.Running = &t // a bare container check means "it runs"
	}
	return c
}

func (c *ContainerCheck) probe(ctx context.Context, e *env) (verdict, error) {
	st, err := e.t.Container(ctx, c.Node)
	if err != nil {
		return verdict{}, err
	}
	var a assertions
	if !st.Exists {
		a.record("container "+c.Node, "to exist", missing("missing"), false)
		return a.verdict(), nil
	}
	if c.Running != nil {
		a.record("container "+c.Node+" running", formatActual(*c.Running), st.Running, st.Running == *c.Running)
	}
	a.check("restarts", c.Restarts, st.RestartCount)
	a.check("health", c.Health, st.Health)
	return a.verdict(), nil
}
