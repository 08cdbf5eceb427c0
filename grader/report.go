package grader

import (
	"io"
)

// Reporter renders a result in one output format.
type Reporter interface {
	Report(w io.Writer, r *Result, o ReportOptions) error
}

// ReportOptions are decided once by the caller (terminal or not, NO_COLOR).
type ReportOptions struct {
	Color bool   // only the text reporter uses colour
	LabID string // for hint pointers; default r.Lab.ID
	// HintCommand is how the learner asks for a hint, e.g. "opslab --session bob
	// hint": the CLI knows how it was called. Empty: no hint pointers.
	HintCommand string
}

// Reporters is the one registry of output formats (--format).
var Reporters = map[string]Reporter{
	"text":  TextReporter{},
	"json":  JSONReporter{},
	"junit": JUnitReporter{},
	"tap":   TAPReporter{},
}

// checkName is how per-check formats name a check: task/check.
func checkName(t TaskResult, c CheckResult) string { return t.ID + "/" + c.ID }
