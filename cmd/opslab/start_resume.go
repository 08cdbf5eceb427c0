package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"

	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs/spec"
)

// A lab started again on a workspace it set up before runs the same scenario
// as then (the same draw of its randomized fault): setup already changed that
// workspace's files for it, and the learner's fixes are for it. A new draw
// would break a second thing on top of the first. (An exam's labs take their
// params from the exam instead.)

// resumeParams returns the params a start of labID in workspace (the
// --workspace flag, "" for the default) should use: those of its last start
// there, overridden by --param; resumed says the record was used.
func (d *app) resumeParams(labID, workspace string, overrides map[string]string) (params map[string]string, resumed bool) {
	if st := d.activeExam(); st != nil && st.Lab(labID) != nil {
		return overrides, false
	}
	ws, ok := d.existingWorkspace(labID, workspace)
	if !ok {
		return overrides, false
	}
	saved := localstate.LoadWorkspaceParams(d.dirs.WorkspaceParams(), labID, ws)
	if saved == nil {
		return overrides, false
	}
	params = maps.Clone(saved)
	maps.Copy(params, overrides)
	return params, true
}

// existingWorkspace is the absolute path of the workspace a start would use,
// when it exists and holds something.
func (d *app) existingWorkspace(labID, workspace string) (string, bool) {
	if workspace == "" {
		workspace = d.dirs.Workspace(labID)
	}
	abs, err := filepath.Abs(workspace)
	if err != nil {
		return "", false
	}
	entries, err := os.ReadDir(abs)
	return abs, err == nil && len(entries) > 0
}

// loadResumedLab loads the lab with the resumed params; a record the lab no
// longer accepts (its params changed since) gives way to a new draw.
func (d *app) loadResumedLab(labID string, params, overrides map[string]string, resumed bool) (*spec.Lab, map[string]string, bool, error) {
	lab, err := d.loadLab(labID, params)
	if err != nil && resumed {
		lab, err = d.loadLab(labID, overrides)
		return lab, overrides, false, err
	}
	return lab, params, resumed, err
}

// rememberParams records the params lab runs with in workspace, for its next
// start there. Only a convenience: a failure is said, not fatal.
func (d *app) rememberParams(lab *spec.Lab, workspace string) {
	if workspace == "" {
		return
	}
	if err := localstate.SaveWorkspaceParams(d.dirs.WorkspaceParams(), lab.ID, workspace, lab.Values); err != nil {
		fmt.Fprintf(d.io.Err, "note: %v (a later start in this workspace may draw another scenario)\n", err)
	}
}

// sayResumed tells the learner why the lab is the same as last time.
func (d *app) sayResumed(labID string) {
	fmt.Fprintf(d.io.Out, "  the same scenario as your last start in this workspace, so your changes in it still apply\n"+
		"  (a new scenario needs a new workspace: `%s start %s --workspace DIR`)\n", d.cmdPrefix(), labID)
}
