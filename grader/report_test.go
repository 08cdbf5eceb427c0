package grader

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./grader -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden (go test ./grader -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestReportersGolden(t *testing.T) {
	r := gradeScenario(t, PassPolicy{})
	tests := []struct {
		format string
		color  bool
		file   string
	}{
		{"text", false, "report.txt"},
		{"text", true, "report_color.txt"},
		{"json", false, "report.json"},
		{"junit", false, "report.xml"},
		{"tap", false, "report.tap"},
		{"json", true, "report.json"}, // colour never reaches JSON
	}
	for _, tc := range tests {
		t.Run(tc.file+map[bool]string{true: "+color"}[tc.color], func(t *testing.T) {
			var buf bytes.Buffer
			if err := Reporters[tc.format].Report(&buf, r, ReportOptions{Color: tc.color, HintCommand: "opslab hint"}); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file, buf.Bytes())
		})
	}
}

func TestJSONContract(t *testing.T) {
	var buf bytes.Buffer
	if err := (JSONReporter{}).Report(&buf, gradeScenario(t, PassPolicy{}), ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	order := []string{`"schema"`, `"lab"`, `"learner"`, `"session"`, `"started_at": "2026-03-01T10:00:00Z"`,
		`"finished_at"`, `"score"`, `"max_score"`, `"passed"`, `"tasks"`, `"id"`, `"title"`, `"status"`,
		`"points"`, `"earned"`, `"required"`, `"hints_used"`, `"checks"`, `"kind"`, `"message"`, `"expected"`,
		`"actual"`, `"attempts"`, `"duration_ms"`}
	pos := 0
	for _, key := range order {
		i := strings.Index(s[pos:], key)
		if i < 0 {
			t.Fatalf("key %s missing or out of order after offset %d", key, pos)
		}
		pos += i
	}
	var back Result
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back.Schema != ResultSchema || len(back.Tasks) != 4 {
		t.Errorf("round trip: %v %+v", err, back)
	}
}

func TestJUnitParsesBack(t *testing.T) {
	var buf bytes.Buffer
	if err := (JUnitReporter{}).Report(&buf, gradeScenario(t, PassPolicy{}), ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("invalid XML: %v", err)
	}
	s := doc.Suites[0]
	if s.Name != "incident-502" || s.Tests != 7 || s.Failures != 1 || s.Errors != 1 || s.Skipped != 2 || len(s.Cases) != 7 {
		t.Errorf("suite = %+v", s)
	}
	if f := s.Cases[2].Failure; f == nil || !strings.Contains(f.Message, "expected status 200, got 502") {
		t.Errorf("lb-200 failure = %+v", f)
	}
	if e := s.Cases[6].Error; e == nil || e.Type != "environment" {
		t.Errorf("shipper error = %+v", e)
	}
}
