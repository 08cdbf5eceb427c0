package labs

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/opslab/opslab/labs/spec"
)

// The readiness loop is plain sh: run it here, as a node would.
func TestReadinessLoop(t *testing.T) {
	flag := filepath.Join(t.TempDir(), "ready")
	loop := readinessLoop(&spec.Wait{Command: "test -e " + flag, Timeout: "2s"})

	go func() {
		time.Sleep(300 * time.Millisecond)
		_ = os.WriteFile(flag, nil, 0o644)
	}()
	started := time.Now()
	if out, err := exec.Command("sh", "-c", loop).CombinedOutput(); err != nil {
		t.Fatalf("the probe succeeds after 0.3 s, the loop failed: %v %s", err, out)
	}
	if took := time.Since(started); took > 1500*time.Millisecond {
		t.Errorf("ready after 0.3 s, the loop noticed only after %s", took)
	}

	os.Remove(flag)
	started = time.Now()
	err := exec.Command("sh", "-c", loop).Run()
	took := time.Since(started)
	if err == nil {
		t.Fatal("a probe that never succeeds must end the loop with exit 1")
	}
	if took < 1500*time.Millisecond || took > 4*time.Second {
		t.Errorf("a 2 s timeout gave up after %s", took)
	}
}

func TestReadinessLoopAllProbes(t *testing.T) {
	if readinessLoop(&spec.Wait{Log: "ready"}) != "" {
		t.Error("a log-only wait has no shell probe")
	}
	// Every probe must pass: a command that succeeds does not hide a port that
	// nothing listens on (port 1 here).
	if exec.Command("sh", "-c", readinessLoop(&spec.Wait{Port: 1, Command: "true", Timeout: "1s"})).Run() == nil {
		t.Fatal("port 1 does not listen, yet the loop said ready")
	}
	if err := exec.Command("sh", "-c", readinessLoop(&spec.Wait{Command: "true", Timeout: "1s"})).Run(); err != nil {
		t.Fatalf("a command that succeeds: %v", err)
	}
}
