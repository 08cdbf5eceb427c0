package labs

import "fmt"

// EnvError means the environment is broken (Docker unreachable, image build
// failed, a port taken): exit code 3. Fix says what the user can do.
type EnvError struct {
	Msg string
	Fix string
	Err error
}

func (e *EnvError) Error() string {
	s := e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Fix != "" {
		s += "\n  fix: " + e.Fix
	}
	return s
}

func (e *EnvError) Unwrap() error { return e.Err }

// UsageError is bad input from the user (unknown lab or node, bad param): exit code 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// NotFoundError is an unknown lab id.
type NotFoundError struct{ ID string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no lab named %s (see `opslab list`)", e.ID)
}

// NotRunningError is a command that needs a running lab: exit code 3.
type NotRunningError struct{ Lab string }

func (e *NotRunningError) Error() string {
	return fmt.Sprintf("lab %s is not running (start it with `opslab start %s`)", e.Lab, e.Lab)
}
