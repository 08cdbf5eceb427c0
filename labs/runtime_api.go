package labs

import (
	"context"
	"io"
	"time"

	"github.com/opslab/opslab/internal/localstate"
)

// RuntimeOptions configure a Runtime. The CLI resolves them once from its
// flags and environment; the runtime reads neither.
type RuntimeOptions struct {
	Session   string              // learner/session identity; labelled opslab.session; "" = "default"
	Dirs      localstate.Dirs     // state (locks, backups), default workspaces, built tools; State is required
	BaseImage string              // what lab Dockerfiles build FROM; "" = DefaultBaseImage
	Getenv    func(string) string // the Docker client's settings (DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG) and TERM; nil = none set
	Progress  io.Writer           // human progress lines (stderr); nil = discarded
	Verbose   io.Writer           // testcontainers' own log lines; nil = discarded
	Trace     io.Writer           // one line per phase of a start with its duration (OPSLAB_TRACE=1); nil = none

	// EngineExecOnly runs every command in a node with an engine exec, never
	// through the node's exec agent (OPSLAB_EXEC_AGENT=off; see exec_agent.go).
	EngineExecOnly bool

	// AtPhase, when set, is called as each phase of a start begins (Phase*
	// constants). Tests block in it to interrupt a start at a chosen point.
	AtPhase func(ctx context.Context, phase string)
}

// withDefaults fills what may be left out.
func (o RuntimeOptions) withDefaults() RuntimeOptions {
	o.Session = SanitizeSession(o.Session)
	if o.BaseImage == "" {
		o.BaseImage = DefaultBaseImage
	}
	if o.Getenv == nil {
		o.Getenv = func(string) string { return "" }
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	return o
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
