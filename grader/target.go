package grader

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"time"
)

// WorkspaceNode is the node name that means "the learner's workspace on the host".
const WorkspaceNode = "workspace"

// ExecResult is what a command run in a node produced. A non-zero exit code is
// data for a check, not an error.
type ExecResult struct {
	ExitCode       int
	Stdout, Stderr string
}

// File describes a file in a node or the workspace. A missing file is
// Exists == false, not an error.
type File struct {
	Exists  bool
	Mode    fs.FileMode
	Owner   string
	Content []byte
}

// HTTPRequest is sent from inside the lab network.
type HTTPRequest struct {
	From    string // node to send from; "" = lab default
	Method  string
	URL     string
	Headers map[string]string
	Body    string
	Timeout time.Duration
}

// HTTPResponse is what the lab service answered.
type HTTPResponse struct {
	Status  int
	Headers http.Header
	Body    []byte
	Latency time.Duration
}

// ContainerState is the runtime state of a node's container.
type ContainerState struct {
	Exists, Running bool
	RestartCount    int
	Health          string // "", starting, healthy, unhealthy
}

// Target is everything the grader needs from a running lab. labs/ implements
// it with containers; tests implement it with fakes.
type Target interface {
	// Exec runs cmd in node. The implementation kills the command inside the container when timeout passes
	// and then returns an error wrapping ErrTimeout. A Go error means the environment broke (node gone, Docker down).
	Exec(ctx context.Context, node string, cmd []string, timeout time.Duration) (ExecResult, error)
	ReadFile(ctx context.Context, node, path string) (File, error)   // node == WorkspaceNode → path relative to workspace
	HTTP(ctx context.Context, req HTTPRequest) (HTTPResponse, error) // sent from inside the lab network
	Container(ctx context.Context, node string) (ContainerState, error)
}

// ErrTimeout is wrapped by Target implementations when a call ran out of time.
var ErrTimeout = errors.New("timed out")

// ErrNoResponse is wrapped by Target.HTTP when the request reached the lab
// network but no HTTP answer came back (connection refused, reset, DNS name
// unknown). It is the learner's service not answering, so checks turn it into
// a fail rather than an environment error.
var ErrNoResponse = errors.New("no response")

// HTTPSeriesTarget is a Target that sends a series of requests in one call: the
// sli check's probe. labs/ sends the whole series with one curl in one exec,
// where an exec per request would cost more CPU than the requests themselves
// and crowd the machine that is being measured. Targets without it, or that
// answer ErrSeriesUnsupported, get one HTTP call per request.
type HTTPSeriesTarget interface {
	// HTTPSeries sends req n times, starting one every gap; an answer slower than
	// gap delays the next start. It returns one outcome per request, in order.
	// A Go error means the environment broke.
	HTTPSeries(ctx context.Context, req HTTPRequest, n int, gap time.Duration) ([]HTTPOutcome, error)
}

// ErrSeriesUnsupported is HTTPSeries saying it cannot send this series (e.g. a
// curl too old for --rate): the grader then sends the requests one by one.
var ErrSeriesUnsupported = errors.New("cannot send a series of requests in one call")

// HTTPOutcome is one request of a series: a response, or Err wrapping
// ErrNoResponse or ErrTimeout when none came back.
type HTTPOutcome struct {
	Response HTTPResponse
	Err      error
}
