// Package execagent runs commands in a lab node through a small agent process
// (./agent) instead of one engine exec per command: the engine's exec costs
// about 150 ms of CPU on a 2-core machine, the agent's fork and exec a few.
// This package builds the agent and speaks its protocol over any stream; the
// runtime (package labs) copies it into nodes and starts it with one exec.
package execagent

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

//go:embed agent/main.go
var source []byte

// Version names this build of the agent: a hash of its source, so that a
// changed agent is rebuilt and never mixed up with an old one in the cache.
func Version() string {
	sum := sha256.Sum256(source)
	return hex.EncodeToString(sum[:6])
}

// PathInNode is where the agent lives inside a node.
const PathInNode = "/.opslab-exec-agent"

// WriteModule writes the agent's source as a Go module into dir: `go build`
// there (CGO_ENABLED=0, GOOS=linux) needs no network, the agent uses the
// standard library only.
func WriteModule(dir string) error {
	files := map[string][]byte{
		"main.go": source,
		"go.mod":  []byte("module opslab-exec-agent\n\ngo 1.22\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Result is one command's outcome, as `docker exec` reports it.
type Result struct {
	ExitCode       int
	Stdout, Stderr []byte
}

// ErrGone means the agent stopped answering (its node stopped or restarted,
// or the stream broke): start a new one.
var ErrGone = errors.New("the exec agent is gone")

// request and response mirror agent/main.go's Request and Response: the
// agent is one standalone file, built apart, so it cannot import them. The
// tests run this client against the built agent, so the two cannot drift.
type request struct {
	ID     uint64   `json:"id"`
	Cmd    []string `json:"cmd,omitempty"`
	Cancel bool     `json:"cancel,omitempty"`
}

type response struct {
	ID     uint64 `json:"id"`
	Exit   int    `json:"exit"`
	Stdout []byte `json:"stdout,omitempty"`
	Stderr []byte `json:"stderr,omitempty"`
}

// Conn is a running agent: many goroutines may Run commands on it at once.
type Conn struct {
	closer io.Closer

	send sync.Mutex // one request at a time on the stream
	enc  *json.Encoder

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan response
	gone    chan struct{} // closed when the agent's output ended
}

// NewConn speaks to an agent whose stdin is w and whose stdout is r; closer
// (may be nil) ends the stream when the Conn is closed.
func NewConn(w io.Writer, r io.Reader, closer io.Closer) *Conn {
	c := &Conn{closer: closer, enc: json.NewEncoder(w), pending: map[uint64]chan response{}, gone: make(chan struct{})}
	go c.readLoop(r)
	return c
}

func (c *Conn) readLoop(r io.Reader) {
	dec := json.NewDecoder(r)
	for {
		var resp response
		if err := dec.Decode(&resp); err != nil {
			close(c.gone)
			return
		}
		c.mu.Lock()
		ch := c.pending[resp.ID]
		delete(c.pending, resp.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- resp // buffered: never blocks
		}
	}
}

// Gone reports whether the agent has stopped answering.
func (c *Conn) Gone() bool {
	select {
	case <-c.gone:
		return true
	default:
		return false
	}
}

// Run runs cmd in the node and waits for it. When ctx ends first the command
// is killed (with everything it started in its process group) and ctx's
// error returned. When the agent goes away while cmd runs (its node was
// stopped), the result is exit code 137, as a `docker exec` killed with its
// container reports; ErrGone only when cmd could not be sent at all.
func (c *Conn) Run(ctx context.Context, cmd []string) (Result, error) {
	ch := make(chan response, 1)
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	if err := c.write(request{ID: id, Cmd: cmd}); err != nil {
		c.forget(id)
		return Result{ExitCode: -1}, fmt.Errorf("%w: %v", ErrGone, err)
	}
	select {
	case resp := <-ch:
		return Result{ExitCode: resp.Exit, Stdout: resp.Stdout, Stderr: resp.Stderr}, nil
	case <-c.gone:
		select {
		case resp := <-ch: // its answer came just before the end
			return Result{ExitCode: resp.Exit, Stdout: resp.Stdout, Stderr: resp.Stderr}, nil
		default:
		}
		c.forget(id)
		return Result{ExitCode: 137}, nil
	case <-ctx.Done():
		c.forget(id)
		_ = c.write(request{ID: id, Cancel: true})
		return Result{ExitCode: -1}, ctx.Err()
	}
}

func (c *Conn) write(req request) error {
	select {
	case <-c.gone:
		return ErrGone
	default:
	}
	c.send.Lock()
	defer c.send.Unlock()
	return c.enc.Encode(req)
}

func (c *Conn) forget(id uint64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// Close ends the stream: the agent kills what still runs and exits.
func (c *Conn) Close() error {
	if c.closer != nil {
		return c.closer.Close()
	}
	return nil
}
