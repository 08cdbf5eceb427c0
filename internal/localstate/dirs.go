// Package localstate is the one home of what opslab keeps on the learner's
// machine: where things go (Dirs), the results history, the hint tiers
// revealed. The CLI resolves Dirs once from the environment and passes them
// down; nothing below it reads the environment for paths.
package localstate

import "path/filepath"

// Dirs are opslab's folders on this machine.
type Dirs struct {
	State      string // $XDG_STATE_HOME/opslab: results, hints, locks, backups
	Workspaces string // $OPSLAB_WORKSPACES, else ~/opslab: one folder per lab
	Tools      string // $XDG_CACHE_HOME/opslab/tools: Go tools built for lab images
}

// Resolve finds the folders from the environment (getenv) and the home folder
// ("" when unknown: a temporary folder stands in).
func Resolve(getenv func(string) string, home, tmp string) Dirs {
	var d Dirs
	switch {
	case getenv("XDG_STATE_HOME") != "":
		d.State = filepath.Join(getenv("XDG_STATE_HOME"), "opslab")
	case home != "":
		d.State = filepath.Join(home, ".local", "state", "opslab")
	default:
		d.State = filepath.Join(tmp, "opslab-state")
	}
	switch {
	case getenv("OPSLAB_WORKSPACES") != "":
		d.Workspaces = getenv("OPSLAB_WORKSPACES")
	case home != "":
		d.Workspaces = filepath.Join(home, "opslab")
	default:
		d.Workspaces = filepath.Join(".", "opslab")
	}
	switch {
	case getenv("XDG_CACHE_HOME") != "":
		d.Tools = filepath.Join(getenv("XDG_CACHE_HOME"), "opslab", "tools")
	case home != "":
		d.Tools = filepath.Join(home, ".cache", "opslab", "tools")
	default:
		d.Tools = filepath.Join(tmp, "opslab-tools")
	}
	return d
}

// Results is where every grade is kept: <state>/results/<lab>/<time>.json.
func (d Dirs) Results() string { return filepath.Join(d.State, "results") }

// Hints is where the hint tiers revealed are kept, per lab and session.
func (d Dirs) Hints() string { return filepath.Join(d.State, "hints") }

// Backups is where workspaces are copied before reset and solve overwrite them.
func (d Dirs) Backups() string { return filepath.Join(d.State, "backups") }

// Locks is where the per-lab locks of start, stop and reset are.
func (d Dirs) Locks() string { return filepath.Join(d.State, "locks") }

// Workspace is a lab's default workspace.
func (d Dirs) Workspace(labID string) string { return filepath.Join(d.Workspaces, labID) }
