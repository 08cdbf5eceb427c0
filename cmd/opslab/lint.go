package main

import (
	"context"
	"fmt"

	"github.com/opslab/opslab/labs/spec"

	"github.com/urfave/cli/v2"
)

type lintOptions struct {
	Dir string // "" = the active catalog (--content DIR or the built-in one)
}

func newLintCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "lint",
		Usage:     "check lab definitions for mistakes",
		ArgsUsage: "[DIR]",
		Description: "Checks every lab in DIR (a catalog folder or one lab's folder; default: the\n" +
			"active catalog) and prints each problem as file:line: field: what is wrong.\n" +
			"Exits 2 when there is any problem. Works without Docker.\n\n" +
			"Example:\n  opslab lint ./my-labs\n  opslab lint ./my-labs/incident-502",
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 0, 1); err != nil {
				return err
			}
			return runLint(c.Context, deps, lintOptions{Dir: c.Args().First()})
		},
	}
}

func runLint(_ context.Context, deps *app, opts lintOptions) error {
	dir, flag := deps.contentDir, "--content"
	if opts.Dir != "" {
		dir, flag = opts.Dir, "lint"
	}
	c, err := deps.openCatalog(dir, flag)
	if err != nil {
		return err
	}
	source := c.Source()
	problems := spec.Lint(c)
	for _, p := range problems {
		fmt.Fprintln(deps.io.Out, p.Error())
	}
	if len(problems) > 0 {
		fmt.Fprintf(deps.io.Err, "%s %d problem(s) in %s\n", deps.io.ErrColors().Red("✗"), len(problems), source)
		return silentExit(exitUsage)
	}
	fmt.Fprintf(deps.io.Err, "%s %s: no problems\n", deps.io.ErrColors().Green("✓"), source)
	return nil
}
