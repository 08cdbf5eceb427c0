package grader

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// CompareCheck reads a value in a node (a PID, a file's hash, a counter), runs
// grader actions, reads it again and compares. "A second run changes nothing"
// is then measured — the nginx master's PID and the config's hash did not
// move — instead of read from a report the learner's code writes
// (`changed=0` in a recap can be faked with changed_when: false).
type CompareCheck struct {
	Node    string
	Run     []string // prints the value; must exit 0
	Around  []Action // run between the two readings
	Expect  string   // "same" (default) or "changed"
	Timeout time.Duration

	NodeLine int
}

func (c *CompareCheck) Kind() string { return "compare" }
func (c *CompareCheck) attemptTimeout() time.Duration {
	return c.Timeout + actionsTimeout(c.Around)
}
func (c *CompareCheck) Nodes() []NodeRef {
	refs := []NodeRef{{Name: c.Node, Field: "node", Line: c.NodeLine, Container: true}}
	for _, a := range c.Around {
		refs = append(refs, NodeRef{Name: a.Node, Field: "around", Line: a.Line, Container: true})
	}
	return refs
}

// changesLab is true: its actions act on the lab, so the task runs alone.
func (c *CompareCheck) changesLab() bool { return len(c.Around) > 0 }

func parseCompare(w *walker, n *yaml.Node, path string) CheckSpec {
	c := &CompareCheck{Expect: "same", Timeout: DefaultAttemptTimeout, NodeLine: n.Line}
	seen := w.Fields(n, path, map[string]yamlspec.FieldFunc{
		"node": func(v *yaml.Node, p string) { w.Str(v, p, &c.Node); c.NodeLine = v.Line },
		"run": func(v *yaml.Node, p string) {
			var s string
			w.Str(v, p, &s)
			c.Run = []string{"sh", "-c", s}
		},
		"around": func(v *yaml.Node, p string) { c.Around = w.actions(v, p) },
		"expect": func(v *yaml.Node, p string) {
			w.Str(v, p, &c.Expect)
			if c.Expect != "same" && c.Expect != "changed" {
				w.Errorf(v, p, `expected "same" or "changed", got %q`, c.Expect)
			}
		},
		"timeout": func(v *yaml.Node, p string) { w.Duration(v, p, &c.Timeout) },
	})
	w.Required(n, path, seen, "node", "run", "around")
	return c
}

func (c *CompareCheck) probe(ctx context.Context, e *env) (verdict, error) {
	before, v, err := c.read(ctx, e, "before")
	if err != nil || v != nil {
		return deref(v), err
	}
	if err := runActions(ctx, e.t, c.Around); err != nil {
		return verdict{}, err
	}
	after, v, err := c.read(ctx, e, "after")
	if err != nil || v != nil {
		return deref(v), err
	}
	same := before == after
	exp, act := "the same value before and after", "the same value"
	if !same {
		act = "a different value: " + firstDifference(before, after)
	}
	if c.Expect == "changed" {
		exp = "a different value after than before"
	}
	if same == (c.Expect == "same") {
		return verdict{pass: true, expected: exp, actual: act}, nil
	}
	return failed(exp, act, "expected "+exp+", got "+act), nil
}

// read runs the probe command; a failing command is a failed check (the
// thing it reads is gone), reported with what it said.
func (c *CompareCheck) read(ctx context.Context, e *env, when string) (string, *verdict, error) {
	res, err := e.t.Exec(ctx, c.Node, c.Run, c.Timeout)
	if err != nil {
		return "", nil, err
	}
	if res.ExitCode != 0 {
		v := failed("the value to read "+when, fmt.Sprintf("exit code %d", res.ExitCode),
			fmt.Sprintf("reading the value %s failed with exit code %d: %s", when, res.ExitCode, tailLines(strings.TrimSpace(res.Stdout+"\n"+res.Stderr), 3, 300)))
		return "", &v, nil
	}
	return res.Stdout, nil, nil
}

func deref(v *verdict) verdict {
	if v == nil {
		return verdict{}
	}
	return *v
}

// firstDifference names the first line that differs, before → after.
func firstDifference(before, after string) string {
	b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
	for i := 0; i < len(b) || i < len(a); i++ {
		var x, y string
		if i < len(b) {
			x = b[i]
		}
		if i < len(a) {
			y = a[i]
		}
		if x != y {
			return fmt.Sprintf("line %d was %s, is %s", i+1, formatActual(x), formatActual(y))
		}
	}
	return "whitespace differs"
}
