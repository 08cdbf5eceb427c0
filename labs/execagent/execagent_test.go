package execagent

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// startAgent builds the agent for this machine and runs it as a child process:
// the protocol and the exec semantics, without a node around it.
func startAgent(t *testing.T) (*Conn, *exec.Cmd) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the agent is a Linux program")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("go is not on PATH:", err)
	}
	dir := t.TempDir()
	if err := WriteModule(dir); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "agent")
	build := exec.Command(goBin, "build", "-o", bin, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := NewConn(stdin, stdout, stdin)
	t.Cleanup(func() { _ = c.Close(); _ = cmd.Wait() })
	return c, cmd
}

func TestAgentRunsCommandsAsDockerExecDoes(t *testing.T) {
	c, _ := startAgent(t)
	ctx := context.Background()
	cases := []struct {
		name           string
		cmd            []string
		exit           int
		stdout, stderr string
	}{
		{"output and status", []string{"sh", "-c", "echo out; echo err >&2; exit 3"}, 3, "out\n", "err\n"},
		{"not found", []string{"no-such-command-here"}, 126, "exec-agent: cannot start: ", ""},
		{"not executable", []string{"/etc/hostname"}, 126, "exec-agent: cannot start: ", ""},
		{"killed by a signal", []string{"sh", "-c", "kill -9 $$"}, 137, "", ""},
		{"stdin is empty", []string{"sh", "-c", "wc -c"}, 0, "0\n", ""},
	}
	for _, tc := range cases {
		res, err := c.Run(ctx, tc.cmd)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if res.ExitCode != tc.exit || !strings.HasPrefix(string(res.Stdout), tc.stdout) || string(res.Stderr) != tc.stderr {
			t.Errorf("%s: got exit %d stdout %q stderr %q; want %d %q %q…", tc.name, res.ExitCode, res.Stdout, res.Stderr, tc.exit, tc.stdout, tc.stderr)
		}
	}
}

func TestAgentDoesNotWaitForADaemonsOutput(t *testing.T) {
	c, _ := startAgent(t)
	start := time.Now()
	res, err := c.Run(context.Background(), []string{"sh", "-c", "echo started; sleep 30 &"})
	if err != nil || res.ExitCode != 0 || string(res.Stdout) != "started\n" {
		t.Fatalf("got %+v, %v", res, err)
	}
	if took := time.Since(start); took > outputGraceForTest+3*time.Second {
		t.Errorf("a background sleep held the answer for %s", took)
	}
}

const outputGraceForTest = 2 * time.Second // agent/main.go's outputGrace

func TestAgentCancelKillsTheProcessGroup(t *testing.T) {
	c, _ := startAgent(t)
	marker := filepath.Join(t.TempDir(), "late")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := c.Run(ctx, []string{"sh", "-c", "(sleep 1; touch " + marker + ") & wait"})
	if err != context.DeadlineExceeded {
		t.Fatalf("got %v, want the context's deadline", err)
	}
	time.Sleep(1500 * time.Millisecond)
	if _, err := os.Stat(marker); err == nil {
		t.Error("the cancelled command's child ran on")
	}
	res, err := c.Run(context.Background(), []string{"true"})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("after a cancel: %+v %v", res, err)
	}
}

func TestAgentRunsCommandsConcurrently(t *testing.T) {
	c, _ := startAgent(t)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			want := strings.Repeat("x", 1000*i)
			res, err := c.Run(context.Background(), []string{"sh", "-c", "sleep 1; printf %s " + want})
			if err != nil || res.ExitCode != 0 || string(res.Stdout) != want {
				t.Errorf("command %d: exit %d, %d bytes, %v", i, res.ExitCode, len(res.Stdout), err)
			}
		}(i)
	}
	wg.Wait()
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("8 commands of 1 s took %s: not run side by side", took)
	}
}

func TestAgentGoneMidCommandIsAKill(t *testing.T) {
	c, cmd := startAgent(t)
	go func() { time.Sleep(300 * time.Millisecond); _ = cmd.Process.Kill() }()
	res, err := c.Run(context.Background(), []string{"sleep", "10"})
	if err != nil || res.ExitCode != 137 {
		t.Fatalf("got %+v, %v; want exit 137 as docker exec reports a killed node", res, err)
	}
	if !c.Gone() {
		t.Fatal("Gone() is false after the agent died")
	}
	if _, err := c.Run(context.Background(), []string{"true"}); err == nil {
		t.Fatal("Run on a gone agent succeeded")
	}
}
