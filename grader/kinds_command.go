package grader

import (
	"context"
	"strings"
	"time"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// CommandCheck runs a command in a lab node and matches exit code and output.
type CommandCheck struct {
	Node    string
	Run     []string // argv; a YAML string becomes sh -c STRING
	Exit    *Matcher // default: 0
	Stdout  *Matcher
	Stderr  *Matcher
	Timeout time.Duration

	NodeLine int
}

func (c *CommandCheck) Kind() string { return "command" }
func (c *CommandCheck) Nodes() []NodeRef {
	return []NodeRef{{Name: c.Node, Field: "node", Line: c.NodeLine, Container: true}}
}

func parseCommand(w *walker, n *yaml.Node, path string) CheckSpec {
	c := &CommandCheck{Timeout: DefaultAttemptTimeout, Exit: equalInt(0), NodeLine: n.Line}
	seen := w.Fields(n, path, map[string]yamlspec.FieldFunc{
		"node": func(v *yaml.Node, p string) { w.Str(v, p, &c.Node); c.NodeLine = v.Line },
		"run": func(v *yaml.Node, p string) {
			if v.Kind == yaml.ScalarNode {
				c.Run = []string{"sh", "-c", v.Value}
				return
			}
			w.Strs(v, p, &c.Run)
		},
		"exit":    func(v *yaml.Node, p string) { c.Exit = w.matcher(v, p) },
		"stdout":  func(v *yaml.Node, p string) { c.Stdout = w.matcher(v, p) },
		"stderr":  func(v *yaml.Node, p string) { c.Stderr = w.matcher(v, p) },
		"timeout": func(v *yaml.Node, p string) { w.Duration(v, p, &c.Timeout) },
	})
	w.Required(n, path, seen, "node", "run")
	return c
}

func (c *CommandCheck) probe(ctx context.Context, e *env) (verdict, error) {
	res, err := e.t.Exec(ctx, c.Node, c.Run, c.Timeout)
	if err != nil {
		return verdict{}, err
	}
	var a assertions
	exitOK := a.check("exit code", c.Exit, res.ExitCode)
	a.check("stdout", c.Stdout, res.Stdout)
	a.check("stderr", c.Stderr, res.Stderr)
	v := a.verdict()
	// An exit code alone does not say why: show the end of what the command said.
	if !exitOK && c.Stdout == nil && c.Stderr == nil {
		if out := strings.TrimSpace(res.Stdout + "\n" + res.Stderr); out != "" {
			v.message += "; output ended with: " + tailLines(out, 3, 300)
		}
	}
	return v, nil
}

// tailLines is the last n lines of s, at most max bytes.
func tailLines(s string, n, max int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	out := strings.Join(lines, " ⏎ ")
	if len(out) > max {
		out = "…" + out[len(out)-max:]
	}
	return out
}

func (c *CommandCheck) attemptTimeout() time.Duration { return c.Timeout }
