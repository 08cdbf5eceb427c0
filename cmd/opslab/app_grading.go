package main

import (
	"context"
	"fmt"
	"os/user"
	"slices"

	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs/spec"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/labs"
)

// history keeps every grade: <state>/results/<lab>/<time>.json.
func (d *app) history() *localstate.History { return localstate.NewHistory(d.dirs.Results()) }

// hintStore remembers the hint tiers revealed, per lab and session.
func (d *app) hintStore(lab *spec.Lab) *localstate.HintStore {
	return localstate.NewHintStore(d.dirs.Hints(), d.sessionName(), localstate.HintsFromTasks(lab.ID, lab.Tasks))
}

// sessionName is the learner/session identity: --session or $OPSLAB_SESSION,
// else the login name. Learners sharing one engine get different sessions, so
// their labs never clash.
func (d *app) sessionName() string {
	if st := d.activeExam(); st != nil {
		return st.Session // during an exam, the candidate's own session (exam start), whatever --session says
	}
	if d.session != "" {
		return labs.SanitizeSession(d.session)
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return labs.SanitizeSession(u.Username)
	}
	return "default"
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

// runningLab finds a lab's running instance and loads the lab's definition
// once, with the params that instance was started with (its random picks).
// An unknown lab is a usage error before Docker is asked.
func (d *app) runningLab(ctx context.Context, labID string) (*spec.Lab, *labs.Instance, error) {
	cat, err := d.loadCatalog()
	if err != nil {
		return nil, nil, err
	}
	if !slices.Contains(cat.IDs(), labID) {
		return nil, nil, &spec.NotFoundError{ID: labID}
	}
	rt, err := d.runtime(ctx)
	if err != nil {
		return nil, nil, err
	}
	inst, err := rt.Running(ctx, labID)
	if err != nil {
		return nil, nil, err
	}
	lab, err := cat.Load(labID, inst.Params)
	if err != nil {
		return nil, nil, fmt.Errorf("lab %s was started with params %v that its definition no longer accepts (`opslab reset %s` starts it afresh): %w",
			labID, inst.Params, labID, err)
	}
	return lab, inst, nil
}

// lastResult is the newest recorded grade of a lab, or nil.
func (d *app) lastResult(labID string) *grader.Result {
	return d.history().Latest(labID)
}
