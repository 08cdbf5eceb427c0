package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs"
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
	for _, args := range [][]string{{"hint", "alpha"}, {"show", "alpha"}, {"exam", "status"}, {"exam", "submit"}} {
		out.Reset()
		errb.Reset()
		deps.exam = nil
		if code := runCLI(deps, args...); code != exitUsage {
			t.Fatalf("%v: exit %d, want 2 (bad input, not the environment)\n%s%s", args, code, out, errb)
		}
		wantIn(t, args[0], errb.String(), "corrupted", "ask the proctor")
	}
}

// A damaged exam state unlocks nothing: grade (in any session) does not fall
// back to a learner's full report.
func TestExamStateDamagedGradeFailsClosed(t *testing.T) {
	rt := &fakeRuntime{result: &grader.Result{Schema: grader.ResultSchema, Lab: grader.LabInfo{ID: "alpha"}, Tasks: []grader.TaskResult{
		{ID: "up", Status: grader.StatusFail, Points: 3, Checks: []grader.CheckResult{{ID: "c", Status: grader.StatusFail, Message: "the secret probe saw 500"}}}}}}
	deps, out, errb := testApp(t, rt)
	if err := os.MkdirAll(deps.dirs.Exam(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(deps.dirs.Exam(), "state.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	code := runCLI(deps, "--session", "exam-ann-abc123", "grade", "alpha", "--format", "json")
	if code != exitUsage || strings.Contains(out.String(), "secret probe") {
		t.Fatalf("exit %d, want 2 and no check details\n%s%s", code, out, errb)
	}
	wantIn(t, "grade", errb.String(), "corrupted")
}

// examOnFakes starts an exam of lab alpha for ann against the fake runtime
// and returns the app (its clock at the start) and the examiner's key.
func examOnFakes(t *testing.T) (*app, *fakeRuntime, string) {
	t.Helper()
	dir := t.TempDir()
	rt := &fakeRuntime{insts: []labs.Instance{runningAlpha()}, result: &grader.Result{Schema: grader.ResultSchema, Lab: grader.LabInfo{ID: "alpha"}}}
	deps, out, errb := testApp(t, rt)
	start := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	deps.now = func() time.Time { return start }
	deps.spawnWatcher = nil
	keys := filepath.Join(dir, "keys")
	file := filepath.Join(dir, "x.exam")
	for _, args := range [][]string{
		{"keys", "generate", "--out", keys},
		{"exam", "create", "--labs", "alpha", "--minutes", "30", "--pass", "50", "--key", filepath.Join(keys, "examiner.key"), "--out", file},
		{"exam", "start", file, "--candidate", "ann"},
	} {
		if code := runCLI(deps, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errb)
		}
	}
	deps.exam = nil
	return deps, rt, filepath.Join(keys, "examiner.key")
}

// The time limit is the signed exam's, not what the state file says: a
// deadline moved later in the state is refused at the final grade.
func TestExamGradeRefusesMovedDeadline(t *testing.T) {
	deps, rt, key := examOnFakes(t)
	st, err := localstate.LoadExam(deps.dirs.Exam())
	if err != nil || st == nil {
		t.Fatalf("exam state: %v", err)
	}
	st.Deadline = st.Deadline.Add(time.Hour) // the candidate's edit
	if err := localstate.SaveExam(deps.dirs.Exam(), st); err != nil {
		t.Fatal(err)
	}
	deps.exam = nil
	deps.now = func() time.Time { return st.StartedAt.Add(80 * time.Minute) } // past the exam's limit, within the edited one
	if code := runCLI(deps, "exam", "submit"); code != 0 {
		t.Fatalf("submit: exit %d", code)
	}
	streams, out, errb := testIO()
	deps.io = streams
	code := runCLI(deps, "exam", "grade", "--key", key, "--out", filepath.Join(t.TempDir(), "r.json"))
	if code != exitUsage {
		t.Fatalf("exit %d, want 2\n%s%s", code, out, errb)
	}
	wantIn(t, "exam grade", errb.String(), "deadline", "edited")
	for _, c := range rt.calls {
		if strings.HasPrefix(c, "grade ") {
			t.Fatalf("graded anyway: %v", rt.calls)
		}
	}
}

// The deadline keeper woken long after the deadline (suspended, or stopped
// with SIGSTOP while work went on) says the snapshot is late.
func TestExamWatchWokenLateSaysLate(t *testing.T) {
	deps, _, _ := examOnFakes(t)
	st, err := localstate.LoadExam(deps.dirs.Exam())
	if err != nil || st == nil {
		t.Fatalf("exam state: %v", err)
	}
	deps.now = func() time.Time { return st.Deadline.Add(20 * time.Minute) }
	if err := runExamWatch(context.Background(), deps, func(time.Duration) {}); err != nil {
		t.Fatal(err)
	}
	st, _ = localstate.LoadExam(deps.dirs.Exam())
	if st.Snapshot == nil || !st.Snapshot.Late {
		t.Fatalf("snapshot 20 minutes after the deadline: %+v, want late", st.Snapshot)
	}
}

// Once the work is frozen (handed in, or time up), opslab changes nothing in
// the exam's labs before the final grade: `start` would replace the stopped
// nodes with fresh running ones to work in, `reset`, `shell` and `exec`
// would change what is graded.
func TestExamFrozenLabsStayFrozen(t *testing.T) {
	deps, rt, _ := examOnFakes(t)
	if code := runCLI(deps, "exam", "submit"); code != 0 {
		t.Fatalf("submit: exit %d", code)
	}
	for _, args := range [][]string{
		{"start", "alpha"},
		{"reset", "alpha"},
		{"exec", "alpha", "app", "--", "touch", "/fixed"},
		{"shell", "alpha"},
	} {
		t.Run(args[0], func(t *testing.T) {
			streams, out, errb := testIO()
			deps.io, deps.exam = streams, nil
			rt.calls = nil
			if code := runCLI(deps, args...); code != exitUsage {
				t.Fatalf("exit %d, want 2\n%s%s", code, out, errb)
			}
			wantIn(t, args[0], errb.String(), "handed in", "exam grade")
			for _, c := range rt.calls {
				if !strings.HasPrefix(c, "status") && !strings.HasPrefix(c, "running") {
					t.Fatalf("the runtime was asked to %q", c)
				}
			}
		})
	}
}

// An exam file is never overwritten: candidates may have started it, and a
// new seed would leave their params impossible to make again.
func TestExamCreateNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	deps, out, errb := testApp(t, nil)
	keys := filepath.Join(dir, "keys")
	file := filepath.Join(dir, "final.exam")
	if code := runCLI(deps, "keys", "generate", "--out", keys); code != 0 {
		t.Fatalf("keys: %d %s", code, errb)
	}
	create := []string{"exam", "create", "--labs", "alpha", "--minutes", "45", "--pass", "70", "--key", filepath.Join(keys, "examiner.key"), "--out", file}
	if code := runCLI(deps, create...); code != 0 {
		t.Fatalf("create: %d %s", code, errb)
	}
	first := readFile(t, file)
	if code := runCLI(deps, create...); code != exitUsage {
		t.Fatalf("create again: exit %d, want 2\n%s%s", code, out, errb)
	}
	wantIn(t, "create again", errb.String(), "already exists")
	if readFile(t, file) != first {
		t.Fatal("the exam file was overwritten")
	}
}
