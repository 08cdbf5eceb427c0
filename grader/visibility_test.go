package grader

import "testing"

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
