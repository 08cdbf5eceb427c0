package localstate

import (
	"maps"
	"os"
	"path/filepath"
	"testing"
)

func TestWorkspaceParamsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	ws := "/home/l/opslab/inc-502"
	if got := LoadWorkspaceParams(dir, "inc-502", ws); got != nil {
		t.Fatalf("nothing saved yet: %v", got)
	}
	want := map[string]string{"n": "2", "crash": "TIMEOUT"}
	if err := SaveWorkspaceParams(dir, "inc-502", ws, want); err != nil {
		t.Fatal(err)
	}
	if got := LoadWorkspaceParams(dir, "inc-502", ws); !maps.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	// Another lab's workspace or another folder: not this record.
	if got := LoadWorkspaceParams(dir, "lb-basics", ws); got != nil {
		t.Errorf("another lab: %v", got)
	}
	if got := LoadWorkspaceParams(dir, "inc-502", ws+"-2"); got != nil {
		t.Errorf("another folder: %v", got)
	}
	if err := ForgetWorkspaceParams(dir, ws); err != nil {
		t.Fatal(err)
	}
	if got := LoadWorkspaceParams(dir, "inc-502", ws); got != nil {
		t.Errorf("forgotten: %v", got)
	}
	if err := ForgetWorkspaceParams(dir, ws); err != nil {
		t.Errorf("forgetting twice: %v", err)
	}
}

func TestWorkspaceParamsIgnoresACorruptRecord(t *testing.T) {
	dir := t.TempDir()
	ws := "/w"
	if err := os.WriteFile(workspaceParamsPath(dir, ws), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := LoadWorkspaceParams(dir, "x", ws); got != nil {
		t.Fatalf("corrupt record read as %v", got)
	}
	if err := SaveWorkspaceParams(dir, "x", ws, map[string]string{"a": "1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.Base(workspaceParamsPath(dir, ws))+".tmp")); !os.IsNotExist(err) {
		t.Errorf("temporary file left: %v", err)
	}
}
