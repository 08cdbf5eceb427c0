package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/internal/exam"
)

// signedResult is a real signed exam result of one lab, 3/4 points.
func signedResult(t *testing.T, priv ed25519.PrivateKey) []byte {
	t.Helper()
	now := time.Now().UTC()
	e, err := exam.NewExam("cka-prep", []exam.Lab{{ID: "web", Digest: strings.Repeat("a", 64)}}, 90, 70, false, now, time.Hour, priv.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	examFile, err := exam.SignExam(e, priv)
	if err != nil {
		t.Fatal(err)
	}
	res := &grader.Result{Schema: grader.ResultSchema, Lab: grader.LabInfo{ID: "web", Digest: strings.Repeat("a", 64)}, Score: 3, MaxScore: 4,
		Tasks: []grader.TaskResult{
			{ID: "up", Status: grader.StatusPass, Points: 3, Earned: 3, Checks: []grader.CheckResult{{ID: "answers", Status: grader.StatusPass}}},
			{ID: "tuned", Status: grader.StatusFail, Points: 1, Checks: []grader.CheckResult{{ID: "fast", Status: grader.StatusFail}}},
		}}
	score, max, pct, passed := exam.Verdict(e.Pass, []*grader.Result{res})
	res.Passed = passed
	p := &exam.Predicate{Exam: exam.ExamRef{Name: e.Name, Digest: exam.FileDigest(examFile)}, Candidate: "ada", StartedAt: now, Deadline: now.Add(time.Hour),
		SubmittedAt: now, GradedAt: now, Score: score, MaxScore: max, Percent: pct, PassMark: e.Pass, Passed: passed,
		Labs: []exam.LabResult{{ID: "web", Result: res}}}
	subjects := []exam.Subject{{Name: exam.SubjectExam + e.Name, SHA256: exam.FileDigest(examFile)}, {Name: exam.SubjectLab + "web", SHA256: strings.Repeat("a", 64)},
		{Name: exam.SubjectWorkspace + "web", SHA256: strings.Repeat("c", 64)}}
	out, err := exam.SignResult(priv, subjects, p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writePub(t *testing.T, pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "examiner.pub")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The class server's verifier is `opslab verify`'s check: the examiner's key
// signed it and its verdict adds up; anything else stays unverified.
func TestClassExamVerifier(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	otherPub, _, _ := ed25519.GenerateKey(rand.Reader)
	signed := signedResult(t, priv)
	v, err := newExamVerifier(writePub(t, pub))
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.Verify(signed)
	if err != nil || got.Candidate != "ada" || got.Score != 3 || got.MaxScore != 4 || got.Exam != "cka-prep" {
		t.Fatalf("verdict %+v, %v", got, err)
	}
	other, _ := newExamVerifier(writePub(t, otherPub))
	if _, err := other.Verify(signed); err == nil {
		t.Error("a result signed by another key verified")
	}
	tampered := []byte(strings.Replace(string(signed), `"signatures"`, `"signaturez"`, 1))
	if _, err := v.Verify(tampered); err == nil {
		t.Error("a tampered envelope verified")
	}
	if _, err := newExamVerifier(filepath.Join(t.TempDir(), "missing.pub")); err == nil {
		t.Error("a missing key file was accepted")
	}
	if col := examColumn("cka prep/2"); col != "exam:cka-prep-2" {
		t.Errorf("examColumn = %q", col)
	}
}
