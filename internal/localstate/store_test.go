package localstate

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/opslab/opslab/grader"
)

func TestHintStore(t *testing.T) {
	tasks := []grader.Task{{ID: "lb", Hints: []string{"nudge", "pointer", "solution"}}, {ID: "quiet"}}
	dir := t.TempDir()
	s := NewHintStore(dir, "s1", HintsFromTasks("lab", tasks))
	for i, want := range []string{"nudge", "pointer", "solution", "solution"} {
		hint, tier, total, err := s.Next("lab", "lb")
		if err != nil || hint != want || tier != min(i+1, 3) || total != 3 {
			t.Fatalf("Next #%d = %q %d/%d %v, want %q", i+1, hint, tier, total, err, want)
		}
	}
	// A new store (a later CLI run) sees the same progress.
	if used := NewHintStore(dir, "s1", HintsFromTasks("lab", tasks)).Used("lab"); used["lb"] != 3 {
		t.Errorf("Used = %v", used)
	}
	if used := NewHintStore(dir, "s2", HintsFromTasks("lab", tasks)).Used("lab"); len(used) != 0 {
		t.Errorf("other session sees %v", used)
	}
	tests := []struct {
		name string
		task string
		want string
	}{
		{"no hints", "quiet", "task quiet of lab lab has no hints"},
		{"unknown task", "ghost", `lab lab has no task "ghost"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewHintStore(dir, "s1", HintsFromTasks("lab", tasks))
			var nh *NoHintsError
			if _, _, _, err := s.Next("lab", tc.task); !errors.As(err, &nh) || err.Error() != tc.want {
				t.Errorf("err = %v, want %s", err, tc.want)
			}
		})
	}
}

func TestHistory(t *testing.T) {
	dir := t.TempDir()
	h := NewHistory(dir)
	h.Now = func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	results := []*grader.Result{
		{Schema: grader.ResultSchema, Lab: grader.LabInfo{ID: "a"}, StartedAt: t0, FinishedAt: t0.Add(time.Minute), Score: 4, MaxScore: 10},
		{Schema: grader.ResultSchema, Lab: grader.LabInfo{ID: "a"}, StartedAt: t0, FinishedAt: t0.Add(time.Minute), Score: 9, MaxScore: 10, Passed: true},
		{Schema: grader.ResultSchema, Lab: grader.LabInfo{ID: "a"}, StartedAt: t0.Add(time.Hour), FinishedAt: t0.Add(time.Hour + time.Minute), Score: 7, MaxScore: 10},
		{Schema: grader.ResultSchema, Lab: grader.LabInfo{ID: "b"}, StartedAt: t0, FinishedAt: t0.Add(2 * time.Minute), Score: 1, MaxScore: 5},
	}
	for _, r := range results {
		if err := h.Record(r); err != nil {
			t.Fatal(err)
		}
	}
	bad := filepath.Join(dir, "a", "20250101T000000Z.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The newest result wins, whatever its file name sorts like; the bad file is skipped.
	if got := h.Latest("a"); got == nil || got.Score != 7 {
		t.Errorf("Latest(a) = %+v, want the score-7 attempt", got)
	}
	if got := h.Latest("nope"); got != nil {
		t.Errorf("Latest of a lab without results = %+v", got)
	}
	progress, warnings, err := h.Progress()
	if err != nil {
		t.Fatal(err)
	}
	want := []LabProgress{
		{LabID: "a", BestScore: 9, MaxScore: 10, Passed: true, LastAttempt: t0.Add(time.Hour + time.Minute), Attempts: 3, TimeSpent: time.Hour + time.Minute},
		{LabID: "b", BestScore: 1, MaxScore: 5, LastAttempt: t0.Add(2 * time.Minute), Attempts: 1, TimeSpent: 2 * time.Minute},
	}
	if len(progress) != 2 || progress[0] != want[0] || progress[1] != want[1] {
		t.Errorf("progress:\n got %+v\nwant %+v", progress, want)
	}
	var ce *CorruptFileError
	if len(warnings) != 1 || !errors.As(warnings[0], &ce) || ce.MovedTo != bad[:len(bad)-5]+".corrupt-20260302T090000Z" {
		t.Fatalf("warnings = %v", warnings)
	}
	if b, err := os.ReadFile(ce.MovedTo); err != nil || string(b) != "{not json" {
		t.Errorf("corrupt file not kept intact: %q %v", b, err)
	}
	if _, _, err := h.Progress(); err != nil {
		t.Error(err)
	}
}
