package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"
)

type progressOptions struct{ JSON bool }

func newProgressCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "progress",
		Usage:     "your best score, last attempt and time spent per lab",
		ArgsUsage: " ",
		Description: "Every `opslab grade` is kept on this machine (in the XDG state dir);\n" +
			"this sums them up per lab.\n\n" +
			"Example:\n  opslab progress\n  opslab progress --json",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 0, 0); err != nil {
				return err
			}
			return runProgress(c.Context, deps, progressOptions{JSON: c.Bool("json")})
		},
	}
}

type progressJSON struct {
	Lab         string  `json:"lab"`
	BestScore   float64 `json:"best_score"`
	MaxScore    float64 `json:"max_score"`
	Passed      bool    `json:"passed"`
	Attempts    int     `json:"attempts"`
	LastAttempt string  `json:"last_attempt"`
	TimeSpentS  int64   `json:"time_spent_s"`
}

func runProgress(_ context.Context, deps *app, opts progressOptions) error {
	progress, warnings, err := deps.history().Progress()
	if err != nil {
		return fmt.Errorf("reading your results: %w", err)
	}
	for _, w := range warnings {
		fmt.Fprintf(deps.io.Err, "warning: %v\n", w)
	}
	if opts.JSON {
		out := make([]progressJSON, 0, len(progress))
		for _, p := range progress {
			out = append(out, progressJSON{p.LabID, p.BestScore, p.MaxScore, p.Passed, p.Attempts,
				p.LastAttempt.UTC().Format(time.RFC3339), int64(p.TimeSpent.Seconds())})
		}
		enc := json.NewEncoder(deps.io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(progress) == 0 {
		fmt.Fprintf(deps.io.Out, "no grades yet: start a lab and run `%s grade LAB`\n", deps.cmdPrefix())
		return nil
	}
	cs := deps.io.OutColors()
	tw := tabwriter.NewWriter(deps.io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LAB\tBEST\tPASSED\tATTEMPTS\tLAST ATTEMPT\tTIME SPENT\t")
	for _, p := range progress {
		passed := cs.Faint("no")
		if p.Passed {
			passed = cs.Green("yes")
		}
		fmt.Fprintf(tw, "%s\t%g/%g\t%s\t%d\t%s\t%s\t\n", p.LabID, p.BestScore, p.MaxScore, passed, p.Attempts,
			p.LastAttempt.Local().Format("2006-01-02 15:04"), p.TimeSpent.Round(time.Minute))
	}
	return tw.Flush()
}
