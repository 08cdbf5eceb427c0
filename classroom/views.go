package classroom

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"
)

type gridView struct {
	Class, Code, JoinURL string
	Labs                 []string
	Rows                 []rowView
	Learners, Stuck      int
	PassedPerLab         []int
	Rules                string
}

type rowView struct {
	ID               int64
	Class, Name      string
	LastSeen, Joined string
	Idle, Stuck      bool
	Cells            []cellView // one per lab column, in order
}

type cellView struct {
	Lab                    string
	Present, Passed        bool
	Running, Stuck         bool
	StuckWhy               string
	Score, Max             string
	Pct                    int
	Tasks                  []taskTick
	Hints, Grades          int
	Time                   string
	ExamVerified, ExamSent bool
	ExamNote               string
}

type taskTick struct{ ID, Title, Status string }

func (s *Server) gridView(c *ClassBoard) gridView {
	now := s.cfg.Now()
	g := gridView{Class: c.Name, Code: c.Code, Labs: c.Labs, Learners: len(c.Learners), PassedPerLab: make([]int, len(c.Labs)),
		Rules: fmt.Sprintf("no new passing check for %s, or one check failing %d× in a row", short(s.cfg.Stuck.After), s.cfg.Stuck.Fails)}
	for _, r := range c.SortedRows() {
		rv := s.rowView(c, r, now)
		if rv.Stuck {
			g.Stuck++
		}
		for i, cv := range rv.Cells {
			if cv.Passed {
				g.PassedPerLab[i]++
			}
		}
		g.Rows = append(g.Rows, rv)
	}
	return g
}

func (s *Server) rowView(c *ClassBoard, r *Row, now time.Time) rowView {
	rv := rowView{ID: r.ID, Class: c.Name, Name: r.Name, LastSeen: ago(now, r.LastSeen), Joined: r.Joined.Format("15:04"),
		Idle: now.Sub(r.LastSeen) > 10*time.Minute}
	for _, lab := range c.Labs {
		cell := r.Cells[lab]
		if cell == nil {
			rv.Cells = append(rv.Cells, cellView{Lab: lab})
			continue
		}
		cv := cellView{Lab: lab, Present: true, Passed: cell.Passed, Running: cell.Running, Score: num(cell.Score), Max: num(cell.MaxScore),
			Hints: cell.HintsUsed(), Grades: cell.Grades, Time: short(cell.TimeOnTask())}
		if cell.MaxScore > 0 {
			cv.Pct = int(100 * cell.Score / cell.MaxScore)
		}
		cv.Stuck, cv.StuckWhy = cell.Stuck(now, s.cfg.Stuck)
		rv.Stuck = rv.Stuck || cv.Stuck
		for _, t := range cell.Tasks {
			cv.Tasks = append(cv.Tasks, taskTick{ID: t.ID, Title: t.Title, Status: t.Status})
		}
		if cell.Exam != nil {
			cv.ExamSent, cv.ExamVerified, cv.ExamNote = true, cell.Exam.Verified, cell.Exam.Note
		}
		rv.Cells = append(rv.Cells, cv)
	}
	return rv
}

type timelineItem struct {
	At, Kind, Lab, Score string
	Passed, Auto         bool
	Failing              []failingCheck
	Detail               string
}

type failingCheck struct{ Task, Check, Status, Message string }

func (s *Server) handleLearnerPage(w http.ResponseWriter, r *http.Request) {
	class := r.PathValue("class")
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.RLock()
	c := s.board.Classes[class]
	var rv rowView
	var labs []string
	if c != nil && c.Learners[id] != nil {
		rv, labs = s.rowView(c, c.Learners[id], s.cfg.Now()), c.Labs
	}
	s.mu.RUnlock()
	if rv.ID == 0 {
		s.render(w, http.StatusNotFound, "notfound", map[string]any{"What": "learner " + r.PathValue("id") + " in class " + class})
		return
	}
	evs, err := s.store.Events(r.Context(), id)
	if err != nil {
		http.Error(w, "could not read the learner's events: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	var items []timelineItem
	for i := len(evs) - 1; i >= 0; i-- { // newest first
		items = append(items, timelineEntry(evs[i].Event))
	}
	s.render(w, http.StatusOK, "learner", map[string]any{"Class": class, "Row": rv, "Labs": labs, "Timeline": items})
}

func timelineEntry(e Event) timelineItem {
	it := timelineItem{At: e.At.Local().Format("15:04:05"), Kind: e.Kind, Lab: e.Lab}
	switch e.Kind {
	case KindGraded:
		it.Score, it.Passed, it.Auto = num(e.Grade.Score)+"/"+num(e.Grade.MaxScore), e.Grade.Passed, e.Grade.Auto
		for _, t := range e.Grade.Tasks {
			for _, ch := range t.Checks {
				if ch.Status == "fail" || ch.Status == "error" { // blocked and skipped checks did not run
					it.Failing = append(it.Failing, failingCheck{Task: t.ID, Check: ch.ID, Status: ch.Status, Message: ch.Message})
				}
			}
		}
	case KindHint:
		it.Detail = fmt.Sprintf("hint %d for task %s", e.Hint.Tier, e.Hint.Task)
	case KindExamSubmitted:
		it.Detail = "exam result submitted"
	}
	return it
}

type labCheckView struct {
	Task, Check    string
	Failing, Total int
	Pct            int
	Message        string
	Who            []string
}

func (s *Server) handleLabPage(w http.ResponseWriter, r *http.Request) {
	class, lab := r.PathValue("class"), r.PathValue("lab")
	s.mu.RLock()
	c := s.board.Classes[class]
	if c == nil {
		s.mu.RUnlock()
		s.render(w, http.StatusNotFound, "notfound", map[string]any{"What": "class " + class})
		return
	}
	checks := map[string]*labCheckView{}
	var order []string
	started, passed := 0, 0
	messages := map[string]map[string]int{}
	for _, row := range c.SortedRows() {
		cell := row.Cells[lab]
		if cell == nil {
			continue
		}
		started++
		if cell.Passed {
			passed++
		}
		for _, t := range cell.Tasks {
			for _, ch := range t.Checks {
				key := t.ID + "/" + ch.ID
				v := checks[key]
				if v == nil {
					v = &labCheckView{Task: t.ID, Check: ch.ID}
					checks[key], messages[key] = v, map[string]int{}
					order = append(order, key)
				}
				v.Total++
				if ch.Status == "fail" || ch.Status == "error" {
					v.Failing++
					v.Who = append(v.Who, row.Name)
					messages[key][ch.Message]++
				}
			}
		}
	}
	s.mu.RUnlock()
	var list []labCheckView
	for _, key := range order {
		v := checks[key]
		if v.Total > 0 {
			v.Pct = 100 * v.Failing / v.Total
		}
		best := 0
		for m, n := range messages[key] {
			if n > best || (n == best && m < v.Message) {
				v.Message, best = m, n
			}
		}
		list = append(list, *v)
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Failing > list[j].Failing })
	s.render(w, http.StatusOK, "lab", map[string]any{"Class": class, "Lab": lab, "Started": started, "Passed": passed, "Checks": list})
}

func sortByName(m []map[string]any) {
	sort.Slice(m, func(i, j int) bool { return m[i]["Name"].(string) < m[j]["Name"].(string) })
}
