package labs

import (
	"io"
	"time"
)

// RuntimeOptions configure a Runtime. Nothing here reads flags or writes to os.Stdout.
type RuntimeOptions struct {
	Session  string    // learner/session identity; labelled opslab.session; "" = DefaultSession()
	Progress io.Writer // human progress lines (stderr); nil = discarded
	Verbose  io.Writer // testcontainers' own log lines; nil = discarded
	StateDir string    // local state (locks, backups); "" = StateDir()
}

// StartOptions configure Start and Reset.
type StartOptions struct {
	Rebuild   bool              // rebuild images even when cached
	Params    map[string]string // overrides of the lab's params (--param k=v)
	Workspace string            // "" = DefaultWorkspace(lab)
}

// Instance is a running lab as found by its Docker labels.
type Instance struct {
	Lab       string
	Session   string
	Params    map[string]string
	Workspace string
	Digest    string // of the definition it was started from
	Network   string
	Created   time.Time
	Nodes     []NodeStatus
}

// NodeStatus is one node of a running lab.
type NodeStatus struct {
	Name      string
	Container string // container name
	State     string // running, exited, …
	Health    string // "", starting, healthy, unhealthy
	Ports     []PublishedPort
}

// PublishedPort is a container port published on the host.
type PublishedPort struct {
	Name      string
	Container int
	Host      int
	URL       string // http://localhost:PORT for convenience
}

// DoctorCheck is one line of `opslab doctor`.
type DoctorCheck struct {
	Name string
	OK   bool
	Info string // what was found
	Fix  string // what to do when !OK
}
