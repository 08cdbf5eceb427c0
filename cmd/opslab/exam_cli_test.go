package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Exam commands' usage errors need no Docker: exit 2 with a message that says what to do.
func TestExamUsageErrors(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"status-without-exam", []string{"exam", "status"}, "no exam on this machine"},
		{"submit-without-exam", []string{"exam", "submit"}, "no exam on this machine"},
		{"grade-missing-flags", []string{"exam", "grade"}, "missing --key, --out"},
		{"create-missing-flags", []string{"exam", "create", "--labs", "alpha"}, "missing --minutes, --pass, --key, --out"},
		{"create-unknown-lab", []string{"exam", "create", "--labs", "nope", "--minutes", "5", "--pass", "50", "--key", filepath.Join(keys, "examiner.key"), "--out", filepath.Join(dir, "x.exam")}, "no lab"},
		{"create-bad-pass", []string{"exam", "create", "--labs", "alpha", "--minutes", "5", "--pass", "150", "--key", filepath.Join(keys, "examiner.key"), "--out", filepath.Join(dir, "x.exam")}, "pass mark 150"},
		{"start-odd-candidate", []string{"exam", "start", filepath.Join(dir, "x.exam"), "--candidate", "a b"}, `candidate id "a b"`},
		{"start-missing-file", []string{"exam", "start", filepath.Join(dir, "none.exam"), "--candidate", "ann"}, "no such file"},
		{"verify-missing-pubkey", []string{"verify", "r.json"}, "missing --pubkey"},
		{"verify-missing-result", []string{"verify", filepath.Join(dir, "r.json"), "--pubkey", filepath.Join(keys, "examiner.pub")}, "no such file"},
		{"keys-again", []string{"keys", "generate", "--out", keys}, "never overwritten"},
	}
	deps, _, _ := testApp(t, nil)
	if code := runCLI(deps, "keys", "generate", "--out", keys); code != 0 {
		t.Fatalf("keys generate: exit %d", code)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			deps, out, errb := testApp(t, nil)
			if code := runCLI(deps, tc.args...); code != exitUsage {
				t.Fatalf("exit %d, want 2\n%s%s", code, out, errb)
			}
			if !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("stderr %q lacks %q", errb, tc.want)
			}
		})
	}
}

func TestExamCreateWritesAVerifiableExam(t *testing.T) {
	dir := t.TempDir()
	deps, out, errb := testApp(t, nil)
	keys := filepath.Join(dir, "keys")
	if code := runCLI(deps, "keys", "generate", "--out", keys); code != 0 {
		t.Fatalf("keys: %d %s", code, errb)
	}
	if strings.Contains(out.String(), "PRIVATE KEY") {
		t.Fatal("the private key was printed")
	}
	code := runCLI(deps, "exam", "create", "--labs", "alpha,beta", "--minutes", "45", "--pass", "70", "--key", filepath.Join(keys, "examiner.key"), "--out", filepath.Join(dir, "final.exam"))
	if code != 0 {
		t.Fatalf("create: %d %s", code, errb)
	}
	wantIn(t, "create", out.String(), "exam final written", "2 lab(s), 45 minutes, pass mark 70%")
}

// A damaged exam state unlocks nothing: hint refuses instead of helping.
func TestExamStateDamagedFailsClosed(t *testing.T) {
	deps, out, errb := testApp(t, nil)
	if err := os.MkdirAll(deps.dirs.Exam(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(deps.dirs.Exam(), "state.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := runCLI(deps, "hint", "alpha"); code != exitUsage {
		t.Fatalf("exit %d, want 2\n%s%s", code, out, errb)
	}
	wantIn(t, "hint", errb.String(), "corrupted", "ask the proctor")
}
