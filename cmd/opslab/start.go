package main

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/labs"
)

type startOptions struct {
	Lab       string
	Rebuild   bool
	Params    map[string]string
	Workspace string
}

func newStartCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "start",
		Usage:     "start a lab: build its images, create its network and nodes",
		ArgsUsage: "LAB",
		Description: "Builds the lab's images (cached by content), starts its nodes on a private\n" +
			"network, runs its setup and copies its files into your workspace\n" +
			"(default ~/opslab/LAB). Starting a running lab just says so. Started again\n" +
			"on a workspace it set up before, a lab runs the same scenario as then (the\n" +
			"same randomized fault), so your changes there still apply; --param wins.\n" +
			"Ctrl-C or a failure half-way removes everything the start created.\n\n" +
			"Example:\n  opslab start lb-basics\n  opslab start lb-basics --param backends=3 --workspace ./work",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "rebuild", Usage: "rebuild the lab's images even when cached"},
			paramFlag(),
			&cli.StringFlag{Name: "workspace", Usage: "your working copy of the lab's files, in `DIR`"},
		},
		Action: func(c *cli.Context) error {
			lab, params, err := labAndParams(c)
			if err != nil {
				return err
			}
			return runStart(c.Context, deps, startOptions{
				Lab: lab, Rebuild: c.Bool("rebuild"), Params: params, Workspace: c.String("workspace"),
			})
		},
	}
}

func runStart(ctx context.Context, deps *app, opts startOptions) error {
	if err := deps.frozenExamLab("`opslab start`", opts.Lab); err != nil {
		return err // it would replace the stopped nodes with running ones to work in
	}
	params, resumed := deps.resumeParams(opts.Lab, opts.Workspace, opts.Params)
	lab, params, resumed, err := deps.loadResumedLab(opts.Lab, params, opts.Params, resumed)
	if err != nil {
		return err
	}
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	inst, already, err := rt.Start(ctx, lab, labs.StartOptions{Rebuild: opts.Rebuild, Params: params, Workspace: opts.Workspace})
	deps.stopProgress()
	if err != nil {
		return err
	}
	deps.reportLabStarted(lab.ID) // to the learner's class, if any (class_report.go)
	cs := deps.io.OutColors()
	if already {
		fmt.Fprintf(deps.io.Out, "lab %s is already running (stop it first with `%s stop %s` to start afresh)\n",
			lab.ID, deps.cmdPrefix(), lab.ID)
	} else {
		deps.rememberParams(lab, inst.Workspace)
		fmt.Fprintf(deps.io.Out, "%s lab %s is running\n", cs.Green("✓"), lab.ID)
		if resumed {
			deps.sayResumed(lab.ID)
		}
	}
	printNextSteps(deps, inst)
	return nil
}

// printNextSteps is what a learner does after start or reset.
func printNextSteps(deps *app, inst *labs.Instance) {
	out, cs, p := deps.io.Out, deps.io.OutColors(), deps.cmdPrefix()
	var urls []string
	for _, n := range inst.Nodes {
		for _, port := range n.Ports {
			if port.URL != "" {
				urls = append(urls, fmt.Sprintf("  %-10s %s", nodePortName(n.Name, port), port.URL))
			}
		}
	}
	if len(urls) > 0 {
		fmt.Fprintln(out, "\n"+cs.Bold("Open"))
		for _, u := range urls {
			fmt.Fprintln(out, u)
		}
	}
	fmt.Fprintln(out, "\n"+cs.Bold("Next steps"))
	fmt.Fprintf(out, "  read the tasks     %s show %s\n", p, inst.Lab)
	fmt.Fprintf(out, "  edit your files    %s\n", inst.Workspace)
	fmt.Fprintf(out, "  work in a node     %s shell %s\n", p, inst.Lab)
	fmt.Fprintf(out, "  check your work    %s grade %s\n", p, inst.Lab)
	fmt.Fprintf(out, "  stop when done     %s stop %s\n", p, inst.Lab)
}

func nodePortName(node string, p labs.PublishedPort) string {
	if p.Name != "" {
		return node + "/" + p.Name
	}
	return fmt.Sprintf("%s/%d", node, p.Container)
}
