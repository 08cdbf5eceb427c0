package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/labs"
)

type gradeOptions struct {
	Lab      string
	Format   string
	Out      string
	Watch    bool
	Interval time.Duration
}

func newGradeCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "grade",
		Usage:     "check your work on a running lab",
		ArgsUsage: "LAB",
		Description: "Runs the lab's checks against the running lab and your workspace, and says\n" +
			"per task what passed, what failed and why (expected vs actual).\n" +
			"Every grade is kept locally: see `opslab progress`.\n" +
			"Exit code: 0 passed, 1 not passed, 3 the environment broke (not your fault).\n\n" +
			"Example:\n  opslab grade lb-basics\n  opslab grade lb-basics --watch\n  opslab grade lb-basics --format junit --out result.xml",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: " + strings.Join(reporterNames(), ", ")},
			&cli.StringFlag{Name: "out", Usage: "write the report to `FILE` instead of stdout"},
			&cli.BoolFlag{Name: "watch", Usage: "grade again whenever the workspace changes (and every --interval); Ctrl-C stops"},
			&cli.DurationFlag{Name: "interval", Value: 5 * time.Second, Usage: "with --watch, grade at least this often"},
		},
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 1, 1); err != nil {
				return err
			}
			opts := gradeOptions{Lab: c.Args().First(), Format: c.String("format"), Out: c.String("out"),
				Watch: c.Bool("watch"), Interval: c.Duration("interval")}
			if _, ok := grader.Reporters[opts.Format]; !ok {
				return usagef("unknown --format %q (one of: %s)", opts.Format, strings.Join(reporterNames(), ", "))
			}
			if _, err := deps.examState(); err != nil { // fail closed: a damaged exam state unlocks no details
				return deps.lockedDuringExam("`opslab grade`")
			}
			if st := deps.activeExam(); st != nil {
				return runExamSelfCheck(c.Context, deps, opts, st) // exam_selfcheck.go
			}
			if opts.Watch {
				return runGradeWatch(c.Context, deps, opts)
			}
			return runGrade(c.Context, deps, opts)
		},
	}
}

func reporterNames() []string {
	names := make([]string, 0, len(grader.Reporters))
	for n := range grader.Reporters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// runGrade grades once, records the result, reports it and exits 0/1/3.
func runGrade(ctx context.Context, deps *app, opts gradeOptions) error {
	res, err := gradeOnce(ctx, deps, opts.Lab)
	if err != nil {
		return err
	}
	if err := writeReport(deps, opts, res.Result); err != nil {
		return err
	}
	if res.Stale {
		fmt.Fprintf(deps.io.Err, "note: the definition of %s changed since the lab was started; `%s reset %s` picks it up\n",
			opts.Lab, deps.cmdPrefix(), opts.Lab)
	}
	code := res.Result.ExitCode()
	if code == grader.ExitEnvError {
		envErrorNote(deps, res.Result)
	}
	if code != exitOK {
		return silentExit(code)
	}
	return nil
}

// gradeOnce is the one grading flow: find the running instance, load the lab
// once with the params it was started with, grade it, record the result.
func gradeOnce(ctx context.Context, deps *app, labID string) (*labs.Graded, error) {
	lab, inst, err := deps.runningLab(ctx, labID)
	if err != nil {
		return nil, err
	}
	rt, err := deps.runtime(ctx)
	if err != nil {
		return nil, err
	}
	hints := deps.hintStore(lab)
	g, err := rt.Grade(ctx, lab, inst, grader.Options{HintsUsed: hints.Used(labID), Learner: deps.learner()})
	if err != nil {
		return nil, err
	}
	g.Result = g.Result.Redacted() // checks with visibility: hidden are never described to the learner
	// A grading the environment broke (Docker gone, a node missing) is no
	// attempt of the learner's: it is reported, not recorded.
	if g.Result.ExitCode() == grader.ExitEnvError {
		return g, nil
	}
	if err := deps.history().Record(g.Result); err != nil {
		fmt.Fprintf(deps.io.Err, "warning: %v\n", err)
	}
	deps.reportGrade(g.Result) // to the learner's class, if any (class_report.go)
	return g, nil
}

// envErrorNote tells why a grading ended in exit 3, on stderr: with --format
// json or --out, the report alone does not say it to a person.
func envErrorNote(deps *app, res *grader.Result) {
	_, c, _ := res.FirstWithStatus(grader.StatusError)
	n, first := res.CountStatus(grader.StatusError), c.Message
	fmt.Fprintf(deps.io.Err, "opslab: %d check(s) could not run: %s\n"+
		"  nothing was counted against you and no attempt was recorded; fix the environment (`%s doctor` checks Docker), then grade again\n",
		n, first, deps.cmdPrefix())
}

func writeReport(deps *app, opts gradeOptions, res *grader.Result) error {
	w, color := deps.io.Out, deps.io.colorOut
	if opts.Out != "" {
		f, err := os.Create(opts.Out)
		if err != nil {
			return usagef("--out %s: %v", opts.Out, err)
		}
		defer f.Close()
		w, color = f, false
	}
	if err := grader.Reporters[opts.Format].Report(w, res, grader.ReportOptions{Color: color && opts.Format == "text", LabID: res.Lab.ID, HintCommand: deps.cmdPrefix() + " hint"}); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if opts.Out != "" {
		fmt.Fprintf(deps.io.Err, "report written to %s (score %g/%g)\n", opts.Out, res.Score, res.MaxScore)
	}
	return nil
}

// runGradeWatch re-grades when a workspace file changes and every interval,
// redrawing the report, until Ctrl-C.
func runGradeWatch(ctx context.Context, deps *app, opts gradeOptions) error {
	opts.Out = ""
	for {
		g, err := gradeOnce(ctx, deps, opts.Lab)
		if err != nil {
			return err
		}
		if deps.io.IsOutTTY() {
			fmt.Fprint(deps.io.Out, "\033[H\033[2J") // redraw in place, like rustlings
		}
		if err := writeReport(deps, opts, g.Result); err != nil {
			return err
		}
		cs := deps.io.OutColors()
		fmt.Fprintf(deps.io.Out, "\n%s\n", cs.Faint(fmt.Sprintf("watching %s — grading again on every change and every %s; Ctrl-C to stop",
			g.Instance.Workspace, opts.Interval)))
		if err := waitForChange(ctx, g.Instance.Workspace, opts.Interval); err != nil {
			return err
		}
	}
}

// waitForChange returns when a file under dir changes or after max. Polling
// modification times needs no inotify and works on every OS and file system.
func waitForChange(ctx context.Context, dir string, max time.Duration) error {
	before := snapshot(dir)
	deadline := time.After(max)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return nil
		case <-tick.C:
			if now := snapshot(dir); !slices.Equal(now, before) {
				return nil
			}
		}
	}
}

func snapshot(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if info, err := d.Info(); err == nil && !d.IsDir() {
			out = append(out, fmt.Sprintf("%s %d %d", p, info.Size(), info.ModTime().UnixNano()))
		}
		return nil
	})
	return out
}
