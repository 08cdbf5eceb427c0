package main

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/opslab/opslab/internal/localstate"
)

// The watcher's pid is kept in the membership file and outlives a reboot;
// by then it may be another program's. `class leave` must not stop it.
func TestClassLeaveStopsOnlyItsWatcher(t *testing.T) {
	other := exec.Command("sleep", "30")
	if err := other.Start(); err != nil {
		t.Skip("no sleep to stand for another program:", err)
	}
	exited := make(chan struct{})
	go func() { _ = other.Wait(); close(exited) }()
	t.Cleanup(func() { _ = other.Process.Kill(); <-exited })

	deps, _, _ := testApp(t, &fakeRuntime{})
	dir := deps.dirs.Class()
	if err := localstate.SaveMembership(dir, &localstate.Membership{Server: "http://127.0.0.1:1", Token: "ol_x",
		Watch: true, WatchPID: other.Process.Pid}); err != nil {
		t.Fatal(err)
	}
	if err := runClassLeave(context.Background(), deps); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
		t.Fatal("class leave stopped a process that is not its watcher (a pid reused after a reboot)")
	case <-time.After(300 * time.Millisecond):
	}
}
