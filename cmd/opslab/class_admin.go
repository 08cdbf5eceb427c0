package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/urfave/cli/v2"
)

type classAdminOptions struct {
	Name, Server, Token, Format string
}

func serverTokenFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "server", Usage: "the class server's `URL`", EnvVars: []string{"OPSLAB_CLASS_SERVER"}, Required: true},
		&cli.StringFlag{Name: "token", Usage: "the instructor `TOKEN` (`class serve` printed it)", EnvVars: []string{"OPSLAB_CLASS_TOKEN"}, Required: true},
	}
}

func newClassCreateCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "create",
		Usage:     "create a class and print its join code (instructor)",
		ArgsUsage: "NAME",
		Description: "Prints the join code alone on stdout, for scripts. Creating a class that\n" +
			"exists prints its code again.\n\n" +
			"Example:\n  opslab class create monday --server http://127.0.0.1:8088 --token \"$(cat ~/.local/state/opslab/classroom/instructor.token)\"",
		Flags: serverTokenFlags(),
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 1, 1); err != nil {
				return err
			}
			return runClassCreate(c.Context, deps, classAdminOptions{Name: c.Args().First(), Server: c.String("server"), Token: c.String("token")})
		},
	}
}

func runClassCreate(ctx context.Context, deps *app, opts classAdminOptions) error {
	server, err := normalizeServer(opts.Server)
	if err != nil {
		return err
	}
	var out struct{ Code string }
	if _, err := classCall(ctx, "POST", server, "/api/classes", opts.Token, map[string]string{"name": opts.Name}, &out); err != nil {
		return adminError(err)
	}
	fmt.Fprintln(deps.io.Out, out.Code)
	return nil
}

func newClassExportCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "print a class's gradebook as CSV or JSON (instructor)",
		ArgsUsage: "NAME",
		Description: "One row per learner × lab: learner, lab, best score, max score, passed,\n" +
			"hints used, last seen.\n\n" +
			"Example:\n  opslab class export monday --server http://127.0.0.1:8088 --token TOKEN --format csv > monday.csv",
		Flags: append(serverTokenFlags(), &cli.StringFlag{Name: "format", Value: "csv", Usage: "`FORMAT`: csv or json"}),
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 1, 1); err != nil {
				return err
			}
			f := c.String("format")
			if f != "csv" && f != "json" {
				return usagef("unknown --format %q (one of: csv, json)", f)
			}
			return runClassExport(c.Context, deps, classAdminOptions{Name: c.Args().First(), Server: c.String("server"), Token: c.String("token"), Format: f})
		},
	}
}

func runClassExport(ctx context.Context, deps *app, opts classAdminOptions) error {
	server, err := normalizeServer(opts.Server)
	if err != nil {
		return err
	}
	b, err := classCall(ctx, "GET", server, "/api/classes/"+url.PathEscape(opts.Name)+"/export?format="+opts.Format, opts.Token, nil, nil)
	if err != nil {
		return adminError(err)
	}
	_, err = deps.io.Out.Write(b)
	return err
}

// adminError: a refused token or an unknown class is bad input (exit 2).
func adminError(err error) error {
	var se *serverError
	switch {
	case errors.As(err, &se) && se.Status == 401:
		return usagef("the class server refused the instructor token: give the one `opslab class serve` printed on its first start (kept in instructor.token beside its database)")
	case errors.As(err, &se) && se.Status/100 == 4:
		return usagef("%s", se.Error())
	}
	return err
}
