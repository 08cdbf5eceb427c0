package grader

import (
	"context"
	"testing"
	"time"
)

func TestTiming(t *testing.T) {
	key := execKey("lb", []string{"sh", "-c", "probe"})
	ok := execAnswer{res: ExecResult{}}
	bad := execAnswer{res: ExecResult{ExitCode: 1}}
	tests := []struct {
		name     string
		timing   string
		answers  []execAnswer
		status   Status
		attempts int
		message  string
		duration int64
	}{
		{"single attempt", "", []execAnswer{bad, ok}, StatusFail, 1, "expected exit code 0, got 1", 0},
		{"eventually passes on the 3rd attempt", "eventually: {timeout: 20s, interval: 1s}",
			[]execAnswer{bad, bad, ok}, StatusPass, 3, "", 2000},
		{"eventually gives up", "eventually: {timeout: 5s, interval: 1s}",
			[]execAnswer{bad}, StatusFail, 5, "expected exit code 0, got 1 (still failing after 4s, 5 attempts)", 4000},
		{"consistently holds", "consistently: {for: 3s, interval: 1s}",
			[]execAnswer{ok}, StatusPass, 4, "", 3000},
		{"consistently breaks half-way", "consistently: {for: 4s, interval: 1s}",
			[]execAnswer{ok, ok, bad, ok}, StatusFail, 3, "after 2s (attempt 3): expected exit code 0, got 1", 2000},
		{"eventually retries through an environment blip", "eventually: {timeout: 10s, interval: 1s}",
			[]execAnswer{{err: context.Canceled}, ok}, StatusPass, 2, "", 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			f.exec[key] = tc.answers
			check := "command: {node: lb, run: probe}"
			if tc.timing != "" {
				check += "\n" + tc.timing
			}
			got := oneCheck(t, f, check)
			if got.Status != tc.status || got.Attempts != tc.attempts || got.Message != tc.message || got.DurationMS != tc.duration {
				t.Errorf("got %s after %d attempts in %dms (%q), want %s after %d in %dms (%q)",
					got.Status, got.Attempts, got.DurationMS, got.Message, tc.status, tc.attempts, tc.duration, tc.message)
			}
		})
	}
}

func TestDeadlineSkipsUnstartedChecks(t *testing.T) {
	tasks := mustTasks(t, `
tasks:
  - id: slow
    title: Slow
    points: 1
    checks:
      - command: {node: lb, run: probe}
        eventually: {timeout: 60s, interval: 10s}
  - id: later
    title: Later
    points: 1
    needs: [slow]
    checks:
      - command: {node: lb, run: probe}
`)
	f := newFake()
	f.exec[execKey("lb", []string{"sh", "-c", "probe"})] = []execAnswer{{res: ExecResult{ExitCode: 1}}}
	c := newClock()
	opt := c.opts()
	opt.Deadline = 25 * time.Second
	r := Grade(context.Background(), f, LabInfo{ID: "lab"}, tasks, opt)
	if got := r.Tasks[0].Checks[0]; got.Status != StatusFail || got.Attempts != 3 {
		t.Errorf("slow check: %+v, want fail after 3 attempts (deadline)", got)
	}
	if got := r.Tasks[1].Status; got != StatusBlocked {
		t.Errorf("later task: %s, want blocked", got)
	}
}

func TestDeadlineBeforeStart(t *testing.T) {
	tasks := mustTasks(t, "tasks:\n  - id: a\n    title: A\n    points: 2\n    checks:\n      - command: {node: lb, run: probe}\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := Grade(ctx, newFake(), LabInfo{ID: "lab"}, tasks, newClock().opts())
	got := r.Tasks[0].Checks[0]
	if got.Status != StatusSkipped || got.Attempts != 0 || r.Tasks[0].Status != StatusSkipped {
		t.Errorf("got %+v (task %s), want skipped without attempts", got, r.Tasks[0].Status)
	}
}

func TestChecksRunConcurrently(t *testing.T) {
	src := "tasks:\n"
	for _, id := range []string{"a", "b", "c", "d"} {
		src += "  - id: " + id + "\n    title: " + id + "\n    points: 1\n    checks:\n      - http: {url: \"http://lb/\"}\n      - http: {url: \"http://lb/\"}\n"
	}
	f := newFake()
	f.delay = 50 * time.Millisecond
	f.http["http://lb/"] = okHTTP(200, "", nil, 0)
	start := time.Now()
	r := Grade(context.Background(), f, LabInfo{ID: "lab"}, mustTasks(t, src), Options{Concurrency: 8})
	if el := time.Since(start); el > 300*time.Millisecond {
		t.Errorf("8 checks of 50ms took %s: not concurrent", el)
	}
	if !r.Passed {
		t.Errorf("not passed: %+v", r.Tasks)
	}
}
