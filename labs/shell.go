package labs

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/opslab/opslab/labs/spec"

	"github.com/moby/moby/client"
	"golang.org/x/term"
)

// Shell opens an interactive shell with a TTY in a node (node "" = the lab's first node).
// bash when the image has it, else sh.
func (r *Runtime) Shell(ctx context.Context, labID, node string, in, out *os.File) (int, error) {
	if node == "" {
		inst, err := r.Status(ctx, labID)
		if err != nil {
			return -1, err
		}
		if len(inst) == 0 || len(inst[0].Nodes) == 0 {
			return -1, &NotRunningError{Lab: labID}
		}
		node = inst[0].Nodes[0].Name
	}
	id, err := r.nodeContainer(ctx, labID, node)
	if err != nil {
		return -1, err
	}
	tty := term.IsTerminal(int(in.Fd()))
	opts := client.ExecCreateOptions{
		Cmd:          []string{"sh", "-c", "if command -v bash >/dev/null; then exec bash -l; else exec sh -l; fi"},
		TTY:          tty,
		AttachStdin:  true,
		AttachStdout: true,
		AttachStderr: true,
		Env:          []string{"TERM=" + r.envOr("TERM", "xterm"), "PS1=" + node + ":\\w\\$ "},
	}
	if tty {
		if w, h, err := term.GetSize(int(out.Fd())); err == nil {
			opts.ConsoleSize = client.ConsoleSize{Height: uint(h), Width: uint(w)}
		}
	}
	created, err := r.docker.ExecCreate(ctx, id, opts)
	if err != nil {
		return -1, r.envErr(ctx, "cannot open a shell", err)
	}
	att, err := r.docker.ExecAttach(ctx, created.ID, client.ExecAttachOptions{TTY: tty, ConsoleSize: opts.ConsoleSize})
	if err != nil {
		return -1, r.envErr(ctx, "cannot attach to the shell", err)
	}
	defer att.Close()
	if tty {
		state, err := term.MakeRaw(int(in.Fd()))
		if err == nil {
			defer term.Restore(int(in.Fd()), state)
		}
		stopResize := r.forwardResize(ctx, created.ID, out)
		defer stopResize()
	}
	var once sync.Once
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(att.Conn, in)
		_ = att.CloseWrite()
	}()
	go func() {
		if tty {
			_, _ = io.Copy(out, att.Reader)
		} else {
			_, _ = stdcopyTo(out, att.Reader)
		}
		once.Do(func() { close(done) })
	}()
	<-done
	r.giveBackWorkspace(ctx, labID)
	insp, err := r.docker.ExecInspect(context.WithoutCancel(ctx), created.ID, client.ExecInspectOptions{})
	if err != nil {
		return -1, r.envErr(ctx, "cannot read the shell's exit code", err)
	}
	return insp.ExitCode, nil
}

// forwardResize keeps the remote TTY the size of the local terminal.
func (r *Runtime) forwardResize(ctx context.Context, execID string, out *os.File) func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGWINCH)
	go func() {
		for range ch {
			if w, h, err := term.GetSize(int(out.Fd())); err == nil {
				_, _ = r.docker.ExecResize(ctx, execID, client.ExecResizeOptions{Height: uint(h), Width: uint(w)})
			}
		}
	}()
	return func() { signal.Stop(ch); close(ch) }
}

func (r *Runtime) envOr(k, def string) string {
	if v := r.opts.Getenv(k); v != "" {
		return v
	}
	return def
}

// Logs writes a node's logs (node "" = every node, each line prefixed with its node)
// and follows them when follow is set.
func (r *Runtime) Logs(ctx context.Context, labID, node string, follow bool, w io.Writer) error {
	cs, err := r.find(ctx, labID)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return &NotRunningError{Lab: labID}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	errs := make(chan error, len(cs))
	matched := false
	for _, c := range cs {
		name := c.Labels[LabelNode]
		if node != "" && name != node {
			continue
		}
		matched = true
		dst := w
		if node == "" {
			dst = &prefixWriter{w: w, prefix: name + " | ", mu: &mu}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.logsOf(ctx, c.ID, client.ContainerLogsOptions{Follow: follow, Tail: "all"}, dst, dst); err != nil && ctx.Err() == nil {
				errs <- fmt.Errorf("logs of %s: %w", name, err)
			}
		}()
	}
	if !matched {
		return &spec.UsageError{Msg: fmt.Sprintf("lab %s has no node named %s", labID, node)}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return r.envErr(ctx, "cannot read logs", err)
	}
	return nil
}

// prefixWriter prefixes whole lines, so interleaved logs of several nodes stay readable.
type prefixWriter struct {
	w      io.Writer
	prefix string
	mu     *sync.Mutex
	buf    strings.Builder
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.buf.Write(b)
	s := p.buf.String()
	i := strings.LastIndex(s, "\n")
	if i < 0 {
		return len(b), nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, line := range strings.Split(s[:i], "\n") {
		if _, err := fmt.Fprintln(p.w, p.prefix+line); err != nil {
			return 0, err
		}
	}
	p.buf.Reset()
	p.buf.WriteString(s[i+1:])
	return len(b), nil
}
