// Command exec-agent runs inside a lab node and runs the grader's commands
// there. opslab copies it into the node and starts it once with a single
// `docker exec`; from then on each command costs a fork and an exec in the
// node instead of a whole exec through the engine (~150 ms of CPU each on a
// 2-core machine, and a grading runs hundreds).
//
// The protocol is JSON, one object per line: requests on stdin, responses on
// stdout. A command runs as `docker exec` would run it (the agent was started
// that way: same user, environment and working directory, stdin /dev/null),
// and its response carries the same exit code: 128+n when killed by signal n,
// and 126 with the reason on stdout when it cannot start (not found, not
// executable), as the engine reports it. A cancel request kills the command's
// process group. On end of input (opslab went away) the agent kills what
// still runs and exits.
//
// Standard library only: opslab builds it from this one file with the host's
// Go, for the engine's architecture.
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Request runs Cmd (ID new) or cancels the command ID (Cancel).
type Request struct {
	ID     uint64   `json:"id"`
	Cmd    []string `json:"cmd,omitempty"`
	Cancel bool     `json:"cancel,omitempty"`
}

// Response is the outcome of one command.
type Response struct {
	ID     uint64 `json:"id"`
	Exit   int    `json:"exit"`
	Stdout []byte `json:"stdout,omitempty"`
	Stderr []byte `json:"stderr,omitempty"`
}

// outputGrace is how long a command's output may stay open after it exited
// (a daemon it started in the background holds it): docker exec, too, stops
// waiting after about two seconds.
const outputGrace = 2 * time.Second

type agent struct {
	out     sync.Mutex // one response at a time on stdout
	enc     *json.Encoder
	mu      sync.Mutex
	running map[uint64]*os.Process
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-ping" { // opslab's check that it runs here
		return
	}
	a := &agent{enc: json.NewEncoder(os.Stdout), running: map[uint64]*os.Process{}}
	dec := json.NewDecoder(os.Stdin)
	var wg sync.WaitGroup
	for {
		var req Request
		if err := dec.Decode(&req); err != nil {
			a.killAll()
			wg.Wait()
			return
		}
		if req.Cancel {
			a.kill(req.ID)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.reply(a.run(req))
		}()
	}
}

func (a *agent) run(req Request) Response {
	resp := Response{ID: req.ID}
	if len(req.Cmd) == 0 {
		return Response{ID: req.ID, Exit: 126, Stdout: []byte("exec-agent: cannot start: empty command\n")}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(req.Cmd[0], req.Cmd[1:]...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a cancel kills what it started too
	cmd.WaitDelay = outputGrace
	a.mu.Lock()
	err := cmd.Start()
	if err == nil {
		a.running[req.ID] = cmd.Process
	}
	a.mu.Unlock()
	if err != nil {
		resp.Exit = 126
		resp.Stdout = []byte("exec-agent: cannot start: " + err.Error() + "\n")
		return resp
	}
	err = cmd.Wait()
	a.mu.Lock()
	delete(a.running, req.ID)
	a.mu.Unlock()
	resp.Stdout, resp.Stderr = stdout.Bytes(), stderr.Bytes()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		resp.Exit = 128 + int(ws.Signal())
	} else {
		resp.Exit = cmd.ProcessState.ExitCode()
	}
	_ = err // an exit status or ErrWaitDelay: the process state says all
	return resp
}

func (a *agent) reply(resp Response) {
	a.out.Lock()
	defer a.out.Unlock()
	_ = a.enc.Encode(resp)
}

func (a *agent) kill(id uint64) {
	a.mu.Lock()
	p := a.running[id]
	a.mu.Unlock()
	if p != nil {
		_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
	}
}

func (a *agent) killAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, p := range a.running {
		_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
	}
}
