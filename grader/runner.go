package grader

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// DefaultDeadline bounds one whole grading run.
const DefaultDeadline = 120 * time.Second

// Options tunes one grading run. The zero value is ready to use.
type Options struct {
	Deadline    time.Duration  // overall, default 120s
	HintsUsed   map[string]int // task id → hint tiers revealed, copied into the result
	Policy      PassPolicy
	Concurrency int // checks probing at once, default 8
	Learner     string
	Session     string
	// StopWhenNotPassed ends the grading as soon as it cannot pass any more:
	// the checks still running are stopped and reported skipped, and the
	// result says why (Result.Stopped). For proofs that need only the verdict
	// of a wrong answer (`opslab test`); a learner's grading runs every check.
	StopWhenNotPassed bool

	// Now and Sleep are injected so tests control time; defaults are real.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

func (o Options) withDefaults() Options {
	if o.Deadline <= 0 {
		o.Deadline = DefaultDeadline
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	return o
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Grade runs every task's checks against t and scores them. Independent
// checks run concurrently; a task waits for the tasks it needs. Grade never
// fails: environment problems become `error` outcomes in the result.
func Grade(ctx context.Context, t Target, lab LabInfo, tasks []Task, opt Options) *Result {
	opt = opt.withDefaults()
	start := opt.Now()
	ctx, cancel := context.WithTimeout(ctx, opt.Deadline)
	defer cancel()
	ctx, stopChecks := context.WithCancel(ctx)
	defer stopChecks()

	g := &grading{
		e:        &env{t: t, started: start, now: opt.Now, sleep: opt.Sleep},
		deadline: start.Add(opt.Deadline),
		opt:      opt,
		sem:      make(chan struct{}, opt.Concurrency),
		done:     map[string]*taskDone{},
		tasks:    tasks,
		results:  make([]TaskResult, len(tasks)),
		stop:     earlyStop{enabled: opt.StopWhenNotPassed, cancel: stopChecks, finished: make([]bool, len(tasks))},
	}
	for _, task := range tasks {
		if g.done[task.ID] == nil {
			g.done[task.ID] = &taskDone{ch: make(chan struct{})}
		}
	}
	cyclic := cyclicTasks(tasks)
	var wg sync.WaitGroup
	for i := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.runTask(ctx, i, &tasks[i], cyclic[tasks[i].ID])
		}()
	}
	wg.Wait()

	r := &Result{
		Schema: ResultSchema, Lab: lab, Learner: opt.Learner, Session: opt.Session,
		StartedAt: start, FinishedAt: opt.Now(), Tasks: g.results, Stopped: g.stoppedReason(),
	}
	score(r, opt.Policy)
	if r.Stopped != "" {
		r.Passed = false // certain when it stopped; the checks cut short must not change it
	}
	return r
}

type grading struct {
	e        *env
	deadline time.Time
	opt      Options
	sem      chan struct{}
	done     map[string]*taskDone
	tasks    []Task
	results  []TaskResult // each goroutine writes only its own index
	stop     earlyStop
	// Tasks with before/after actions change the lab under everyone's feet: they run
	// alone (write lock); other tasks share the lab (read lock).
	exclusive sync.RWMutex
}

// taskDone lets dependents wait for a task; once guards duplicate ids.
type taskDone struct {
	once   sync.Once
	ch     chan struct{}
	status Status
}

func (g *grading) runTask(ctx context.Context, i int, task *Task, cyclic bool) {
	tr := TaskResult{ID: task.ID, Title: task.Title, Points: task.Points, Required: task.Required,
		HintsUsed: g.opt.HintsUsed[task.ID], Checks: make([]CheckResult, len(task.Checks))}
	unlock := func() {}
	defer func() {
		for j := range tr.Checks { // on every path, blocked included: a hidden check is never described
			tr.Checks[j].Hidden = task.Checks[j].Hidden
		}
		g.results[i] = tr
		// Before the lab is free and dependents wake: a task that waited for
		// either sees an early stop instead of starting its actions.
		g.taskFinished(i)
		unlock()
		d := g.done[task.ID]
		d.once.Do(func() { d.status = tr.Status; close(d.ch) })
	}()
	if why := g.blockedBy(task, cyclic); why != "" {
		for j, c := range task.Checks {
			tr.Checks[j] = CheckResult{ID: c.ID, Kind: c.Kind(), Status: StatusBlocked, Message: why}
		}
		tr.Status = StatusBlocked
		return
	}
	if task.changesLab() {
		g.exclusive.Lock()
		unlock = g.exclusive.Unlock
	} else {
		g.exclusive.RLock()
		unlock = g.exclusive.RUnlock
	}
	if reason := g.stoppedReason(); reason != "" { // stopped while this task waited its turn
		for j, c := range task.Checks {
			tr.Checks[j] = notGraded(CheckResult{ID: c.ID, Kind: c.Kind()}, reason)
		}
		tr.Status = taskStatus(task, tr.Checks)
		return
	}
	if err := runActions(ctx, g.e.t, task.Before); err != nil {
		reason := g.stoppedReason() // an early stop cancels the actions still running
		for j, c := range task.Checks {
			tr.Checks[j] = CheckResult{ID: c.ID, Kind: c.Kind(), Status: StatusError, Message: err.Error()}
			if reason != "" {
				tr.Checks[j] = notGraded(tr.Checks[j], reason)
			}
		}
	} else {
		var wg sync.WaitGroup
		for j := range task.Checks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tr.Checks[j] = g.runCheck(ctx, &task.Checks[j])
				if reason := g.stoppedReason(); reason != "" {
					tr.Checks[j] = notGraded(tr.Checks[j], reason)
				}
			}()
		}
		wg.Wait()
	}
	// Restore even after a failure or the deadline: later tasks and the learner need the lab back.
	if err := runActions(context.WithoutCancel(ctx), g.e.t, task.After); err != nil {
		for j := range tr.Checks {
			if tr.Checks[j].Status == StatusPass {
				tr.Checks[j].Status, tr.Checks[j].Message = StatusError, err.Error()
			}
		}
	}
	tr.Status = taskStatus(task, tr.Checks)
}

// blockedBy waits for the needed tasks and explains why this one cannot run.
func (g *grading) blockedBy(task *Task, cyclic bool) string {
	if cyclic {
		return "blocked: its needs form a cycle"
	}
	var unmet []string
	for _, need := range task.Needs {
		d, ok := g.done[need]
		if !ok {
			unmet = append(unmet, need+" (no such task)")
			continue
		}
		<-d.ch
		if st := d.status; st != StatusPass {
			unmet = append(unmet, fmt.Sprintf("%s (%s)", need, st))
		}
	}
	if len(unmet) == 0 {
		return ""
	}
	return "blocked: needs " + strings.Join(unmet, ", ")
}

// cyclicTasks finds tasks that could never start because their needs loop
// (ValidateRefs reports it; Grade must still not hang).
func cyclicTasks(tasks []Task) map[string]bool {
	needs := map[string][]string{}
	for _, t := range tasks {
		needs[t.ID] = t.Needs
	}
	state := map[string]int{} // 0 unseen, 1 visiting, 2 ok, 3 cyclic
	var visit func(id string) bool
	visit = func(id string) bool {
		switch state[id] {
		case 1, 3:
			return true
		case 2:
			return false
		}
		state[id] = 1
		bad := false
		for _, n := range needs[id] {
			if _, known := needs[n]; known && visit(n) {
				bad = true
			}
		}
		state[id] = map[bool]int{false: 2, true: 3}[bad]
		return bad
	}
	out := map[string]bool{}
	for _, t := range tasks {
		if visit(t.ID) {
			out[t.ID] = true
		}
	}
	return out
}
