package labs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/opslab/opslab/labs/spec"
)

// ApplySolution copies a solution folder ("solution" or "wrong/NAME") over the running
// lab's workspace and runs the lab's solve steps. The workspace is backed up first:
// nothing the learner wrote is lost. It returns the backup's path.
func (r *Runtime) ApplySolution(ctx context.Context, lab *spec.Lab, dir string) (backup string, err error) {
	insts, err := r.Status(ctx, lab.ID)
	if err != nil {
		return "", err
	}
	if len(insts) == 0 {
		return "", &NotRunningError{Lab: lab.ID}
	}
	ws := insts[0].Workspace
	if ws == "" {
		return "", &EnvError{Msg: "the running lab has no workspace label", Fix: "`opslab reset " + lab.ID + "` recreates it"}
	}
	backup, err = BackupWorkspace(ws, r.opts.Dirs.Backups(), time.Now())
	if err != nil {
		return "", &EnvError{Msg: "cannot back up the workspace " + ws + "; the solution was not applied", Err: err}
	}
	if err := OverlaySolution(lab, dir, ws); err != nil {
		var ue *spec.UsageError
		if errors.As(err, &ue) {
			return backup, err
		}
		return backup, &EnvError{Msg: "cannot copy " + dir + " into the workspace", Err: err}
	}
	if err := r.runSteps(ctx, lab, "solve", lab.Solve); err != nil {
		return backup, err
	}
	return backup, r.runAttempt(ctx, lab, dir)
}

// runSteps runs setup or solve steps in order; a failing step is the lab author's bug.
func (r *Runtime) runSteps(ctx context.Context, lab *spec.Lab, what string, steps []spec.Step) error {
	if len(steps) > 0 {
		defer r.giveBackWorkspace(ctx, lab.ID)
	}
	for i, s := range steps {
		r.progressf("%s %d/%d on %s …", what, i+1, len(steps), s.Node)
		where := fmt.Sprintf("%s step %d of %s (lab.yaml:%d)", what, i+1, lab.ID, s.Line)
		if err := r.execStep(ctx, lab, s.Node, s.Run, where, "this is a bug in the lab definition; run `opslab lint` and report it to the lab's author"); err != nil {
			return err
		}
	}
	return nil
}

// runAttempt does what a case's attempt.yaml says the learner did in the
// nodes. A step that fails is reported: the case does not show what it claims.
func (r *Runtime) runAttempt(ctx context.Context, lab *spec.Lab, dir string) error {
	steps, err := spec.ParseAttempt(lab, dir)
	if err != nil {
		return err
	}
	for i, s := range steps {
		r.progressf("%s: attempt step %d/%d (%s on %s) …", dir, i+1, len(steps), s.Op, s.Node)
		if s.Op != "exec" {
			if err := r.nodeAction(ctx, lab, s.Node, s.Op); err != nil {
				return err
			}
			continue
		}
		where := fmt.Sprintf("%s/%s step %d (line %d)", dir, spec.AttemptFile, i+1, s.Line)
		if err := r.execStep(ctx, lab, s.Node, s.Run, where, "fix the case's attempt.yaml; `opslab lint` checks its format"); err != nil {
			return err
		}
	}
	return nil
}

// execStep runs one authored shell step in a node. A non-zero exit is an
// EnvError naming where the step is written and what to do about it.
func (r *Runtime) execStep(ctx context.Context, lab *spec.Lab, node, run, where, fix string) error {
	res, err := r.execCapture(ctx, lab.ID, node, []string{"sh", "-c", run}, 5*time.Minute)
	if err != nil {
		return err
	}
	if res.ExitCode == 0 {
		return nil
	}
	return &EnvError{
		Msg: fmt.Sprintf("%s failed on node %s with exit code %d", where, node, res.ExitCode),
		// The node's own log says why, e.g. a daemon the step waited for; after
		// a failed start (or in `opslab test`) the node is gone.
		Err: errors.New("its output:\n" + lastLines(res.Stdout+res.Stderr, 10) + r.nodeLogTail(context.WithoutCancel(ctx), lab.ID, node)),
		Fix: fix,
	}
}
