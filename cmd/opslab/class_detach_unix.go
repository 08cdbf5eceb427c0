//go:build unix

package main

import (
	"os"
	"os/exec"
	"syscall"
)

// detach puts cmd in its own session: Ctrl-C in the learner's terminal and
// the terminal closing do not reach the background sender or watcher.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}

// processAlive says whether pid runs (signal 0 checks without sending).
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	return err == nil && p.Signal(syscall.Signal(0)) == nil
}

// stopProcess asks pid to end (SIGTERM: it finishes its current step).
func stopProcess(pid int) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Signal(syscall.SIGTERM)
}
