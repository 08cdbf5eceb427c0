package main

import (
	"context"
	"fmt"

	"github.com/opslab/opslab/labs/spec"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/labs"
)

type imagesBuildOptions struct {
	Labs    []string // none = every lab of the catalog
	Rebuild bool
}

type imagesBootstrapOptions struct {
	Mirror, Suite, Tag string
	Force              bool
}

type imagesFileOptions struct {
	File string
	Labs []string // save only: none = every lab
}

func newImagesCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "images",
		Usage:     "build, bootstrap, save and load lab images (offline classrooms)",
		ArgsUsage: "build [LAB...] | bootstrap | tools [TOOL...] | save FILE [LAB...] | load FILE",
		Description: "Prepares images ahead of a class. `bootstrap` makes the base image from\n" +
			"Debian packages where no registry can be reached (needs root and debootstrap);\n" +
			"`save` writes every lab image and the base image to one archive that `load`\n" +
			"reads on a machine without network.\n\n" +
			"Example:\n  opslab images build\n  sudo opslab images bootstrap\n  opslab images save class.tar && opslab images load class.tar",
		Subcommands: []*cli.Command{
			{
				Name: "build", Usage: "build (or find cached) the images of labs", ArgsUsage: "[LAB...]",
				Description: "Example:\n  opslab images build lb-basics",
				Flags:       []cli.Flag{&cli.BoolFlag{Name: "rebuild", Usage: "rebuild even when cached"}},
				Action: func(c *cli.Context) error {
					return runImagesBuild(c.Context, deps, imagesBuildOptions{Labs: c.Args().Slice(), Rebuild: c.Bool("rebuild")})
				},
			},
			{
				Name: "bootstrap", Usage: "make the base image from Debian packages (debootstrap → docker import)", ArgsUsage: " ",
				Description: "Example:\n  sudo opslab images bootstrap --mirror http://deb.debian.org/debian",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "mirror", Usage: "Debian mirror `URL` (default: from this machine's apt sources)"},
					&cli.StringFlag{Name: "suite", Usage: "Debian `SUITE`", Value: "bookworm"},
					&cli.StringFlag{Name: "tag", Usage: "image `NAME:TAG` (default: the base image, " + labs.DefaultBaseImage + ")"},
					&cli.BoolFlag{Name: "force", Usage: "make it again even when the image is already there"},
				},
				Action: func(c *cli.Context) error {
					if err := needArgs(c, 0, 0); err != nil {
						return err
					}
					return runImagesBootstrap(c.Context, deps, imagesBootstrapOptions{Mirror: c.String("mirror"), Suite: c.String("suite"), Tag: c.String("tag"), Force: c.Bool("force")})
				},
			},
			newImagesToolsCommand(deps),
			{
				Name: "save", Usage: "write lab images and the base image to one archive", ArgsUsage: "FILE [LAB...]",
				Description: "Example:\n  opslab images save class.tar",
				Action: func(c *cli.Context) error {
					if err := needArgs(c, 1, -1); err != nil {
						return err
					}
					return runImagesSave(c.Context, deps, imagesFileOptions{File: c.Args().First(), Labs: c.Args().Tail()})
				},
			},
			{
				Name: "load", Usage: "load an archive written by `images save`", ArgsUsage: "FILE",
				Description: "Example:\n  opslab images load class.tar",
				Action: func(c *cli.Context) error {
					if err := needArgs(c, 1, 1); err != nil {
						return err
					}
					return runImagesLoad(c.Context, deps, imagesFileOptions{File: c.Args().First()})
				},
			},
		},
	}
}

// labsOnDocker loads the labs named (or all) and connects to Docker: labs
// first, so a misspelt lab is a usage error even without an engine.
func labsOnDocker(ctx context.Context, deps *app, ids []string) ([]*spec.Lab, labRuntime, error) {
	all, err := selectedLabs(deps, ids)
	if err != nil {
		return nil, nil, err
	}
	rt, err := deps.runtime(ctx)
	return all, rt, err
}

// selectedLabs loads the labs named, or every lab of the catalog.
func selectedLabs(deps *app, ids []string) ([]*spec.Lab, error) {
	if len(ids) == 0 {
		cat, err := deps.loadCatalog()
		if err != nil {
			return nil, err
		}
		ids = cat.IDs()
	}
	out := make([]*spec.Lab, 0, len(ids))
	for _, id := range ids {
		lab, err := deps.loadLab(id, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, lab)
	}
	return out, nil
}

func runImagesBuild(ctx context.Context, deps *app, opts imagesBuildOptions) error {
	all, rt, err := labsOnDocker(ctx, deps, opts.Labs)
	if err != nil {
		return err
	}
	for _, lab := range all {
		err := rt.BuildImages(ctx, lab, opts.Rebuild)
		deps.stopProgress() // later labs' lines pass through plainly
		if err != nil {
			return err
		}
		fmt.Fprintf(deps.io.Out, "%s images of %s are ready\n", deps.io.OutColors().Green("✓"), lab.ID)
	}
	return nil
}

func runImagesBootstrap(ctx context.Context, deps *app, opts imagesBootstrapOptions) error {
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	return rt.BootstrapBaseImage(ctx, labs.BootstrapOptions{Mirror: opts.Mirror, Suite: opts.Suite, Tag: opts.Tag, Force: opts.Force, Progress: deps.progress()})
}

func runImagesSave(ctx context.Context, deps *app, opts imagesFileOptions) error {
	all, rt, err := labsOnDocker(ctx, deps, opts.Labs)
	if err != nil {
		return err
	}
	err = rt.SaveImages(ctx, all, opts.File)
	deps.stopProgress()
	if err != nil {
		return err
	}
	fmt.Fprintf(deps.io.Out, "%s saved the images of %d lab(s) to %s\n", deps.io.OutColors().Green("✓"), len(all), opts.File)
	return nil
}

func runImagesLoad(ctx context.Context, deps *app, opts imagesFileOptions) error {
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	err = rt.LoadImages(ctx, opts.File)
	deps.stopProgress()
	if err != nil {
		return err
	}
	fmt.Fprintf(deps.io.Out, "%s loaded %s\n", deps.io.OutColors().Green("✓"), opts.File)
	return nil
}
