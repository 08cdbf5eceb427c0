package grader

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// actorFake is a fakeTarget that can act on nodes: it logs every action and
// every HTTP probe, so tests can see what happened in which order.
type actorFake struct {
	*fakeTarget
	mu      sync.Mutex
	log     []string
	failOp  string
	stopped map[string]bool
}

func (a *actorFake) NodeAction(_ context.Context, node, op string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.log = append(a.log, op+" "+node)
	if op == a.failOp {
		return errors.New("engine said no")
	}
	a.stopped[node] = op == "stop"
	return nil
}

func (a *actorFake) HTTP(ctx context.Context, req HTTPRequest) (HTTPResponse, error) {
	a.mu.Lock()
	down := a.stopped["app2"]
	a.log = append(a.log, "probe "+req.URL)
	a.mu.Unlock()
	if down && req.URL == "http://app2/" {
		return HTTPResponse{}, ErrNoResponse
	}
	return HTTPResponse{Status: 200, Body: []byte("ok")}, nil
}

const actionTasks = `
tasks:
- id: normal
  title: app2 answers
  checks:
    - {id: up, http: {url: "http://app2/", status: 200}}
- id: outage
  title: the lab notices app2 is down
  before: [{stop: app2}]
  after: [{start: app2}]
  checks:
    - {id: down, http: {url: "http://app2/", status: 200}}
- id: exec-fails
  title: an exec action that fails is an environment error
  before: [{exec: {node: client, run: "false"}}]
  checks:
    - {id: x, http: {url: "http://app1/", status: 200}}
`

func TestActionsRunAloneAndRestore(t *testing.T) {
	fake := newFake()
	fake.exec[execKey("client", []string{"sh", "-c", "false"})] = []execAnswer{{res: ExecResult{ExitCode: 1, Stderr: "nope"}}}
	a := &actorFake{fakeTarget: fake, stopped: map[string]bool{}}
	r := Grade(context.Background(), a, LabInfo{ID: "x"}, mustTasks(t, actionTasks), newClock().opts())

	if got := r.Tasks[0].Status; got != StatusPass {
		t.Errorf("normal task ran while app2 was stopped by another task: %s %+v", got, r.Tasks[0].Checks)
	}
	if got := r.Tasks[1].Checks[0]; got.Status != StatusFail {
		t.Errorf("check after stop: %+v, want fail", got)
	}
	ex := r.Tasks[2].Checks[0]
	if ex.Status != StatusError || !strings.Contains(ex.Message, `grader action "exec on client: false" failed: exit code 1: nope`) {
		t.Errorf("failing exec action: %+v", ex)
	}
	// stop, then its probe, then start — nothing else in between.
	log := strings.Join(a.log, "\n")
	if !strings.Contains(log, "stop app2\nprobe http://app2/\nstart app2") {
		t.Errorf("actions did not run alone around their checks:\n%s", log)
	}
}

func TestActionWithoutActorIsError(t *testing.T) {
	fake := newFake()
	fake.http["http://app2/"] = []httpAnswer{{res: HTTPResponse{Status: 200}}}
	tasks := mustTasks(t, `
tasks:
- id: t
  title: t
  before: [{restart: app2}]
  checks: [{id: c, http: {url: "http://app2/"}}]
`)
	r := Grade(context.Background(), fake, LabInfo{ID: "x"}, tasks, newClock().opts())
	if c := r.Tasks[0].Checks[0]; c.Status != StatusError || !strings.Contains(c.Message, "cannot restart nodes") {
		t.Errorf("got %+v", c)
	}
}

func TestActionParseAndRefs(t *testing.T) {
	_, err := ParseTasks("lab.yaml", tasksNode(t, `
tasks:
- id: t
  title: t
  before: [{reboot: app2}, {exec: {node: client}}]
  checks: [{id: c, http: {url: "http://x/"}}]
`))
	if err == nil || !strings.Contains(err.Error(), `unknown action "reboot"`) || !strings.Contains(err.Error(), `before[1].exec.run: required field is missing`) {
		t.Errorf("parse errors: %v", err)
	}
	tasks := mustTasks(t, `
tasks:
- id: t
  title: t
  after: [{start: ghost}]
  checks: [{id: c, http: {url: "http://x/"}}]
`)
	errs := ValidateRefs("lab.yaml", tasks, []string{"app1"})
	if len(errs) != 1 || !strings.Contains(errs.Error(), `tasks[0].after[0].start: unknown node "ghost"`) {
		t.Errorf("refs: %v", errs)
	}
}

// timeoutsSeen is a fakeTarget that records the timeout of every exec.
type timeoutsSeen struct {
	*fakeTarget
	seen []time.Duration
}

func (f *timeoutsSeen) Exec(ctx context.Context, node string, cmd []string, timeout time.Duration) (ExecResult, error) {
	f.seen = append(f.seen, timeout)
	return f.fakeTarget.Exec(ctx, node, cmd, timeout)
}

func TestExecActionTimeout(t *testing.T) {
	tasks := mustTasks(t, `
tasks:
- id: t
  title: t
  before:
    - {exec: {node: control, run: "./deploy", timeout: 5m}}
    - {exec: {node: control, run: "true"}}
  checks: [{id: c, http: {url: "http://app1/"}}]
`)
	fake := newFake()
	fake.exec[execKey("control", []string{"sh", "-c", "./deploy"})] = []execAnswer{{}}
	fake.exec[execKey("control", []string{"sh", "-c", "true"})] = []execAnswer{{}}
	fake.http["http://app1/"] = []httpAnswer{{res: HTTPResponse{Status: 200}}}
	target := &timeoutsSeen{fakeTarget: fake}
	Grade(context.Background(), target, LabInfo{ID: "x"}, tasks, newClock().opts())
	if want := []time.Duration{5 * time.Minute, actionTimeout}; !slices.Equal(target.seen, want) {
		t.Errorf("exec timeouts %v, want %v (the action's own, else the default)", target.seen, want)
	}

	_, err := ParseTasks("lab.yaml", tasksNode(t, `
tasks:
- id: t
  title: t
  before: [{exec: {node: control, run: "x", timeout: soon}}]
  checks: [{id: c, http: {url: "http://x/"}}]
`))
	if err == nil || !strings.Contains(err.Error(), `before[0].exec.timeout: expected a positive duration`) {
		t.Errorf("a timeout that is no duration: %v", err)
	}
}
