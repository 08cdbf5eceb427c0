package main

import (
	"context"
	"encoding/json"
	"os"
	"os/user"
	"path/filepath"
	"sort"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/labs"
)

// resultsDir keeps every grade: <state>/results/<lab>/<time>.json.
func (d *app) resultsDir() string { return filepath.Join(labs.StateDir(), "results") }

// hintStore remembers the hint tiers revealed, per lab and session.
func (d *app) hintStore(lab *labs.Lab) *grader.HintStore {
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
	return func(params map[string]string) (*labs.Lab, error) { return d.loadLab(id, params) }
}

// runningLab loads a running lab's definition with the params it was started with.
func (d *app) runningLab(ctx context.Context, rt labRuntime, id string) (*labs.Lab, error) {
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
	files, _ := filepath.Glob(filepath.Join(d.resultsDir(), labID, "*.json"))
	sort.Strings(files)
	for i := len(files) - 1; i >= 0; i-- {
		if r := readResultFile(files[i]); r != nil {
			return r
		}
	}
	return nil
}

func readResultFile(path string) *grader.Result {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var r grader.Result
	if err := json.Unmarshal(b, &r); err != nil || r.Lab.ID == "" {
		return nil
	}
	return &r
}
