package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/internal/localstate"
)

// examStatusJSON is `opslab exam status --json`: a contract for scripts.
// It says nothing about checks.
type examStatusJSON struct {
	Exam        string          `json:"exam"`
	Candidate   string          `json:"candidate"`
	Session     string          `json:"session"`
	State       string          `json:"state"` // running | submitted | time-up | graded
	StartedAt   time.Time       `json:"started_at"`
	Deadline    time.Time       `json:"deadline"`
	SecondsLeft int64           `json:"seconds_left"`
	SelfCheck   bool            `json:"self_check"`
	Labs        []examLabStatus `json:"labs"`
}

type examLabStatus struct {
	ID        string            `json:"id"`
	Workspace string            `json:"workspace"`
	Params    map[string]string `json:"params"`
}

func newExamStatusCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "time left, the labs and where their files are (nothing about checks)",
		Description: "Shows the exam under way on this machine. When time is up, it freezes the\n" +
			"workspaces (if `opslab exam submit` did not already).\n\n" +
			"Example:\n  opslab exam status\n  opslab exam status --json",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print a JSON object"}},
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 0, 0); err != nil {
				return err
			}
			return runExamStatus(deps, c.Bool("json"))
		},
	}
}

// requireExam is the exam of this state dir, or a usage error saying how to start one.
func requireExam(deps *app) (*localstate.ExamState, error) {
	st, err := deps.examState()
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, usagef("no exam on this machine: the candidate starts one with `opslab exam start EXAM_FILE --candidate ID`")
	}
	return st, nil
}

func examPhase(st *localstate.ExamState) string {
	switch {
	case st.GradedAt != nil:
		return "graded"
	case st.Snapshot != nil && (st.Snapshot.Late || !st.Snapshot.TakenAt.Before(st.Deadline)):
		return "time-up"
	case st.Snapshot != nil:
		return "submitted"
	}
	return "running"
}

func runExamStatus(deps *app, asJSON bool) error {
	st, err := requireExam(deps)
	if err != nil {
		return err
	}
	if st.GradedAt == nil {
		if err := deps.examTimeUp(st); err != nil {
			return err
		}
	}
	left := timeLeft(st, deps.clock())
	if asJSON {
		out := examStatusJSON{Exam: st.ExamName, Candidate: st.Candidate, Session: st.Session, State: examPhase(st),
			StartedAt: st.StartedAt, Deadline: st.Deadline, SecondsLeft: int64(left / time.Second), SelfCheck: st.SelfCheck}
		for _, l := range st.Labs {
			out.Labs = append(out.Labs, examLabStatus{ID: l.ID, Workspace: l.Workspace, Params: l.Params})
		}
		enc := json.NewEncoder(deps.io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := deps.io.Out
	fmt.Fprintf(w, "exam %s — candidate %s — %s\n", st.ExamName, st.Candidate, examPhase(st))
	switch examPhase(st) {
	case "running":
		fmt.Fprintf(w, "time left: %s (until %s)\n", left, st.Deadline.Local().Format("15:04:05"))
	case "submitted", "time-up":
		fmt.Fprintf(w, "workspaces frozen at %s: work after that does not count; the proctor grades with `%s exam grade`\n",
			st.Snapshot.TakenAt.Local().Format("15:04:05"), deps.cmdPrefix())
	case "graded":
		fmt.Fprintf(w, "graded at %s\n", st.GradedAt.Local().Format("15:04:05"))
	}
	fmt.Fprintln(w, "\nlabs:")
	for _, l := range st.Labs {
		fmt.Fprintf(w, "  %-20s %s\n", l.ID, l.Workspace)
	}
	return nil
}

// examStatusLine is one line for `opslab status` during an exam ("" without one).
func examStatusLine(deps *app) string {
	st := deps.activeExam()
	if st == nil {
		return ""
	}
	if err := deps.examTimeUp(st); err != nil || st.Snapshot != nil {
		return fmt.Sprintf("exam %s: %s — work no longer counts", st.ExamName, examPhase(st))
	}
	return fmt.Sprintf("exam %s: %s left", st.ExamName, timeLeft(st, deps.clock()))
}
