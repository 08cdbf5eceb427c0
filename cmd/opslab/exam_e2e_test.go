package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opslab/opslab/internal/exam"
	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs"
	"github.com/opslab/opslab/labs/spec"
)

// requireDocker skips a test without Docker, and fails it when CI is set.
func requireDocker(t *testing.T) {
	t.Helper()
	if dockerUp() {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("Docker is required when CI is set, and it is unreachable: %v", dockerErr)
	}
	t.Skipf("Docker is not reachable (in CI this fails instead): %v", dockerErr)
}

// person runs opslab in this process as someone with their own home, state
// and workspaces: a machine of their own, sharing the one Docker engine.
type person struct {
	t       *testing.T
	home    string
	content string
	now     func() time.Time
}

type ran struct {
	code        int
	out, stderr string
}

func (p *person) run(args ...string) ran {
	p.t.Helper()
	streams, out, errb := testIO()
	env := map[string]string{"HOME": p.home, "XDG_STATE_HOME": filepath.Join(p.home, "state"),
		"XDG_CACHE_HOME": filepath.Join(p.home, "cache"), "OPSLAB_WORKSPACES": filepath.Join(p.home, "ws")}
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		for _, pass := range passEnv {
			if k == pass {
				return os.Getenv(k)
			}
		}
		return ""
	}
	deps := newDeps(streams, getenv)
	deps.now = p.now
	deps.spawnWatcher = nil // the test binary is no opslab; timeUp runs the deadline keeper itself
	code := run(context.Background(), deps, append([]string{"opslab", "--content", p.content}, args...))
	r := ran{code: code, out: out.String(), stderr: errb.String()}
	p.t.Logf("$ opslab %s → exit %d\n%s%s", strings.Join(args, " "), code, r.out, r.stderr)
	return r
}

func (p *person) must(want int, args ...string) ran {
	p.t.Helper()
	r := p.run(args...)
	if r.code != want {
		p.t.Fatalf("opslab %s: exit %d, want %d\n%s%s", strings.Join(args, " "), r.code, want, r.out, r.stderr)
	}
	return r
}

func wantIn(t *testing.T, what, got string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(got, s) {
			t.Fatalf("%s lacks %q:\n%s", what, s, got)
		}
	}
}

func stopExamSession(t *testing.T, candidate string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rt, err := labs.NewRuntime(ctx, labs.RuntimeOptions{Session: exam.Session(candidate), Dirs: localstate.Dirs{State: t.TempDir()}, Getenv: os.Getenv})
	if err != nil {
		return
	}
	defer rt.Close()
	_, _ = rt.StopAll(ctx)
}

// TestExamEndToEnd is the certification check-off with real Docker: the
// examiner makes keys and an exam; two candidates start it on one engine and
// get different params; one hands in a partial solution, the other a full
// one and then changes their work after handing in; the proctor grades both;
// both results verify, and tampered ones do not.
func TestExamEndToEnd(t *testing.T) {
	requireDocker(t)
	t.Setenv("OPSLAB_SESSION", "")
	t.Setenv("OPSLAB_CONTENT", "")
	t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	root := t.TempDir()
	content, err := filepath.Abs("testdata/exam-content")
	if err != nil {
		t.Fatal(err)
	}
	examiner := &person{t: t, home: filepath.Join(root, "examiner"), content: content}
	keys, examFile := filepath.Join(root, "keys"), filepath.Join(root, "mini.exam")
	key, pub := filepath.Join(keys, "examiner.key"), filepath.Join(keys, "examiner.pub")

	examiner.must(0, "keys", "generate", "--out", keys)
	examiner.must(0, "exam", "create", "--labs", "exam-mini", "--minutes", "30", "--pass", "80", "--key", key, "--out", examFile, "--self-check")

	// Two candidates whose words differ (the seed is random: pick the second so).
	run := testRunID(t) // candidates of their own: runs side by side never share a session
	alice := "alice." + run + "@example.org"
	bob := pickOtherCandidate(t, content, examFile, alice, run)
	t.Cleanup(func() { stopExamSession(t, alice); stopExamSession(t, bob) })
	pa := &person{t: t, home: filepath.Join(root, "alice"), content: content}
	pb := &person{t: t, home: filepath.Join(root, "bob"), content: content}

	wantIn(t, "exam start", pa.must(0, "exam", "start", examFile, "--candidate", alice).out, "lab exam-mini is running", "left")
	pb.must(0, "exam", "start", examFile, "--candidate", bob)
	sa, sb := examStatus(t, pa), examStatus(t, pb)
	if sa.Labs[0].Params["word"] == sb.Labs[0].Params["word"] || sa.Session == sb.Session {
		t.Fatalf("the candidates share params or a session: %+v %+v", sa, sb)
	}
	if sa.SecondsLeft <= 0 || sa.SecondsLeft > 30*60 || sa.State != "running" {
		t.Fatalf("status: %+v", sa)
	}
	wsA, wsB := sa.Labs[0].Workspace, sb.Labs[0].Workspace
	wordA, wordB := strings.TrimSpace(readFile(t, filepath.Join(wsA, "WORD"))), strings.TrimSpace(readFile(t, filepath.Join(wsB, "WORD")))
	if wordA != sa.Labs[0].Params["word"] || wordB != sb.Labs[0].Params["word"] {
		t.Fatalf("the labs did not start with the candidates' params: %s/%s vs %v %v", wordA, wordB, sa.Labs[0].Params, sb.Labs[0].Params)
	}

	// The params survive a reset and cannot be overridden; status shows the time left.
	wantIn(t, "status", pa.must(0, "status").out, "exam mini:", "left")
	wantIn(t, "start --param", pa.must(2, "start", "exam-mini", "--param", "word=zzz").stderr, "set by the exam")
	pa.must(0, "reset", "exam-mini")
	if got := strings.TrimSpace(readFile(t, filepath.Join(wsA, "WORD"))); got != wordA {
		t.Fatalf("after reset the word is %q, was %q", got, wordA)
	}

	// Locked during the exam.
	wantIn(t, "hint", pa.must(2, "hint", "exam-mini").stderr, "locked during an exam")
	wantIn(t, "solve", pa.must(2, "solve", "exam-mini").stderr, "locked during an exam")
	pa.must(2, "grade", "exam-mini", "--format", "json")
	pa.must(2, "exam", "grade", "--key", key, "--out", filepath.Join(root, "early.json")) // time left, not handed in

	// Alice: a partial solution. Self-check shows per task, nothing of the checks.
	writeFile(t, filepath.Join(wsA, "answer.txt"), wordA+"\n")
	self := pa.must(1, "grade", "exam-mini")
	wantIn(t, "self-check", self.out, "✓ answer", "✗ kept")
	for _, leak := range []string{"expected", "hidden", "cat /srv/word", "command-", "grep"} {
		if strings.Contains(self.out, leak) {
			t.Fatalf("the self-check describes checks (%q):\n%s", leak, self.out)
		}
	}
	pa.must(0, "exam", "submit")

	// Bob: the full solution, then work after handing in that must not count.
	writeFile(t, filepath.Join(wsB, "answer.txt"), wordB+"\n")
	pb.must(0, "exec", "exam-mini", "app", "--", "sh", "-c", "cp /workspace/WORD /srv/word")
	pb.must(0, "grade", "exam-mini")
	wantIn(t, "submit", pb.must(0, "exam", "submit").out, "handed in", "nodes are stopped")
	writeFile(t, filepath.Join(wsB, "answer.txt"), "changed after handing in\n")
	sb = examStatus(t, pb)
	if sb.State != "submitted" || sb.SecondsLeft != 0 {
		t.Fatalf("after submit: %+v", sb)
	}

	// The proctor grades each candidate's machine.
	resA, resB := filepath.Join(root, "alice.result.json"), filepath.Join(root, "bob.result.json")
	ga := pa.must(1, "exam", "grade", "--key", key, "--out", resA)
	wantIn(t, "alice's grade", ga.out+ga.stderr, "not passed", "restarted [app]")
	gb := pb.must(0, "exam", "grade", "--key", key, "--out", resB)
	wantIn(t, "bob's grade", gb.out, "4/4", "passed")
	if got := readFile(t, filepath.Join(wsB, "answer.txt")); got != wordB+"\n" {
		t.Fatalf("the grade did not use the snapshot: answer.txt is %q", got)
	}
	wantIn(t, "grading twice", pb.must(2, "exam", "grade", "--key", key, "--out", resB+".again").stderr, "one final grade per sitting")
	// After the final grade, hints open again, and grade shows details, but never a hidden check's.
	pa.must(0, "hint", "exam-mini")
	after := pa.must(1, "--session", sa.Session, "grade", "exam-mini", "--format", "json").out
	wantIn(t, "grade after the exam", after, `"id": "hidden-1"`, "a hidden check: graded, not described", "/srv/word")
	if strings.Contains(after, "grep -q") {
		t.Fatalf("grade describes the hidden check:\n%s", after)
	}

	// Anyone verifies offline.
	va := examiner.must(0, "verify", resA, "--pubkey", pub, "--exam", examFile, "--content", content)
	wantIn(t, "verify alice", va.out, "valid", alice, "NOT PASSED", "3/4", "proctored   false")
	vb := examiner.must(0, "verify", resB, "--pubkey", pub, "--exam", examFile, "--content", content)
	wantIn(t, "verify bob", vb.out, "valid", bob, "PASSED", "4/4")

	// The signed result is complete: the hidden check is in it, with its details.
	v, err := exam.VerifyResult([]byte(readFile(t, resB)), resB, mustPub(t, pub), exam.VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kept := v.Predicate.Labs[0].Result.Tasks[1]
	if len(kept.Checks) != 2 || !kept.Checks[1].Hidden || kept.Checks[1].Kind != "command" || v.Predicate.Labs[0].Params["word"] != wordB {
		t.Fatalf("the signed result is not complete: %+v", kept)
	}
	names := map[string]bool{}
	for _, s := range v.Subjects {
		names[s.Name] = true
	}
	for _, n := range []string{"exam:mini", "lab:exam-mini", "image:exam-mini/app", "workspace:exam-mini"} {
		if !names[n] {
			t.Fatalf("subject %s missing: %v", n, v.Subjects)
		}
	}

	t.Run("time up", func(t *testing.T) {
		timeUp(t, examiner, root, examFile, key, pub, content, "carol."+run+"@example.org")
	})
	t.Run("tampered", func(t *testing.T) { tamperSuite(t, examiner, root, resB, pub, examFile, key, content) })
}

// timeUp: nobody hands in; at the limit the deadline keeper freezes the
// workspace and stops the nodes; work after it does not count.
func timeUp(t *testing.T, examiner *person, root, examFile, key, pub, content, carol string) {
	t.Cleanup(func() { stopExamSession(t, carol) })
	var shift time.Duration
	pc := &person{t: t, home: filepath.Join(root, "carol"), content: content, now: func() time.Time { return time.Now().Add(shift) }}
	pc.must(0, "exam", "start", examFile, "--candidate", carol)
	s := examStatus(t, pc)
	ws, word := s.Labs[0].Workspace, s.Labs[0].Params["word"]
	writeFile(t, filepath.Join(ws, "answer.txt"), "not yet\n")

	shift = 30*time.Minute + time.Second
	streams, _, _ := testIO()
	deps := newDeps(streams, func(k string) string {
		if k == "XDG_STATE_HOME" {
			return filepath.Join(pc.home, "state")
		}
		return os.Getenv(k)
	})
	deps.now = pc.now
	slept := false
	if err := runExamWatch(context.Background(), deps, func(time.Duration) { slept = true }); err != nil || slept {
		t.Fatalf("the deadline keeper: err %v, slept %t after the deadline", err, slept)
	}
	deps.close()

	// After the limit: the right answer, too late.
	writeFile(t, filepath.Join(ws, "answer.txt"), word+"\n")
	s = examStatus(t, pc)
	if s.State != "time-up" || s.SecondsLeft != 0 {
		t.Fatalf("status after the limit: %+v", s)
	}
	wantIn(t, "self-check", pc.must(2, "grade", "exam-mini").stderr, "handed in")
	res := filepath.Join(root, "carol.result.json")
	pc.must(1, "exam", "grade", "--key", key, "--out", res)
	v := examiner.must(0, "verify", res, "--pubkey", pub, "--exam", examFile)
	wantIn(t, "verify carol", v.out, "0/4", "NOT PASSED")
}

func pickOtherCandidate(t *testing.T, content, examFile, first, run string) string {
	t.Helper()
	data, err := os.ReadFile(examFile)
	if err != nil {
		t.Fatal(err)
	}
	e, err := exam.OpenExam(data, examFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := spec.LoadCatalog(os.DirFS(content), content)
	if err != nil {
		t.Fatal(err)
	}
	lab, err := cat.Load("exam-mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := exam.DeriveParams(e.Seed, first, "exam-mini", lab.Params)
	for i := range 5 {
		c := fmt.Sprintf("bob%d.%s@example.org", i, run)
		if b, _ := exam.DeriveParams(e.Seed, c, "exam-mini", lab.Params); b["word"] != a["word"] {
			return c
		}
	}
	t.Fatal("five candidates drew the same word of sixteen")
	return ""
}

func examStatus(t *testing.T, p *person) examStatusJSON {
	t.Helper()
	var s examStatusJSON
	if err := json.Unmarshal([]byte(p.must(0, "exam", "status", "--json").out), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustPub(t *testing.T, p string) []byte {
	t.Helper()
	k, err := exam.LoadPublicKey(p)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testRunID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
