package main

import (
	"context"
	"fmt"
	"maps"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/labs"
)

type resetOptions struct {
	Lab       string
	Params    map[string]string
	Workspace string
}

func newResetCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "reset",
		Usage:     "recreate a lab's environment; your workspace is backed up first",
		ArgsUsage: "LAB",
		Description: "Backs up your workspace (timestamped, under ~/.local/state/opslab/backups),\n" +
			"then removes the lab's nodes and network and starts them afresh. Your\n" +
			"workspace files are left as they are. The lab keeps the parameters it\n" +
			"runs with (the same randomized fault), except those --param sets.\n\n" +
			"Example:\n  opslab reset lb-basics",
		Flags: []cli.Flag{
			paramFlag(),
			&cli.StringFlag{Name: "workspace", Usage: "the workspace `DIR` (default: the one the lab runs with)"},
		},
		Action: func(c *cli.Context) error {
			lab, params, err := labAndParams(c)
			if err != nil {
				return err
			}
			return runReset(c.Context, deps, resetOptions{Lab: lab, Params: params, Workspace: c.String("workspace")})
		},
	}
}

func runReset(ctx context.Context, deps *app, opts resetOptions) error {
	if err := deps.frozenExamLab("`opslab reset`", opts.Lab); err != nil {
		return err
	}
	if _, err := deps.loadLab(opts.Lab, opts.Params); err != nil {
		return err // an unknown lab or a bad --param, before touching Docker
	}
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	// The same scenario again: a running lab keeps the params it was started
	// with (its randomized fault), so the learner's notes still fit it.
	// A stopped one: the params of its last start in this workspace.
	params, resumed := map[string]string{}, false
	if insts, err := rt.Status(ctx, opts.Lab); err == nil && len(insts) > 0 {
		maps.Copy(params, insts[0].Params)
		maps.Copy(params, opts.Params)
	} else {
		params, resumed = deps.resumeParams(opts.Lab, opts.Workspace, opts.Params)
	}
	lab, params, _, err := deps.loadResumedLab(opts.Lab, params, opts.Params, resumed)
	if err != nil {
		return err
	}
	backup, inst, err := rt.Reset(ctx, lab, labs.StartOptions{Params: params, Workspace: opts.Workspace})
	deps.stopProgress()
	if backup != "" {
		fmt.Fprintf(deps.io.Out, "workspace backed up to %s\n  (%s)\n", backup, backupsKept(backup))
	}
	if err != nil {
		return err
	}
	deps.rememberParams(lab, inst.Workspace)
	fmt.Fprintf(deps.io.Out, "%s lab %s was reset\n", deps.io.OutColors().Green("✓"), lab.ID)
	printNextSteps(deps, inst)
	return nil
}
