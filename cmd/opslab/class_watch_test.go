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

func alphaResult(score float64) *grader.Result {
	st := grader.StatusFail
	if score == 4.5 {
		st = grader.StatusPass
	}
	return &grader.Result{Schema: grader.ResultSchema, Lab: grader.LabInfo{ID: "alpha"}, Score: score, MaxScore: 4.5, Passed: score == 4.5,
		Tasks: []grader.TaskResult{{ID: "up", Status: grader.StatusPass, Checks: []grader.CheckResult{{ID: "c1", Status: grader.StatusPass}}},
			{ID: "tuned", Status: st, Checks: []grader.CheckResult{{ID: "c1", Kind: "file", Status: st, Message: "log level is debug",
				Expected: "info", Actual: "the learner's whole config file"}}}}}
}

// Auto-progress reports a grade only when its outcome changed, marks it
// auto, and never ships a file check's "actual" (the learner's file).
func TestWatcherReportsChangesOnly(t *testing.T) {
	rt := &fakeRuntime{insts: []labs.Instance{runningAlpha()}, result: alphaResult(3)}
	deps, _, _ := testApp(t, rt)
	dir := deps.dirs.Class()
	if err := localstate.SaveMembership(dir, &localstate.Membership{Server: "http://127.0.0.1:1", Token: "ol_x"}); err != nil {
		t.Fatal(err)
	}
	w := &watcher{deps: deps, last: map[string]string{}, lastAt: map[string]time.Time{}}
	spool := localstate.NewSpool(dir)
	for i, step := range []struct {
		result *grader.Result
		want   int
	}{{alphaResult(3), 1}, {alphaResult(3), 1}, {alphaResult(4.5), 2}, {alphaResult(4.5), 2}} {
		rt.result = step.result
		w.gradeRunning(context.Background())
		if n := spool.Count(); n != step.want {
			t.Fatalf("after grading %d: %d reports spooled, want %d", i+1, n, step.want)
		}
	}
	items, _ := spool.Pending()
	first := string(items[0].Data)
	if !strings.Contains(first, `"auto":true`) || !strings.Contains(first, "log level is debug") || strings.Contains(first, "whole config file") {
		t.Errorf("spooled grade: %s", first)
	}
	if _, err := os.Stat(filepath.Join(deps.dirs.Results(), "alpha")); !os.IsNotExist(err) {
		t.Errorf("auto-progress wrote to the learner's own history (%v)", err)
	}
}

// During an exam auto-progress grades nothing.
func TestWatcherIdleDuringExam(t *testing.T) {
	rt := &fakeRuntime{insts: []labs.Instance{runningAlpha()}, result: alphaResult(3)}
	deps, _, _ := testApp(t, rt)
	if err := localstate.SaveMembership(deps.dirs.Class(), &localstate.Membership{Server: "http://127.0.0.1:1", Token: "ol_x"}); err != nil {
		t.Fatal(err)
	}
	if err := localstate.SaveExam(deps.dirs.Exam(), &localstate.ExamState{Candidate: "ada"}); err != nil {
		t.Fatal(err)
	}
	w := &watcher{deps: deps, last: map[string]string{}, lastAt: map[string]time.Time{}}
	w.gradeRunning(context.Background())
	if n := localstate.NewSpool(deps.dirs.Class()).Count(); n != 0 || len(rt.calls) != 0 {
		t.Errorf("during an exam: %d reports spooled, runtime calls %v", n, rt.calls)
	}
}
