package labs

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs/spec"

	"github.com/moby/moby/client"
)

// These tests run against a real Docker engine. Without one they skip locally and
// fail in CI (CI=true), so a missing engine can never turn CI green.

// testRuntimeOptions keeps state and workspaces in the test's temporary folder;
// the engine, base image and tool cache are the ones the developer or CI set up.
func testRuntimeOptions(t *testing.T) RuntimeOptions {
	dirs := localstate.Resolve(os.Getenv, os.Getenv("HOME"), os.TempDir())
	dirs.State = t.TempDir()
	dirs.Workspaces = filepath.Join(dirs.State, "workspaces")
	return RuntimeOptions{Session: uniqueSession(t), Dirs: dirs, BaseImage: os.Getenv("OPSLAB_BASE_IMAGE"), Getenv: os.Getenv}
}

func newTestRuntime(t *testing.T) *Runtime {
	t.Helper()
	return newTestRuntimeWith(t, testRuntimeOptions(t))
}

func newTestRuntimeWith(t *testing.T, opts RuntimeOptions) *Runtime {
	t.Helper()
	ctx := context.Background()
	r, err := NewRuntime(ctx, opts)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Docker is required in CI: %v", err)
		}
		t.Skipf("no Docker engine: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func uniqueSession(t *testing.T) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return SanitizeSession("t-" + t.Name() + "-" + hex.EncodeToString(b))
}

func loadTestLab(t *testing.T, id string) *spec.Lab {
	t.Helper()
	dir := filepath.Join("testdata", "rt", id)
	lab, err := spec.ParseLab(os.DirFS(dir), dir, nil)
	if err != nil {
		t.Fatalf("parse %s: %v", id, err)
	}
	return lab
}

// leftovers counts this session's labelled containers and networks of a lab.
func leftovers(t *testing.T, r *Runtime, labID string) (containers, networks int) {
	t.Helper()
	ctx := context.Background()
	cs, err := r.docker.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: r.labFilters(labID)})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := r.docker.NetworkList(ctx, client.NetworkListOptions{Filters: r.labFilters(labID)})
	if err != nil {
		t.Fatal(err)
	}
	return len(cs.Items), len(ns.Items)
}

// nothingLeft fails the test if what (a failed start, a stop) left any of the
// lab's containers or networks behind.
func nothingLeft(t *testing.T, r *Runtime, labID, what string) {
	t.Helper()
	if c, n := leftovers(t, r, labID); c+n != 0 {
		t.Fatalf("%s left %d containers and %d networks", cmp.Or(what, "the test"), c, n)
	}
}

// startTestLab starts one of testdata/rt's labs on a fresh runtime, stopped
// when the test ends.
func startTestLab(t *testing.T, id string) (*Runtime, *spec.Lab, *Instance) {
	t.Helper()
	r := newTestRuntime(t)
	lab := loadTestLab(t, id)
	stopAtEnd(t, r, lab.ID)
	inst, _, err := r.Start(context.Background(), lab, StartOptions{Workspace: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return r, lab, inst
}

func stopAtEnd(t *testing.T, r *Runtime, labID string) {
	t.Cleanup(func() { _, _ = r.Stop(context.Background(), labID) })
}

func TestStartStatusExecStop(t *testing.T) {
	r := newTestRuntime(t)
	ctx := context.Background()
	lab := loadTestLab(t, "rt-basic")
	ws := filepath.Join(t.TempDir(), "ws")
	stopAtEnd(t, r, lab.ID)

	inst, already, err := r.Start(ctx, lab, StartOptions{Workspace: ws})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	if already {
		t.Fatal("a fresh start reported the lab as already running")
	}
	if len(inst.Nodes) != 2 || inst.Workspace != ws || inst.Params["greeting"] != "hello" {
		t.Fatalf("instance = %+v", inst)
	}

	insts, err := r.Status(ctx, lab.ID)
	if err != nil || len(insts) != 1 {
		t.Fatalf("status = %v, %v", insts, err)
	}
	web := insts[0].Nodes[0]
	if web.Name != "web" || web.State != "running" || len(web.Ports) != 1 || web.Ports[0].Container != 80 || web.Ports[0].Host == 0 {
		t.Fatalf("web node = %+v", web)
	}
	// The published port answers from the host.
	resp, err := http.Get(web.Ports[0].URL)
	if err != nil {
		t.Fatalf("GET %s: %v", web.Ports[0].URL, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "hello from web") {
		t.Fatalf("published port answered %q", body)
	}

	// Setup ran with the param; exec returns output and exit code.
	var out, errOut bytes.Buffer
	code, err := r.Exec(ctx, lab.ID, "worker", []string{"cat", "/tmp/setup-done"}, nil, &out, &errOut)
	if err != nil || code != 0 || strings.TrimSpace(out.String()) != "hello" {
		t.Fatalf("exec = %d %q %q %v", code, out.String(), errOut.String(), err)
	}
	code, err = r.Exec(ctx, lab.ID, "worker", []string{"sh", "-c", "echo oops >&2; exit 7"}, nil, &out, &errOut)
	if err != nil || code != 7 || !strings.Contains(errOut.String(), "oops") {
		t.Fatalf("failing exec = %d %q %v", code, errOut.String(), err)
	}
	// The workspace is copied and bind-mounted.
	out.Reset()
	if _, err := r.Exec(ctx, lab.ID, "web", []string{"cat", "/workspace/notes.txt"}, nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), "learner notes") {
		t.Fatalf("workspace in node: %q %v", out.String(), err)
	}
	var ue *spec.UsageError
	if _, err := r.Exec(ctx, lab.ID, "nope", []string{"true"}, nil, io.Discard, io.Discard); !errors.As(err, &ue) {
		t.Fatalf("exec in unknown node: %v", err)
	}

	was, err := r.Stop(ctx, lab.ID)
	if err != nil || !was {
		t.Fatalf("stop = %v, %v", was, err)
	}
	nothingLeft(t, r, lab.ID, "stop")
	if _, err := os.Stat(filepath.Join(ws, "notes.txt")); err != nil {
		t.Fatalf("the workspace did not survive stop: %v", err)
	}
}

// A start that fails half-way says where and why, and leaves nothing: a broken
// image names its folder and build output; a node that dies names the node; a
// failing setup step gives its line, its output and the end of the node's own
// log (the node is removed with the failed start, so its logs cannot be read later).
func TestFailedStartSaysWhyAndLeavesNothing(t *testing.T) {
	tests := []struct {
		name    string
		lab     string
		change  func(*spec.Lab)
		envErr  bool
		wantAll []string
	}{
		{name: "image build fails", lab: "rt-broken", envErr: true, wantAll: []string{"images/bad", "broken on purpose"}},
		{name: "node crashes", lab: "rt-crash", wantAll: []string{"node crash"}},
		{name: "setup step fails", lab: "rt-basic", envErr: true,
			change: func(lab *spec.Lab) {
				for i := range lab.Nodes {
					if lab.Nodes[i].Name == "worker" {
						lab.Nodes[i].Command = []string{"sh", "-c", "echo 'worker: the daemon gave up'; exec sleep infinity"}
					}
				}
				lab.Setup = []spec.Step{{Node: "worker", Run: "echo 'waited in vain' >&2; exit 4", Line: 42}}
			},
			wantAll: []string{"setup step 1", "lab.yaml:42", "node worker", "exit code 4", "waited in vain", "last lines of worker's output", "the daemon gave up"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newTestRuntime(t)
			lab := loadTestLab(t, tc.lab)
			if tc.change != nil {
				tc.change(lab)
			}
			stopAtEnd(t, r, lab.ID)
			_, _, err := r.Start(context.Background(), lab, StartOptions{Workspace: t.TempDir()})
			var env *EnvError
			if err == nil || (tc.envErr && !errors.As(err, &env)) {
				t.Fatalf("want an error (an EnvError: %v), got %v", tc.envErr, err)
			}
			for _, want := range tc.wantAll {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error does not say %q", want)
				}
			}
			t.Logf("the error:\n%v", err)
			nothingLeft(t, r, lab.ID, "the failed start")
		})
	}
}

// A start interrupted at any phase removes what it made, and the next start
// works. The interrupt comes from the AtPhase hook, so it lands where the
// test says however fast the machine is.
func TestInterruptedStartLeavesNothing(t *testing.T) {
	phases := []string{PhaseFind, PhaseWorkspace, PhasePorts, PhaseImages, PhaseNetwork, PhaseNodes, PhaseNodeUp, PhaseSetup}
	for _, at := range phases {
		t.Run(at, func(t *testing.T) {
			opts := testRuntimeOptions(t)
			var reached atomic.Bool
			var cancel context.CancelFunc
			opts.AtPhase = func(_ context.Context, phase string) {
				if phase == at {
					reached.Store(true)
					cancel()
				}
			}
			r := newTestRuntimeWith(t, opts)
			lab := loadTestLab(t, "rt-basic")
			stopAtEnd(t, r, lab.ID)
			if err := r.BuildImages(context.Background(), lab, false); err != nil {
				t.Fatal(err)
			}
			ctx, c := context.WithCancel(context.Background())
			cancel = c
			defer cancel()
			ws := t.TempDir()
			_, _, err := r.Start(ctx, lab, StartOptions{Workspace: ws})
			if !reached.Load() {
				t.Fatalf("the start never reached phase %s", at)
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("start interrupted at %s = %v, want context.Canceled", at, err)
			}
			nothingLeft(t, r, lab.ID, "a start interrupted at "+at)

			r.opts.AtPhase = nil
			if _, already, err := r.Start(context.Background(), lab, StartOptions{Workspace: ws}); err != nil || already {
				t.Fatalf("the start after the interrupted one = already %v, %v", already, err)
			}
		})
	}
}

// A start killed after its nodes ran but before it finished (no ready marker)
// leaves a lab that looks running: the next start must redo it, setup included.
func TestStartAfterAKilledStartRedoesIt(t *testing.T) {
	r, lab, inst := startTestLab(t, "rt-basic")
	ctx := context.Background()
	if _, err := r.docker.VolumeRemove(ctx, r.readyMarker(lab.ID), client.VolumeRemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if code, err := r.Exec(ctx, lab.ID, "worker", []string{"rm", "/tmp/setup-done"}, nil, io.Discard, io.Discard); err != nil || code != 0 {
		t.Fatal(code, err)
	}
	_, already, err := r.Start(ctx, lab, StartOptions{Workspace: inst.Workspace})
	if err != nil || already {
		t.Fatalf("start after an unfinished one = already %v, %v; want a fresh start", already, err)
	}
	if code, err := r.Exec(ctx, lab.ID, "worker", []string{"cat", "/tmp/setup-done"}, nil, io.Discard, io.Discard); err != nil || code != 0 {
		t.Fatalf("setup did not run again: exit %d, %v", code, err)
	}
	if _, already, err := r.Start(ctx, lab, StartOptions{Workspace: inst.Workspace}); err != nil || !already {
		t.Fatalf("a finished start is running already: %v, %v", already, err)
	}
}

func TestStartTwiceAndStopWhenNotRunning(t *testing.T) {
	r, lab, inst := startTestLab(t, "rt-basic")
	ctx := context.Background()
	ws := inst.Workspace
	_, already, err := r.Start(ctx, lab, StartOptions{Workspace: ws})
	if err != nil || !already {
		t.Fatalf("second start = already %v, %v", already, err)
	}
	if was, err := r.Stop(ctx, lab.ID); err != nil || !was {
		t.Fatalf("stop = %v %v", was, err)
	}
	if was, err := r.Stop(ctx, lab.ID); err != nil || was {
		t.Fatalf("stopping a stopped lab = %v %v, want false, nil", was, err)
	}
}

func TestRacingStartsMakeOneLab(t *testing.T) {
	first := newTestRuntime(t)
	// A second CLI process of the same learner: same session and state dir.
	second, err := NewRuntime(context.Background(), first.opts)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	lab := loadTestLab(t, "rt-basic")
	stopAtEnd(t, first, lab.ID)
	ws := t.TempDir()

	var wg sync.WaitGroup
	already := make([]bool, 2)
	errs := make([]error, 2)
	for i, r := range []*Runtime{first, second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, already[i], errs[i] = r.Start(context.Background(), lab, StartOptions{Workspace: ws})
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("racing starts: %v / %v", errs[0], errs[1])
	}
	if already[0] == already[1] {
		t.Fatalf("exactly one start must create the lab, got already = %v", already)
	}
	if c, n := leftovers(t, first, lab.ID); c != 2 || n != 1 {
		t.Fatalf("racing starts made %d containers and %d networks, want 2 and 1", c, n)
	}
}

func TestResetKeepsWorkspaceAndBacksItUp(t *testing.T) {
	r, lab, inst := startTestLab(t, "rt-basic")
	ctx := context.Background()
	ws := inst.Workspace
	mine := filepath.Join(ws, "notes.txt")
	if err := os.WriteFile(mine, []byte("my own work\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Something in the environment the reset must wipe.
	if code, err := r.Exec(ctx, lab.ID, "worker", []string{"touch", "/tmp/dirty"}, nil, io.Discard, io.Discard); err != nil || code != 0 {
		t.Fatal(code, err)
	}

	backup, inst, err := r.Reset(ctx, lab, StartOptions{})
	if err != nil {
		t.Fatalf("reset: %v", err)
	}
	if inst.Workspace != ws {
		t.Fatalf("reset moved the workspace to %s", inst.Workspace)
	}
	if got, _ := os.ReadFile(mine); string(got) != "my own work\n" {
		t.Fatalf("reset changed the learner's file: %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(backup, "notes.txt")); string(got) != "my own work\n" {
		t.Fatalf("backup %s lacks the learner's file: %q", backup, got)
	}
	if code, _ := r.Exec(ctx, lab.ID, "worker", []string{"test", "-e", "/tmp/dirty"}, nil, io.Discard, io.Discard); code == 0 {
		t.Fatal("reset did not recreate the environment")
	}
}

func TestTakenHostPortIsNamed(t *testing.T) {
	r := newTestRuntime(t)
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	dir := filepath.Join("testdata", "rt", "rt-fixedport")
	lab, err := spec.ParseLab(os.DirFS(dir), dir, map[string]string{"hostport": port})
	if err != nil {
		t.Fatal(err)
	}
	stopAtEnd(t, r, lab.ID)
	_, _, err = r.Start(context.Background(), lab, StartOptions{Workspace: t.TempDir()})
	var env *EnvError
	if !errors.As(err, &env) || !strings.Contains(err.Error(), "host port "+port+" (node worker") || !strings.Contains(err.Error(), "another process") {
		t.Fatalf("want an EnvError naming port %s and its holder, got %v", port, err)
	}
	nothingLeft(t, r, lab.ID, "")
}

// Nodes run as root; files they write into the learner's workspace are handed
// back to the workspace's owner, so the learner's editor can still save them.
func TestNodeFilesInWorkspaceBelongToTheLearner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the test workspace another owner")
	}
	r := newTestRuntime(t)
	ctx := context.Background()
	lab := loadTestLab(t, "rt-basic")
	stopAtEnd(t, r, lab.ID)
	ws := t.TempDir()
	if err := os.Chown(ws, 1000, 1000); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Start(ctx, lab, StartOptions{Workspace: ws}); err != nil {
		t.Fatal(err)
	}
	if code, err := r.Exec(ctx, lab.ID, "web", []string{"sh", "-c", "mkdir -p /workspace/out && touch /workspace/out/made-in-node"}, nil, io.Discard, io.Discard); err != nil || code != 0 {
		t.Fatal(code, err)
	}
	for _, p := range []string{"out", "out/made-in-node", "notes.txt"} {
		info, err := os.Stat(filepath.Join(ws, p))
		if err != nil {
			t.Fatal(err)
		}
		if st := info.Sys().(*syscall.Stat_t); st.Uid != 1000 || st.Gid != 1000 {
			t.Errorf("%s is owned by %d:%d, want the workspace owner 1000:1000", p, st.Uid, st.Gid)
		}
	}
}

// A node's cap_add reaches Docker: the node with NET_ADMIN may change lo's
// MTU (what `ip link set lo mtu 1400` does), the same image without it may not.
func TestNodeCapAdd(t *testing.T) {
	r, lab, _ := startTestLab(t, "rt-caps")
	ctx := context.Background()
	var out, errOut bytes.Buffer
	code, err := r.Exec(ctx, lab.ID, "netadmin", []string{"set-mtu", "1400"}, nil, &out, &errOut)
	if err != nil || code != 0 || !strings.Contains(out.String(), "lo mtu 1400") {
		t.Fatalf("with NET_ADMIN: exit %d %q %q %v", code, out.String(), errOut.String(), err)
	}
	out.Reset()
	errOut.Reset()
	code, err = r.Exec(ctx, lab.ID, "plain", []string{"set-mtu", "1400"}, nil, &out, &errOut)
	if err != nil || code == 0 || !strings.Contains(errOut.String(), "Operation not permitted") {
		t.Fatalf("without NET_ADMIN: exit %d %q %q %v", code, out.String(), errOut.String(), err)
	}
}
