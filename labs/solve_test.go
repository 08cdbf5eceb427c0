package labs

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A case's attempt.yaml runs after its files: its exec steps in their node,
// its node ops on the lab; the file itself never reaches the workspace.
func TestApplySolutionRunsTheAttempt(t *testing.T) {
	r, lab, inst := startTestLab(t, "rt-basic")
	ctx := context.Background()
	pid1Start := func() string { // field 22 of /proc/1/stat: when web's PID 1 started
		var out bytes.Buffer
		if _, err := r.Exec(ctx, lab.ID, "web", []string{"sh", "-c", "cut -d' ' -f22 /proc/1/stat"}, nil, &out, &out); err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(out.String())
	}
	before := pid1Start()
	if _, err := r.ApplySolution(ctx, lab, "wrong/by-hand"); err != nil {
		t.Fatalf("apply: %v", err)
	}
	var out bytes.Buffer
	if code, err := r.Exec(ctx, lab.ID, "worker", []string{"cat", "/tmp/by-hand"}, nil, &out, &out); err != nil || code != 0 || out.String() != "hello by hand\n" {
		t.Errorf("exec step: code %d err %v out %q", code, err, out.String())
	}
	if b, _ := os.ReadFile(filepath.Join(inst.Workspace, "notes.txt")); string(b) != "edited notes\n" {
		t.Errorf("the case's files were not applied: %q", b)
	}
	if _, err := os.Stat(filepath.Join(inst.Workspace, "attempt.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("attempt.yaml was copied into the workspace: %v", err)
	}
	if after := pid1Start(); after == before || after == "" {
		t.Errorf("web was not restarted: its PID 1 started at %q, then %q", before, after)
	}
}
