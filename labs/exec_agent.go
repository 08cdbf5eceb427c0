package labs

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
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
	once   sync.Once
	binary string // the agent for the engine's architecture; "" = agents off

	mu      sync.Mutex // held while an agent starts: one start per container
	conns   map[string]*execagent.Conn
	refused map[string]bool // containers where the agent did not start
}

func newAgentPool() *agentPool {
	return &agentPool{conns: map[string]*execagent.Conn{}, refused: map[string]bool{}}
}

// agentFor returns the running agent of container id, starting it on first
// use; nil means: use an engine exec.
func (r *Runtime) agentFor(ctx context.Context, id string) *execagent.Conn {
	p := r.agents
	if r.opts.EngineExecOnly {
		return nil
	}
	p.once.Do(func() { p.binary = r.agentBinary(ctx) })
	if p.binary == "" {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := p.conns[id]; c != nil && !c.Gone() {
		return c
	}
	delete(p.conns, id)
	if p.refused[id] {
		return nil
	}
	c, err := r.startAgent(ctx, id, p.binary)
	if err != nil {
		if ctx.Err() == nil { // a node without room for it, say: remember, not retry each time
			p.refused[id] = true
			r.verbosef("exec agent not started in %.12s (engine execs there): %v", id, err)
		}
		return nil
	}
	p.conns[id] = c
	return c
}

// agentBinary builds the agent once per version and engine architecture into
// the tools cache; "" when it cannot (no Go on the host: engine execs).
func (r *Runtime) agentBinary(ctx context.Context) string {
	arch, err := r.engineArch(ctx)
	if err != nil {
		return ""
	}
	dst := filepath.Join(r.opts.Dirs.Tools, fmt.Sprintf("exec-agent-%s-linux-%s", execagent.Version(), arch))
	if _, err := os.Stat(dst); err == nil {
		return dst
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		r.verbosef("exec agent off: no go on PATH to build it")
		return ""
	}
	lock, err := lockFile(dst+".lock", 2*time.Minute, func() {}, errors.New("another opslab is building the exec agent"))
	if err != nil {
		return ""
	}
	defer lock.Unlock()
	if _, err := os.Stat(dst); err == nil {
		return dst
	}
	tmp := fmt.Sprintf("%s.%d.tmp", dst, os.Getpid())
	if err := execagent.Build(ctx, goBin, arch, tmp); err != nil {
		os.Remove(tmp)
		r.verbosef("exec agent off: %v", err)
		return ""
	}
	if err := os.Rename(tmp, dst); err != nil {
		return ""
	}
	return dst
}

// startAgent copies the agent into the container and starts it with one
// engine exec whose stdin and stdout carry the protocol for as long as this
// process lives: when it exits, the agent reads end of input and exits too.
func (r *Runtime) startAgent(ctx context.Context, id, binary string) (*execagent.Conn, error) {
	bin, err := os.ReadFile(binary)
	if err != nil {
		return nil, err
	}
	var archive bytes.Buffer
	tw := tar.NewWriter(&archive)
	hdr := &tar.Header{Name: filepath.Base(execagent.PathInNode), Mode: 0o755, Size: int64(len(bin)), ModTime: time.Now()}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := tw.Write(bin); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if _, err := r.docker.CopyToContainer(ctx, id, client.CopyToContainerOptions{DestinationPath: filepath.Dir(execagent.PathInNode), Content: &archive}); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	created, err := r.docker.ExecCreate(ctx, id, client.ExecCreateOptions{
		Cmd: []string{execagent.PathInNode}, AttachStdin: true, AttachStdout: true, AttachStderr: true,
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
	if res, err := c.Run(check, []string{execagent.PathInNode, "-ping"}); err != nil || res.ExitCode != 0 {
		_ = c.Close()
		return nil, fmt.Errorf("first command: exit %d, %v %s", res.ExitCode, err, res.Stderr)
	}
	return c, nil
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

// closeAgents ends every agent's stream (Runtime.Close).
func (p *agentPool) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, c := range p.conns {
		_ = c.Close()
		delete(p.conns, id)
	}
}

func (r *Runtime) verbosef(format string, a ...any) {
	if r.opts.Verbose != nil {
		fmt.Fprintf(r.opts.Verbose, format+"\n", a...)
	}
}
