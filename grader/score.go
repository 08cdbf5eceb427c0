package grader

import (
	"math"
)

// PassPolicy is set by the lab. Threshold in (0,1] is a fraction of the max
// score; above 1 it is points; 0 means the default 0.8. Required tasks must
// always pass fully.
type PassPolicy struct {
	Threshold float64
}

// DefaultThreshold is the fraction of points a lab needs by default.
const DefaultThreshold = 0.8

// MinScore is the score needed to pass out of max.
func (p PassPolicy) MinScore(max float64) float64 {
	switch {
	case p.Threshold <= 0:
		return round2(DefaultThreshold * max)
	case p.Threshold <= 1:
		return round2(p.Threshold * max)
	}
	return p.Threshold
}

// taskStatus folds check outcomes: an environment error outranks a fail so
// the learner is not charged for it.
func taskStatus(task *Task, checks []CheckResult) Status {
	counted, errs, fails, skipped := 0, 0, 0, 0
	for i, c := range checks {
		if task.Checks[i].Skip {
			continue
		}
		counted++
		switch c.Status {
		case StatusError:
			errs++
		case StatusFail:
			fails++
		case StatusSkipped:
			skipped++
		}
	}
	switch {
	case counted == 0 || skipped == counted:
		return StatusSkipped
	case errs > 0:
		return StatusError
	case fails > 0 || skipped > 0:
		return StatusFail
	}
	return StatusPass
}

// score gives partial credit per task (points × passed/checks) and decides
// the lab's pass: all required tasks pass and the score meets the policy.
func score(r *Result, p PassPolicy) {
	requiredOK := true
	for i := range r.Tasks {
		t := &r.Tasks[i]
		earned, counted := t.earned()
		if !counted {
			continue // an all-skipped task is not part of this lab run
		}
		r.MaxScore += t.Points
		t.Earned = earned
		r.Score += t.Earned
		if t.Required && t.Status != StatusPass {
			requiredOK = false
		}
	}
	r.Score, r.MaxScore = round2(r.Score), round2(r.MaxScore)
	r.Passed = requiredOK && r.Score+1e-9 >= p.MinScore(r.MaxScore)
}

// ChecksPass is whether t's checks earn it a pass: at least one check
// counted (the author skipped none of them) and every one that counted
// passed. A verifier holds a task's stated status to it.
func (t *TaskResult) ChecksPass() bool {
	n := 0
	for _, c := range t.Checks {
		if c.Status == StatusSkipped && c.Message == skippedByAuthor {
			continue
		}
		if c.Status != StatusPass {
			return false
		}
		n++
	}
	return n > 0
}

// earned is what a task's checks give it: points × passed/counted, where a
// check the author skipped does not count. counted is false when no check
// counted: the task is not part of this run.
func (t *TaskResult) earned() (earned float64, counted bool) {
	n, passed := 0, 0
	for _, c := range t.Checks {
		if c.Status == StatusSkipped && c.Message == skippedByAuthor {
			continue
		}
		n++
		if c.Status == StatusPass {
			passed++
		}
	}
	if n == 0 {
		return 0, false
	}
	return round2(t.Points * float64(passed) / float64(n)), true
}

// Tally is the score and maximum that r's checks add up to, scored the way
// grading scores them. A verifier compares it with the score r states: a
// result is not trusted for its own arithmetic.
func (r *Result) Tally() (score, max float64) {
	for i := range r.Tasks {
		if earned, counted := r.Tasks[i].earned(); counted {
			score += earned
			max += r.Tasks[i].Points
		}
	}
	return round2(score), round2(max)
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
