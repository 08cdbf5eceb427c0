package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/internal/exam"
	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs"
)

type examStartOptions struct {
	File      string
	Candidate string
}

func newExamStartCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "start",
		Usage:     "start an exam for a candidate: every lab, with their own params, in their own session",
		ArgsUsage: "EXAM_FILE",
		Description: "Starts every lab of the exam with the candidate's params (derived from the\n" +
			"exam's seed and the candidate id) in the candidate's own session, and starts\n" +
			"the clock. Running it again for the same exam and candidate starts what is\n" +
			"not running; the clock keeps going. Hints, solutions and check details are\n" +
			"locked until the final grade.\n\n" +
			"Example:\n  opslab exam start cka-prep.exam --candidate alice@example.org",
		Flags: []cli.Flag{&cli.StringFlag{Name: "candidate", Usage: "the candidate's `ID` (e-mail address, student number) (required)"}},
		Action: func(c *cli.Context) error {
			if err := needFlags(c, "candidate"); err != nil {
				return err
			}
			if err := needArgs(c, 1, 1); err != nil {
				return err
			}
			return runExamStart(c.Context, deps, examStartOptions{File: c.Args().First(), Candidate: c.String("candidate")})
		},
	}
}

func runExamStart(ctx context.Context, deps *app, opts examStartOptions) error {
	if err := exam.ValidateCandidate(opts.Candidate); err != nil {
		return examErr(err)
	}
	data, err := exam.ReadLimited(opts.File, exam.MaxFile)
	if err != nil {
		return examErr(err)
	}
	e, err := exam.OpenExam(data, opts.File, nil)
	if err != nil {
		return examErr(err)
	}
	st, err := deps.examState()
	if err != nil {
		return err
	}
	switch {
	case st != nil && st.GradedAt == nil && (st.ExamName != e.Name || st.Candidate != opts.Candidate):
		return usagef("an exam is under way here (exam %s, candidate %s): one exam at a time per machine or account", st.ExamName, st.Candidate)
	case st != nil && st.GradedAt == nil && st.Snapshot != nil:
		return usagef("the exam %s of %s was submitted: nothing more to start; the proctor grades it with `opslab exam grade`", st.ExamName, st.Candidate)
	case st == nil || st.GradedAt != nil:
		if err := e.CheckStartable(deps.clock()); err != nil {
			return examErr(err)
		}
		if st, err = newExamState(deps, e, data, opts.Candidate); err != nil {
			return err
		}
	}
	deps.exam = &examCache{st: st} // every lab below runs in the candidate's session
	if err := deps.examTimeUp(st); err != nil {
		return err
	}
	if st.Snapshot != nil {
		return usagef("time is up for exam %s: the workspaces were frozen; the proctor grades with `opslab exam grade`", st.ExamName)
	}
	// The deadline keeper; after a reboot, a second start brings it back (two are harmless).
	if deps.spawnWatcher != nil {
		if err := deps.spawnWatcher(deps); err != nil {
			fmt.Fprintf(deps.io.Err, "warning: %v: without it, the first opslab command after the deadline freezes the work, and the result says so\n", err)
		}
	}
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	out, cs := deps.io.Out, deps.io.OutColors()
	for _, l := range st.Labs {
		lab, err := deps.loadLab(l.ID, nil)
		if err != nil {
			return err
		}
		if _, _, err := rt.Start(ctx, lab, labs.StartOptions{Params: l.Params, Workspace: l.Workspace}); err != nil {
			deps.stopProgress()
			return fmt.Errorf("lab %s of the exam did not start (run `opslab exam start %s --candidate %s` again; the clock keeps going): %w",
				l.ID, shellQuote(opts.File), opts.Candidate, err)
		}
		deps.stopProgress()
		fmt.Fprintf(out, "%s lab %s is running — your files: %s\n", cs.Green("✓"), l.ID, l.Workspace)
	}
	fmt.Fprintf(out, "\nexam %s for %s: %s left (until %s)\n", st.ExamName, st.Candidate, timeLeft(st, deps.clock()), st.Deadline.Local().Format("15:04:05"))
	fmt.Fprintf(out, "  read a lab's tasks   %s show LAB\n  work in a node       %s shell LAB\n  time left            %s exam status\n  when you are done    %s exam submit\n",
		deps.cmdPrefix(), deps.cmdPrefix(), deps.cmdPrefix(), deps.cmdPrefix())
	return nil
}

// newExamState records a new exam for the candidate: a copy of the exam file,
// the params of every lab, the clock. Nothing is started yet.
func newExamState(deps *app, e *exam.Exam, data []byte, candidate string) (*localstate.ExamState, error) {
	dir := deps.dirs.Exam()
	if old, _ := deps.examState(); old != nil {
		// A graded exam's state is kept, moved aside.
		if err := os.Rename(dir, dir+"-"+old.StartedAt.UTC().Format("20060102T150405Z")); err != nil {
			return nil, fmt.Errorf("cannot move the graded exam in %s aside: %w", dir, err)
		}
		deps.exam = nil
	}
	now := deps.clock().UTC()
	st := &localstate.ExamState{ExamName: e.Name, Candidate: candidate, Session: exam.Session(candidate),
		StartedAt: now, Deadline: e.Deadline(now), SelfCheck: e.SelfCheck, ExamFile: filepath.Join(dir, "exam.json")}
	cat, err := deps.loadCatalog()
	if err != nil {
		return nil, err
	}
	for _, l := range e.Labs {
		lab, err := cat.Load(l.ID, nil)
		if err != nil {
			return nil, err
		}
		if err := checkExamDigest(lab, l.Digest); err != nil {
			return nil, err
		}
		params, err := exam.DeriveParams(e.Seed, candidate, l.ID, lab.Params)
		if err != nil {
			return nil, examErr(err)
		}
		st.Labs = append(st.Labs, localstate.ExamLab{ID: l.ID, Digest: l.Digest, Params: params,
			Workspace: filepath.Join(deps.dirs.Workspaces, "exam-"+e.Name, l.ID)})
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(st.ExamFile, data, 0o600); err != nil {
		return nil, err
	}
	return st, deps.saveExam(st)
}
