package labs

import (
	"context"
	"time"

	"github.com/opslab/opslab/labs/spec"
)

// Reset backs the workspace up (timestamped, under the state dir), then removes and
// recreates the lab's environment. The workspace itself is left as the learner had it.
func (r *Runtime) Reset(ctx context.Context, lab *spec.Lab, o StartOptions) (backup string, inst *Instance, err error) {
	lock, err := r.lock(lab.ID)
	if err != nil {
		return "", nil, err
	}
	defer lock.Unlock()

	workspace := o.Workspace
	if workspace == "" {
		if insts, err := r.Status(ctx, lab.ID); err == nil && len(insts) > 0 && insts[0].Workspace != "" {
			workspace = insts[0].Workspace // keep the workspace the lab was started with
		} else {
			workspace = r.opts.Dirs.Workspace(lab.ID)
		}
	}
	o.Workspace = workspace
	backup, err = BackupWorkspace(workspace, r.opts.Dirs.Backups(), time.Now())
	if err != nil {
		return "", nil, &EnvError{Msg: "cannot back up the workspace " + workspace + "; nothing was reset", Err: err}
	}
	if backup != "" {
		r.progressf("workspace backed up to %s", backup)
	}
	if err := r.remove(context.WithoutCancel(ctx), lab.ID); err != nil {
		return backup, nil, err
	}
	inst, _, err = r.startLocked(ctx, lab, o)
	return backup, inst, err
}
