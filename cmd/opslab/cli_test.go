package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs/spec"

	"github.com/opslab/opslab/labs"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// testApp is an app over buffers, the test catalog and a fake runtime.
func testApp(t *testing.T, rt *fakeRuntime) (*app, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	// urfave/cli reads a flag's EnvVars from the process environment itself.
	t.Setenv("OPSLAB_SESSION", "")
	t.Setenv("OPSLAB_CONTENT", "")
	streams, out, errb := testIO()
	deps := newDeps(streams, func(string) string { return "" })
	state := t.TempDir()
	deps.dirs = localstate.Dirs{State: state, Workspaces: filepath.Join(state, "ws"), Tools: filepath.Join(state, "tools")}
	deps.embedded = os.DirFS("testdata/content")
	deps.newRuntime = func(context.Context, labs.RuntimeOptions) (labRuntime, error) {
		if rt == nil {
			return nil, &labs.EnvError{Msg: "cannot reach Docker at unix:///var/run/docker.sock (from default socket)",
				Fix: "start Docker, then check with `opslab doctor`"}
		}
		return rt, nil
	}
	deps.doctor = func(context.Context, labs.RuntimeOptions) []labs.DoctorCheck {
		return []labs.DoctorCheck{
			{Name: "docker", OK: true, Info: "unix:///var/run/docker.sock (default socket), engine 20.10.24 linux/amd64"},
			{Name: "base image", OK: false, Info: "debian:bookworm-slim is missing and cannot be pulled", Fix: "sudo opslab images bootstrap"},
		}
	}
	return deps, out, errb
}

func runCLI(deps *app, args ...string) int {
	return run(context.Background(), deps, append([]string{"opslab"}, args...))
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestCommandsGolden(t *testing.T) {
	alpha := runningAlpha()
	tests := []struct {
		name     string
		args     []string
		rt       *fakeRuntime // nil: Docker unreachable
		wantCode int
		wantCall string // the fake's last call, if any
	}{
		{name: "list", args: []string{"list"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}}},
		{name: "list-json", args: []string{"list", "--json"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}}},
		{name: "list-no-docker", args: []string{"list", "--json"}},
		{name: "list-track", args: []string{"list", "--track", "incident"}},
		{name: "list-empty-track", args: []string{"list", "--track", "chaos"}},
		{name: "list-empty-track-json", args: []string{"list", "--track", "containers", "--json"}},
		{name: "list-bad-track", args: []string{"list", "--track", "cooking"}, wantCode: 2},
		{name: "show", args: []string{"show", "alpha"}},
		{name: "show-rights", args: []string{"--content", "testdata/rights/gamma", "show", "gamma"}},
		{name: "show-unknown", args: []string{"show", "nope"}, wantCode: 2},
		{name: "show-missing-arg", args: []string{"show"}, wantCode: 2},
		{name: "start", args: []string{"start", "alpha", "--param", "a=1", "--workspace", "/w"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}},
			wantCall: "start alpha params=map[a:1] ws=/w rebuild=false"},
		{name: "start-already", args: []string{"--session", "bob", "start", "alpha"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}, already: true}},
		{name: "start-bad-param", args: []string{"start", "alpha", "--param", "novalue"}, wantCode: 2},
		{name: "start-no-docker", args: []string{"start", "alpha"}, wantCode: 3},
		{name: "start-unknown-flag", args: []string{"start", "--fast", "alpha"}, wantCode: 2},
		{name: "status", args: []string{"status"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}}},
		{name: "status-json", args: []string{"status", "--json"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}}},
		{name: "status-none", args: []string{"status", "beta"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}}},
		{name: "stop", args: []string{"stop", "alpha"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}}},
		{name: "stop-not-running", args: []string{"stop", "beta"}, rt: &fakeRuntime{}},
		{name: "stop-all", args: []string{"stop", "--all"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}}},
		{name: "stop-lab-and-all", args: []string{"stop", "--all", "alpha"}, wantCode: 2},
		{name: "exec", args: []string{"exec", "alpha", "app", "--", "ls", "-la"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}, execCode: 7},
			wantCode: 7, wantCall: "exec alpha app ls -la"},
		{name: "exec-missing-cmd", args: []string{"exec", "alpha", "app"}, wantCode: 2},
		{name: "exec-not-running", args: []string{"exec", "beta", "web", "--", "true"}, rt: &fakeRuntime{err: &labs.NotRunningError{Lab: "beta"}}, wantCode: 3},
		{name: "grade-not-running-session", args: []string{"--session", "bob", "grade", "beta"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}}, wantCode: 3},
		{name: "show-unknown-content", args: []string{"--content", "testdata/content", "show", "nope"}, wantCode: 2},
		{name: "logs", args: []string{"logs", "alpha", "-f"}, rt: &fakeRuntime{}, wantCall: `logs alpha "" follow=true`},
		{name: "reset", args: []string{"reset", "alpha"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}}},
		{name: "doctor", args: []string{"doctor"}, wantCode: 3},
		{name: "lint", args: []string{"lint"}},
		{name: "lint-missing-dir", args: []string{"lint", "testdata/no-such-dir"}, wantCode: 2},
		{name: "images-build", args: []string{"images", "build"}, rt: &fakeRuntime{}, wantCall: "build beta rebuild=false"},
		{name: "images-tools-none", args: []string{"images", "tools"}}, // no lab names a tool: nothing is built
		{name: "images-tools-all-and-names", args: []string{"images", "tools", "--all", "act"}, wantCode: 2},
		{name: "images-save", args: []string{"images", "save", "x.tar", "alpha"}, rt: &fakeRuntime{}, wantCall: "save x.tar 1 labs"},
		{name: "test-repeat", args: []string{"test", "--repeat", "3", "alpha"}, rt: &fakeRuntime{cases: []labs.SelfTestCase{
			{Lab: "alpha", Name: "unsolved", Want: "not passed", Got: "not passed", OK: true, MaxScore: 10, Verdicts: []string{"not passed", "not passed", "not passed"}},
			{Lab: "alpha", Name: "variants/table", Want: "full marks", Got: "flaky", Score: 10, MaxScore: 10, Verdicts: []string{"full marks", "not passed", "full marks"},
				Detail: "grading 2 gave not passed, grading 1 full marks: t/c was pass, now fail: expected 200"},
		}}, wantCode: 1, wantCall: "selftest alpha repeat=3"},
		{name: "test-bad-repeat", args: []string{"test", "--repeat", "0"}, wantCode: 2},
		{name: "unknown-command", args: []string{"frob"}, wantCode: 2},
		{name: "help-start", args: []string{"start", "--help"}},
		{name: "interrupted", args: []string{"start", "alpha"}, rt: &fakeRuntime{insts: []labs.Instance{alpha}, err: context.Canceled}, wantCode: 130},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			deps, out, errb := testApp(t, tc.rt)
			code := runCLI(deps, tc.args...)
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, out, errb)
			}
			if tc.wantCall != "" {
				if calls := tc.rt.calls; len(calls) == 0 || calls[len(calls)-1] != tc.wantCall {
					t.Errorf("runtime calls %q, want last %q", calls, tc.wantCall)
				}
			}
			if ansi.Match(out.Bytes()) || ansi.Match(errb.Bytes()) {
				t.Errorf("colour escapes in output that is not a terminal")
			}
			golden(t, tc.name+".txt", []byte(out.String()+"--- stderr\n"+errb.String()))
		})
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		interrupted bool
		want        int
	}{
		{"nil", nil, false, 0},
		{"usage", usagef("bad"), false, 2},
		{"unknown lab", &spec.NotFoundError{ID: "x"}, false, 2},
		{"lab usage", &spec.UsageError{Msg: "x"}, false, 2},
		{"env", &labs.EnvError{Msg: "docker down"}, false, 3},
		{"not running", &labs.NotRunningError{Lab: "x"}, false, 3},
		{"wrapped env", errors.Join(errors.New("ctx"), &labs.EnvError{Msg: "x"}), false, 3},
		{"exit error", silentExit(1), false, 1},
		{"canceled", context.Canceled, false, 130},
		{"after a signal", &labs.EnvError{Msg: "x"}, true, 130},
		{"unknown", errors.New("boom"), false, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := exitCode(tc.err, tc.interrupted); got != tc.want {
				t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
			}
		})
	}
}

func TestColourOnlyWhenAllowed(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		colored bool
	}{
		{"terminal", []string{"list"}, true},
		{"--no-color", []string{"--no-color", "list"}, false},
		{"--json", []string{"list", "--json"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			deps, out, _ := testApp(t, &fakeRuntime{insts: []labs.Instance{runningAlpha()}})
			deps.io.colorOut, deps.io.colorErr = true, true // as on a terminal
			if code := runCLI(deps, tc.args...); code != 0 {
				t.Fatalf("exit %d", code)
			}
			if got := ansi.Match(out.Bytes()); got != tc.colored {
				t.Errorf("colour in output: %v, want %v\n%q", got, tc.colored, out)
			}
		})
	}
}

func TestNoColorEnv(t *testing.T) {
	s := systemIO(func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	})
	if s.colorOut || s.colorErr {
		t.Errorf("NO_COLOR set but colour is on")
	}
}

func TestPanicIsInternalError(t *testing.T) {
	deps, _, errb := testApp(t, nil)
	deps.newRuntime = func(context.Context, labs.RuntimeOptions) (labRuntime, error) { panic("boom") }
	if code := runCLI(deps, "status"); code != exitInternal {
		t.Errorf("exit %d, want %d", code, exitInternal)
	}
	if want := "opslab: internal error: boom; please report it"; !bytes.Contains(errb.Bytes(), []byte(want)) {
		t.Errorf("stderr %q does not contain %q", errb, want)
	}
}

// Reset recreates the same scenario: the running lab's params stay, --param wins.
func TestResetKeepsTheRunningParams(t *testing.T) {
	alpha := runningAlpha()
	alpha.Params = map[string]string{"a": "7"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"reset", "alpha"}, "7"},
		{[]string{"reset", "alpha", "--param", "a=9"}, "9"},
	} {
		rt := &fakeRuntime{insts: []labs.Instance{alpha}}
		deps, _, errb := testApp(t, rt)
		if code := runCLI(deps, tc.args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errb)
		}
		if got := rt.resetParams["a"]; got != tc.want {
			t.Errorf("%v: reset with a=%q, want %q", tc.args, got, tc.want)
		}
	}
}
