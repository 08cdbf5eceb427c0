package grader

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// LogCheck matches a node's own output (its container's stdout and stderr).
// With Since "grade" (the default) only what the node wrote since this
// grading began counts: a request carrying {{ .grade_nonce }} that shows up
// in a backend's log proves the backend served it, whatever the answer claims.
type LogCheck struct {
	Node    string
	Since   string   // "grade" (default) or "start": the node's whole output
	Content *Matcher // required

	NodeLine int
}

// LogReader is implemented by Targets that can read a node's output. Log
// checks need it; a Target without it makes them an error.
type LogReader interface {
	// NodeLog returns what node wrote to stdout and stderr since the given
	// time (the zero time: everything).
	NodeLog(ctx context.Context, node string, since time.Time) (string, error)
}

// logClockSlack widens "since the grade began": the engine's clock may run a
// little behind ours (a Docker Desktop VM). Grade values are fresh per grading,
// so the slack cannot let an earlier grading's request count.
const logClockSlack = 2 * time.Second

func (c *LogCheck) Kind() string { return "log" }
func (c *LogCheck) Nodes() []NodeRef {
	return []NodeRef{{Name: c.Node, Field: "node", Line: c.NodeLine, Container: true}}
}

func parseLog(w *walker, n *yaml.Node, path string) CheckSpec {
	c := &LogCheck{Since: "grade", NodeLine: n.Line}
	seen := w.Fields(n, path, map[string]yamlspec.FieldFunc{
		"node":    func(v *yaml.Node, p string) { w.Str(v, p, &c.Node); c.NodeLine = v.Line },
		"content": func(v *yaml.Node, p string) { c.Content = w.matcher(v, p) },
		"since": func(v *yaml.Node, p string) {
			w.Str(v, p, &c.Since)
			if c.Since != "grade" && c.Since != "start" {
				w.Errorf(v, p, `expected "grade" (output since this grading began) or "start" (all of it), got %q`, c.Since)
			}
		},
	})
	w.Required(n, path, seen, "node", "content")
	return c
}

func (c *LogCheck) probe(ctx context.Context, e *env) (verdict, error) {
	lr, ok := e.t.(LogReader)
	if !ok {
		return verdict{}, errors.New("this target cannot read node output")
	}
	var since time.Time
	if c.Since == "grade" {
		since = e.started.Add(-logClockSlack)
	}
	out, err := lr.NodeLog(ctx, c.Node, since)
	if err != nil {
		return verdict{}, err
	}
	var a assertions
	a.record(c.Node+"'s output", c.Content.String(), logSummary(out, c.Since), c.Content.Match(out))
	return a.verdict(), nil
}

// logSummary says how much output there was and how it ended: a whole log
// does not fit in a message.
func logSummary(out, since string) missing {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	when := "since grading began"
	if since == "start" {
		when = "since the node started"
	}
	if strings.TrimSpace(out) == "" {
		return missing("nothing " + when)
	}
	return missing(fmt.Sprintf("%d line(s) %s, the last: %s", len(lines), when, formatActual(lines[len(lines)-1])))
}
