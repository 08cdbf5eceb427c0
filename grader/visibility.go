package grader

import "fmt"

// hiddenMessage stands in for what a hidden check saw.
const hiddenMessage = "a hidden check: graded, not described"

// Redacted is the result as the learner may see it: every check marked
// `visibility: hidden` keeps its status but loses its id, message, expected
// and actual, so a report never describes it. The complete result is for
// the examiner (signed exam results) and the course author (opslab test).
func (r *Result) Redacted() *Result {
	out := *r
	out.Tasks = make([]TaskResult, len(r.Tasks))
	for i, t := range r.Tasks {
		t.Checks = append([]CheckResult(nil), t.Checks...)
		n := 0
		for j, c := range t.Checks {
			if !c.Hidden {
				continue
			}
			n++
			t.Checks[j] = CheckResult{ID: fmt.Sprintf("hidden-%d", n), Kind: "hidden", Status: c.Status,
				Message: hiddenMessage, Attempts: c.Attempts, DurationMS: c.DurationMS, Hidden: true}
		}
		out.Tasks[i] = t
	}
	return &out
}
