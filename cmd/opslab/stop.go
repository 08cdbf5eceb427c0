package main

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"
)

type stopOptions struct {
	Lab string
	All bool
}

func newStopCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "stop",
		Usage:     "remove a lab's nodes and network; your workspace stays",
		ArgsUsage: "LAB | --all",
		Description: "Removes the lab's containers and network. Your workspace is not touched:\n" +
			"start the lab again to carry on. Stopping a lab that is not running is fine.\n\n" +
			"Example:\n  opslab stop lb-basics\n  opslab stop --all",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "all", Usage: "stop every lab of this session"}},
		Action: func(c *cli.Context) error {
			all := c.Bool("all")
			if all {
				if err := needArgs(c, 0, 0); err != nil {
					return usagef("stop: give a LAB or --all, not both")
				}
			} else if err := needArgs(c, 1, 1); err != nil {
				return err
			}
			return runStop(c.Context, deps, stopOptions{Lab: c.Args().First(), All: all})
		},
	}
}

func runStop(ctx context.Context, deps *app, opts stopOptions) error {
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	cs := deps.io.OutColors()
	if opts.All {
		stopped, err := rt.StopAll(ctx)
		deps.stopProgress()
		for _, id := range stopped {
			deps.reportLabStopped(id) // to the learner's class, if any (class_report.go)
			fmt.Fprintf(deps.io.Out, "%s stopped %s\n", cs.Green("✓"), id)
		}
		if err == nil && len(stopped) == 0 {
			fmt.Fprintln(deps.io.Out, "no labs were running")
		}
		return err
	}
	was, err := rt.Stop(ctx, opts.Lab)
	deps.stopProgress()
	if err != nil {
		return err
	}
	if !was {
		fmt.Fprintf(deps.io.Out, "lab %s is not running: nothing to stop\n", opts.Lab)
		return nil
	}
	deps.reportLabStopped(opts.Lab) // to the learner's class, if any (class_report.go)
	fmt.Fprintf(deps.io.Out, "%s stopped %s (your workspace is kept)\n", cs.Green("✓"), opts.Lab)
	return nil
}
