package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/labs"
)

type testOptions struct {
	Labs     []string
	Parallel int
}

func newTestCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "test",
		Usage:     "prove labs: unsolved fails, every wrong/ solution fails, the solution gets full marks",
		ArgsUsage: "[LAB...]",
		Description: "For course authors and CI. Per lab, each case in a fresh environment:\n" +
			"  unsolved      → grading must not pass\n" +
			"  wrong/NAME    → grading must not pass (one case per known-wrong solution)\n" +
			"  solution      → grading must give full marks\n" +
			"Runs in its own session, in throw-away workspaces: your own labs and files\n" +
			"are not touched. Without LAB: every lab of the catalog. Every lab's images are\n" +
			"built first; then the cases of all labs share --parallel environments.\n" +
			"Exit 1 on any deviation.\n\n" +
			"Example:\n  opslab test lb-basics\n  opslab --content ./my-labs test --parallel 2",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "parallel", Value: 3, Usage: "run up to `N` test environments at once (all labs' cases share them)"},
		},
		Action: func(c *cli.Context) error {
			return runTest(c.Context, deps, testOptions{Labs: c.Args().Slice(), Parallel: c.Int("parallel")})
		},
	}
}

func runTest(ctx context.Context, deps *app, opts testOptions) error {
	cat, err := deps.loadCatalog()
	if err != nil {
		return err
	}
	ids := opts.Labs
	if len(ids) == 0 {
		ids = cat.IDs()
	}
	for _, id := range ids { // every lab must exist and parse before anything starts
		if _, err := cat.Load(id, nil); err != nil {
			return err
		}
	}
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	runs := rt.SelfTestAll(ctx, cat, ids, grader.Options{}, opts.Parallel, func(tc labs.SelfTestCase) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(deps.io.Err, "%s %s: %s → %s (%.1fs)\n", mark(deps, tc.OK), tc.Lab, tc.Name, tc.Got, tc.Duration.Seconds())
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}

	failed := 0
	for i, id := range ids {
		r := runs[i]
		printTestTable(deps, id, r.Cases, r.Took)
		if r.Err != nil {
			fmt.Fprintf(deps.io.Out, "  %s %v\n", deps.io.OutColors().Red("error:"), r.Err)
			failed++
			continue
		}
		for _, tc := range r.Cases {
			if !tc.OK {
				failed++
				break
			}
		}
	}
	if failed > 0 {
		if len(ids) == 1 {
			fmt.Fprintf(deps.io.Out, "\nlab %s deviated: see the table above\n", ids[0])
		} else {
			fmt.Fprintf(deps.io.Out, "\n%d of %d labs deviated: see the tables above\n", failed, len(ids))
		}
		return silentExit(exitNotPassed)
	}
	if len(ids) == 1 {
		fmt.Fprintf(deps.io.Out, "\nlab %s proved\n", ids[0])
	} else {
		fmt.Fprintf(deps.io.Out, "\nall %d labs proved\n", len(ids))
	}
	return nil
}

func mark(deps *app, ok bool) string {
	cs := deps.io.ErrColors()
	if ok {
		return cs.Green("✓")
	}
	return cs.Red("✗")
}

func printTestTable(deps *app, id string, cases []labs.SelfTestCase, took time.Duration) {
	cs := deps.io.OutColors()
	fmt.Fprintf(deps.io.Out, "\n%s %s\n", cs.Bold(id), cs.Faint(fmt.Sprintf("(%.0fs)", took.Seconds())))
	tw := tabwriter.NewWriter(deps.io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  CASE\tEXPECTED\tGOT\tSCORE\tTIME\t")
	for _, tc := range cases {
		got := tc.Got
		if !tc.OK {
			got = cs.Red(got + " ✗")
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%g/%g\t%.1fs\t\n", tc.Name, tc.Want, got, tc.Score, tc.MaxScore, tc.Duration.Seconds())
	}
	tw.Flush()
	for _, tc := range cases {
		if !tc.OK && tc.Detail != "" {
			fmt.Fprintf(deps.io.Out, "  %s %s: %s\n", cs.Red("✗"), tc.Name, strings.TrimSpace(tc.Detail))
		}
	}
}
