package labs

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/opslab/opslab/labs/spec"

	"github.com/opslab/opslab/grader"
)

// SelfTestCase is one row of `opslab test`: an environment in one state, graded.
type SelfTestCase struct {
	Lab      string
	Name     string   // "unsolved", "wrong/NAME", "variants/NAME", "solution"
	Want     string   // "not passed" or "full marks"
	Got      string   // "not passed", "passed", "full marks", "error"; "flaky" when gradings disagreed
	Verdicts []string // with SelfTestOptions.Repeat > 1: every grading's verdict, in order
	Score    float64
	MaxScore float64
	Started  time.Time
	Duration time.Duration
	Phases   CasePhases // where Duration went
	OK       bool
	Detail   string         // why a case deviated
	Result   *grader.Result // nil when the environment failed before grading
}

// CasePhases splits a case's time: what the catalog's proof budget is spent on.
type CasePhases struct {
	Start time.Duration // clearing leftovers, creating the network and nodes, setup steps
	Solve time.Duration // copying the case's files in and running the solve steps
	Grade time.Duration // every grading of the case together
	Stop  time.Duration // removing the environment
}

// SelfTestOptions tunes `opslab test`.
type SelfTestOptions struct {
	Grade grader.Options
	// Repeat grades each case's environment this many times (default once);
	// the case fails when the verdicts differ: flaky grading is a false pass
	// or fail waiting to happen. Each grading draws new grade values.
	Repeat int
	// RepeatByLab sets Repeat per lab id in SelfTestAll (labs not in it use
	// Repeat), so that cheap labs can be graded more often in one shared pool.
	RepeatByLab map[string]int
	// RepeatOnlyCorrect repeats only the cases that must score full marks
	// (solution, variants/): a correct answer failed by a second grading is
	// the flakiness learners meet; wrong cases are graded once.
	RepeatOnlyCorrect bool
	// CaseTimeout bounds one case, start to stop (default DefaultCaseTimeout):
	// a step or check that hangs fails its own case, by name and phase,
	// instead of holding the whole run until an outer timeout says nothing.
	CaseTimeout time.Duration
	// EveryCheck grades every check of the cases that must not pass too. By
	// default their grading stops once it cannot pass (grader.Options.
	// StopWhenNotPassed): the verdict is certain then. It saved 5% of the
	// catalog's proof (most wrong cases fail in their last required task).
	EveryCheck bool
	// Weight is how many of SelfTestAll's environments one case of the lab
	// counts as (default 1). A lab whose checks hold a service to a latency
	// budget gets a quieter machine this way: on 2 cores, four environments
	// at once slowed correct answers past their budget. WeightByLab sets it
	// per lab id, like RepeatByLab.
	Weight      int
	WeightByLab map[string]int
	// SkipVariants proves only what every lab must prove (unsolved, wrong/,
	// solution): a shorter proof, to measure or to bound one; variants/ cases
	// are not run and not reported.
	SkipVariants bool
}

// DefaultCaseTimeout is generous: the slowest case on record (a Kubernetes
// cluster started, a release rolled out and graded) takes under 5 minutes.
const DefaultCaseTimeout = 15 * time.Minute

// SelfTest proves a lab the way a course author must, in both directions: a
// fresh environment and each wrong/ case grade not passed; the reference
// solution and each variants/ case (a correct answer written differently)
// grade full marks. Each case runs under a session of its own, so it never
// touches the learner's own run of the lab, and in a throw-away workspace.
// Each case loads the lab afresh, so random params are drawn anew.
func (r *Runtime) SelfTest(ctx context.Context, cat *spec.Catalog, labID string, opt SelfTestOptions, each func(SelfTestCase)) ([]SelfTestCase, error) {
	lab, err := cat.Load(labID, nil)
	if err != nil {
		return nil, err
	}
	// Build once up front: the cases would otherwise all build the same images at once.
	if err := r.BuildImages(ctx, lab, false); err != nil {
		return nil, err
	}
	return r.selfTestCases(ctx, cat, lab, opt, newEnvPool(selfTestParallel), each)
}

// selfTestCases runs a lab's cases, each holding opt.Weight of the pool's
// slots while it runs: the pool may be shared with other labs' cases (SelfTestAll).
func (r *Runtime) selfTestCases(ctx context.Context, cat *spec.Catalog, lab *spec.Lab, opt SelfTestOptions, pool *envPool, each func(SelfTestCase)) ([]SelfTestCase, error) {
	labID := lab.ID
	if ref, _ := spec.Solutions(lab); ref == "" {
		return nil, &spec.UsageError{Msg: fmt.Sprintf("lab %s has no solution/ folder: `opslab test` needs a reference solution", labID)}
	}
	cases := spec.TestCases(lab)
	if opt.SkipVariants {
		cases = slices.DeleteFunc(cases, func(c spec.TestCase) bool { return strings.HasPrefix(c.Name, "variants/") })
	}

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
			defer pool.take(opt.Weight, casePriority(c))()
			if ctx.Err() != nil { // cut short while this case waited for a slot
				out[i] = SelfTestCase{Lab: labID, Name: c.Name, Want: string(c.Want), Got: "not run", Detail: ctx.Err().Error()}
				return
			}
			tr := *r
			tr.opts.Session = SanitizeSession(fmt.Sprintf("%s-t%d", r.opts.Session, i))
			tc := tr.selfTestCase(ctx, cat, labID, c, opt)
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

func (r *Runtime) selfTestCase(ctx context.Context, cat *spec.Catalog, labID string, c spec.TestCase, opt SelfTestOptions) SelfTestCase {
	started := time.Now()
	tc := SelfTestCase{Lab: labID, Name: c.Name, Want: string(c.Want), Started: started}
	limit := cmp.Or(opt.CaseTimeout, DefaultCaseTimeout)
	outer := ctx
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	phase := "starting the environment"
	fail := func(err error) SelfTestCase {
		tc.Got, tc.Detail, tc.Duration = "error", err.Error(), time.Since(started)
		if ctx.Err() != nil && outer.Err() == nil {
			tc.Detail = fmt.Sprintf("the case did not finish within %s: stuck %s (%v)", limit, phase, err)
		}
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
	stopped := false // the happy path stops (and times it) itself
	defer func() {
		if !stopped {
			_, _ = r.Stop(context.WithoutCancel(ctx), labID)
		}
	}()

	// A fresh environment: whatever an earlier case left is removed first.
	if _, err := r.Stop(ctx, labID); err != nil {
		return fail(err)
	}
	r.progressf("%s: %s — starting a fresh environment …", labID, c.Name)
	inst, _, err := r.Start(ctx, lab, StartOptions{Workspace: ws})
	if err != nil {
		return fail(err)
	}
	tc.Phases.Start = time.Since(started)
	if c.Dir != "" {
		phase = "applying the case's files and solve steps"
		t0 := time.Now()
		if _, err := r.ApplySolution(ctx, lab, c.Dir); err != nil {
			return fail(err)
		}
		tc.Phases.Solve = time.Since(t0)
	}
	graded := time.Now()
	gradeOpt := opt.Grade
	gradeOpt.StopWhenNotPassed = c.Want != spec.WantFullMarks && !opt.EveryCheck
	repeat := max(opt.Repeat, 1)
	if opt.RepeatOnlyCorrect && c.Want != spec.WantFullMarks {
		repeat = 1
	}
	for i := range repeat {
		if i > 0 { // read the lab again, as `opslab grade` does: new grade values
			if lab, err = cat.Load(labID, lab.Values); err != nil {
				return fail(err)
			}
		}
		phase = fmt.Sprintf("in grading %d of %d", i+1, repeat)
		r.progressf("%s: %s — grading (%d of %d) …", labID, c.Name, i+1, repeat)
		g, err := r.Grade(ctx, lab, inst, gradeOpt)
		if err == nil && ctx.Err() != nil { // checks cut short report errors, not the deadline
			err = ctx.Err()
		}
		if err != nil {
			return fail(err)
		}
		got, detail := verdictOf(g.Result)
		if i == 0 {
			tc.Result, tc.Score, tc.MaxScore, tc.Got, tc.Detail = g.Result, g.Result.Score, g.Result.MaxScore, got, detail
		} else if got != tc.Got && tc.Detail == "" {
			tc.Detail = fmt.Sprintf("grading %d gave %s, grading 1 %s: %s", i+1, got, tc.Got, firstDeviation(g.Result, tc.Result))
		}
		tc.Verdicts = append(tc.Verdicts, got)
	}
	tc.Phases.Grade = time.Since(graded)
	t0 := time.Now()
	phase = "removing the environment"
	if _, err := r.Stop(ctx, labID); err != nil {
		return fail(err)
	}
	stopped = true
	tc.Phases.Stop = time.Since(t0)
	tc.Duration = time.Since(started)
	if slices.ContainsFunc(tc.Verdicts, func(v string) bool { return v != tc.Verdicts[0] }) {
		tc.Got = "flaky"
	}
	tc.OK = tc.Got == tc.Want
	if !tc.OK && tc.Detail == "" {
		if tc.Want == string(spec.WantFullMarks) {
			tc.Detail = "a correct solution lost points: " + firstMessage(tc.Result, grader.StatusFail)
		} else {
			tc.Detail = "grading passed a solution that must fail: the checks can be fooled"
		}
	}
	return tc
}

// verdictOf names a grading's outcome; an environment error is named with
// the first check that hit one.
func verdictOf(res *grader.Result) (got, detail string) {
	switch {
	case res.Passed && res.Score == res.MaxScore:
		got = "full marks"
	case res.Passed:
		got = "passed"
	default:
		got = "not passed"
	}
	if n := res.CountStatus(grader.StatusError); n > 0 {
		return "error", fmt.Sprintf("%d check(s) hit an environment error: %s", n, firstMessage(res, grader.StatusError))
	}
	return got, ""
}

// firstDeviation names the first check whose status differs between two gradings.
func firstDeviation(a, b *grader.Result) string {
	for i, t := range a.Tasks {
		for j, c := range t.Checks {
			if i < len(b.Tasks) && j < len(b.Tasks[i].Checks) && b.Tasks[i].Checks[j].Status != c.Status {
				return fmt.Sprintf("%s/%s was %s, now %s: %s", t.ID, c.ID, b.Tasks[i].Checks[j].Status, c.Status, c.Message)
			}
		}
	}
	return "the same checks, a different score"
}

func firstMessage(res *grader.Result, s grader.Status) string {
	if task, c, ok := res.FirstWithStatus(s); ok {
		return fmt.Sprintf("%s/%s: %s", task, c.ID, c.Message)
	}
	return ""
}
