package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/internal/localstate"
)

// newExamWatchCommand is the deadline keeper `opslab exam start` leaves
// running in the background: at the limit it freezes the workspaces and
// stops the nodes, whether or not anyone runs a command then.
func newExamWatchCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:   "watch",
		Usage:  "wait for the exam's deadline, then freeze the workspaces (started by `opslab exam start`)",
		Hidden: true,
		Description: "Runs in the background until the exam is handed in or time is up.\n\n" +
			"Example:\n  opslab exam watch",
		Action: func(c *cli.Context) error {
			return runExamWatch(c.Context, deps, time.Sleep)
		},
	}
}

// runExamWatch waits until the deadline (re-reading the state now and then:
// a submit ends it early), then takes the snapshot at the limit.
func runExamWatch(ctx context.Context, deps *app, sleep func(time.Duration)) error {
	for {
		st, err := localstate.LoadExam(deps.dirs.Exam())
		if err != nil || st == nil || st.Snapshot != nil || st.GradedAt != nil {
			return err
		}
		left := st.Deadline.Sub(deps.clock())
		if left <= 0 {
			deps.exam = &examCache{st: st}
			if err := deps.takeSnapshot(st); err != nil {
				return err
			}
			freezeExamLabs(ctx, deps, st)
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sleep(min(left, 30*time.Second))
	}
}

// spawnExamWatcher starts `opslab exam watch` detached from the terminal,
// with this process's environment, logging to the exam's state folder.
func spawnExamWatcher(deps *app) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	args := []string{}
	if deps.contentDir != "" {
		args = append(args, "--"+flagContent, deps.contentDir)
	}
	cmd := exec.Command(exe, append(args, "exam", "watch")...)
	logf, err := os.OpenFile(filepath.Join(deps.dirs.Exam(), "watch.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // survives the terminal closing
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the deadline keeper: %w", err)
	}
	return cmd.Process.Release()
}
