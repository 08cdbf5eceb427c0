package grader

import (
	"encoding/json"
	"time"
)

// ResultSchema names the JSON contract; bump it on any incompatible change.
const ResultSchema = "opslab/result/v1"

// Status is a check or task outcome.
type Status string

const (
	StatusPass    Status = "pass"
	StatusFail    Status = "fail"
	StatusError   Status = "error"   // the environment broke; never the learner's fail
	StatusSkipped Status = "skipped" // authored skip, or the grade deadline came first
	StatusBlocked Status = "blocked" // a needed task did not pass
)

// LabInfo identifies exactly what was graded.
type LabInfo struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

// Result is one grading run. It has no maps, so its JSON is deterministic:
// the same run always writes the same bytes.
type Result struct {
	Schema     string       `json:"schema"`
	Lab        LabInfo      `json:"lab"`
	Learner    string       `json:"learner"`
	Session    string       `json:"session"`
	StartedAt  time.Time    `json:"started_at"`
	FinishedAt time.Time    `json:"finished_at"`
	Score      float64      `json:"score"`
	MaxScore   float64      `json:"max_score"`
	Passed     bool         `json:"passed"`
	Tasks      []TaskResult `json:"tasks"`
	// Stopped says why a grading with Options.StopWhenNotPassed ended early
	// ("" when every check ran). Not part of the result document.
	Stopped string `json:"-"`
}

// TaskResult is one task's outcome and credit.
type TaskResult struct {
	ID        string        `json:"id"`
	Title     string        `json:"title"`
	Status    Status        `json:"status"`
	Points    float64       `json:"points"`
	Earned    float64       `json:"earned"`
	Required  bool          `json:"required"`
	HintsUsed int           `json:"hints_used"`
	Checks    []CheckResult `json:"checks"`
}

// CheckResult is one check's outcome with what was expected and seen last.
type CheckResult struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Status     Status `json:"status"`
	Message    string `json:"message"`
	Expected   string `json:"expected"`
	Actual     string `json:"actual"`
	Attempts   int    `json:"attempts"`
	DurationMS int64  `json:"duration_ms"`
	Hidden     bool   `json:"hidden,omitempty"` // visibility: hidden; Redacted blanks what it saw
}

// MarshalJSON writes times as RFC 3339 in UTC to the second, whatever the
// caller's clock and zone.
func (r Result) MarshalJSON() ([]byte, error) {
	tasks := r.Tasks
	if tasks == nil {
		tasks = []TaskResult{}
	}
	return json.Marshal(struct {
		Schema     string       `json:"schema"`
		Lab        LabInfo      `json:"lab"`
		Learner    string       `json:"learner"`
		Session    string       `json:"session"`
		StartedAt  string       `json:"started_at"`
		FinishedAt string       `json:"finished_at"`
		Score      float64      `json:"score"`
		MaxScore   float64      `json:"max_score"`
		Passed     bool         `json:"passed"`
		Tasks      []TaskResult `json:"tasks"`
	}{r.Schema, r.Lab, r.Learner, r.Session, r.StartedAt.UTC().Format(time.RFC3339),
		r.FinishedAt.UTC().Format(time.RFC3339), r.Score, r.MaxScore, r.Passed, tasks})
}

// Exit codes shared with the CLI's contract.
const (
	ExitPassed    = 0
	ExitNotPassed = 1
	ExitEnvError  = 3
)

// ExitCode is 0 when passed, 3 when an environment error stood in the way,
// else 1.
func (r *Result) ExitCode() int {
	if r.Passed {
		return ExitPassed
	}
	for _, t := range r.Tasks {
		if t.Status == StatusError {
			return ExitEnvError
		}
	}
	return ExitNotPassed
}

// CountStatus is how many checks of the result ended with status s.
func (r *Result) CountStatus(s Status) int {
	n := 0
	for _, t := range r.Tasks {
		for _, c := range t.Checks {
			if c.Status == s {
				n++
			}
		}
	}
	return n
}

// FirstWithStatus is the first check (in task order) that ended with status s, and its task's id.
func (r *Result) FirstWithStatus(s Status) (taskID string, c CheckResult, ok bool) {
	for _, t := range r.Tasks {
		for _, c := range t.Checks {
			if c.Status == s {
				return t.ID, c, true
			}
		}
	}
	return "", CheckResult{}, false
}
