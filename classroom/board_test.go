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

type verifierFunc func([]byte) (ExamVerdict, error)

func (f verifierFunc) Verify(b []byte) (ExamVerdict, error) { return f(b) }

// The exam seam: a submitted envelope is kept and shown unverified until a
// verifier (the exam feature's, with the examiner's key) accepts it.
func TestExamSubmissionSeam(t *testing.T) {
	env := []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}`)
	claimed := &Grade{Score: 10, MaxScore: 10, Passed: true} // what the CLI says
	ev := StoredEvent{Learner: 1, Event: Event{ID: "x", Kind: KindExamSubmitted, Lab: "exam-cka", At: time.Now(), Exam: env, Grade: claimed}}
	for _, tc := range []struct {
		name     string
		v        ExamVerifier
		verified bool
		score    float64
	}{
		{"no verifier configured", nil, false, 10},
		{"signature refused", verifierFunc(func([]byte) (ExamVerdict, error) { return ExamVerdict{}, errBadSig }), false, 10},
		{"signature good", verifierFunc(func([]byte) (ExamVerdict, error) { return ExamVerdict{Score: 7, MaxScore: 10}, nil }), true, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBoard()
			b.AddLearner(Learner{ID: 1, Class: "c", Name: "A"})
			b.Apply("c", ev, tc.v)
			cell := b.Classes["c"].Learners[1].Cells["exam-cka"]
			m := cell.Exam
			if m == nil || m.Verified != tc.verified || (!m.Verified && m.Note == "") {
				t.Errorf("exam mark %+v, want verified=%v (with a reason when not)", m, tc.verified)
			}
			if cell.Score != tc.score {
				t.Errorf("score %g, want %g (a verified result's own verdict, else the claim)", cell.Score, tc.score)
			}
		})
	}
}

var errBadSig = errorString("signature does not verify with the examiner's key")

type errorString string

func (e errorString) Error() string { return string(e) }
