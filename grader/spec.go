package grader

import (
	"context"
	"time"
)

// Task is one gradable outcome of a lab: a group of checks worth points.
type Task struct {
	ID       string
	Title    string // the outcome the learner must reach, not a command
	Points   float64
	Required bool     // must pass fully for the lab to pass
	Needs    []string // task ids that must pass before this task runs
	Hints    []string // tiered: nudge, pointer, near-solution
	Checks   []Check
	Before   []Action // grader actions run before the checks (fault injection, restarts, fresh nodes)
	After    []Action // run after the checks, even when they failed: restore what Before broke
	// RestartBeforeGrade (task grade: {restart: true}): an exam's final grade
	// restarts the nodes this task's checks use first, so only state that
	// survives a restart counts.
	RestartBeforeGrade bool

	Line      int   // line of the task in the lab file
	NeedLines []int // line of each Needs entry, for ValidateRefs
}

// changesLab is true when the task acts on the lab (before/after actions, or
// a check that runs actions): it must run alone, not beside other tasks.
func (t *Task) changesLab() bool {
	if len(t.Before)+len(t.After) > 0 {
		return true
	}
	for _, c := range t.Checks {
		if a, ok := c.Spec.(interface{ changesLab() bool }); ok && a.changesLab() {
			return true
		}
	}
	return false
}

// Check is one probe plus what it must show, and when.
type Check struct {
	ID           string
	Title        string
	Skip         bool // authored as skipped: not run, not counted
	Hidden       bool // visibility: hidden — graded, never described to the learner
	Eventually   *Eventually
	Consistently *Consistently
	Spec         CheckSpec

	Line int
}

// Kind is the check kind key, e.g. "http".
func (c Check) Kind() string {
	if c.Spec == nil {
		return ""
	}
	return c.Spec.Kind()
}

// Eventually retries a failing check every Interval until it passes or Timeout
// has passed: services take a moment to come up after the learner's fix.
type Eventually struct {
	Timeout, Interval time.Duration
}

// Consistently requires a check to hold on every attempt for For: a flapping
// service must not pass by luck.
type Consistently struct {
	For, Interval time.Duration
}

// NodeRef is a node named by a check, kept with its position for ValidateRefs.
type NodeRef struct {
	Name  string
	Field string // "node" or "from"
	Line  int
	// Container is true when the kind needs a lab container (exec, state),
	// so the workspace is not a valid node.
	Container bool
}

// CheckSpec is the kind-specific part of a check (HTTPCheck, FileCheck, ...).
// The set is closed: probing is unexported.
type CheckSpec interface {
	Kind() string
	Nodes() []NodeRef
	probe(ctx context.Context, e *env) (verdict, error)
}
