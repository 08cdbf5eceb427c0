package main

import (
	"context"
	"io"

	"github.com/urfave/cli/v2"
)

type execOptions struct {
	Lab, Node string
	Cmd       []string
}

func newExecCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "exec",
		Usage:     "run one command in a node of a lab",
		ArgsUsage: "LAB NODE -- CMD [ARG...]",
		Description: "Runs CMD in NODE and exits with CMD's exit code. Piped standard input is\n" +
			"passed to the command. For an interactive shell use `opslab shell`.\n\n" +
			"Example:\n  opslab exec lb-basics lb -- curl -s localhost/\n  opslab exec lb-basics app1 -- sh < check.sh",
		Action: func(c *cli.Context) error {
			args := c.Args().Slice()
			// The flag parser stops at LAB, so a "--" after NODE is still here.
			if len(args) > 2 && args[2] == "--" {
				args = append(args[:2:2], args[3:]...)
			}
			if len(args) < 3 {
				return usagef("missing %s (see `%s --help`)", c.Command.ArgsUsage, c.Command.HelpName)
			}
			return runExec(c.Context, deps, execOptions{Lab: args[0], Node: args[1], Cmd: args[2:]})
		},
	}
}

func runExec(ctx context.Context, deps *app, opts execOptions) error {
	if err := deps.frozenExamLab("`opslab exec`", opts.Lab); err != nil {
		return err
	}
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	// A terminal's stdin is not passed: the command would wait for input nobody types.
	var stdin io.Reader
	if !deps.io.inTTY {
		stdin = deps.io.In
	}
	code, err := rt.Exec(ctx, opts.Lab, opts.Node, opts.Cmd, stdin, deps.io.Out, deps.io.Err)
	if err != nil {
		return err
	}
	if code != 0 {
		return silentExit(code)
	}
	return nil
}
