package main

import (
	"context"
	"os"

	"github.com/urfave/cli/v2"
)

type shellOptions struct {
	Lab, Node string
}

func newShellCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "shell",
		Usage:     "open an interactive shell in a node of a lab",
		ArgsUsage: "LAB [NODE]",
		Description: "Opens bash (or sh) with a terminal in NODE, by default the lab's first node.\n" +
			"Leave it with `exit` or Ctrl-D; the lab keeps running.\n\n" +
			"Example:\n  opslab shell lb-basics\n  opslab shell lb-basics app1",
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 1, 2); err != nil {
				return err
			}
			return runShell(c.Context, deps, shellOptions{Lab: c.Args().Get(0), Node: c.Args().Get(1)})
		},
	}
}

func runShell(ctx context.Context, deps *app, opts shellOptions) error {
	if err := deps.frozenExamLab("`opslab shell`", opts.Lab); err != nil {
		return err
	}
	in, inOK := deps.io.In.(*os.File)
	out, outOK := deps.io.Out.(*os.File)
	if !inOK || !outOK {
		return usagef("shell needs the process's own standard input and output; use `opslab exec %s NODE -- CMD` in scripts", opts.Lab)
	}
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	code, err := rt.Shell(ctx, opts.Lab, opts.Node, in, out)
	if err != nil {
		return err
	}
	if code != 0 {
		return silentExit(code) // the shell's own exit status, as after ssh
	}
	return nil
}
