package labs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/opslab/opslab/grader"
)

// The grader's view of a real lab: a hanging command is killed inside the
// container, files come from nodes and the workspace, HTTP goes from a node.
func TestTargetAgainstRealLab(t *testing.T) {
	r, lab, inst := startTestLab(t, "rt-basic")
	ctx := context.Background()
	target := r.Target(lab, inst)

	started := time.Now()
	_, err := target.Exec(ctx, "worker", []string{"sh", "-c", "sleep 31; echo never"}, time.Second)
	if !errors.Is(err, grader.ErrTimeout) || time.Since(started) > 10*time.Second {
		t.Fatalf("hanging exec: err %v after %s, want ErrTimeout within seconds", err, time.Since(started))
	}
	res, err := target.Exec(ctx, "worker", []string{"sh", "-c", "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ' | grep -c 'sleep 3[1]' || true"}, 5*time.Second)
	if err != nil || strings.TrimSpace(res.Stdout) != "0" {
		t.Fatalf("the timed-out command still runs in the container: %q %v", res.Stdout, err)
	}

	f, err := target.ReadFile(ctx, "worker", "/tmp/setup-done")
	if err != nil || !f.Exists || strings.TrimSpace(string(f.Content)) != "hello" || f.Owner != "root" {
		t.Fatalf("node file: %+v %v", f, err)
	}
	if f, err := target.ReadFile(ctx, "worker", "/nope"); err != nil || f.Exists {
		t.Fatalf("missing node file: %+v %v", f, err)
	}
	if f, err := target.ReadFile(ctx, grader.WorkspaceNode, "notes.txt"); err != nil || !strings.Contains(string(f.Content), "learner notes") {
		t.Fatalf("workspace file: %+v %v", f, err)
	}
	if _, err := target.ReadFile(ctx, grader.WorkspaceNode, "../../etc/passwd"); err == nil {
		t.Fatal("a path leaving the workspace must be refused")
	}
	if st, err := target.Container(ctx, "web"); err != nil || !st.Running {
		t.Fatalf("container state: %+v %v", st, err)
	}
}
