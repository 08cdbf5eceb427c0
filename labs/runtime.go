package labs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// Labels on every container, network and image opslab creates. opslab.lab is part of
// the public contract: scripts and instructors filter on it.
const (
	LabelLab       = "opslab.lab"
	LabelNode      = "opslab.node"
	LabelSession   = "opslab.session"
	LabelParams    = "opslab.params"    // JSON of the params the lab was started with
	LabelWorkspace = "opslab.workspace" // the learner's workspace on the host
	LabelDigest    = "opslab.digest"    // digest of the lab definition
	LabelSource    = "opslab.source"    // where the lab definition came from
	LabelManaged   = "opslab.managed"   // "true" on everything opslab made, images included
	LabelPorts     = "opslab.ports"     // JSON: "80/tcp" → the port's name in lab.yaml
)

// Runtime provisions labs on a Docker engine and finds them again by label.
type Runtime struct {
	opts     RuntimeOptions
	endpoint endpoint
	docker   client.APIClient

	// The testcontainers provider is made on first use (starts, builds): making
	// it asks the engine for its info twice (~60 ms here), which `opslab status`
	// and `opslab exec` have no use for. A pointer: copies of a Runtime for
	// other sessions (opslab test) share it.
	tc *lazyProvider

	agents *agentPool // shared by copies, like tc
}

type lazyProvider struct {
	once     sync.Once
	provider *testcontainers.DockerProvider
	err      error
}

// NewRuntime connects to the user's Docker endpoint (DOCKER_HOST, then the current
// Docker context, then the default socket). An unusable endpoint is an *EnvError.
func NewRuntime(ctx context.Context, opts RuntimeOptions) (*Runtime, error) {
	opts = opts.withDefaults()
	if opts.Dirs.State == "" {
		return nil, errors.New("labs.NewRuntime: RuntimeOptions.Dirs.State is required")
	}
	ep, err := resolveEndpoint(opts.Getenv)
	if err != nil {
		return nil, err
	}
	configureTestcontainers(ep, opts.Getenv, opts.Verbose)

	docker, err := client.New(client.FromEnv, client.WithHost(ep.Host))
	if err != nil {
		return nil, dockerUnreachable(ep, err)
	}
	if _, err := docker.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		_ = docker.Close()
		return nil, dockerUnreachable(ep, err)
	}
	return &Runtime{opts: opts, endpoint: ep, docker: docker, tc: &lazyProvider{}, agents: newAgentPool()}, nil
}

// testcontainersProvider is the provider for builds and pulls, made once; start
// calls it first so that nodes are never made on an engine we did not resolve.
func (r *Runtime) testcontainersProvider() (*testcontainers.DockerProvider, error) {
	t := r.tc
	t.once.Do(func() {
		p, err := testcontainers.NewDockerProvider()
		if err != nil {
			t.err = dockerUnreachable(r.endpoint, err)
			return
		}
		// testcontainers falls back to other sockets when the one asked for fails:
		// say so instead of silently using another engine.
		if got := p.Client().DaemonHost(); got != r.endpoint.Host {
			_ = p.Close()
			t.err = dockerUnreachable(r.endpoint, fmt.Errorf("nothing answers there (opslab will not silently use %s instead)", got))
			return
		}
		t.provider = p
	})
	return t.provider, t.err
}

// configureTestcontainers must run before the first testcontainers call: its config is read once.
// testcontainers reads its settings from the process environment only (no option
// sets them), so this is the one place the runtime writes the environment.
func configureTestcontainers(ep endpoint, getenv func(string) string, verbose io.Writer) {
	// Lab containers outlive the CLI: Ryuk would reap them (and its image cannot be pulled offline).
	if getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
		_ = os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	_ = os.Setenv("DOCKER_HOST", ep.Host)
	if verbose == nil {
		tclog.SetDefault(tclog.NewNoopLogger())
	} else {
		tclog.SetDefault(writerLogger{verbose})
	}
}

type writerLogger struct{ w io.Writer }

func (l writerLogger) Printf(format string, v ...any) {
	fmt.Fprintf(l.w, strings.TrimRight(format, "\n")+"\n", v...)
}

func dockerUnreachable(ep endpoint, err error) error {
	return &EnvError{
		Msg: fmt.Sprintf("cannot reach Docker at %s (from %s)", ep.Host, ep.Source),
		Err: err,
		Fix: "start Docker (Docker Desktop, `sudo systemctl start docker`, or ./scripts/setup-docker.sh), then check with `opslab doctor`",
	}
}

// Close releases the Docker clients.
func (r *Runtime) Close() error {
	r.agents.closeAll()
	if r.tc.provider != nil {
		_ = r.tc.provider.Close()
	}
	return r.docker.Close()
}

// Endpoint says which Docker endpoint is used and where that choice came from.
func (r *Runtime) Endpoint() (host, source string) { return r.endpoint.Host, r.endpoint.Source }

// Session is the learner/session identity this runtime works for.
func (r *Runtime) Session() string { return r.opts.Session }

func (r *Runtime) progressf(format string, a ...any) {
	fmt.Fprintf(r.opts.Progress, format+"\n", a...)
}

// containerName is fixed per session, lab and node: a second start of the same lab
// cannot create a twin, and several learners on one engine never clash.
func (r *Runtime) containerName(labID, node string) string {
	return fmt.Sprintf("opslab-%s-%s-%s", r.opts.Session, labID, node)
}

func (r *Runtime) labFilters(labID string) client.Filters {
	f := client.Filters{}.Add("label", LabelSession+"="+r.opts.Session)
	if labID != "" {
		f = f.Add("label", LabelLab+"="+labID)
	} else {
		f = f.Add("label", LabelLab)
	}
	return f
}
