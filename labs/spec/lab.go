// Package labs holds lab definitions (parsing, validation, the catalog), the
// runtime that provisions a lab with testcontainers-go, and local state.
package spec

import (
	"io/fs"
	"strings"
	"time"

	"github.com/opslab/opslab/grader"
)

// Tracks are the course's content tracks, in the order `opslab list` shows
// them. The ids are a contract (lab.yaml, `list --track`, `list --json`,
// signed results): add new ones at the end, never rename one. A track may
// have no lab yet: listing it shows nothing.
var Tracks = []string{"cicd", "iac", "monitoring", "incident", "chaos", "logging", "automation", "containers"}

// Lab is one parsed and validated lab.yaml plus the files beside it.
type Lab struct {
	ID      string
	Title   string
	Track   string
	Level   string // beginner | intermediate | advanced
	Minutes int
	Version string // the author's version of the lab; default "1"
	Params  []Param
	Values  map[string]string // the param values this Lab was rendered with (defaults, picks, overrides)
	// GradeValues are the built-in grade_* values drawn for this reading of the
	// lab file (params_grade.go): fresh on every Load, never recorded by start.
	GradeValues map[string]string
	Nodes       []Node
	Setup       []Step // run once, in order, after every node is up
	Tasks       []grader.Task
	Pass        grader.PassPolicy
	// GradeDeadline bounds one grading (lab.yaml grade.deadline); 0 = the grader's default.
	GradeDeadline time.Duration
	// GradeRestart (lab.yaml grade.restart): an exam's final grade restarts
	// every node first, so only state that survives a restart counts.
	GradeRestart bool
	Solve        []Step // run after a solution directory is copied into the workspace

	// Where the lab came from: FS rooted at the lab's folder, and a path for messages.
	FS     fs.FS
	Shared fs.FS  // the catalog's shared image folders (SharedDir), nil when it has none
	Source string // e.g. "content/web-lb" or "/home/me/labs/x"
	Digest string // sha256 over lab.yaml and every file under images/, workspace/
}

// Param is a value the lab's definition is templated with: {{ .name }} in
// env values, setup steps and checks. Choices pick one at random per start.
type Param struct {
	Name        string
	Default     string
	Choices     []string
	Description string
}

// Node is one container of the lab.
type Node struct {
	Name      string
	Build     string            // the image folders as written in lab.yaml, joined by " + ": the image's identity
	Context   []ImageDir        // those folders, resolved: the lab's own and shared ones (see BuildContext)
	Command   []string          // overrides the image's CMD
	Ports     []Port            // published ports
	Env       map[string]string // templated with params
	Mounts    []Mount
	Wait      *Wait    // readiness: what "up" means for this node
	Workspace string   // where the learner's workspace is bind-mounted in this node, "" = not mounted
	Tools     []string // Go-built tools put into the image's build context as opslab-tools/<name> (see tools.go)
	// CapAdd are Linux capabilities the node gets beyond Docker's default set
	// (lab.yaml cap_add, canonical names like NET_ADMIN; see Capabilities).
	CapAdd []string
	// Privileged runs the node with every capability and every device
	// (lab.yaml privileged: true), e.g. a Kubernetes node.
	Privileged bool
	Line       int // line in lab.yaml, for messages
}

// ExtraRights says what a node may do beyond an ordinary container
// ("privileged", "cap_add NET_ADMIN, NET_RAW"), "" for an ordinary one:
// `opslab show` tells learners before they start the lab.
func (n Node) ExtraRights() string {
	switch {
	case n.Privileged:
		return "privileged"
	case len(n.CapAdd) > 0:
		return "cap_add " + strings.Join(n.CapAdd, ", ")
	}
	return ""
}

// Port publishes a container port; Host 0 means "any free port".
type Port struct {
	Container int
	Host      int
	Protocol  string // tcp (default) | udp
	Name      string // shown in status and start output, e.g. "web"
}

// Mount binds a file or folder of the learner's workspace into a node.
type Mount struct {
	Workspace string // path relative to the workspace
	Target    string // absolute path in the container
	ReadOnly  bool
}

// Wait says when a node is ready.
type Wait struct {
	Port    int    // a TCP port listening inside the container
	HTTP    string // a path answered with 2xx/3xx on Port
	Log     string // a line the node logs when ready
	Command string // a command that exits 0 inside the node
	Timeout string // default 60s
}

// Step runs a command in a node.
type Step struct {
	Node string
	Run  string // via sh -c; templated with params
	Line int
}
