package classroom

import (
	"testing"
	"time"
)

func TestStuck(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	rules := StuckRules{After: 10 * time.Minute, Fails: 3}
	grade := func(at time.Duration, tunedPasses bool) StoredEvent {
		e := gradeEvent("x", "alpha", 2, false, "nope")
		if tunedPasses {
			e = gradeEvent("x", "alpha", 4, false, "")
		}
		e.At = t0.Add(at)
		return StoredEvent{Learner: 1, Received: e.At, Event: e}
	}
	cases := []struct {
		name   string
		events []StoredEvent
		now    time.Duration
		stuck  bool
	}{
		{"just started", []StoredEvent{grade(0, false)}, time.Minute, false},
		{"no progress for N minutes", []StoredEvent{grade(0, false)}, 11 * time.Minute, true},
		{"same check fails K times", []StoredEvent{grade(0, false), grade(time.Minute, false), grade(2*time.Minute, false)}, 3 * time.Minute, true},
		{"fails twice then passes", []StoredEvent{grade(0, false), grade(time.Minute, false), grade(2*time.Minute, true)}, 3 * time.Minute, false},
		{"progress resets the clock", []StoredEvent{grade(0, false), grade(9*time.Minute, true)}, 15 * time.Minute, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBoard()
			b.AddLearner(Learner{ID: 1, Class: "c", Name: "A", Joined: t0})
			for _, e := range tc.events {
				b.Apply("c", e, nil)
			}
			cell := b.Classes["c"].Learners[1].Cells["alpha"]
			if got, why := cell.Stuck(t0.Add(tc.now), rules); got != tc.stuck {
				t.Errorf("stuck = %v (%s), want %v", got, why, tc.stuck)
			}
		})
	}
}

// A late resend of an older grade counts for the best score, not as the latest.
func TestOlderGradeDoesNotReplaceNewer(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	b := NewBoard()
	b.AddLearner(Learner{ID: 1, Class: "c", Name: "A", Joined: t0})
	newer, older := gradeEvent("n", "alpha", 3, false, "x"), gradeEvent("o", "alpha", 1, false, "x")
	newer.At, older.At = t0.Add(time.Minute), t0
	b.Apply("c", StoredEvent{Learner: 1, Event: newer}, nil)
	b.Apply("c", StoredEvent{Learner: 1, Event: older}, nil)
	cell := b.Classes["c"].Learners[1].Cells["alpha"]
	if cell.Score != 3 || cell.Best != 3 || cell.Grades != 2 {
		t.Errorf("score %g best %g grades %d, want 3 3 2", cell.Score, cell.Best, cell.Grades)
	}
}
