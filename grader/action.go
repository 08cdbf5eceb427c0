package grader

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Action is something the grader does to the lab before or after a task's
// checks: inject a fault (stop a node), prove a fix survives a restart, apply
// the learner's code to a fresh machine (recreate), or run a command.
type Action struct {
	Op   string // stop | start | restart | recreate | exec
	Node string
	Run  string // exec only: run with sh -c
	// Timeout bounds an exec (default actionTimeout): a lab that runs the
	// learner's own automation gives it the time a loaded machine needs.
	Timeout time.Duration
	Line    int
}

// Node ops a NodeActor performs; exec goes through Target.Exec.
var actionOps = []string{"stop", "start", "restart", "recreate", "exec"}

// NodeActor is implemented by Targets that can act on nodes. Tasks with
// before/after actions need it; a Target without it makes them an error.
type NodeActor interface {
	NodeAction(ctx context.Context, node, op string) error
}

// actionTimeout bounds one exec action that names no timeout; node ops have
// their own readiness waits.
const actionTimeout = 2 * time.Minute

// timeout is how long an exec action may take.
func (a Action) timeout() time.Duration {
	if a.Timeout > 0 {
		return a.Timeout
	}
	return actionTimeout
}

// actionsTimeout is how long a list of actions may take in all.
func actionsTimeout(actions []Action) time.Duration {
	var d time.Duration
	for _, a := range actions {
		d += a.timeout()
	}
	return d
}

func (a Action) String() string {
	if a.Op == "exec" {
		return fmt.Sprintf("exec on %s: %s", a.Node, a.Run)
	}
	return a.Op + " " + a.Node
}

// runActions performs actions in order and stops at the first failure.
func runActions(ctx context.Context, t Target, actions []Action) error {
	for _, a := range actions {
		if err := runAction(ctx, t, a); err != nil {
			return fmt.Errorf("grader action %q failed: %w", a.String(), err)
		}
	}
	return nil
}

func runAction(ctx context.Context, t Target, a Action) error {
	if a.Op == "exec" {
		res, err := t.Exec(ctx, a.Node, []string{"sh", "-c", a.Run}, a.timeout())
		if err != nil {
			return err
		}
		if res.ExitCode != 0 {
			return fmt.Errorf("exit code %d: %s", res.ExitCode, strings.TrimSpace(lastN(res.Stdout+res.Stderr, 400)))
		}
		return nil
	}
	actor, ok := t.(NodeActor)
	if !ok {
		return fmt.Errorf("this target cannot %s nodes", a.Op)
	}
	return actor.NodeAction(ctx, a.Node, a.Op)
}

func lastN(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
