package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/testcontainers/testcontainers-go"

	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs"
)

// TestMain lets scripts run `opslab` as the real main, in a child process.
func TestMain(m *testing.M) {
	os.Exit(testscript.RunMain(m, map[string]func() int{"opslab": mainExit}))
}

// TestScripts runs the user journeys in testdata/script. Scripts that need Docker
// start with `[!docker] skip`; in CI (CI set) an unreachable Docker fails them instead.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:       "testdata/script",
		Setup:     setupScript,
		Condition: scriptCondition,
		Cmds:      map[string]func(*testscript.TestScript, bool, []string){"exitcode": cmdExitCode, "nolabels": cmdNoLabels},
	})
}

// passEnv are the variables of the outer environment that reach the scripts: how to
// reach Docker, and CI's strictness. Everything else is isolated.
var passEnv = []string{"DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY",
	"TESTCONTAINERS_HOST_OVERRIDE", "TESTCONTAINERS_RYUK_DISABLED", "OPSLAB_BASE_IMAGE", "CI"}

func setupScript(env *testscript.Env) error {
	for _, k := range passEnv {
		if v, ok := os.LookupEnv(k); ok {
			env.Setenv(k, v)
		}
	}
	// The real ~/.docker keeps honouring the user's Docker context under the fake HOME.
	if _, ok := os.LookupEnv("DOCKER_CONFIG"); !ok {
		if home, err := os.UserHomeDir(); err == nil {
			if st, err := os.Stat(filepath.Join(home, ".docker")); err == nil && st.IsDir() {
				env.Setenv("DOCKER_CONFIG", filepath.Join(home, ".docker"))
			}
		}
	}
	home := filepath.Join(env.WorkDir, "home")
	env.Setenv("HOME", home)
	for k, dir := range map[string]string{"XDG_STATE_HOME": "state", "XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache"} {
		env.Setenv(k, filepath.Join(home, dir))
	}
	// A session of its own per script: parallel scripts never see each other's labs.
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	session := "t-" + hex.EncodeToString(b)
	env.Setenv("OPSLAB_SESSION", session)
	env.Defer(func() { stopSession(session) })
	return nil
}

// stopSession removes whatever a failed script left behind.
func stopSession(session string) {
	if !dockerUp() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rt, err := labs.NewRuntime(ctx, labs.RuntimeOptions{Session: session, Dirs: localstate.Dirs{State: os.TempDir()}, Getenv: os.Getenv})
	if err != nil {
		return
	}
	defer rt.Close()
	_, _ = rt.StopAll(ctx)
}

var (
	dockerOnce sync.Once
	dockerErr  error
)

func dockerUp() bool {
	dockerOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var rt *labs.Runtime
		if rt, dockerErr = labs.NewRuntime(ctx, labs.RuntimeOptions{Dirs: localstate.Dirs{State: os.TempDir()}, Getenv: os.Getenv}); dockerErr == nil {
			rt.Close()
		}
	})
	return dockerErr == nil
}

func scriptCondition(cond string) (bool, error) {
	if cond != "docker" {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	if dockerUp() {
		return true, nil
	}
	if os.Getenv("CI") != "" {
		return false, fmt.Errorf("Docker is required when CI is set, and it is unreachable: %v", dockerErr)
	}
	return false, nil
}

// cmdExitCode runs a command and checks its exit code: exitcode N CMD [ARG...].
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exitcode: %v", err)
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// cmdNoLabels checks that no container or network of this script's session is left.
func cmdNoLabels(ts *testscript.TestScript, neg bool, args []string) {
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		ts.Fatalf("docker: %v", err)
	}
	defer p.Close()
	ctx := context.Background()
	f := client.Filters{}.Add("label", labs.LabelSession+"="+ts.Getenv("OPSLAB_SESSION"))
	cs, err := p.Client().ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		ts.Fatalf("list containers: %v", err)
	}
	ns, err := p.Client().NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		ts.Fatalf("list networks: %v", err)
	}
	var left []string
	for _, c := range cs.Items {
		left = append(left, "container "+strings.Join(c.Names, ","))
	}
	for _, n := range ns.Items {
		left = append(left, "network "+n.Name)
	}
	if (len(left) > 0) != neg {
		ts.Fatalf("labelled leftovers: %v", left)
	}
}
