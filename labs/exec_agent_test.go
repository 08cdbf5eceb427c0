package labs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/opslab/opslab/grader"
)

// The exec agent must be invisible: every command gives what an engine exec
// gives (exit code, stdout, stderr), in a real node, so the two runtimes
// below run the same commands and must agree.
func TestExecAgentAgreesWithEngineExec(t *testing.T) {
	r, lab, _ := startTestLab(t, "rt-basic")
	engineOnly := *r
	engineOnly.opts.EngineExecOnly = true
	ctx := context.Background()
	cmds := [][]string{
		{"cat", "/tmp/setup-done"},
		{"sh", "-c", "echo out; echo err >&2; exit 7"},
		{"sh", "-c", "echo $HOME $PWD; id -u; cat /proc/self/status | grep -c NoNewPrivs"},
		{"sh", "-c", "env | grep -v -e '^_=' -e '^HOSTNAME=' | sort"},
		{"sh", "-c", "wc -c"}, // stdin: nothing
		{"sh", "-c", "kill -9 $$"},
		{"no-such-command"},
	}
	for _, cmd := range cmds {
		want, werr := engineOnly.execCapture(ctx, lab.ID, "worker", cmd, 0)
		got, gerr := r.execCapture(ctx, lab.ID, "worker", cmd, 0)
		if werr != nil || gerr != nil {
			t.Fatalf("%q: engine %v, agent %v", cmd, werr, gerr)
		}
		if cmd[0] == "no-such-command" { // both say so, in their own words
			if got.ExitCode != want.ExitCode || !strings.Contains(got.Stdout, "no-such-command") || got.Stderr != want.Stderr {
				t.Errorf("%q: agent %+v, engine %+v", cmd, got, want)
			}
			continue
		}
		if got != want {
			t.Errorf("%q:\n agent  %+v\n engine %+v", cmd, got, want)
		}
	}
	if id, _ := r.nodeContainer(ctx, lab.ID, "worker"); r.agents.node(id).conn == nil {
		t.Fatal("no agent ran in the worker node: the comparison compared engine execs")
	}
}

func TestExecAgentTimeoutsAndCancel(t *testing.T) {
	r, lab, _ := startTestLab(t, "rt-basic")
	ctx := context.Background()
	start := time.Now()
	_, err := r.execCapture(ctx, lab.ID, "worker", []string{"sleep", "30"}, time.Second)
	if !errors.Is(err, grader.ErrTimeout) || time.Since(start) > 10*time.Second {
		t.Fatalf("a 1 s timeout: %v after %s", err, time.Since(start))
	}
	// A cancelled command is killed in the node, not left running.
	cctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	if _, err := r.execCapture(cctx, lab.ID, "worker", []string{"sh", "-c", "sleep 2; touch /tmp/late"}, 0); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled: %v", err)
	}
	time.Sleep(3 * time.Second)
	if res, err := r.execCapture(ctx, lab.ID, "worker", []string{"sh", "-c", "test -e /tmp/late; echo $?"}, 0); err != nil || strings.TrimSpace(res.Stdout) != "1" {
		t.Fatalf("the cancelled command ran on: %+v %v", res, err)
	}
}

// A restarted node has lost its agent (every process went with it): the next
// command starts a new one and runs.
func TestExecAgentSurvivesANodeRestart(t *testing.T) {
	r, lab, _ := startTestLab(t, "rt-basic")
	ctx := context.Background()
	if res, err := r.execCapture(ctx, lab.ID, "worker", []string{"true"}, 0); err != nil || res.ExitCode != 0 {
		t.Fatalf("before: %+v %v", res, err)
	}
	id, _ := r.nodeContainer(ctx, lab.ID, "worker")
	before := r.agents.node(id).conn
	if before == nil {
		t.Fatal("no agent in the worker node")
	}
	if err := r.nodeAction(ctx, lab, "worker", "restart"); err != nil {
		t.Fatal(err)
	}
	res, err := r.execCapture(ctx, lab.ID, "worker", []string{"echo", "again"}, 0)
	if err != nil || res.Stdout != "again\n" {
		t.Fatalf("after the restart: %+v %v", res, err)
	}
	if r.agents.node(id).conn == before {
		t.Error("the dead agent's stream was used again")
	}
}

// The first command on a machine where the agent is not built yet (a new
// tools cache; a cold Go cache takes 10-20 s) runs at once with an engine
// exec: a build must never use up a check's timeout. Later ones use the agent.
func TestExecAgentBuildNeverHoldsACommandUp(t *testing.T) {
	r, lab, _ := startTestLab(t, "rt-basic")
	fresh := *r
	fresh.agents = newAgentPool()
	fresh.opts.Dirs.Tools = t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	res, err := fresh.execCapture(ctx, lab.ID, "worker", []string{"echo", "now"}, 2*time.Second)
	if err != nil || res.Stdout != "now\n" {
		t.Fatalf("first command while the agent builds: %+v %v", res, err)
	}
	fresh.awaitAgent(context.Background())
	if _, err := fresh.execCapture(context.Background(), lab.ID, "worker", []string{"true"}, 0); err != nil {
		t.Fatal(err)
	}
	if id, _ := fresh.nodeContainer(context.Background(), lab.ID, "worker"); fresh.agents.node(id).conn == nil {
		t.Fatal("the agent, once built, was not used")
	}
}

// A node gets the agent from the read-only agent volume mounted when it was
// made: nothing is copied into it (a copy costs the engine a re-exec).
func TestExecAgentRunsFromItsVolume(t *testing.T) {
	r, lab, _ := startTestLab(t, "rt-basic")
	ctx := context.Background()
	res, err := r.execCapture(ctx, lab.ID, "worker", []string{"sh", "-c", "ls /.opslab-agent; test -e /.opslab-exec-agent && echo copied; true"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := r.nodeContainer(ctx, lab.ID, "worker"); r.agents.node(id).conn == nil {
		t.Fatal("no agent ran in the worker node")
	}
	if r.agents.volume == "" || !strings.Contains(res.Stdout, "exec-agent-") || strings.Contains(res.Stdout, "copied") {
		t.Fatalf("volume %q; in the node: %q", r.agents.volume, res.Stdout)
	}
}

// A volume that exists but holds no agent (a run killed while filling it, an
// old engine's leftovers) costs its nodes a copy, never a working agent.
func TestExecAgentCopiedWhenItsVolumeIsEmpty(t *testing.T) {
	base := newTestRuntime(t)
	base.awaitAgent(context.Background())
	if base.agents.binary == "" {
		t.Fatal("no exec agent was built")
	}
	// The same agent under a name of its own, whose volume is empty.
	bin, err := os.ReadFile(base.agents.binary)
	if err != nil {
		t.Fatal(err)
	}
	r := *base
	r.agents = newAgentPool()
	r.opts.Dirs.Tools = t.TempDir()
	r.agents.build.Do(func() {})
	close(r.agents.built)
	r.agents.binary = filepath.Join(r.opts.Dirs.Tools, fmt.Sprintf("exec-agent-test%d-linux-x", time.Now().UnixNano()))
	if err := os.WriteFile(r.agents.binary, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	vol := agentVolumeName(r.agents.binary)
	if _, err := r.docker.VolumeCreate(ctx, client.VolumeCreateOptions{Name: vol}); err != nil {
		t.Fatal(err)
	}
	lab := loadTestLab(t, "rt-basic")
	t.Cleanup(func() { _, _ = r.docker.VolumeRemove(ctx, vol, client.VolumeRemoveOptions{Force: true}) })
	stopAtEnd(t, &r, lab.ID) // runs first: the volume is free when it is removed
	if _, _, err := r.Start(ctx, lab, StartOptions{Workspace: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	res, err := r.execCapture(ctx, lab.ID, "worker", []string{"sh", "-c", "ls /.opslab-agent | wc -l; test -x /.opslab-exec-agent && echo copied"}, 0)
	if err != nil || res.Stdout != "0\ncopied\n" {
		t.Fatalf("in the node: %+v %v", res, err)
	}
	if id, _ := r.nodeContainer(ctx, lab.ID, "worker"); r.agents.node(id).conn == nil {
		t.Fatal("no agent ran in the worker node")
	}
}
