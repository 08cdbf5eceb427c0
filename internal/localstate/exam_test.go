package localstate

import (
	"testing"
	"time"
)

func TestExamStateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if s, err := LoadExam(dir); s != nil || err != nil {
		t.Fatalf("no exam: %v %v", s, err)
	}
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	in := &ExamState{ExamName: "x", Candidate: "alice", Session: "exam-alice", StartedAt: now, Deadline: now.Add(time.Hour),
		Labs: []ExamLab{{ID: "web", Params: map[string]string{"port": "8081"}, Workspace: "/w"}}}
	if err := SaveExam(dir, in); err != nil {
		t.Fatal(err)
	}
	out, err := LoadExam(dir)
	if err != nil {
		t.Fatal(err)
	}
	if out.Lab("web").Params["port"] != "8081" || out.Lab("db") != nil || !out.Deadline.Equal(in.Deadline) {
		t.Fatalf("round trip: %+v", out)
	}
}

func TestLockExamIsExclusive(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockExam(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		u, err := LockExam(dir)
		if err == nil {
			u()
		}
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("a second holder got the lock")
	case <-time.After(200 * time.Millisecond):
	}
	unlock()
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("the lock was not given back")
	}
}
