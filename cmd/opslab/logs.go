package main

import (
	"context"

	"github.com/urfave/cli/v2"
)

type logsOptions struct {
	Lab, Node string
	Follow    bool
}

func newLogsCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "logs",
		Usage:     "print the logs of a lab's nodes",
		ArgsUsage: "LAB [NODE]",
		Description: "Prints what the lab's nodes wrote to stdout and stderr; without NODE, every\n" +
			"node's lines prefixed with its name. -f keeps following until Ctrl-C.\n\n" +
			"Example:\n  opslab logs lb-basics\n  opslab logs lb-basics lb -f",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "follow", Aliases: []string{"f"}, Usage: "keep printing new lines"}},
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 1, 2); err != nil {
				return err
			}
			return runLogs(c.Context, deps, logsOptions{Lab: c.Args().Get(0), Node: c.Args().Get(1), Follow: c.Bool("follow")})
		},
	}
}

func runLogs(ctx context.Context, deps *app, opts logsOptions) error {
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	return rt.Logs(ctx, opts.Lab, opts.Node, opts.Follow, deps.io.Out)
}
