package main

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/labs"
)

type doctorOptions struct{}

func newDoctorCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "doctor",
		Usage:     "check that this machine can run labs",
		ArgsUsage: " ",
		Description: "Checks the Docker endpoint (and where it came from), the engine's version and\n" +
			"architecture, the base image, disk space and free ports. Each failing line\n" +
			"says how to fix it; exits 3 when any check fails.\n\n" +
			"Example:\n  opslab doctor\n  DOCKER_HOST=tcp://10.0.0.5:2375 opslab doctor",
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 0, 0); err != nil {
				return err
			}
			return runDoctor(c.Context, deps, doctorOptions{})
		},
	}
}

func runDoctor(ctx context.Context, deps *app, _ doctorOptions) error {
	checks := deps.doctor(ctx, deps.runtimeOptions())
	return printDoctor(deps.io, checks)
}

func printDoctor(streams *IO, checks []labs.DoctorCheck) error {
	cs := streams.OutColors()
	failed := 0
	for _, c := range checks {
		if c.OK {
			fmt.Fprintf(streams.Out, "%s  %s: %s\n", cs.Green("ok"), c.Name, c.Info)
			continue
		}
		failed++
		fmt.Fprintf(streams.Out, "%s   %s: %s\n", cs.Red("✗"), c.Name, c.Info)
		if c.Fix != "" {
			fmt.Fprintf(streams.Out, "     fix: %s\n", c.Fix)
		}
	}
	if failed > 0 {
		return &exitError{code: exitEnv, err: fmt.Errorf("%d of %d checks failed", failed, len(checks))}
	}
	return nil
}
