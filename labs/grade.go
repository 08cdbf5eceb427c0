package labs

import (
	"context"
	"fmt"

	"github.com/opslab/opslab/labs/spec"

	"github.com/opslab/opslab/grader"
)

// LabLoader loads a lab's definition rendered with the given params — the catalog's
// Load bound to one id. Grading re-renders the lab with the params it was started
// with, so random picks made at start are the ones the checks see.
type LabLoader func(params map[string]string) (*spec.Lab, error)

// Graded is the outcome of grading a running lab.
type Graded struct {
	Result   *grader.Result
	Lab      *spec.Lab
	Instance *Instance
	Stale    bool // the lab's definition changed since it was started
}

// Grade grades the running lab labID with its own definition and the params it was started with.
func (r *Runtime) Grade(ctx context.Context, labID string, load LabLoader, opt grader.Options) (*Graded, error) {
	target, inst, err := r.Target(ctx, labID)
	if err != nil {
		return nil, err
	}
	lab, err := load(inst.Params)
	if err != nil {
		return nil, fmt.Errorf("the lab was started with params %v that its definition no longer accepts: %w", inst.Params, err)
	}
	if lt, ok := target.(*labTarget); ok {
		lt.def = lab
		if len(lab.Nodes) > 0 {
			lt.probe = lab.Nodes[0].Name // checks without from: go from the lab's first node, in lab.yaml order
		}
	}
	opt.Policy = lab.Pass
	if opt.Deadline == 0 {
		opt.Deadline = lab.GradeDeadline
	}
	if opt.Session == "" {
		opt.Session = r.opts.Session
	}
	defer r.giveBackWorkspace(ctx, labID) // checks may run the learner's tools in the workspace
	res := grader.Grade(ctx, target, grader.LabInfo{ID: lab.ID, Version: lab.Version, Digest: lab.Digest}, lab.Tasks, opt)
	return &Graded{Result: res, Lab: lab, Instance: inst, Stale: r.startedDigest(ctx, labID) != lab.Digest}, nil
}

// startedDigest is the digest of the definition the running lab was started from.
func (r *Runtime) startedDigest(ctx context.Context, labID string) string {
	cs, err := r.find(ctx, labID)
	if err != nil || len(cs) == 0 {
		return ""
	}
	return cs[0].Labels[LabelDigest]
}
