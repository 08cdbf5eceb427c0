package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/classroom"
	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/internal/localstate"
)

// Auto-progress is a detached `opslab class watch` that `class join` starts
// and `class leave` stops (it also ends by itself when the membership is
// gone or names another watcher). Every interval it grades the session's
// running labs — one grading per running lab, the same checks `grade` runs —
// and reports a grade only when its outcome differs from the last one
// reported (by it or by the learner's own `grade`). Its gradings are marked
// auto on the dashboard and are not written to the learner's local history:
// `opslab progress` keeps counting the learner's own attempts.
func newClassWatchCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:        "watch",
		Hidden:      true,
		Usage:       "grade running labs in the background and report changes (started by join)",
		Description: "Runs until `opslab class leave`.\n\nExample:\n  opslab class watch --interval 1m",
		Flags:       []cli.Flag{&cli.DurationFlag{Name: "interval", Value: time.Minute, Usage: "grade this often"}},
		Action: func(c *cli.Context) error {
			return runClassWatch(c.Context, deps, max(c.Duration("interval"), 10*time.Second))
		},
	}
}

func runClassWatch(ctx context.Context, deps *app, interval time.Duration) error {
	dir := deps.dirs.Class()
	m, err := localstate.LoadMembership(dir)
	if err != nil || m == nil {
		return err
	}
	if m.WatchPID != os.Getpid() && isWatcher(m.WatchPID) {
		return fmt.Errorf("auto-progress already runs (pid %d)", m.WatchPID)
	}
	m.WatchPID = os.Getpid()
	if err := localstate.SaveMembership(dir, m); err != nil {
		return err
	}
	fmt.Fprintf(deps.io.Err, "%s auto-progress started (pid %d, every %s)\n", time.Now().Format(time.RFC3339), os.Getpid(), interval)
	w := &watcher{deps: deps, last: map[string]string{}, lastAt: map[string]time.Time{}}
	for {
		m, err := localstate.LoadMembership(dir)
		if err != nil || m == nil || m.WatchPID != os.Getpid() {
			return nil // left the class, or another watcher took over
		}
		w.gradeRunning(ctx)
		fctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		if _, err := flushSpool(fctx, deps, m); err != nil {
			fmt.Fprintf(deps.io.Err, "%s %v (will retry)\n", time.Now().Format(time.RFC3339), err)
		}
		cancel()
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(interval):
		}
	}
}

type watcher struct {
	deps   *app
	last   map[string]string    // lab → outcome last reported
	lastAt map[string]time.Time // lab → when
}

// gradeRunning grades each running lab once and spools the changed ones.
// Not during an exam: its grading is the proctor's, and its self-checks say
// less than a grade.
func (w *watcher) gradeRunning(ctx context.Context) {
	if st, err := localstate.LoadExam(w.deps.dirs.Exam()); err != nil || (st != nil && st.GradedAt == nil) {
		return
	}
	rt, err := w.deps.runtime(ctx)
	if err != nil {
		return // Docker is down: nothing to grade, try again next time
	}
	insts, err := rt.Status(ctx, "")
	if err != nil {
		return
	}
	for _, in := range insts {
		lab, inst, err := w.deps.runningLab(ctx, in.Lab)
		if err != nil {
			continue
		}
		g, err := rt.Grade(ctx, lab, inst, grader.Options{HintsUsed: w.deps.hintStore(lab).Used(lab.ID), Learner: w.deps.learner()})
		if err != nil || g.Result.ExitCode() == grader.ExitEnvError {
			continue
		}
		g.Result = g.Result.Redacted() // hidden checks are not described, as in `grade`
		// The learner's own grade since our last report is what the dashboard shows now.
		if own := w.deps.lastResult(lab.ID); own != nil && own.FinishedAt.After(w.lastAt[lab.ID]) {
			w.last[lab.ID], w.lastAt[lab.ID] = outcome(own), own.FinishedAt
		}
		sig := outcome(g.Result)
		if sig == w.last[lab.ID] {
			continue
		}
		if w.deps.spoolEvent(classroom.Event{Kind: classroom.KindGraded, Lab: lab.ID, Grade: classGrade(g.Result, true)}) {
			w.last[lab.ID], w.lastAt[lab.ID] = sig, time.Now()
		}
	}
}

// outcome is what a dashboard would show of a result: score and statuses.
func outcome(r *grader.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%g/%g", r.Score, r.MaxScore)
	for _, t := range r.Tasks {
		for _, c := range t.Checks {
			fmt.Fprintf(&b, " %s/%s=%s", t.ID, c.ID, c.Status)
		}
	}
	return b.String()
}
