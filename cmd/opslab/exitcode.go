package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"
	"github.com/opslab/opslab/labs/spec"

	"github.com/opslab/opslab/labs"
)

// Exit codes are part of the CLI's contract: scripts and instructors branch on them.
const (
	exitOK          = 0
	exitNotPassed   = 1   // graded and not passed
	exitUsage       = 2   // bad usage or bad input (unknown lab, malformed lab.yaml)
	exitEnv         = 3   // environment: Docker unreachable, build failed, not running
	exitInternal    = 70  // a bug in opslab (EX_SOFTWARE)
	exitInterrupted = 130 // SIGINT/SIGTERM
)

// exitError carries an exit code up to main. An empty message means the command
// already told the user (lint's problem list, exec's own output).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// silentExit ends with code and prints nothing more.
func silentExit(code int) error { return &exitError{code: code} }

// usageError is bad usage of the CLI itself (missing argument, unknown flag): exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{msg: fmt.Sprintf(format, a...)} }

// exitCode maps an error to the process's exit code. interrupted is true when a
// signal arrived: whatever failed afterwards failed because of it.
func exitCode(err error, interrupted bool) int {
	if err == nil {
		return exitOK
	}
	var (
		ee         *exitError
		specErrs   yamlspec.SpecErrors
		specErr    *yamlspec.SpecError
		labUsage   *spec.UsageError
		notFound   *spec.NotFoundError
		cliUsage   *usageError
		envErr     *labs.EnvError
		notRunning *labs.NotRunningError
	)
	switch {
	case interrupted || errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &specErrs), errors.As(err, &specErr), errors.As(err, &labUsage),
		errors.As(err, &notFound), errors.As(err, &cliUsage):
		return exitUsage
	case errors.As(err, &envErr), errors.As(err, &notRunning):
		return exitEnv
	}
	// Anything else comes from below us (Docker API, file system): an environment
	// problem, never charged to the learner as "not passed".
	return exitEnv
}

// errorMessage is what the user reads on stderr, without the "opslab: " prefix.
// The packages below say what happened; the words about what to run next are
// written here, with the options the user called opslab with (prefix).
func errorMessage(err error, interrupted bool, prefix string) string {
	if interrupted || errors.Is(err, context.Canceled) {
		return "interrupted"
	}
	msg := err.Error()
	// Fixes below name commands as `opslab CMD`: say them as this user must type them.
	if prefix != "opslab" {
		msg = strings.ReplaceAll(msg, "`opslab ", "`"+prefix+" ")
	}
	var (
		notRunning *labs.NotRunningError
		notFound   *spec.NotFoundError
	)
	switch {
	case errors.As(err, &notRunning):
		msg += fmt.Sprintf(" (start it with `%s start %s`)", prefix, notRunning.Lab)
	case errors.As(err, &notFound):
		msg += fmt.Sprintf(" (see `%s list`)", prefix)
	}
	return msg
}
