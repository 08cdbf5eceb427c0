package labs

import (
	"slices"
	"testing"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/labs/spec"
)

func TestRestartNodes(t *testing.T) {
	nodes := []spec.Node{{Name: "web"}, {Name: "db"}, {Name: "lb"}}
	cmd := func(node string) grader.Check { return grader.Check{Spec: &grader.CommandCheck{Node: node}} }
	lab := &spec.Lab{Nodes: nodes, Tasks: []grader.Task{
		{ID: "a", Checks: []grader.Check{cmd("web")}},
		{ID: "b", RestartBeforeGrade: true, Checks: []grader.Check{cmd("db"), cmd("db"), cmd("workspace")}},
	}}
	if got := RestartNodes(lab); !slices.Equal(got, []string{"db"}) {
		t.Fatalf("per task: %v", got)
	}
	lab.GradeRestart = true
	if got := RestartNodes(lab); !slices.Equal(got, []string{"db", "lb", "web"}) {
		t.Fatalf("lab level: %v", got)
	}
	if got := RestartNodes(&spec.Lab{Nodes: nodes}); got != nil {
		t.Fatalf("none asked: %v", got)
	}
}
