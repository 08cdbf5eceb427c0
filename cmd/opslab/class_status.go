package main

import (
	"fmt"

	"github.com/opslab/opslab/internal/localstate"
)

// printClassStatus tells learners, in `opslab status`, whether their opslab
// reports to a class and to whom: they consented once, they should see it
// every time. With --json it goes to stderr, keeping stdout a JSON document.
func printClassStatus(deps *app, jsonOut bool) {
	m, err := localstate.LoadMembership(deps.dirs.Class())
	w := deps.io.Out
	if jsonOut {
		w = deps.io.Err
	}
	if err != nil {
		fmt.Fprintf(w, "\nclass: %v\n", err)
		return
	}
	if m == nil {
		return
	}
	cs := deps.io.OutColors()
	fmt.Fprintf(w, "\n%s reporting to class %s on %s as %s (since %s)\n", cs.Bold("class:"), m.Class, m.Server, m.Learner, m.Joined.Local().Format("Jan 2 15:04"))
	if n := localstate.NewSpool(deps.dirs.Class()).Count(); n > 0 {
		fmt.Fprintf(w, "  %d report(s) waiting to be sent (the server did not answer yet)\n", n)
	}
	switch {
	case isWatcher(m.WatchPID):
		fmt.Fprintf(w, "  auto-progress on: running labs are graded in the background (pid %d)\n", m.WatchPID)
	case m.Watch:
		fmt.Fprintln(w, "  auto-progress asked for but not running: your next opslab command restarts it")
	}
	fmt.Fprintf(w, "  stop reporting: `%s class leave`\n", deps.cmdPrefix())
}
