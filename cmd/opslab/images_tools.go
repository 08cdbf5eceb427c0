package main

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"github.com/opslab/opslab/labs/spec"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/labs"
)

type imagesToolsOptions struct {
	Tools []string // none = the tools the catalog's labs name (all known ones with All)
	All   bool
	Arch  string
}

func newImagesToolsCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "tools",
		Usage:     "build the Go tools lab images need (act, tofu, …) into the cache, without Docker",
		ArgsUsage: "[TOOL...]",
		Description: "Lab images that need Go-written tools get them from a cache that opslab\n" +
			"fills with the host's Go toolchain (tofu takes minutes to compile). This fills\n" +
			"it ahead of time, with no Docker engine needed: while other set-up runs, or\n" +
			"before a class. Without TOOL it builds the tools the catalog's labs name\n" +
			"(lab.yaml tools:), with --all every known one.\nKnown tools: " + strings.Join(spec.KnownTools(), ", ") + ".\n\n" +
			"Example:\n  opslab images tools\n  opslab images tools --arch arm64 tofu",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "arch", Value: runtime.GOARCH, Usage: "the Docker engine's CPU `ARCH` (amd64, arm64)"},
			&cli.BoolFlag{Name: "all", Usage: "every known tool, not only those the catalog's labs name"},
		},
		Action: func(c *cli.Context) error {
			if c.Bool("all") && c.NArg() > 0 {
				return usagef("give tool names or --all, not both")
			}
			return runImagesTools(c.Context, deps, imagesToolsOptions{Tools: c.Args().Slice(), All: c.Bool("all"), Arch: c.String("arch")})
		},
	}
}

func runImagesTools(ctx context.Context, deps *app, opts imagesToolsOptions) error {
	tools := opts.Tools
	switch {
	case opts.All:
		tools = spec.KnownTools()
	case len(tools) == 0:
		// Only what the catalog uses: a recipe no lab names yet (there for the
		// next lab) costs CI, which runs this, no build time.
		all, err := selectedLabs(deps, nil)
		if err != nil {
			return err
		}
		if tools = spec.LabTools(all...); len(tools) == 0 {
			fmt.Fprintln(deps.io.Err, "no lab of the catalog names a Go tool: nothing to build")
			return nil
		}
	}
	for _, name := range tools {
		path, err := labs.BuildTool(ctx, deps.dirs.Tools, name, opts.Arch, deps.progress())
		deps.stopProgress()
		if err != nil {
			return err
		}
		fmt.Fprintf(deps.io.Out, "%s %s for linux/%s: %s\n", deps.io.OutColors().Green("✓"), name, opts.Arch, path)
	}
	return nil
}
