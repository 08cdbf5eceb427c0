package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/internal/exam"
	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs"
	"github.com/opslab/opslab/labs/spec"
)

type examGradeOptions struct {
	Key       string
	Out       string
	Proctored bool
}

// examRuntime is what the final grade needs beyond labRuntime.
type examRuntime interface {
	RestartForGrade(ctx context.Context, lab *spec.Lab) ([]string, error)
	NodeImages(ctx context.Context, labID string) (map[string]string, error)
	FreezeLab(ctx context.Context, labID string) error
	ThawLab(ctx context.Context, lab *spec.Lab) error
}

var _ examRuntime = (*labs.Runtime)(nil)

func newExamGradeCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:  "grade",
		Usage: "proctor: the final grade, written as a signed result",
		Description: "Grades the frozen workspaces (after `opslab exam submit` or when time ran\n" +
			"out): puts each snapshot back into its workspace (what is there is backed up\n" +
			"first), restarts the nodes the lab asks to restart, grades, and writes a DSSE\n" +
			"envelope around an in-toto statement signed with the examiner's key.\n" +
			"--proctored asserts that the examiner ran or watched this grade; without it\n" +
			"the result says \"proctored\": false. Exit code: 0 passed, 1 not passed,\n" +
			"3 the environment broke (nothing signed).\n\n" +
			"Example:\n  opslab exam grade --key examiner.key --out alice.result.json\n" +
			"  opslab exam grade --key examiner.key --out alice.result.json --proctored",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "key", Usage: "the examiner's private key `FILE` (required)"},
			&cli.StringFlag{Name: "out", Usage: "write the signed result to `FILE` (required)"},
			&cli.BoolFlag{Name: "proctored", Usage: "the examiner asserts they ran or watched this grading"},
		},
		Action: func(c *cli.Context) error {
			if err := needFlags(c, "key", "out"); err != nil {
				return err
			}
			if err := needArgs(c, 0, 0); err != nil {
				return err
			}
			return runExamGrade(c.Context, deps, examGradeOptions{Key: c.String("key"), Out: c.String("out"), Proctored: c.Bool("proctored")})
		},
	}
}

func runExamGrade(ctx context.Context, deps *app, opts examGradeOptions) error {
	st, err := requireExam(deps)
	if err != nil {
		return err
	}
	if st.GradedAt != nil {
		return usagef("the exam %s of %s was graded at %s (result: %s): one final grade per sitting", st.ExamName, st.Candidate,
			st.GradedAt.Format(time.RFC3339), st.ResultsFile)
	}
	priv, err := exam.LoadPrivateKey(opts.Key)
	if err != nil {
		return examErr(err)
	}
	examFile, err := exam.ReadLimited(st.ExamFile, exam.MaxFile)
	if err != nil {
		return examErr(err)
	}
	e, err := exam.OpenExam(examFile, st.ExamFile, priv.Public().(ed25519.PublicKey))
	if err != nil {
		return examErr(fmt.Errorf("the key %s cannot grade this exam: %w", opts.Key, err))
	}
	// The time limit is the signed exam's: the state file is the candidate's to edit.
	if want := e.Deadline(st.StartedAt); !st.Deadline.Equal(want) {
		return usagef("the exam state in %s puts the deadline at %s, but exam %s gives %d minutes from the start (%s): the state was edited; nothing was graded",
			deps.dirs.Exam(), st.Deadline.UTC().Format(time.RFC3339), e.Name, e.Minutes, want.UTC().Format(time.RFC3339))
	}
	if err := deps.examTimeUp(st); err != nil {
		return err
	}
	if st.Snapshot == nil {
		return usagef("candidate %s has %s left and has not handed in: `opslab exam submit` ends the exam", st.Candidate, timeLeft(st, deps.clock()))
	}
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	ert, ok := rt.(examRuntime)
	if !ok {
		return fmt.Errorf("this runtime cannot restart nodes or name their images")
	}
	pred := &exam.Predicate{Exam: exam.ExamRef{Name: e.Name, Digest: exam.FileDigest(examFile)}, Candidate: st.Candidate, Session: st.Session,
		StartedAt: st.StartedAt, Deadline: st.Deadline, SubmittedAt: st.Snapshot.TakenAt,
		SnapshotLate:  st.Snapshot.Late || st.Snapshot.TakenAt.After(st.Deadline.Add(exam.SnapshotGrace)),
		OpslabVersion: version, PassMark: e.Pass}
	pred.Engine, _ = rt.Endpoint()
	pred.Proctored, pred.ProctoredHow = opts.Proctored, "not asserted: graded by whoever held the key, on this machine's engine"
	if opts.Proctored {
		pred.ProctoredHow = "asserted by the examiner (--proctored): they ran or watched this grading"
	}
	subjects := []exam.Subject{{Name: exam.SubjectExam + e.Name, SHA256: pred.Exam.Digest}}
	var results []*grader.Result
	for _, l := range st.Labs {
		res, subs, err := gradeExamLab(ctx, deps, rt, ert, st, l)
		if err != nil {
			return err
		}
		results = append(results, res)
		subjects = append(subjects, subs...)
		pred.Labs = append(pred.Labs, exam.LabResult{ID: l.ID, Params: l.Params, Result: res})
	}
	pred.GradedAt = deps.clock().UTC()
	pred.Score, pred.MaxScore, pred.Percent, pred.Passed = exam.Verdict(e.Pass, results)
	signed, err := exam.SignResult(priv, subjects, pred)
	if err != nil {
		return err
	}
	if err := os.WriteFile(opts.Out, signed, 0o644); err != nil {
		return usagef("--out %s: %v", opts.Out, err)
	}
	deps.reportExamSubmitted(e.Name, signed, pred.Score, pred.MaxScore, pred.Passed) // to the candidate's class, if any (class_exam.go)
	st.GradedAt, st.ResultsFile = &pred.GradedAt, opts.Out
	if err := deps.saveExam(st); err != nil {
		return err
	}
	printExamVerdict(deps, pred)
	fmt.Fprintf(deps.io.Err, "the labs keep running for inspection; stop them with `%s --session %s stop --all`\n", deps.cmdPrefix(), st.Session)
	fmt.Fprintf(deps.io.Err, "signed result written to %s; check it with `%s verify %s --pubkey examiner.pub`\n", opts.Out, deps.cmdPrefix(), shellQuote(opts.Out))
	if !pred.Passed {
		return silentExit(exitNotPassed)
	}
	return nil
}

// gradeExamLab grades one lab of the exam on its snapshot and returns the
// complete result and the lab's subjects: its definition, the images its
// nodes ran, the snapshot graded.
func gradeExamLab(ctx context.Context, deps *app, rt labRuntime, ert examRuntime, st *localstate.ExamState, l localstate.ExamLab) (*grader.Result, []exam.Subject, error) {
	lab, err := deps.loadLab(l.ID, nil)
	if err != nil {
		return nil, nil, err
	}
	snap := st.Snapshot.Dirs[l.ID]
	if got, err := exam.DigestDir(snap); err != nil || got != st.Snapshot.Digests[l.ID] {
		return nil, nil, &exitError{code: exitUsage, err: fmt.Errorf("the snapshot of lab %s in %s changed since it was taken: it cannot be graded", l.ID, snap)}
	}
	inst, err := rt.Running(ctx, l.ID)
	var gone *labs.NotRunningError
	if errors.As(err, &gone) {
		// Stopped after the freeze: `opslab start` is refused until this grade, so it is made again here.
		fmt.Fprintf(deps.io.Err, "lab %s is gone: making it again with the candidate's params; what was in its nodes is lost, its workspace snapshot is graded\n", l.ID)
		inst, _, err = rt.Start(ctx, lab, labs.StartOptions{Params: l.Params, Workspace: l.Workspace})
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot grade lab %s: %w", l.ID, err)
	}
	if backup, err := labs.BackupWorkspace(inst.Workspace, deps.dirs.Backups(), deps.clock()); err != nil {
		return nil, nil, fmt.Errorf("cannot back up the workspace %s before grading: %w", inst.Workspace, err)
	} else if backup != "" {
		fmt.Fprintf(deps.io.Err, "the workspace of %s as it is now is backed up to %s; grading the snapshot taken at %s\n",
			l.ID, backup, st.Snapshot.TakenAt.Local().Format("15:04:05"))
	}
	if err := exam.Restore(snap, inst.Workspace); err != nil {
		return nil, nil, err
	}
	if err := ert.ThawLab(ctx, lab); err != nil { // frozen at submit
		return nil, nil, err
	}
	restarted, err := ert.RestartForGrade(ctx, lab)
	if err != nil {
		return nil, nil, err
	}
	if len(restarted) > 0 {
		fmt.Fprintf(deps.io.Err, "restarted %v of %s: only what survives a restart counts\n", restarted, l.ID)
	}
	images, err := ert.NodeImages(ctx, l.ID)
	if err != nil {
		return nil, nil, err
	}
	g, err := rt.Grade(ctx, lab, inst, grader.Options{Learner: st.Candidate, Session: st.Session})
	deps.stopProgress()
	if err != nil {
		return nil, nil, err
	}
	if g.Result.ExitCode() == grader.ExitEnvError {
		envErrorNote(deps, g.Result)
		return nil, nil, &exitError{code: exitEnv, err: fmt.Errorf("lab %s could not be graded (the environment broke); nothing was signed: fix it and run `opslab exam grade` again", l.ID)}
	}
	subs := []exam.Subject{{Name: exam.SubjectLab + l.ID, SHA256: lab.Digest}}
	nodes := make([]string, 0, len(images))
	for n := range images {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes)
	for _, n := range nodes {
		subs = append(subs, exam.Subject{Name: exam.SubjectImage + l.ID + "/" + n, SHA256: images[n]})
	}
	subs = append(subs, exam.Subject{Name: exam.SubjectWorkspace + l.ID, SHA256: st.Snapshot.Digests[l.ID]})
	return g.Result, subs, nil
}

// printExamVerdict is the proctor's summary: per lab and the exam's verdict.
func printExamVerdict(deps *app, p *exam.Predicate) {
	w, cs := deps.io.Out, deps.io.OutColors()
	fmt.Fprintf(w, "exam %s — candidate %s\n", p.Exam.Name, p.Candidate)
	for _, l := range p.Labs {
		fmt.Fprintf(w, "  %-20s %g/%g\n", l.ID, l.Result.Score, l.Result.MaxScore)
	}
	verdict := cs.Red("not passed")
	if p.Passed {
		verdict = cs.Green("passed")
	}
	fmt.Fprintf(w, "score %g/%g (%g%%, pass mark %g%%): %s\n", p.Score, p.MaxScore, p.Percent, p.PassMark, verdict)
}
