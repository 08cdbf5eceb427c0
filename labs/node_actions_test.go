package labs

import (
	"context"
	"io"
	"testing"

	"github.com/opslab/opslab/grader"
)

func TestNodeActions(t *testing.T) {
	r, lab, inst := startTestLab(t, "rt-basic")
	ctx := context.Background()
	run := func(node string, cmd ...string) int {
		t.Helper()
		code, err := r.Exec(ctx, lab.ID, node, cmd, nil, io.Discard, io.Discard)
		if err != nil {
			t.Fatalf("exec %v: %v", cmd, err)
		}
		return code
	}
	target := r.Target(lab, inst)

	run("worker", "touch", "/tmp/dirty")
	if err := target.(grader.NodeActor).NodeAction(ctx, "worker", ActionRecreate); err != nil {
		t.Fatalf("recreate: %v", err)
	}
	if run("worker", "test", "-e", "/tmp/dirty") == 0 {
		t.Fatal("recreate kept the old container's files")
	}
	if run("worker", "test", "-s", "/tmp/setup-done") != 0 {
		t.Fatal("recreate did not run the node's setup steps")
	}

	if err := target.(grader.NodeActor).NodeAction(ctx, "web", ActionStop); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if st, err := target.Container(ctx, "web"); err != nil || st.Running || !st.Exists {
		t.Fatalf("after stop: %+v %v", st, err)
	}
	if err := target.(grader.NodeActor).NodeAction(ctx, "web", ActionStart); err != nil {
		t.Fatalf("start: %v", err)
	}
	if err := target.(grader.NodeActor).NodeAction(ctx, "web", ActionRestart); err != nil {
		t.Fatalf("restart: %v", err)
	}
	// Ready again: the wait strategy (port 80) was re-checked.
	res, err := target.Exec(ctx, "web", []string{"sh", "-c", listeningScript(80)}, 0)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("web not listening after restart: %+v %v", res, err)
	}
	if err := target.(grader.NodeActor).NodeAction(ctx, "nope", ActionRestart); err == nil {
		t.Fatal("an unknown node must be an error")
	}
}
