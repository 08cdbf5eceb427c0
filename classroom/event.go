// Package classroom is the live-class server: learners' CLIs report events
// (lab started/stopped, grades, hints, exams) with a per-learner token, an
// SQLite database keeps them, and the instructor watches a server-rendered
// dashboard kept live over Server-Sent Events. It links no Docker: it only
// ever sees what the CLIs send.
package classroom

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// EventSchema names the wire format of a learner's report.
const EventSchema = "opslab/class-event/v1"

// Event kinds a learner's CLI reports.
const (
	KindLabStarted    = "lab_started"
	KindLabStopped    = "lab_stopped"
	KindGraded        = "graded"
	KindHint          = "hint"
	KindExamSubmitted = "exam_submitted"
)

var kinds = map[string]bool{KindLabStarted: true, KindLabStopped: true, KindGraded: true, KindHint: true, KindExamSubmitted: true}

// Limits of what one report may carry.
const (
	MaxBatchBytes   = 1 << 20 // one POST /api/events body
	MaxBatchEvents  = 200
	MaxExamBytes    = 900 << 10 // a signed exam result in one report
	maxIDLen        = 64
	maxLabLen       = 100
	maxMessageBytes = 2000 // a check's failure message, as the learner saw it
	maxTasks        = 100
	maxChecks       = 100
)

// Event is one thing that happened on a learner's machine. ID is chosen by
// the CLI once, when the event is spooled: a resend is recognised and
// ignored, so a report is counted exactly once however often it is sent.
type Event struct {
	ID    string          `json:"id"`
	Kind  string          `json:"kind"`
	Lab   string          `json:"lab"`
	At    time.Time       `json:"at"`
	Grade *Grade          `json:"grade,omitempty"` // graded; for exam_submitted, the verdict the CLI read (unverified)
	Hint  *Hint           `json:"hint,omitempty"`
	Exam  json.RawMessage `json:"exam,omitempty"` // a DSSE envelope from the exam feature
}

// Grade is the part of an opslab/result/v1 a class shares: scores and
// statuses, each check's failure message, never the learner's files.
type Grade struct {
	Score    float64 `json:"score"`
	MaxScore float64 `json:"max_score"`
	Passed   bool    `json:"passed"`
	Auto     bool    `json:"auto,omitempty"` // graded by the background watcher, not by the learner
	Tasks    []Task  `json:"tasks"`
}

// Task is one task's outcome in a Grade.
type Task struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Status string  `json:"status"`
	Points float64 `json:"points"`
	Earned float64 `json:"earned"`
	Checks []Check `json:"checks"`
}

// Check is one check's outcome with the message the learner read.
type Check struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

// Hint is a hint tier revealed.
type Hint struct {
	Task string `json:"task"`
	Tier int    `json:"tier"`
}

// Batch is the body of POST /api/events: events in the order they happened.
type Batch struct {
	Schema string  `json:"schema"`
	Events []Event `json:"events"`
}

var statuses = map[string]bool{"pass": true, "fail": true, "error": true, "skipped": true, "blocked": true}

// Validate says what is wrong with an event, for a 400 the CLI can show.
func (e *Event) Validate() error {
	switch {
	case e.ID == "" || len(e.ID) > maxIDLen || strings.ContainsAny(e.ID, " \t\r\n/"):
		return fmt.Errorf("id must be 1-%d characters without spaces or slashes", maxIDLen)
	case !kinds[e.Kind]:
		return fmt.Errorf("kind %q is not one of lab_started, lab_stopped, graded, hint, exam_submitted", e.Kind)
	case e.Lab == "" || len(e.Lab) > maxLabLen || strings.ContainsAny(e.Lab, " \t\r\n/"):
		return fmt.Errorf("lab must be a lab id of 1-%d characters", maxLabLen)
	case e.At.IsZero():
		return fmt.Errorf("at is missing (RFC 3339 time)")
	case e.Kind == KindGraded && e.Grade == nil:
		return fmt.Errorf("a graded event needs a grade")
	case e.Kind == KindHint && (e.Hint == nil || e.Hint.Task == "" || e.Hint.Tier < 1):
		return fmt.Errorf("a hint event needs hint.task and hint.tier >= 1")
	case e.Kind == KindExamSubmitted && (len(e.Exam) == 0 || len(e.Exam) > MaxExamBytes || !json.Valid(e.Exam)):
		return fmt.Errorf("an exam_submitted event needs exam (the signed result envelope, JSON)")
	}
	if e.Grade != nil {
		return e.Grade.validate()
	}
	return nil
}

func (g *Grade) validate() error {
	if g.MaxScore < 0 || g.Score < 0 || g.Score > g.MaxScore {
		return fmt.Errorf("grade: score %g must be between 0 and max_score %g", g.Score, g.MaxScore)
	}
	if len(g.Tasks) > maxTasks {
		return fmt.Errorf("grade: more than %d tasks", maxTasks)
	}
	for _, t := range g.Tasks {
		if t.ID == "" || !statuses[t.Status] {
			return fmt.Errorf("grade: task %q needs an id and a status (pass|fail|error|skipped|blocked)", t.ID)
		}
		if len(t.Checks) > maxChecks {
			return fmt.Errorf("grade: task %s has more than %d checks", t.ID, maxChecks)
		}
		for _, c := range t.Checks {
			if c.ID == "" || !statuses[c.Status] {
				return fmt.Errorf("grade: task %s: check %q needs an id and a status", t.ID, c.ID)
			}
			if len(c.Message) > maxMessageBytes {
				return fmt.Errorf("grade: task %s: check %s: message longer than %d bytes", t.ID, c.ID, maxMessageBytes)
			}
		}
	}
	return nil
}
