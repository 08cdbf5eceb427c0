package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/opslab/opslab/labs/spec"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/labs"
)

// fakeRuntime stands in for Docker in unit tests; it records calls.
type fakeRuntime struct {
	insts    []labs.Instance
	already  bool
	err      error // returned by every call that can fail
	execCode int
	calls    []string
	result   *grader.Result      // what Grade returns
	cases    []labs.SelfTestCase // what SelfTest returns

	resetParams map[string]string // the param values of the lab Reset was given
}

func (f *fakeRuntime) call(format string, a ...any) {
	f.calls = append(f.calls, fmt.Sprintf(format, a...))
}

func (f *fakeRuntime) Start(_ context.Context, lab *spec.Lab, o labs.StartOptions) (*labs.Instance, bool, error) {
	f.call("start %s params=%v ws=%s rebuild=%v", lab.ID, o.Params, o.Workspace, o.Rebuild)
	if f.err != nil {
		return nil, false, f.err
	}
	return &f.insts[0], f.already, nil
}

func (f *fakeRuntime) Reset(_ context.Context, lab *spec.Lab, o labs.StartOptions) (string, *labs.Instance, error) {
	f.call("reset %s", lab.ID)
	f.resetParams = lab.Values
	if f.err != nil {
		return "", nil, f.err
	}
	return "/state/backups/alpha-20260101-120000", &f.insts[0], nil
}

func (f *fakeRuntime) Status(_ context.Context, labID string) ([]labs.Instance, error) {
	f.call("status %q", labID)
	var out []labs.Instance
	for _, in := range f.insts {
		if labID == "" || in.Lab == labID {
			out = append(out, in)
		}
	}
	return out, f.err
}

func (f *fakeRuntime) Stop(_ context.Context, labID string) (bool, error) {
	f.call("stop %s", labID)
	st, err := f.Status(context.Background(), labID)
	return len(st) > 0, err
}

func (f *fakeRuntime) StopAll(context.Context) ([]string, error) {
	f.call("stop --all")
	var ids []string
	for _, in := range f.insts {
		ids = append(ids, in.Lab)
	}
	return ids, f.err
}

func (f *fakeRuntime) Exec(_ context.Context, labID, node string, cmd []string, _ io.Reader, stdout, _ io.Writer) (int, error) {
	f.call("exec %s %s %s", labID, node, strings.Join(cmd, " "))
	fmt.Fprintln(stdout, "output of", strings.Join(cmd, " "))
	return f.execCode, f.err
}

func (f *fakeRuntime) Shell(_ context.Context, labID, node string, _, _ *os.File) (int, error) {
	f.call("shell %s %s", labID, node)
	return 0, f.err
}

func (f *fakeRuntime) Logs(_ context.Context, labID, node string, follow bool, w io.Writer) error {
	f.call("logs %s %q follow=%v", labID, node, follow)
	return f.err
}

func (f *fakeRuntime) BuildImages(_ context.Context, lab *spec.Lab, rebuild bool) error {
	f.call("build %s rebuild=%v", lab.ID, rebuild)
	return f.err
}

func (f *fakeRuntime) BootstrapBaseImage(_ context.Context, o labs.BootstrapOptions) error {
	f.call("bootstrap suite=%s", o.Suite)
	return f.err
}

func (f *fakeRuntime) SaveImages(_ context.Context, all []*spec.Lab, file string) error {
	f.call("save %s %d labs", file, len(all))
	return f.err
}

func (f *fakeRuntime) LoadImages(_ context.Context, file string) error {
	f.call("load %s", file)
	return f.err
}

func (f *fakeRuntime) Running(_ context.Context, labID string) (*labs.Instance, error) {
	f.call("running %s", labID)
	if f.err != nil {
		return nil, f.err
	}
	for _, in := range f.insts {
		if in.Lab == labID {
			return &in, nil
		}
	}
	if f.insts != nil {
		return nil, &labs.NotRunningError{Lab: labID}
	}
	return &labs.Instance{Lab: labID, Workspace: "/home/learner/opslab/" + labID}, nil
}

func (f *fakeRuntime) Grade(_ context.Context, lab *spec.Lab, inst *labs.Instance, _ grader.Options) (*labs.Graded, error) {
	f.call("grade %s", lab.ID)
	if f.err != nil {
		return nil, f.err
	}
	return &labs.Graded{Lab: lab, Result: f.result, Instance: inst}, nil
}

func (f *fakeRuntime) ApplySolution(_ context.Context, lab *spec.Lab, dir string) (string, error) {
	f.call("solve %s %s", lab.ID, dir)
	return "/state/backups/" + lab.ID + "-20260101-000000", f.err
}

func (f *fakeRuntime) SelfTestAll(_ context.Context, _ *spec.Catalog, ids []string, opt labs.SelfTestOptions, _ int, each func(labs.SelfTestCase)) []labs.SelfTestRun {
	var runs []labs.SelfTestRun
	for _, id := range ids {
		f.call("selftest %s repeat=%d", id, opt.Repeat)
		for _, tc := range f.cases {
			each(tc)
		}
		runs = append(runs, labs.SelfTestRun{Lab: id, Cases: f.cases, Err: f.err})
	}
	return runs
}

func (f *fakeRuntime) Endpoint() (string, string) {
	return "unix:///var/run/docker.sock", "default socket"
}
func (f *fakeRuntime) Session() string { return "learner" }
func (f *fakeRuntime) Close() error    { return nil }

// runningAlpha is lab alpha as the fake reports it.
func runningAlpha() labs.Instance {
	return labs.Instance{
		Lab: "alpha", Session: "learner", Workspace: "/home/learner/opslab/alpha",
		Params: map[string]string{}, Network: "net-1",
		Nodes: []labs.NodeStatus{
			{Name: "app", Container: "opslab-learner-alpha-app", State: "running", Health: "healthy",
				Ports: []labs.PublishedPort{{Name: "web", Container: 80, Host: 32768, URL: "http://localhost:32768"}}},
			{Name: "db", Container: "opslab-learner-alpha-db", State: "running"},
		},
	}
}
