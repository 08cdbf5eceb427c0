package classroom

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
)

// GradebookRow is one learner × lab of the export (CSV and JSON).
type GradebookRow struct {
	Learner   string    `json:"learner"`
	Lab       string    `json:"lab"`
	BestScore float64   `json:"best_score"`
	MaxScore  float64   `json:"max_score"`
	Passed    bool      `json:"passed"`
	HintsUsed int       `json:"hints_used"`
	LastSeen  time.Time `json:"last_seen"`
}

// Gradebook lists a class's learners × the labs each touched, by learner then lab.
func Gradebook(c *ClassBoard) []GradebookRow {
	rows := []GradebookRow{}
	for _, r := range c.SortedRows() {
		for _, lab := range c.Labs {
			cell := r.Cells[lab]
			if cell == nil {
				continue
			}
			rows = append(rows, GradebookRow{Learner: r.Name, Lab: lab, BestScore: cell.Best, MaxScore: cell.MaxScore,
				Passed: cell.Passed, HintsUsed: cell.HintsUsed(), LastSeen: r.LastSeen.UTC().Truncate(time.Second)})
		}
	}
	return rows
}

// WriteCSV writes the gradebook with a header line.
func WriteCSV(w io.Writer, rows []GradebookRow) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"learner", "lab", "best_score", "max_score", "passed", "hints_used", "last_seen"})
	for _, r := range rows {
		_ = cw.Write([]string{textCell(r.Learner), textCell(r.Lab), num(r.BestScore), num(r.MaxScore), strconv.FormatBool(r.Passed),
			strconv.Itoa(r.HintsUsed), r.LastSeen.Format(time.RFC3339)})
	}
	cw.Flush()
	return cw.Error()
}

// textCell keeps a learner's text a text in a spreadsheet: a cell that
// starts with = + - @ (or a tab or carriage return) would be a formula, so
// it gets a leading ' as OWASP advises. Lab ids and names never start so.
func textCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
