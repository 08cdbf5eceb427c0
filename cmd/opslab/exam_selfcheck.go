package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs/spec"
)

// runExamSelfCheck is `opslab grade` during an exam: refused unless the exam
// allows self-checks, and then per-task pass/fail only — no checks, no
// messages, no expected or actual, no score, nothing recorded.
func runExamSelfCheck(ctx context.Context, deps *app, opts gradeOptions, st *localstate.ExamState) error {
	if !st.SelfCheck {
		return deps.lockedDuringExam("`opslab grade`")
	}
	if opts.Format != "text" || opts.Out != "" || opts.Watch {
		return usagef("during an exam, `opslab grade %s` shows per-task pass/fail only: no --format, --out or --watch", opts.Lab)
	}
	if err := deps.examTimeUp(st); err != nil {
		return err
	}
	if st.Snapshot != nil {
		return usagef("the exam %s is handed in (%s): nothing more to check", st.ExamName, examPhase(st))
	}
	if st.Lab(opts.Lab) == nil {
		cat, err := deps.loadCatalog()
		if err != nil {
			return err
		}
		if slices.Contains(cat.IDs(), opts.Lab) {
			return deps.lockedDuringExam("`opslab grade` of a lab outside the exam")
		}
		return &spec.NotFoundError{ID: opts.Lab}
	}
	lab, inst, err := deps.runningLab(ctx, opts.Lab)
	if err != nil {
		return err
	}
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	g, err := rt.Grade(ctx, lab, inst, grader.Options{Learner: st.Candidate})
	deps.stopProgress()
	if err != nil {
		return err
	}
	w, cs := deps.io.Out, deps.io.OutColors()
	fmt.Fprintf(w, "self-check of %s (per task only; the proctor's final grade is what counts):\n", opts.Lab)
	for _, t := range g.Result.Tasks {
		mark := cs.Red("✗")
		switch t.Status {
		case grader.StatusPass:
			mark = cs.Green("✓")
		case grader.StatusError:
			mark = cs.Yellow("!")
		}
		fmt.Fprintf(w, "  %s %s — %s\n", mark, t.ID, t.Title)
	}
	fmt.Fprintf(w, "%s left\n", timeLeft(st, deps.clock()))
	if code := g.Result.ExitCode(); code != exitOK {
		return silentExit(code)
	}
	return nil
}
