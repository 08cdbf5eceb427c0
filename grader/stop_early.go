package grader

import (
	"context"
	"fmt"
	"sync"
)

// earlyStop ends a grading once it can no longer pass (Options.StopWhenNotPassed):
// a proof that only needs the verdict of a wrong answer need not wait out
// every other check's `eventually` or traffic window. Learners always get
// every check.
type earlyStop struct {
	enabled bool
	cancel  context.CancelFunc // stops the checks still running

	mu       sync.Mutex
	finished []bool
	reason   string // why the grading stopped; "" while it runs on
}

// taskFinished records task i's result (already in g.results[i]) and stops
// the grading when the verdict "not passed" is certain: a required task
// failed, or even full marks on every unfinished task would leave the score
// under the pass mark.
func (g *grading) taskFinished(i int) {
	s, tasks := &g.stop, g.tasks
	if !s.enabled {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finished[i] = true
	if s.reason != "" {
		return
	}
	tr := &g.results[i]
	if tasks[i].Required && (tr.Status == StatusFail || tr.Status == StatusBlocked) {
		s.reason = fmt.Sprintf("required task %s is %s", tasks[i].ID, tr.Status)
	} else {
		// Unfinished tasks count at full points: the most the grading can still earn.
		best, max := 0.0, 0.0
		for k := range tasks {
			if !s.finished[k] {
				best, max = best+tasks[k].Points, max+tasks[k].Points
			} else if earned, counted := g.results[k].earned(); counted {
				best, max = best+earned, max+tasks[k].Points
			}
		}
		if need := g.opt.Policy.MinScore(round2(max)); best+1e-9 < need {
			s.reason = fmt.Sprintf("at most %g of the %g points needed are still possible", round2(best), need)
		}
	}
	if s.reason != "" {
		s.cancel()
	}
}

// stoppedReason is why the grading stopped early, or "".
func (g *grading) stoppedReason() string {
	g.stop.mu.Lock()
	defer g.stop.mu.Unlock()
	return g.stop.reason
}

// notGraded is what a check cut short by an early stop reports: skipped, not
// an error the environment would be blamed for, nor a fail the answer earned.
func notGraded(c CheckResult, reason string) CheckResult {
	c.Status = StatusSkipped
	c.Message = "not graded: the grading stopped once it could no longer pass (" + reason + ")"
	return c
}
