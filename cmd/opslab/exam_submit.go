package main

import (
	"context"
	"fmt"

	"github.com/opslab/opslab/internal/localstate"

	"github.com/urfave/cli/v2"
)

func newExamSubmitCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:  "submit",
		Usage: "hand in: freeze the workspaces (copied and hashed) for grading",
		Description: "Ends the candidate's exam: every lab's workspace is copied and hashed, and\n" +
			"that copy is what the proctor grades; later changes do not count. The labs\n" +
			"keep running for the final grade.\n\n" +
			"Example:\n  opslab exam submit",
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 0, 0); err != nil {
				return err
			}
			return runExamSubmit(c.Context, deps)
		},
	}
}

func runExamSubmit(ctx context.Context, deps *app) error {
	st, err := requireExam(deps)
	if err != nil {
		return err
	}
	if st.GradedAt != nil {
		return usagef("the exam %s of %s was graded already", st.ExamName, st.Candidate)
	}
	if err := deps.examTimeUp(st); err != nil {
		return err
	}
	if st.Snapshot != nil {
		fmt.Fprintf(deps.io.Out, "already handed in at %s (%s): nothing changed\n", st.Snapshot.TakenAt.Local().Format("15:04:05"), examPhase(st))
		freezeExamLabs(ctx, deps, st)
		return nil
	}
	if err := deps.takeSnapshot(st); err != nil {
		return fmt.Errorf("cannot freeze the workspaces: %w", err)
	}
	fmt.Fprintf(deps.io.Out, "%s handed in at %s with %s left: your work is frozen; the proctor grades it with `%s exam grade`\n",
		deps.io.OutColors().Green("✓"), st.Snapshot.TakenAt.Local().Format("15:04:05"), st.Deadline.Sub(st.Snapshot.TakenAt).Truncate(1e9), deps.cmdPrefix())
	for _, l := range st.Labs {
		fmt.Fprintf(deps.io.Out, "  %-20s sha256:%.16s…\n", l.ID, st.Snapshot.Digests[l.ID])
	}
	freezeExamLabs(ctx, deps, st)
	return nil
}

// freezeExamLabs stops the exam's nodes (keeping them) so their state stays
// as handed in until the final grade starts them again. The snapshot is
// taken already; a failure here is a warning.
func freezeExamLabs(ctx context.Context, deps *app, st *localstate.ExamState) {
	rt, err := deps.runtime(ctx)
	if err == nil {
		ert, ok := rt.(examRuntime)
		for _, l := range st.Labs {
			if !ok {
				break
			}
			if err = ert.FreezeLab(ctx, l.ID); err != nil {
				break
			}
		}
	}
	deps.stopProgress()
	if err != nil {
		fmt.Fprintf(deps.io.Err, "warning: the nodes could not be stopped (%v): what is in them at the final grade counts\n", err)
		return
	}
	fmt.Fprintf(deps.io.Out, "the labs' nodes are stopped until the final grade\n")
}
