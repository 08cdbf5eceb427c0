package main

import (
	"context"
	"fmt"
	"strings"

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
			"architecture, the base image, whether privileged nodes may run (fails only\n" +
			"when a lab of the catalog needs them), disk space and free ports. Each failing line\n" +
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
	for i, c := range checks {
		if labs.IsPrivilegedCheck(c) && !c.OK {
			checks[i] = judgePrivileged(c, labsNeedingPrivileged(deps))
		}
	}
	return printDoctor(deps.io, checks)
}

// judgePrivileged fails the "privileged nodes" line only when a lab of the
// catalog needs it: an engine that refuses privileged containers runs every
// other lab.
func judgePrivileged(c labs.DoctorCheck, needing []string) labs.DoctorCheck {
	if len(needing) == 0 {
		c.OK = true
		c.Info += "; no lab in this catalog needs it"
		return c
	}
	c.Info += "; needed by " + strings.Join(needing, ", ")
	return c
}

// labsNeedingPrivileged lists the catalog's labs with a privileged node (with
// default params; a lab that does not load is lint's business, not doctor's).
func labsNeedingPrivileged(deps *app) []string {
	cat, err := deps.loadCatalog()
	if err != nil {
		return nil
	}
	var ids []string
	for _, id := range cat.IDs() {
		lab, err := cat.Load(id, nil)
		if err != nil {
			continue
		}
		for _, n := range lab.Nodes {
			if n.Privileged {
				ids = append(ids, id)
				break
			}
		}
	}
	return ids
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
