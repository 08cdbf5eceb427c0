package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/labs"
)

type testOptions struct {
	Labs     []string
	Parallel int
	Repeat   int
	// EveryCheck: the cases that must fail run every check, not only until
	// their grading cannot pass.
	EveryCheck bool
}

func newTestCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "test",
		Usage:     "prove labs: unsolved and every wrong/ case fail, the solution and every variants/ case get full marks",
		ArgsUsage: "[LAB...]",
		Description: "For course authors and CI. Per lab, each case in a fresh environment:\n" +
			"  unsolved      → grading must not pass\n" +
			"  wrong/NAME    → grading must not pass (one case per known-wrong solution)\n" +
			"  variants/NAME → grading must give full marks (a correct answer written differently)\n" +
			"  solution      → grading must give full marks\n" +
			"A case folder may hold attempt.yaml: what the learner did besides editing\n" +
			"files (a hand fix inside a node, a restart), done after its files are applied.\n" +
			"--repeat N grades each case's environment N times, each time with new grade\n" +
			"values; verdicts that differ fail the case as flaky.\n" +
			"The grading of a case that must not pass stops once it cannot pass any more\n" +
			"(a required task failed, or too few points are left); --every-check runs all\n" +
			"of its checks, to see each one's message.\n" +
			"Runs in its own session, in throw-away workspaces: your own labs and files\n" +
			"are not touched. Without LAB: every lab of the catalog. Every lab's images are\n" +
			"built first; then the cases of all labs share --parallel environments.\n" +
			"Exit 1 on any deviation.\n\n" +
			"Example:\n  opslab test lb-basics\n  opslab test --repeat 3 lb-basics\n  opslab --content ./my-labs test --parallel 2",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "parallel", Value: 3, Usage: "run up to `N` test environments at once (all labs' cases share them)"},
			&cli.IntFlag{Name: "repeat", Value: 1, Usage: "grade each case `N` times; differing verdicts fail it as flaky"},
			&cli.BoolFlag{Name: "every-check", Usage: "run every check of the cases that must fail, not only until their grading cannot pass"},
		},
		Action: func(c *cli.Context) error {
			if c.Int("repeat") < 1 {
				return usagef("--repeat must be at least 1, got %d", c.Int("repeat"))
			}
			return runTest(c.Context, deps, testOptions{Labs: c.Args().Slice(), Parallel: c.Int("parallel"), Repeat: c.Int("repeat"), EveryCheck: c.Bool("every-check")})
		},
	}
}

func runTest(ctx context.Context, deps *app, opts testOptions) error {
	if err := deps.lockedDuringExam("`opslab test` (it applies solutions)"); err != nil {
		return err
	}
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
	runs := rt.SelfTestAll(ctx, cat, ids, labs.SelfTestOptions{Repeat: opts.Repeat, EveryCheck: opts.EveryCheck}, opts.Parallel, func(tc labs.SelfTestCase) {
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
		switch {
		case tc.Got == "flaky":
			got = "flaky (" + strings.Join(tc.Verdicts, ", ") + ")"
		case len(tc.Verdicts) > 1:
			got = fmt.Sprintf("%s ×%d", got, len(tc.Verdicts))
		}
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
