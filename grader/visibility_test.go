package grader

import (
	"context"
	"testing"
)

func TestRedacted(t *testing.T) {
	r := &Result{Tasks: []TaskResult{{ID: "t", Checks: []CheckResult{
		{ID: "shown", Status: StatusFail, Message: "port 80 closed", Expected: "open", Actual: "closed"},
		{ID: "secret-probe", Kind: "http", Status: StatusFail, Message: "GET /admin gave 200", Expected: "403", Actual: "200", Hidden: true},
	}}}}
	got := r.Redacted()
	c := got.Tasks[0].Checks[1]
	if c.ID != "hidden-1" || c.Kind != "hidden" || c.Expected != "" || c.Actual != "" || c.Message != hiddenMessage || c.Status != StatusFail {
		t.Fatalf("hidden check leaks: %+v", c)
	}
	if got.Tasks[0].Checks[0].Message != "port 80 closed" {
		t.Fatal("a visible check lost its message")
	}
	if r.Tasks[0].Checks[1].ID != "secret-probe" {
		t.Fatal("Redacted changed the complete result")
	}
}

// A hidden check of a blocked task is hidden too: its id and kind never
// reach a learner's report, whatever the task's outcome.
func TestHiddenCheckOfBlockedTask(t *testing.T) {
	tasks := mustTasks(t, `
tasks:
  - {id: a, title: A, checks: [{file: {path: missing}}]}
  - id: b
    title: B
    needs: [a]
    checks:
      - {file: {path: x}}
      - {id: admin-denied, visibility: hidden, http: {url: "http://lb/admin", status: 403}}
`)
	r := Grade(context.Background(), newFake(), LabInfo{ID: "lab"}, tasks, newClock().opts()).Redacted()
	b := r.Tasks[1]
	if b.Status != StatusBlocked {
		t.Fatalf("task b: %s, want blocked", b.Status)
	}
	if c := b.Checks[1]; !c.Hidden || c.ID == "admin-denied" || c.Kind == "http" {
		t.Fatalf("the hidden check of a blocked task leaks: %+v", c)
	}
}
