package labs

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/testcontainers/testcontainers-go"
)

// The phases of a start, in order: what OPSLAB_TRACE=1 times, and where a
// test can hold a start (RuntimeOptions.AtPhase) to interrupt it there.
const (
	PhaseFind      = "find"      // is the lab running already, or are there leftovers?
	PhaseWorkspace = "workspace" // create the workspace, copy the lab's files in
	PhasePorts     = "ports"     // fixed host ports free?
	PhaseImages    = "images"    // every node's image present (built when not)
	PhaseNetwork   = "network"   // the lab's network
	PhaseNodes     = "nodes"     // create, start and wait for every node, side by side
	PhaseNodeUp    = "node-up"   // (AtPhase only) one node is created and started, its wait not done
	PhaseSetup     = "setup"     // the lab's setup steps
)

// traceMu keeps the trace lines of nodes started side by side whole.
var traceMu sync.Mutex

// phase marks a phase's beginning; the returned func marks its end (and
// prints its duration). A test's AtPhase hook runs first and may block until
// ctx is cancelled: the phase then reports ctx's error.
func (r *Runtime) phase(ctx context.Context, name string) (done func(), err error) {
	if hook := r.opts.AtPhase; hook != nil {
		hook(ctx, name)
		if err := ctx.Err(); err != nil {
			return func() {}, err
		}
	}
	if r.opts.Trace == nil {
		return func() {}, nil
	}
	t0 := time.Now()
	return func() { r.tracef("%-22s %6d ms", name, time.Since(t0).Milliseconds()) }, nil
}

func (r *Runtime) tracef(format string, args ...any) {
	if r.opts.Trace == nil {
		return
	}
	traceMu.Lock()
	defer traceMu.Unlock()
	fmt.Fprintf(r.opts.Trace, "trace: "+format+"\n", args...)
}

// nodeTraceHooks time one node's create, start and readiness wait (the wait
// strategy of its lab.yaml) for OPSLAB_TRACE.
func (r *Runtime) nodeTraceHooks(node string) []testcontainers.ContainerLifecycleHooks {
	if r.opts.Trace == nil && r.opts.AtPhase == nil {
		return nil
	}
	var created, started, t0 time.Time
	line := func() {
		r.tracef("%-22s %6d ms (create %d, start %d, ready %d)", "node "+node,
			time.Since(t0).Milliseconds(), created.Sub(t0).Milliseconds(),
			started.Sub(created).Milliseconds(), time.Since(started).Milliseconds())
	}
	return []testcontainers.ContainerLifecycleHooks{{
		PreCreates: []testcontainers.ContainerRequestHook{func(context.Context, testcontainers.ContainerRequest) error {
			t0 = time.Now()
			return nil
		}},
		PostCreates: []testcontainers.ContainerHook{func(context.Context, testcontainers.Container) error {
			created = time.Now()
			return nil
		}},
		PostStarts: []testcontainers.ContainerHook{func(ctx context.Context, _ testcontainers.Container) error {
			started = time.Now()
			if hook := r.opts.AtPhase; hook != nil {
				hook(ctx, PhaseNodeUp)
			}
			return ctx.Err()
		}},
		PostReadies: []testcontainers.ContainerHook{func(context.Context, testcontainers.Container) error {
			if r.opts.Trace != nil {
				line()
			}
			return nil
		}},
	}}
}
