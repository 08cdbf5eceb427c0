package localstate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/opslab/opslab/grader"
)

// FuzzReadResult feeds arbitrary result files to the history: a file that is
// not a result is set aside with a warning, never a panic, and never counted.
func FuzzReadResult(f *testing.F) {
	good, _ := json.Marshal(grader.Result{Lab: grader.LabInfo{ID: "lb-basics"}, Score: 3, MaxScore: 5,
		StartedAt: time.Unix(1, 0), FinishedAt: time.Unix(2, 0)})
	f.Add(string(good))
	f.Add(`{"schema":"` + grader.ResultSchema + `","lab":{"id":"x"},"started_at":"bad"}`)
	f.Add(`{"schema":"` + grader.ResultSchema + `","lab":{"id":"x"},"tasks":[{"checks":[null]}]}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, data string) {
		dir := t.TempDir()
		h := NewHistory(dir)
		if err := os.MkdirAll(filepath.Join(dir, "x"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "x", "20260101T000000Z.json"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		progress, warnings, err := h.Progress()
		if err != nil {
			t.Fatalf("Progress: %v", err)
		}
		if len(progress)+len(warnings) != 1 {
			t.Fatalf("one file gave %d labs and %d warnings, want exactly one of them", len(progress), len(warnings))
		}
	})
}
