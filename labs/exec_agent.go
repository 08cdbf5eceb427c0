package labs

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/opslab/opslab/labs/execagent"
)

// agentPool keeps one exec agent (labs/execagent) per node container, so that
// the grader's many short commands cost a fork in the node, not an engine
// exec each (~150 ms of CPU on a 2-core machine; a proof runs thousands).
// A node the agent cannot run in, or a machine without Go to build it, gets
// engine execs as before: the agent only makes things cheaper.
// Shared by the copies of a Runtime (opslab test makes one per session).
type agentPool struct {
	build  sync.Once
	built  chan struct{} // closed when binary is settled
	binary string        // the agent for the engine's architecture; "" = agents off

	volumeOnce sync.Once
	volume     string // the volume nodes get the agent from; "" = copied in (exec_agent_volume.go)

	mu    sync.Mutex
	nodes map[string]*nodeAgent // by container ID
}

// nodeAgent is one container's agent; its lock is held while the agent
// starts, so commands to other nodes never wait for it.
type nodeAgent struct {
	mu      sync.Mutex
	conn    *execagent.Conn
	refused bool // the agent did not start there: engine execs
}

func newAgentPool() *agentPool {
	return &agentPool{built: make(chan struct{}), nodes: map[string]*nodeAgent{}}
}

func (p *agentPool) node(id string) *nodeAgent {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.nodes[id]
	if n == nil {
		n = &nodeAgent{}
		p.nodes[id] = n
	}
	return n
}

// agentFor returns the running agent of container id, starting it on first
// use; nil means: use an engine exec.
func (r *Runtime) agentFor(ctx context.Context, id string) *execagent.Conn {
	p := r.agents
	if r.opts.EngineExecOnly {
		return nil
	}
	select {
	case <-r.buildAgent(ctx):
	case <-time.After(200 * time.Millisecond): // settled by now when cached; a first build must not hold a check up
		return nil
	}
	if p.binary == "" {
		return nil
	}
	n := p.node(id)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conn != nil && !n.conn.Gone() {
		return n.conn
	}
	if n.refused {
		return nil
	}
	c, err := r.startAgent(ctx, id, p.binary) // again after a restart: the agent went with the node's processes
	if err != nil {
		if ctx.Err() == nil { // a node without room for it, say: remember, not retry each time
			n.refused = true
			r.verbosef("exec agent not started in %.12s (engine execs there): %v", id, err)
		}
		return nil
	}
	n.conn = c
	return c
}

// buildAgent starts settling the agent's binary (once, in the background:
// cached, that takes milliseconds; a first build with a cold Go cache, 10-20 s)
// and returns a channel closed when it is settled.
func (r *Runtime) buildAgent(ctx context.Context) <-chan struct{} {
	p := r.agents
	if r.opts.EngineExecOnly {
		return settled
	}
	p.build.Do(func() {
		go func() {
			defer close(p.built)
			p.binary = r.agentBinary(context.WithoutCancel(ctx))
		}()
	})
	return p.built
}

var settled = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// awaitAgent waits until the agent's binary is settled: a lab's start does,
// so that its setup steps and gradings find it built.
func (r *Runtime) awaitAgent(ctx context.Context) {
	select {
	case <-r.buildAgent(ctx):
	case <-ctx.Done():
	}
}

// agentBinary builds the agent once per version and engine architecture into
// the tools cache; "" when it cannot (no Go on the host: engine execs).
func (r *Runtime) agentBinary(ctx context.Context) string {
	arch, err := r.engineArch(ctx)
	if err != nil {
		return ""
	}
	dst := filepath.Join(r.opts.Dirs.Tools, fmt.Sprintf("exec-agent-%s-linux-%s", execagent.Version(), arch))
	bin, err := cachedGoBuild(ctx, dst, "the exec agent", "opslab builds its exec agent with Go", 2*time.Minute, r.verbosef, func(goBin, tmp string) error {
		dir, err := os.MkdirTemp("", "opslab-exec-agent-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if err := execagent.WriteModule(dir); err != nil {
			return err
		}
		r.progressf("building opslab's exec agent for linux/%s with Go (once) …", arch)
		return goBuild(ctx, goBin, dir, arch, tmp, ".", "the exec agent", "")
	})
	if err != nil {
		r.verbosef("exec agent off (engine execs): %v", err)
		return ""
	}
	return bin
}

// startAgent starts the agent in the container with one engine exec whose
// stdin and stdout carry the protocol for as long as this process lives: when
// it exits, the agent reads end of input and exits too. The agent runs from
// the node's agent volume; a node without it (or whose volume copy does not
// answer) gets the binary copied in.
func (r *Runtime) startAgent(ctx context.Context, id, binary string) (*execagent.Conn, error) {
	if path := r.mountedAgent(ctx, id, binary); path != "" {
		c, err := r.execAgent(ctx, id, path)
		if err == nil {
			return c, nil
		}
		r.verbosef("exec agent from volume %s did not answer in %.12s (copying it in): %v", agentVolumeName(binary), id, err)
	}
	archive, err := agentArchive(binary, filepath.Base(execagent.PathInNode))
	if err != nil {
		return nil, err
	}
	if _, err := r.docker.CopyToContainer(ctx, id, client.CopyToContainerOptions{DestinationPath: filepath.Dir(execagent.PathInNode), Content: archive}); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	return r.execAgent(ctx, id, execagent.PathInNode)
}

// execAgent runs the agent at path in container id and checks that it answers.
func (r *Runtime) execAgent(ctx context.Context, id, path string) (*execagent.Conn, error) {
	created, err := r.docker.ExecCreate(ctx, id, client.ExecCreateOptions{
		Cmd: []string{path}, AttachStdin: true, AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		return nil, fmt.Errorf("exec: %w", err)
	}
	// The stream outlives this call's context: it serves every later command.
	att, err := r.docker.ExecAttach(context.WithoutCancel(ctx), created.ID, client.ExecAttachOptions{})
	if err != nil {
		return nil, fmt.Errorf("attach: %w", err)
	}
	out, toConn := io.Pipe()
	go func() {
		_, err := stdcopy.StdCopy(toConn, io.Discard, att.Reader)
		toConn.CloseWithError(err)
	}()
	c := execagent.NewConn(att.Conn, out, closerFunc(func() error { att.Close(); return nil }))
	// One round trip says it runs (a node whose libc or mounts refuse it).
	check, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if res, err := c.Run(check, []string{path, "-ping"}); err != nil || res.ExitCode != 0 {
		_ = c.Close()
		return nil, fmt.Errorf("first command: exit %d, %v %s", res.ExitCode, err, res.Stderr)
	}
	return c, nil
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

// closeAll ends every agent's stream (Runtime.Close).
func (p *agentPool) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, n := range p.nodes {
		n.mu.Lock()
		if n.conn != nil {
			_ = n.conn.Close()
		}
		n.mu.Unlock()
		delete(p.nodes, id)
	}
}

func (r *Runtime) verbosef(format string, a ...any) {
	if r.opts.Verbose != nil {
		fmt.Fprintf(r.opts.Verbose, format+"\n", a...)
	}
}
