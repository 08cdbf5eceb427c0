package labs

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/opslab/opslab/labs/spec"

	"github.com/opslab/opslab/grader"
)

// SelfTestCase is one row of `opslab test`: an environment in one state, graded.
type SelfTestCase struct {
	Lab      string
	Name     string // "unsolved", "wrong/NAME", "solution"
	Want     string // "not passed" or "full marks"
	Got      string // "not passed", "passed", "full marks", "error"
	Score    float64
	MaxScore float64
	Started  time.Time
	Duration time.Duration
	OK       bool
	Detail   string         // why a case deviated
	Result   *grader.Result // nil when the environment failed before grading
}

// SelfTest proves a lab the way a course author must: a fresh environment grades
// not passed; each wrong/ solution applied to a fresh environment grades not
// passed; the reference solution grades full marks. Each case runs under a session
// of its own, so it never touches the learner's own run of the lab, and in a
// throw-away workspace. Each case loads the lab afresh, so random params are drawn anew.
func (r *Runtime) SelfTest(ctx context.Context, cat *spec.Catalog, labID string, opt grader.Options, each func(SelfTestCase)) ([]SelfTestCase, error) {
	lab, err := cat.Load(labID, nil)
	if err != nil {
		return nil, err
	}
	// Build once up front: the cases would otherwise all build the same images at once.
	if err := r.BuildImages(ctx, lab, false); err != nil {
		return nil, err
	}
	return r.selfTestCases(ctx, cat, lab, opt, make(chan struct{}, selfTestParallel), each)
}

// selfTestCases runs a lab's cases, each holding one of slots while it runs:
// slots may be shared with other labs' cases (SelfTestAll).
func (r *Runtime) selfTestCases(ctx context.Context, cat *spec.Catalog, lab *spec.Lab, opt grader.Options, slots chan struct{}, each func(SelfTestCase)) ([]SelfTestCase, error) {
	labID := lab.ID
	ref, wrong := spec.Solutions(lab)
	if ref == "" {
		return nil, &spec.UsageError{Msg: fmt.Sprintf("lab %s has no solution/ folder: `opslab test` needs a reference solution", labID)}
	}
	cases := []struct{ name, dir string }{{"unsolved", ""}}
	for _, w := range wrong {
		cases = append(cases, struct{ name, dir string }{w, w})
	}
	cases = append(cases, struct{ name, dir string }{"solution", ref})

	// Cases run side by side, each under a session of its own: most of a failing
	// case's time is its checks' `eventually` waiting, not CPU.
	out := make([]SelfTestCase, len(cases))
	own := make(chan struct{}, len(cases))
	if hasFixedHostPorts(lab) {
		own = make(chan struct{}, 1) // two environments cannot publish the same host port
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own <- struct{}{}
			defer func() { <-own }()
			slots <- struct{}{}
			defer func() { <-slots }()
			tr := *r
			tr.opts.Session = SanitizeSession(fmt.Sprintf("%s-t%d", r.opts.Session, i))
			tc := tr.selfTestCase(ctx, cat, labID, c.name, c.dir, opt)
			out[i] = tc
			if each != nil {
				mu.Lock()
				each(tc)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out, ctx.Err()
}

// selfTestParallel is how many cases of one lab run at once.
const selfTestParallel = 3

func hasFixedHostPorts(lab *spec.Lab) bool {
	for _, n := range lab.Nodes {
		for _, p := range n.Ports {
			if p.Host != 0 {
				return true
			}
		}
	}
	return false
}

func (r *Runtime) selfTestCase(ctx context.Context, cat *spec.Catalog, labID string, name, dir string, opt grader.Options) SelfTestCase {
	started := time.Now()
	tc := SelfTestCase{Lab: labID, Name: name, Want: "not passed", Started: started}
	if name == "solution" {
		tc.Want = "full marks"
	}
	fail := func(err error) SelfTestCase {
		tc.Got, tc.Detail, tc.Duration = "error", err.Error(), time.Since(started)
		return tc
	}
	lab, err := cat.Load(labID, nil) // afresh: random params are drawn anew
	if err != nil {
		return fail(err)
	}
	ws, err := os.MkdirTemp("", "opslab-test-"+labID+"-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(ws)
	defer func() { _, _ = r.Stop(context.WithoutCancel(ctx), labID) }()

	// A fresh environment: whatever an earlier case left is removed first.
	if _, err := r.Stop(ctx, labID); err != nil {
		return fail(err)
	}
	r.progressf("%s: %s — starting a fresh environment …", labID, name)
	inst, _, err := r.Start(ctx, lab, StartOptions{Workspace: ws})
	if err != nil {
		return fail(err)
	}
	if dir != "" {
		if _, err := r.ApplySolution(ctx, lab, dir); err != nil {
			return fail(err)
		}
	}
	r.progressf("%s: %s — grading …", labID, name)
	g, err := r.Grade(ctx, lab, inst, opt)
	if err != nil {
		return fail(err)
	}
	res := g.Result
	tc.Result, tc.Score, tc.MaxScore, tc.Duration = res, res.Score, res.MaxScore, time.Since(started)
	switch {
	case res.Passed && res.Score == res.MaxScore:
		tc.Got = "full marks"
	case res.Passed:
		tc.Got = "passed"
	default:
		tc.Got = "not passed"
	}
	if n := countStatus(res, grader.StatusError); n > 0 {
		tc.Got = "error"
		tc.Detail = fmt.Sprintf("%d check(s) hit an environment error: %s", n, firstMessage(res, grader.StatusError))
	}
	tc.OK = tc.Got == tc.Want
	if !tc.OK && tc.Detail == "" {
		if tc.Want == "full marks" {
			tc.Detail = "the reference solution lost points: " + firstMessage(res, grader.StatusFail)
		} else {
			tc.Detail = "grading passed a solution that must fail: the checks can be fooled"
		}
	}
	return tc
}

func countStatus(res *grader.Result, s grader.Status) int {
	n := 0
	for _, t := range res.Tasks {
		for _, c := range t.Checks {
			if c.Status == s {
				n++
			}
		}
	}
	return n
}

func firstMessage(res *grader.Result, s grader.Status) string {
	for _, t := range res.Tasks {
		for _, c := range t.Checks {
			if c.Status == s {
				return fmt.Sprintf("%s/%s: %s", t.ID, c.ID, c.Message)
			}
		}
	}
	return ""
}
