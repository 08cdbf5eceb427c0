package main

import (
	"context"
	"os/user"
	"path/filepath"

	"github.com/opslab/opslab/labs/spec"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/labs"
)

// resultsDir keeps every grade: <state>/results/<lab>/<time>.json.
func (d *app) resultsDir() string { return filepath.Join(labs.StateDir(), "results") }

// hintStore remembers the hint tiers revealed, per lab and session.
func (d *app) hintStore(lab *spec.Lab) *grader.HintStore {
	return grader.NewHintStore(filepath.Join(labs.StateDir(), "hints"), d.sessionName(), grader.HintsFromTasks(lab.ID, lab.Tasks))
}

func (d *app) sessionName() string {
	if d.session != "" {
		return labs.SanitizeSession(d.session)
	}
	return labs.DefaultSession()
}

// learner names the person in results: $OPSLAB_LEARNER, else the login name.
func (d *app) learner() string {
	if l := d.getenv("OPSLAB_LEARNER"); l != "" {
		return l
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// labLoader re-renders a lab with given params (those it was started with).
func (d *app) labLoader(id string) labs.LabLoader {
	return func(params map[string]string) (*spec.Lab, error) { return d.loadLab(id, params) }
}

// runningLab loads a running lab's definition with the params it was started with.
func (d *app) runningLab(ctx context.Context, rt labRuntime, id string) (*spec.Lab, error) {
	insts, err := rt.Status(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(insts) == 0 {
		return nil, &labs.NotRunningError{Lab: id}
	}
	return d.loadLab(id, insts[0].Params)
}

// lastResult is the newest recorded grade of a lab, or nil.
func (d *app) lastResult(labID string) *grader.Result {
	return grader.NewHistory(d.resultsDir()).Latest(labID)
}
