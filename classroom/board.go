package classroom

import (
	"sort"
	"strconv"
	"time"
)

// StuckRules say when a learner is flagged stuck on a lab: no newly passing
// check for After, or the same check failing Fails gradings in a row.
type StuckRules struct {
	After time.Duration
	Fails int
}

// Board is the live picture of every class, folded from the events in the
// order they arrived. The dashboard reads it; the database is its log.
type Board struct {
	Classes map[string]*ClassBoard
}

// ClassBoard is one class: its learners and the labs any of them touched.
type ClassBoard struct {
	Name     string
	Code     string // the join code
	Learners map[int64]*Row
	Labs     []string // sorted
}

// Row is one learner's line of the grid.
type Row struct {
	ID       int64
	Name     string
	Joined   time.Time
	LastSeen time.Time
	Cells    map[string]*Cell
}

// Cell is one learner × lab.
type Cell struct {
	Lab          string
	Started      time.Time // first event for this lab
	Finished     time.Time // first passing grade
	LastEvent    time.Time
	Running      bool
	Grades       int
	Score        float64 // latest grade
	MaxScore     float64
	Best         float64
	Passed       bool // any grade passed
	Tasks        []Task
	HintTiers    map[string]int // task → highest tier revealed
	LastProgress time.Time      // a check passed that had not passed before (or the start)
	Exam         *ExamMark

	everPassed map[string]bool // task/check keys
	failStreak map[string]int  // task/check key → consecutive failing gradings
	latestAt   time.Time       // event time of the grade shown (a late resend of an older grade does not replace it)
}

// ExamMark is an exam result a learner submitted.
type ExamMark struct {
	At        time.Time
	Verified  bool   // checked against the examiner's key
	Candidate string // as the signed result names them
	Note      string // why not verified
}

// NewBoard returns an empty board.
func NewBoard() *Board { return &Board{Classes: map[string]*ClassBoard{}} }

// AddClass makes an empty class known (created, nobody joined yet).
func (b *Board) AddClass(name string) *ClassBoard {
	if c := b.Classes[name]; c != nil {
		return c
	}
	c := &ClassBoard{Name: name, Learners: map[int64]*Row{}}
	b.Classes[name] = c
	return c
}

// AddLearner puts a learner on their class's grid.
func (b *Board) AddLearner(l Learner) *Row {
	c := b.AddClass(l.Class)
	if r := c.Learners[l.ID]; r != nil {
		return r
	}
	r := &Row{ID: l.ID, Name: l.Name, Joined: l.Joined, LastSeen: l.Joined, Cells: map[string]*Cell{}}
	c.Learners[l.ID] = r
	return r
}

// Apply folds one stored event into the board. It reports whether the class
// got a new lab column (the whole grid must be redrawn, not one row).
func (b *Board) Apply(class string, se StoredEvent, exam ExamVerifier) (newColumn bool) {
	c := b.AddClass(class)
	r := c.Learners[se.Learner]
	if r == nil {
		return false
	}
	if se.Received.After(r.LastSeen) {
		r.LastSeen = se.Received
	}
	cell := r.Cells[se.Lab]
	if cell == nil {
		cell = &Cell{Lab: se.Lab, Started: se.At, LastProgress: se.At, HintTiers: map[string]int{},
			everPassed: map[string]bool{}, failStreak: map[string]int{}}
		r.Cells[se.Lab] = cell
		i := sort.SearchStrings(c.Labs, se.Lab)
		if i == len(c.Labs) || c.Labs[i] != se.Lab {
			c.Labs = append(c.Labs[:i], append([]string{se.Lab}, c.Labs[i:]...)...)
			newColumn = true
		}
	}
	if se.At.After(cell.LastEvent) {
		cell.LastEvent = se.At
	}
	switch se.Kind {
	case KindLabStarted:
		cell.Running = true
	case KindLabStopped:
		cell.Running = false
	case KindHint:
		cell.HintTiers[se.Hint.Task] = max(cell.HintTiers[se.Hint.Task], se.Hint.Tier)
	case KindGraded:
		cell.applyGrade(se.At, se.Grade)
	case KindExamSubmitted:
		m := &ExamMark{At: se.At, Note: "not verified: the server has no examiner key (class serve --exam-pubkey)"}
		if exam != nil {
			if v, err := exam.Verify(se.Exam); err != nil {
				m.Note = "not verified: " + err.Error()
			} else {
				m.Verified, m.Note, m.Candidate = true, "", v.Candidate
				// The signed verdict, not what the CLI claimed, is the score.
				se.Grade = &Grade{Score: v.Score, MaxScore: v.MaxScore, Passed: v.Passed}
			}
		}
		cell.Exam = m
		if se.Grade != nil {
			cell.applyGrade(se.At, se.Grade)
		}
	}
	return newColumn
}

func (cell *Cell) applyGrade(at time.Time, g *Grade) {
	cell.Running = true
	cell.Grades++
	cell.Best = max(cell.Best, g.Score)
	if g.Passed && !cell.Passed {
		cell.Passed, cell.Finished = true, at
	}
	for _, t := range g.Tasks {
		for _, ch := range t.Checks {
			key := t.ID + "/" + ch.ID
			switch ch.Status {
			case "pass":
				if !cell.everPassed[key] {
					cell.everPassed[key] = true
					cell.LastProgress = at
				}
				cell.failStreak[key] = 0
			case "fail":
				cell.failStreak[key]++
			}
		}
	}
	if at.Before(cell.latestAt) {
		return
	}
	cell.latestAt = at
	cell.Score, cell.MaxScore, cell.Tasks = g.Score, g.MaxScore, g.Tasks
}

// HintsUsed is the number of hint tiers revealed on this lab.
func (cell *Cell) HintsUsed() int {
	n := 0
	for _, t := range cell.HintTiers {
		n += t
	}
	return n
}

// Stuck says whether the learner looks stuck on this lab, and why.
func (cell *Cell) Stuck(now time.Time, rules StuckRules) (bool, string) {
	if cell.Passed || !cell.Running {
		return false, ""
	}
	for key, n := range cell.failStreak {
		if rules.Fails > 0 && n >= rules.Fails {
			return true, key + " failed " + strconv.Itoa(n) + " times in a row"
		}
	}
	if rules.After > 0 && now.Sub(cell.LastProgress) >= rules.After {
		return true, "no new passing check for " + now.Sub(cell.LastProgress).Round(time.Minute).String()
	}
	return false, ""
}

// TimeOnTask is from the first event to the first pass, or to the last event.
func (cell *Cell) TimeOnTask() time.Duration {
	end := cell.LastEvent
	if cell.Passed {
		end = cell.Finished
	}
	return end.Sub(cell.Started)
}

// SortedRows are the class's learners by name.
func (c *ClassBoard) SortedRows() []*Row {
	rows := make([]*Row, 0, len(c.Learners))
	for _, r := range c.Learners {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Name != rows[j].Name {
			return rows[i].Name < rows[j].Name
		}
		return rows[i].ID < rows[j].ID
	})
	return rows
}
