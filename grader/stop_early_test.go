package grader

import (
	"context"
	"strings"
	"testing"
	"time"
)

// earlyStopLab: a check that fails at once (task quick) beside one that keeps
// trying for 30 s (task slow), which fails unless answers are programmed.
func earlyStopLab(quickRequired bool, quickPoints, slowPoints string) string {
	req := "false"
	if quickRequired {
		req = "true"
	}
	return `
tasks:
  - id: quick
    title: Quick
    points: ` + quickPoints + `
    required: ` + req + `
    checks:
      - command: {node: lb, run: quick}
  - id: slow
    title: Slow
    points: ` + slowPoints + `
    checks:
      - command: {node: lb, run: slow}
        eventually: {timeout: 30s, interval: 20ms}
  - id: after-slow
    title: After slow
    points: 1
    needs: [slow]
    checks:
      - command: {node: lb, run: quick}
`
}

func TestStopWhenNotPassed(t *testing.T) {
	bad := []execAnswer{{res: ExecResult{ExitCode: 1}}}
	good := []execAnswer{{res: ExecResult{}}}
	tests := []struct {
		name       string
		lab        string
		slow       []execAnswer
		stop       bool
		wantReason string // "" when every check must run to its end
		wantPassed bool
	}{
		{"a required task failed", earlyStopLab(true, "1", "9"), bad, true, "required task quick is fail", false},
		{"the pass mark is out of reach", earlyStopLab(false, "5", "4"), bad, true, "at most 5 of the 8 points needed are still possible", false},
		{"the pass mark is still in reach", earlyStopLab(false, "1", "9"), append(bad, good...), true, "", true},
		{"a learner's grading runs every check", earlyStopLab(true, "1", "9"), append(bad, good...), false, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			f.exec[execKey("lb", []string{"sh", "-c", "quick"})] = bad
			f.exec[execKey("lb", []string{"sh", "-c", "slow"})] = tc.slow
			began := time.Now()
			r := Grade(context.Background(), f, LabInfo{ID: "lab"}, mustTasks(t, tc.lab), Options{StopWhenNotPassed: tc.stop})
			took := time.Since(began)
			if r.Stopped != tc.wantReason || r.Passed != tc.wantPassed {
				t.Fatalf("stopped %q, passed %v; want %q, %v", r.Stopped, r.Passed, tc.wantReason, tc.wantPassed)
			}
			slow := r.Tasks[1].Checks[0]
			if tc.wantReason == "" {
				if slow.Status != StatusPass || slow.Attempts != 2 {
					t.Errorf("slow check %s after %d attempts, want pass after 2: it must run to its end", slow.Status, slow.Attempts)
				}
				return
			}
			if took > 10*time.Second {
				t.Errorf("took %s: the slow check's 30 s were waited out", took)
			}
			if slow.Status != StatusSkipped || !strings.Contains(slow.Message, "not graded") || !strings.Contains(slow.Message, tc.wantReason) {
				t.Errorf("slow check: %s %q, want skipped, saying it was not graded and why", slow.Status, slow.Message)
			}
			if r.CountStatus(StatusError) != 0 {
				t.Errorf("checks cut short must not read as environment errors: %+v", r.Tasks)
			}
			if got := r.Tasks[0].Checks[0]; got.Status != StatusFail {
				t.Errorf("the check that decided the verdict: %s, want its fail kept", got.Status)
			}
		})
	}
}

// stopRace is a fakeTarget with timed commands: "fail-later" fails after
// 300 ms, "pass-soon" passes after 100 ms, and "long-action" runs until the
// grading's context is cancelled (at most 10 s), as a long grader action does.
type stopRace struct{ *fakeTarget }

func (b stopRace) Exec(ctx context.Context, node string, cmd []string, timeout time.Duration) (ExecResult, error) {
	switch strings.Join(cmd, " ") {
	case "sh -c fail-later":
		return ExecResult{ExitCode: 1}, sleepCtx(ctx, 300*time.Millisecond)
	case "sh -c pass-soon":
		return ExecResult{}, sleepCtx(ctx, 100*time.Millisecond)
	case "sh -c long-action":
		return ExecResult{}, sleepCtx(ctx, 10*time.Second)
	}
	return b.fakeTarget.Exec(ctx, node, cmd, timeout)
}

func (b stopRace) NodeAction(context.Context, string, string) error { return nil }

// Once "optional" fails (the pass mark is still in reach), "long" gets the
// lab and "decides", blocked by that failure, makes the verdict certain. The
// stop comes just before long's action starts or while it runs (goroutine
// order decides: this test does not force the second, rarer case); either
// way long is "not graded", never an environment error.
func TestStopCutsABeforeActionShort(t *testing.T) {
	lab := `
tasks:
  - id: first
    title: Passes
    checks:
      - command: {node: lb, run: pass-soon}
  - id: optional
    title: Fails, not required
    checks:
      - command: {node: lb, run: fail-later}
  - id: decides
    title: Required, blocked by the failure
    required: true
    points: 10
    needs: [optional]
    checks:
      - command: {node: lb, run: pass-soon}
  - id: long
    title: Waits for the lab, then acts on it
    points: 10
    needs: [first]
    before: [{exec: {node: lb, run: long-action}}]
    checks:
      - command: {node: lb, run: pass-soon}
`
	began := time.Now()
	r := Grade(context.Background(), stopRace{newFake()}, LabInfo{ID: "lab"}, mustTasks(t, lab), Options{StopWhenNotPassed: true})
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("took %s: the long action was waited out", took)
	}
	if want := "required task decides is blocked"; r.Stopped != want {
		t.Errorf("stopped %q, want %q", r.Stopped, want)
	}
	long := r.Tasks[3].Checks[0]
	if long.Status != StatusSkipped || !strings.Contains(long.Message, "not graded") {
		t.Errorf("check of the task whose action was cut short: %s %q, want skipped, not graded", long.Status, long.Message)
	}
	if r.CountStatus(StatusError) != 0 {
		t.Errorf("an action cut short must not read as an environment error: %+v", r.Tasks)
	}
}
