package labs

import (
	"context"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/labs/spec"
)

// Graded is the outcome of grading a running lab.
type Graded struct {
	Result   *grader.Result
	Lab      *spec.Lab
	Instance *Instance
	Stale    bool // the lab's definition changed since it was started
}

// Running is the running instance of labID in this session, or a *NotRunningError.
func (r *Runtime) Running(ctx context.Context, labID string) (*Instance, error) {
	insts, err := r.Status(ctx, labID)
	if err != nil {
		return nil, err
	}
	if len(insts) == 0 {
		return nil, &NotRunningError{Lab: labID}
	}
	return &insts[0], nil
}

// Grade grades inst, a running instance of lab; lab is its definition rendered
// with the params inst was started with (its random picks are the ones the
// checks must see).
func (r *Runtime) Grade(ctx context.Context, lab *spec.Lab, inst *Instance, opt grader.Options) (*Graded, error) {
	opt.Policy = lab.Pass
	if opt.Deadline == 0 {
		opt.Deadline = lab.GradeDeadline
	}
	if opt.Session == "" {
		opt.Session = r.opts.Session
	}
	defer r.giveBackWorkspace(ctx, lab.ID) // checks may run the learner's tools in the workspace
	res := grader.Grade(ctx, r.Target(lab, inst), grader.LabInfo{ID: lab.ID, Version: lab.Version, Digest: lab.Digest}, lab.Tasks, opt)
	return &Graded{Result: res, Lab: lab, Instance: inst, Stale: inst.Digest != lab.Digest}, nil
}
