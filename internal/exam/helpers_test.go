package exam

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opslab/opslab/grader"
)

var t0 = time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)

func newKey(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

const digestA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// fixture is a signed exam and a signed result for it.
type fixture struct {
	pub      ed25519.PublicKey
	priv     ed25519.PrivateKey
	examFile []byte
	exam     *Exam
	subjects []Subject
	pred     *Predicate
	result   []byte
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	pub, priv := newKey(t)
	e, err := NewExam("cka-prep", []Lab{{ID: "web", Digest: digestA}}, 90, 70, false, t0, 30*24*time.Hour, pub)
	if err != nil {
		t.Fatal(err)
	}
	examFile, err := SignExam(e, priv)
	if err != nil {
		t.Fatal(err)
	}
	res := &grader.Result{Schema: grader.ResultSchema, Lab: grader.LabInfo{ID: "web", Version: "1", Digest: digestA},
		Learner: "alice@example.org", Session: "exam-alice", StartedAt: t0.Add(time.Hour), FinishedAt: t0.Add(time.Hour + time.Minute),
		Score: 3, MaxScore: 4, Tasks: []grader.TaskResult{
			{ID: "up", Title: "Up", Status: grader.StatusPass, Points: 3, Earned: 3, Required: true,
				Checks: []grader.CheckResult{{ID: "c1", Kind: "command", Status: grader.StatusPass, Attempts: 1}}},
			{ID: "tuned", Title: "Tuned", Status: grader.StatusFail, Points: 1,
				Checks: []grader.CheckResult{{ID: "c2", Kind: "command", Status: grader.StatusFail, Message: "exit 1", Attempts: 1}}},
		}}
	score, max, pct, passed := Verdict(e.Pass, []*grader.Result{res})
	res.Passed = passed
	p := &Predicate{Exam: ExamRef{Name: e.Name, Digest: FileDigest(examFile)}, Candidate: "alice@example.org", Session: "exam-alice",
		StartedAt: t0, Deadline: e.Deadline(t0), SubmittedAt: t0.Add(80 * time.Minute), GradedAt: t0.Add(85 * time.Minute),
		OpslabVersion: "test", Engine: "unix:///var/run/docker.sock", ProctoredHow: "graded on the engine of the machine the key was on",
		Score: score, MaxScore: max, Percent: pct, PassMark: e.Pass, Passed: passed,
		Labs: []LabResult{{ID: "web", Params: map[string]string{"port": "8081"}, Result: res}}}
	subjects := []Subject{{SubjectExam + e.Name, FileDigest(examFile)}, {SubjectLab + "web", digestA},
		{SubjectImage + "web/app", strings.Repeat("b", 64)}, {SubjectWorkspace + "web", strings.Repeat("c", 64)}}
	out, err := SignResult(priv, subjects, p)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{pub: pub, priv: priv, examFile: examFile, exam: e, subjects: subjects, pred: p, result: out}
}

func (f *fixture) resign(t testing.TB, subjects []Subject, p *Predicate) []byte {
	t.Helper()
	out, err := SignResult(f.priv, subjects, p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustDER(t testing.TB, priv ed25519.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	return der
}
