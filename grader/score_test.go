package grader

import (
	"context"
	"errors"
	"testing"
)

// scenario is a lab with every outcome: a passing task, a partly failing
// required task, a blocked task, an environment error and an authored skip.
const scenario = `
tasks:
  - id: apps-up
    title: Both app servers run
    points: 5
    checks:
      - id: app1
        container: {node: app1}
      - id: app2
        container: {node: app2}
  - id: lb-serves
    title: The load balancer answers on port 80
    points: 10
    required: true
    needs: [apps-up]
    hints: [nudge, pointer, near-solution]
    checks:
      - id: lb-200
        http: {url: "http://lb/", body: {contain: hello}}
      - id: conf
        file: {path: nginx.conf, contains: [upstream]}
      - id: later
        http: {url: "http://lb/later"}
        skip: true
  - id: tls
    title: "TLS is terminated at the load balancer"
    points: 5
    needs: [lb-serves]
    checks:
      - id: https
        http: {url: "https://lb/"}
  - id: logs
    title: Logs are shipped
    points: 5
    checks:
      - id: shipper
        command: {node: shipper, run: "pgrep vector"}
`

func scenarioFake() *fakeTarget {
	f := newFake()
	f.containers["app1"] = ContainerState{Exists: true, Running: true}
	f.containers["app2"] = ContainerState{Exists: true, Running: true}
	f.http["http://lb/"] = okHTTP(502, "<html>502 Bad Gateway</html>", nil, 0)
	f.files["workspace:nginx.conf"] = File{Exists: true, Content: []byte("upstream app { server app1; }")}
	f.exec[execKey("shipper", []string{"sh", "-c", "pgrep vector"})] = []execAnswer{{err: errors.New("container shipper is not running")}}
	return f
}

func gradeScenario(t *testing.T, policy PassPolicy) *Result {
	t.Helper()
	c := newClock()
	opt := c.opts()
	opt.Policy = policy
	opt.HintsUsed = map[string]int{"lb-serves": 2}
	opt.Learner, opt.Session = "ada", "s1"
	return Grade(context.Background(), scenarioFake(), LabInfo{ID: "incident-502", Version: "1.2.0", Digest: "sha256:abc"}, mustTasks(t, scenario), opt)
}

func TestScenarioOutcomes(t *testing.T) {
	r := gradeScenario(t, PassPolicy{})
	want := []struct {
		status Status
		earned float64
	}{{StatusPass, 5}, {StatusFail, 5}, {StatusBlocked, 0}, {StatusError, 0}}
	for i, w := range want {
		if got := r.Tasks[i]; got.Status != w.status || got.Earned != w.earned {
			t.Errorf("task %s: %s earned %g, want %s earned %g", got.ID, got.Status, got.Earned, w.status, w.earned)
		}
	}
	if r.Tasks[1].Checks[2].Status != StatusSkipped || r.Tasks[1].HintsUsed != 2 {
		t.Errorf("lb-serves: %+v", r.Tasks[1])
	}
	if r.Tasks[2].Checks[0].Message != "blocked: needs lb-serves (fail)" {
		t.Errorf("blocked message: %q", r.Tasks[2].Checks[0].Message)
	}
	if r.Score != 10 || r.MaxScore != 25 || r.Passed || r.ExitCode() != ExitEnvError {
		t.Errorf("score %g/%g passed=%v exit=%d, want 10/25 false 3", r.Score, r.MaxScore, r.Passed, r.ExitCode())
	}
}

func TestPassPolicy(t *testing.T) {
	mk := func(req bool, statuses ...Status) *Result {
		tr := TaskResult{ID: "t", Points: 10, Required: req, Status: StatusPass}
		for _, s := range statuses {
			tr.Checks = append(tr.Checks, CheckResult{Status: s})
			if s != StatusPass {
				tr.Status = StatusFail
			}
		}
		return &Result{Tasks: []TaskResult{tr, {ID: "u", Points: 10, Status: StatusPass, Checks: []CheckResult{{Status: StatusPass}}}}}
	}
	tests := []struct {
		name   string
		r      *Result
		policy PassPolicy
		score  float64
		passed bool
		exit   int
	}{
		{"all pass", mk(false, StatusPass, StatusPass), PassPolicy{}, 20, true, 0},
		{"partial credit above 80%", mk(false, StatusPass, StatusPass, StatusPass, StatusPass, StatusFail), PassPolicy{}, 18, true, 0},
		{"partial credit below 80%", mk(false, StatusPass, StatusFail), PassPolicy{}, 15, false, 1},
		{"required gate beats score", mk(true, StatusPass, StatusPass, StatusPass, StatusPass, StatusFail), PassPolicy{}, 18, false, 1},
		{"fraction threshold", mk(false, StatusPass, StatusFail), PassPolicy{Threshold: 0.75}, 15, true, 0},
		{"points threshold", mk(false, StatusPass, StatusFail), PassPolicy{Threshold: 16}, 15, false, 1},
		{"thirds round to cents", mk(false, StatusPass, StatusFail, StatusFail), PassPolicy{}, 13.33, false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			score(tc.r, tc.policy)
			if tc.r.Score != tc.score || tc.r.Passed != tc.passed || tc.r.ExitCode() != tc.exit {
				t.Errorf("score %g passed %v exit %d, want %g %v %d", tc.r.Score, tc.r.Passed, tc.r.ExitCode(), tc.score, tc.passed, tc.exit)
			}
		})
	}
}

func TestNeedsCycleDoesNotHang(t *testing.T) {
	tasks := mustTasks(t, `
tasks:
  - {id: a, title: A, needs: [b], checks: [{file: {path: x}}]}
  - {id: b, title: B, needs: [a], checks: [{file: {path: x}}]}
  - {id: c, title: C, needs: [ghost], checks: [{file: {path: x}}]}
`)
	r := Grade(context.Background(), newFake(), LabInfo{ID: "lab"}, tasks, newClock().opts())
	for _, tr := range r.Tasks {
		if tr.Status != StatusBlocked {
			t.Errorf("task %s: %s, want blocked", tr.ID, tr.Status)
		}
	}
	if msg := r.Tasks[2].Checks[0].Message; msg != "blocked: needs ghost (no such task)" {
		t.Errorf("message %q", msg)
	}
}

// Tally recounts a result from its checks, as grading scored it: partial
// credit, author-skipped checks and all-skipped tasks left out.
func TestTally(t *testing.T) {
	r := &Result{Tasks: []TaskResult{
		{Points: 3, Checks: []CheckResult{{Status: StatusPass}, {Status: StatusFail}, {Status: StatusSkipped, Message: skippedByAuthor}}},
		{Points: 2, Checks: []CheckResult{{Status: StatusPass}}},
		{Points: 5, Checks: []CheckResult{{Status: StatusSkipped, Message: skippedByAuthor}}},
	}}
	score(r, PassPolicy{})
	got, max := (&Result{Tasks: r.Tasks, Score: 99}).Tally()
	if got != r.Score || max != r.MaxScore || got != 3.5 || max != 5 {
		t.Fatalf("Tally = %g/%g, score() = %g/%g, want 3.5/5", got, max, r.Score, r.MaxScore)
	}
}

// ChecksPass agrees with the status grading gives a task.
func TestChecksPass(t *testing.T) {
	for _, tc := range []struct {
		name   string
		checks []CheckResult
		want   bool
	}{
		{"all pass", []CheckResult{{Status: StatusPass}, {Status: StatusPass}}, true},
		{"one fails", []CheckResult{{Status: StatusPass}, {Status: StatusFail}}, false},
		{"author skip ignored", []CheckResult{{Status: StatusPass}, {Status: StatusSkipped, Message: skippedByAuthor}}, true},
		{"deadline skip counts", []CheckResult{{Status: StatusPass}, {Status: StatusSkipped, Message: "the grade deadline came first"}}, false},
		{"blocked", []CheckResult{{Status: StatusBlocked}}, false},
		{"none counted", []CheckResult{{Status: StatusSkipped, Message: skippedByAuthor}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (&TaskResult{Checks: tc.checks}).ChecksPass(); got != tc.want {
				t.Fatalf("ChecksPass = %t, want %t", got, tc.want)
			}
		})
	}
}
