package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/labs"
)

type solveOptions struct {
	Lab     string
	Wrong   string
	Variant string
}

func newSolveCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "solve",
		Usage:     "apply the lab's reference solution to the running lab (demos, authors)",
		ArgsUsage: "LAB",
		Description: "Copies the lab's solution over your workspace and runs its solve steps.\n" +
			"Your workspace is backed up first; the backup's path is printed.\n" +
			"--wrong NAME applies a known-wrong solution instead, --variant NAME a correct\n" +
			"one written differently (course authors); a case's attempt.yaml is done too.\n\n" +
			"Example:\n  opslab solve lb-basics && opslab grade lb-basics\n  opslab solve lb-basics --wrong only-app1",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "wrong", Usage: "apply wrong/`NAME` instead of the reference solution"},
			&cli.StringFlag{Name: "variant", Usage: "apply variants/`NAME` instead of the reference solution"},
		},
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 1, 1); err != nil {
				return err
			}
			if c.IsSet("wrong") && c.IsSet("variant") {
				return usagef("give --wrong or --variant, not both")
			}
			return runSolve(c.Context, deps, solveOptions{Lab: c.Args().First(), Wrong: c.String("wrong"), Variant: c.String("variant")})
		},
	}
}

func runSolve(ctx context.Context, deps *app, opts solveOptions) error {
	if err := deps.lockedDuringExam("`opslab solve`"); err != nil {
		return err
	}
	lab, _, err := deps.runningLab(ctx, opts.Lab)
	if err != nil {
		return err
	}
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	dir := "solution"
	switch {
	case opts.Wrong != "":
		dir = "wrong/" + opts.Wrong
	case opts.Variant != "":
		dir = "variants/" + opts.Variant
	}
	backup, err := rt.ApplySolution(ctx, lab, dir)
	if err != nil {
		return err
	}
	cs := deps.io.OutColors()
	fmt.Fprintf(deps.io.Out, "%s applied %s to lab %s\n", cs.Green("✓"), dir, lab.ID)
	fmt.Fprintf(deps.io.Out, "  your files were backed up to %s\n  (%s)\n", backup, backupsKept(backup))
	fmt.Fprintf(deps.io.Out, "  check it with `%s grade %s`\n", deps.cmdPrefix(), lab.ID)
	return nil
}

// backupsKept says where a learner finds every backup and how many stay.
func backupsKept(backup string) string {
	return fmt.Sprintf("the newest %d backups of a workspace are kept in %s", labs.BackupsKept, filepath.Dir(backup))
}
