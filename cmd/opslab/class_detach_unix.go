//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
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

// isWatcher says whether pid is a running `opslab class watch`. The pid the
// membership keeps outlives a reboot, and may name another program by then:
// where /proc tells a process's arguments, they must be a watcher's.
func isWatcher(pid int) bool {
	if pid <= 0 || !processAlive(pid) {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return true // no /proc (macOS): the pid is all there is to go on
	}
	args := strings.Split(string(b), "\x00")
	return slices.Contains(args, "class") && slices.Contains(args, "watch")
}
