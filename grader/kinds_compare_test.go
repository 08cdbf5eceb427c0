package grader

import (
	"context"
	"strings"
	"testing"
)

const compareTasks = `
tasks:
- id: idempotent
  title: a second run restarts nothing
  checks:
    - id: pid
      compare:
        node: web1
        run: cat /run/nginx.pid
        around: [{exec: {node: control, run: "lab-playbook site.yml"}}]
- id: redeploy
  title: a deploy restarts the app
  checks:
    - id: started
      compare:
        node: app
        run: cat /proc/1/stat
        around: [{restart: app}]
        expect: changed
`

func TestCompareCheck(t *testing.T) {
	read := func(node, cmd string, outs ...string) (string, []execAnswer) {
		var as []execAnswer
		for _, o := range outs {
			as = append(as, execAnswer{res: ExecResult{Stdout: o}})
		}
		return execKey(node, []string{"sh", "-c", cmd}), as
	}
	run := func(pids, stats []string) *Result {
		fake := newFake()
		k, a := read("web1", "cat /run/nginx.pid", pids...)
		fake.exec[k] = a
		k, a = read("app", "cat /proc/1/stat", stats...)
		fake.exec[k] = a
		k, a = read("control", "lab-playbook site.yml", "ok")
		fake.exec[k] = a
		act := &actorFake{fakeTarget: fake, stopped: map[string]bool{}}
		return Grade(context.Background(), act, LabInfo{ID: "x"}, mustTasks(t, compareTasks), newClock().opts())
	}

	r := run([]string{"41\n", "41\n"}, []string{"1 (gunicorn) S 100\n", "1 (gunicorn) S 250\n"})
	for _, task := range r.Tasks {
		if task.Status != StatusPass {
			t.Errorf("%s: %+v", task.ID, task.Checks)
		}
	}
	r = run([]string{"41\n", "97\n"}, []string{"same\n"})
	if c := r.Tasks[0].Checks[0]; c.Status != StatusFail || !strings.Contains(c.Message, `line 1 was "41", is "97"`) {
		t.Errorf("restarted nginx: %+v", c)
	}
	if c := r.Tasks[1].Checks[0]; c.Status != StatusFail || !strings.Contains(c.Message, "expected a different value after than before") {
		t.Errorf("app not restarted: %+v", c)
	}
}

func TestCompareReadFailsAndParse(t *testing.T) {
	fake := newFake()
	fake.exec[execKey("web1", []string{"sh", "-c", "cat /run/nginx.pid"})] = []execAnswer{{res: ExecResult{ExitCode: 1, Stderr: "No such file"}}}
	fake.exec[execKey("app", []string{"sh", "-c", "cat /proc/1/stat"})] = []execAnswer{{res: ExecResult{Stdout: "x"}}}
	act := &actorFake{fakeTarget: fake, stopped: map[string]bool{}}
	r := Grade(context.Background(), act, LabInfo{ID: "x"}, mustTasks(t, compareTasks), newClock().opts())
	if c := r.Tasks[0].Checks[0]; c.Status != StatusFail || !strings.Contains(c.Message, "reading the value before failed with exit code 1: No such file") {
		t.Errorf("unreadable value: %+v", c)
	}
	if !mustTasks(t, compareTasks)[0].changesLab() {
		t.Error("a task with a compare check must run alone")
	}
	_, err := ParseTasks("lab.yaml", tasksNode(t, `
tasks:
- id: t
  title: t
  checks: [{id: c, compare: {node: web1, run: "x", expect: equal}}]
`))
	if err == nil || !strings.Contains(err.Error(), `expect: expected "same" or "changed"`) || !strings.Contains(err.Error(), "compare.around: required field is missing") {
		t.Errorf("parse errors: %v", err)
	}
}
