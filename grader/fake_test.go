package grader

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// fakeTarget answers from programmed sequences; the last answer repeats.
// Keys: exec "node|argv joined by space", http URL, file "node:path",
// container node.
type fakeTarget struct {
	mu         sync.Mutex
	exec       map[string][]execAnswer
	http       map[string][]httpAnswer
	files      map[string]File
	containers map[string]ContainerState
	fail       error // returned by every call when set: a broken environment
	delay      time.Duration
	calls      map[string]int
}

type execAnswer struct {
	res ExecResult
	err error
}

type httpAnswer struct {
	res HTTPResponse
	err error
}

func newFake() *fakeTarget {
	return &fakeTarget{exec: map[string][]execAnswer{}, http: map[string][]httpAnswer{},
		files: map[string]File{}, containers: map[string]ContainerState{}, calls: map[string]int{}}
}

func execKey(node string, cmd []string) string { return node + "|" + strings.Join(cmd, " ") }

func (f *fakeTarget) next(key string, n int) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return 0, f.fail
	}
	i := f.calls[key]
	f.calls[key]++
	if n == 0 {
		return 0, fmt.Errorf("fake: nothing programmed for %q", key)
	}
	return min(i, n-1), nil
}

func (f *fakeTarget) wait(ctx context.Context) error {
	if f.delay == 0 {
		return nil
	}
	return sleepCtx(ctx, f.delay)
}

func (f *fakeTarget) Exec(ctx context.Context, node string, cmd []string, _ time.Duration) (ExecResult, error) {
	if err := f.wait(ctx); err != nil {
		return ExecResult{}, err
	}
	key := execKey(node, cmd)
	i, err := f.next(key, len(f.exec[key]))
	if err != nil {
		return ExecResult{}, err
	}
	a := f.exec[key][i]
	return a.res, a.err
}

func (f *fakeTarget) ReadFile(ctx context.Context, node, path string) (File, error) {
	if _, err := f.next("file", 1); err != nil {
		return File{}, err
	}
	return f.files[node+":"+path], nil
}

func (f *fakeTarget) HTTP(ctx context.Context, req HTTPRequest) (HTTPResponse, error) {
	if err := f.wait(ctx); err != nil {
		return HTTPResponse{}, err
	}
	i, err := f.next(req.URL, len(f.http[req.URL]))
	if err != nil {
		return HTTPResponse{}, err
	}
	a := f.http[req.URL][i]
	return a.res, a.err
}

func (f *fakeTarget) Container(ctx context.Context, node string) (ContainerState, error) {
	if _, err := f.next("container", 1); err != nil {
		return ContainerState{}, err
	}
	return f.containers[node], nil
}

func (f *fakeTarget) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[key]
}

// fakeClock only moves when someone sleeps, so timing tests are instant and
// durations in golden files are stable.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *fakeClock) opts() Options { return Options{Now: c.Now, Sleep: c.Sleep} }

// mustTasks parses a `tasks:` YAML snippet or fails the test.
func mustTasks(t testing.TB, src string) []Task {
	t.Helper()
	tasks, err := ParseTasks("lab.yaml", tasksNode(t, src))
	if err != nil {
		t.Fatalf("ParseTasks: %v", err)
	}
	return tasks
}

func tasksNode(t testing.TB, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("yaml: %v", err)
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "tasks" {
			return root.Content[i+1]
		}
	}
	t.Fatalf("no tasks: key in %q", src)
	return nil
}

// oneCheck grades a single check (given as the YAML of one checks item) and
// returns its result.
func oneCheck(t *testing.T, f *fakeTarget, check string) CheckResult {
	t.Helper()
	src := "tasks:\n  - id: t\n    title: T\n    points: 1\n    checks:\n      - " +
		strings.ReplaceAll(strings.TrimSpace(check), "\n", "\n        ") + "\n"
	tasks := mustTasks(t, src)
	c := newClock()
	r := Grade(context.Background(), f, LabInfo{ID: "lab"}, tasks, c.opts())
	return r.Tasks[0].Checks[0]
}
