package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs"
	"github.com/opslab/opslab/labs/spec"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/grader"
)

type hintOptions struct {
	Lab  string
	Task string
}

func newHintCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "hint",
		Usage:     "show the next hint for a task",
		ArgsUsage: "LAB [TASK]",
		Description: "Hints come in tiers: a nudge, then a pointer, then the shape of the fix.\n" +
			"Each call reveals the next tier. Without TASK: the first task your last grade\n" +
			"did not pass. Hints used are recorded in your results.\n\n" +
			"Example:\n  opslab hint lb-basics\n  opslab hint lb-basics balances",
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 1, 2); err != nil {
				return err
			}
			return runHint(c.Context, deps, hintOptions{Lab: c.Args().Get(0), Task: c.Args().Get(1)})
		},
	}
}

func runHint(_ context.Context, deps *app, opts hintOptions) error {
	if err := deps.lockedDuringExam("`opslab hint`"); err != nil {
		return err
	}
	lab, err := deps.loadLab(opts.Lab, nil)
	if err != nil {
		return err
	}
	task := opts.Task
	if task == "" {
		task = firstUnpassedTask(lab, deps.lastResult(lab.ID))
		if task == "" {
			fmt.Fprintf(deps.io.Out, "every task passed in your last grade of %s — nothing to hint at.\nFor a specific task: `%s hint %s TASK`\n", lab.ID, deps.cmdPrefix(), lab.ID)
			return nil
		}
	}
	var title string
	var ids []string
	for _, t := range lab.Tasks {
		ids = append(ids, t.ID)
		if t.ID == task {
			title = t.Title
		}
	}
	if title == "" {
		return &spec.UsageError{Msg: fmt.Sprintf("lab %s has no task %q (tasks: %v)", lab.ID, task, ids)}
	}
	hint, tier, total, err := deps.hintStore(lab).Next(lab.ID, task)
	var none *localstate.NoHintsError
	if errors.As(err, &none) {
		return &spec.UsageError{Msg: none.Msg}
	}
	if err != nil {
		// The hint store could not be read or written: the machine, not the
		// command. err says which, and what to do about a corrupted file.
		return &labs.EnvError{Msg: "cannot use your hint progress in " + deps.dirs.Hints(), Err: err}
	}
	deps.reportHint(lab.ID, task, tier) // to the learner's class, if any (class_report.go)
	cs := deps.io.OutColors()
	fmt.Fprintf(deps.io.Out, "%s %s — %s %s\n\n  %s\n", cs.Bold("Hint"), cs.Faint(fmt.Sprintf("%d/%d", tier, total)), task, cs.Faint("("+title+")"), hint)
	if tier < total {
		fmt.Fprintf(deps.io.Out, "\n%s\n", cs.Faint(fmt.Sprintf("still stuck? `%s hint %s %s` shows the next one", deps.cmdPrefix(), lab.ID, task)))
	}
	return nil
}

// firstUnpassedTask is the first task (in the lab's order) the last grade did not
// pass; "" when every task passed.
func firstUnpassedTask(lab *spec.Lab, last *grader.Result) string {
	passed := map[string]bool{}
	if last != nil {
		for _, t := range last.Tasks {
			passed[t.ID] = t.Status == grader.StatusPass
		}
	}
	for _, t := range lab.Tasks {
		if !passed[t.ID] {
			return t.ID
		}
	}
	return "" // all passed
}
