package labs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/opslab/opslab/labs/execagent"
	"github.com/opslab/opslab/labs/spec"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/opslab/opslab/grader"
)

// nodeContainer finds the running container of a node.
func (r *Runtime) nodeContainer(ctx context.Context, labID, node string) (string, error) {
	cs, err := r.find(ctx, labID)
	if err != nil {
		return "", err
	}
	if len(cs) == 0 {
		return "", &NotRunningError{Lab: labID}
	}
	var names []string
	for _, c := range cs {
		if c.Labels[LabelNode] == node {
			if c.State != "running" {
				return "", &EnvError{Msg: fmt.Sprintf("node %s of %s is %s, not running", node, labID, c.State),
					Fix: fmt.Sprintf("see `opslab logs %s %s`; `opslab reset %s` recreates the lab", labID, node, labID)}
			}
			return c.ID, nil
		}
		names = append(names, c.Labels[LabelNode])
	}
	return "", &spec.UsageError{Msg: fmt.Sprintf("lab %s has no node named %s (nodes: %s)", labID, node, strings.Join(names, ", "))}
}

// execCapture runs cmd in a node and collects its output. With timeout > 0 the command
// is wrapped in coreutils' timeout, because an engine exec whose context ends keeps
// running in the container (the exec agent kills it, but it may not be there).
func (r *Runtime) execCapture(ctx context.Context, labID, node string, cmd []string, timeout time.Duration) (grader.ExecResult, error) {
	id, err := r.nodeContainer(ctx, labID, node)
	if err != nil {
		return grader.ExecResult{}, err
	}
	if timeout > 0 {
		secs := fmt.Sprintf("%.3f", timeout.Seconds())
		cmd = append([]string{"timeout", "-k", "1", secs}, cmd...)
	}
	res, err := r.runIn(ctx, id, cmd)
	if err != nil {
		return res, err
	}
	if timeout > 0 && (res.ExitCode == 124 || res.ExitCode == 137) { // timed out (TERM, or KILL a second later)
		return res, fmt.Errorf("%w after %s: %s", grader.ErrTimeout, timeout, strings.Join(cmd[4:], " "))
	}
	return res, nil
}

// runIn runs cmd in container id and collects its output: through the node's
// exec agent when it has one, else with an engine exec.
func (r *Runtime) runIn(ctx context.Context, id string, cmd []string) (grader.ExecResult, error) {
	if agent := r.agentFor(ctx, id); agent != nil {
		res, err := agent.Run(ctx, cmd)
		if !errors.Is(err, execagent.ErrGone) { // gone before cmd was sent: an engine exec runs it once
			return grader.ExecResult{ExitCode: res.ExitCode, Stdout: string(res.Stdout), Stderr: string(res.Stderr)}, err
		}
	}
	var stdout, stderr bytes.Buffer
	code, err := r.execStream(ctx, id, cmd, nil, &stdout, &stderr)
	return grader.ExecResult{ExitCode: code, Stdout: stdout.String(), Stderr: stderr.String()}, err
}

// execStream runs cmd in a container, streaming its output, and returns its exit code.
func (r *Runtime) execStream(ctx context.Context, id string, cmd []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	created, err := r.docker.ExecCreate(ctx, id, client.ExecCreateOptions{
		Cmd: cmd, AttachStdout: true, AttachStderr: true, AttachStdin: stdin != nil,
	})
	if err != nil {
		return -1, r.envErr(ctx, "cannot exec in the node", err)
	}
	att, err := r.docker.ExecAttach(ctx, created.ID, client.ExecAttachOptions{})
	if err != nil {
		return -1, r.envErr(ctx, "cannot attach to the exec", err)
	}
	defer att.Close()
	if stdin != nil {
		go func() {
			_, _ = io.Copy(att.Conn, stdin)
			_ = att.CloseWrite()
		}()
	}
	done := make(chan error, 1)
	go func() {
		_, err := stdcopy.StdCopy(stdout, stderr, att.Reader)
		done <- err
	}()
	select {
	case <-ctx.Done():
		return -1, ctx.Err()
	case err := <-done:
		if err != nil && !errors.Is(err, io.EOF) {
			return -1, r.envErr(ctx, "reading exec output", err)
		}
	}
	insp, err := r.docker.ExecInspect(ctx, created.ID, client.ExecInspectOptions{})
	if err != nil {
		return -1, r.envErr(ctx, "cannot read the exit code", err)
	}
	return insp.ExitCode, nil
}

// Exec runs one command in a node and returns its exit code.
func (r *Runtime) Exec(ctx context.Context, labID, node string, cmd []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	id, err := r.nodeContainer(ctx, labID, node)
	if err != nil {
		return -1, err
	}
	defer r.giveBackWorkspace(ctx, labID)
	return r.execStream(ctx, id, cmd, stdin, stdout, stderr)
}

// nodeLogTail is the end of a node's log, for error messages about a node that did
// not start or a step that failed on it.
func (r *Runtime) nodeLogTail(ctx context.Context, labID, node string) string {
	var buf bytes.Buffer
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := r.logsOf(ctx, r.containerName(labID, node), client.ContainerLogsOptions{Tail: "20"}, &buf, &buf); err != nil || buf.Len() == 0 {
		return ""
	}
	return "\n  last lines of " + node + "'s output:\n" + lastLines(buf.String(), 20)
}

// logsOf copies a container's stdout and stderr (both always) as opts select them.
func (r *Runtime) logsOf(ctx context.Context, id string, opts client.ContainerLogsOptions, stdout, stderr io.Writer) error {
	opts.ShowStdout, opts.ShowStderr = true, true
	rc, err := r.docker.ContainerLogs(ctx, id, opts)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = stdcopy.StdCopy(stdout, stderr, rc)
	return err
}

func stdcopyTo(out io.Writer, src io.Reader) (int64, error) { return stdcopy.StdCopy(out, out, src) }
