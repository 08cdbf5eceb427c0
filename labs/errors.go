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

// NotRunningError is a command that needs a running lab: exit code 3. The CLI
// says how to start it.
type NotRunningError struct{ Lab string }

func (e *NotRunningError) Error() string {
	return fmt.Sprintf("lab %s is not running", e.Lab)
}
