package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opslab/opslab/labs"
)

// A start on a workspace that an earlier start set up runs the same scenario
// (its params); --param still wins, and a new or empty workspace draws anew.
func TestStartAgainResumesTheWorkspacesScenario(t *testing.T) {
	alpha := runningAlpha()
	rt := &fakeRuntime{insts: []labs.Instance{alpha}}
	deps, out, errb := testApp(t, rt)
	ws := deps.dirs.Workspace("alpha")
	rt.insts[0].Workspace = ws
	start := func(args ...string) string {
		t.Helper()
		rt.calls = nil
		out.Reset()
		if code := runCLI(deps, append([]string{"start", "alpha"}, args...)...); code != 0 {
			t.Fatalf("start %v: exit %d: %s", args, code, errb)
		}
		return rt.calls[len(rt.calls)-1]
	}

	if call := start("--param", "a=5"); !strings.Contains(call, "params=map[a:5]") {
		t.Fatalf("first start: %s", call)
	}
	// The start made the workspace; the fake does not: as if it had.
	if err := os.MkdirAll(ws, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "notes.txt"), []byte("my fix\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if call := start(); !strings.Contains(call, "params=map[a:5]") {
		t.Errorf("a start on the same workspace: %s", call)
	}
	if !strings.Contains(out.String(), "same scenario as your last start in this workspace") {
		t.Errorf("the learner is not told why:\n%s", out)
	}
	if call := start("--param", "a=6"); !strings.Contains(call, "params=map[a:6]") {
		t.Errorf("--param on a resumed workspace: %s", call)
	}
	if call := start(); !strings.Contains(call, "params=map[a:6]") {
		t.Errorf("after --param, the next start: %s", call)
	}
	// Another workspace, never set up: nothing to resume.
	if call := start("--workspace", t.TempDir()); !strings.Contains(call, "params=map[]") || strings.Contains(out.String(), "same scenario") {
		t.Errorf("a new workspace: %s\n%s", call, out)
	}
	// The workspace emptied (moved away by the learner): a new draw.
	if err := os.RemoveAll(ws); err != nil {
		t.Fatal(err)
	}
	if call := start(); !strings.Contains(call, "params=map[]") {
		t.Errorf("an empty workspace: %s", call)
	}
}

// reset of a stopped lab recreates the scenario of its workspace too.
func TestResetOfAStoppedLabKeepsTheWorkspacesScenario(t *testing.T) {
	stopped := runningAlpha()
	stopped.Lab = "beta" // Status finds no alpha: it is stopped
	rt := &fakeRuntime{insts: []labs.Instance{stopped}}
	deps, _, errb := testApp(t, rt)
	ws := deps.dirs.Workspace("alpha")
	if err := os.MkdirAll(ws, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "notes.txt"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rt.insts[0].Workspace = ws
	if code := runCLI(deps, "reset", "alpha", "--param", "a=3"); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if code := runCLI(deps, "reset", "alpha"); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if got := rt.resetParams["a"]; got != "3" {
		t.Errorf("reset of a stopped lab with a=%q, want the workspace's 3", got)
	}
}
