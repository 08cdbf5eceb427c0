//go:build !unix

package main

import (
	"os"
	"os/exec"
)

func detach(*exec.Cmd) {}

// processAlive cannot ask without a signal here: a recorded watcher is taken
// as running; it exits by itself once the membership is gone.
func processAlive(pid int) bool { return pid > 0 }

func stopProcess(pid int) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}

// isWatcher: without a way to see a process's arguments, a recorded live
// pid is taken as the watcher.
func isWatcher(pid int) bool { return processAlive(pid) }
