package grader

import (
	"context"
	"strings"
	"testing"
	"time"
)

// logFake is a fakeTarget whose nodes have output; it records the since asked for.
type logFake struct {
	*fakeTarget
	logs  map[string]string
	since time.Time
}

func (f *logFake) NodeLog(_ context.Context, node string, since time.Time) (string, error) {
	f.since = since
	return f.logs[node], nil
}

func TestLogCheck(t *testing.T) {
	clock := newClock()
	start := clock.t
	fake := &logFake{fakeTarget: newFake(), logs: map[string]string{
		"app1": "GET /?n=5f3a HTTP/1.1 200\n",
		"app2": "GET /healthz HTTP/1.1 200\nGET /healthz HTTP/1.1 200\n",
	}}
	tasks := mustTasks(t, `
tasks:
- id: t
  title: both instances served this grading's request
  checks:
    - {id: app1, log: {node: app1, content: {contain: "n=5f3a"}}}
    - {id: app2, log: {node: app2, content: {contain: "n=5f3a"}}}
`)
	r := Grade(context.Background(), fake, LabInfo{ID: "x"}, tasks, clock.opts())
	if c := r.Tasks[0].Checks[0]; c.Status != StatusPass {
		t.Errorf("app1 saw the nonce: %+v", c)
	}
	c := r.Tasks[0].Checks[1]
	if c.Status != StatusFail || !strings.Contains(c.Message, `2 line(s) since grading began, the last: "GET /healthz HTTP/1.1 200"`) {
		t.Errorf("app2 did not see it: %+v", c)
	}
	if want := start.Add(-logClockSlack); !fake.since.Equal(want) {
		t.Errorf("since = %v, want the grade's start less the slack, %v", fake.since, want)
	}
}

func TestLogCheckSinceStartAndErrors(t *testing.T) {
	fake := &logFake{fakeTarget: newFake(), logs: map[string]string{"db": ""}}
	tasks := mustTasks(t, `
tasks:
- id: t
  title: t
  checks: [{id: c, log: {node: db, since: start, content: {contain: "ready"}}}]
`)
	r := Grade(context.Background(), fake, LabInfo{ID: "x"}, tasks, newClock().opts())
	if c := r.Tasks[0].Checks[0]; c.Status != StatusFail || !strings.Contains(c.Message, "nothing since the node started") || !fake.since.IsZero() {
		t.Errorf("since start: %+v (since %v)", c, fake.since)
	}
	r = Grade(context.Background(), newFake(), LabInfo{ID: "x"}, tasks, newClock().opts())
	if c := r.Tasks[0].Checks[0]; c.Status != StatusError || !strings.Contains(c.Message, "cannot read node output") {
		t.Errorf("target without logs: %+v", c)
	}
	_, err := ParseTasks("lab.yaml", tasksNode(t, `
tasks:
- id: t
  title: t
  checks: [{id: c, log: {node: db, since: yesterday}}]
`))
	if err == nil || !strings.Contains(err.Error(), `since: expected "grade"`) || !strings.Contains(err.Error(), "log.content: required field is missing") {
		t.Errorf("parse errors: %v", err)
	}
}
