package main

import (
	"os"
	"strings"
	"testing"
)

func TestHintRevealsTiersInTurn(t *testing.T) {
	deps, out, errb := testApp(t, nil)
	for i, want := range []string{"Hint 1/2 — up", "Hint 2/2 — up", "Hint 2/2 — up"} {
		out.Reset()
		if code := runCLI(deps, "hint", "alpha", "up"); code != exitOK {
			t.Fatalf("hint #%d: exit %d, stderr: %s", i+1, code, errb)
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("hint #%d printed %q, want %q", i+1, out, want)
		}
	}
}

func TestHintOfUnknownTaskIsUsageError(t *testing.T) {
	deps, _, errb := testApp(t, nil)
	if code := runCLI(deps, "hint", "alpha", "nope"); code != exitUsage {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitUsage, errb)
	}
}

// A hint store that cannot be written is the machine's fault, not the
// learner's command: exit 3, naming the folder.
func TestHintStoreUnwritableIsEnvError(t *testing.T) {
	deps, _, errb := testApp(t, nil)
	if err := os.WriteFile(deps.dirs.Hints(), []byte("a file where the folder goes"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := runCLI(deps, "hint", "alpha", "up"); code != exitEnv {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitEnv, errb)
	}
	if !strings.Contains(errb.String(), deps.dirs.Hints()) {
		t.Errorf("stderr %q does not name the hints folder", errb)
	}
}
