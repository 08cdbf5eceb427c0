package spec

import "fmt"

// UsageError is bad input from the user (unknown lab or node, bad param): exit code 2.
// The words are the message alone: advice with commands comes from the CLI.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// NotFoundError is an unknown lab id. The CLI says where to find the ids.
type NotFoundError struct{ ID string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no lab named %s", e.ID)
}
