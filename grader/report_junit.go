package grader

import (
	"encoding/xml"
	"fmt"
	"io"
)

// JUnitReporter writes JUnit XML for CI dashboards: one testsuite per lab,
// one testcase per check.
type JUnitReporter struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func (JUnitReporter) Report(w io.Writer, r *Result, _ ReportOptions) error {
	s := junitSuite{
		Name:      r.Lab.ID,
		Time:      seconds(r.FinishedAt.Sub(r.StartedAt).Milliseconds()),
		Timestamp: r.StartedAt.UTC().Format("2006-01-02T15:04:05"),
		Properties: []junitProperty{
			{"lab.version", r.Lab.Version}, {"lab.digest", r.Lab.Digest},
			{"score", formatNum(r.Score)}, {"max_score", formatNum(r.MaxScore)},
			{"passed", fmt.Sprint(r.Passed)},
		},
	}
	for _, t := range r.Tasks {
		for _, c := range t.Checks {
			tc := junitCase{Name: checkName(t, c), Classname: r.Lab.ID + "." + t.ID, Time: seconds(c.DurationMS)}
			detail := fmt.Sprintf("expected: %s\nactual: %s\nattempts: %d", c.Expected, c.Actual, c.Attempts)
			switch c.Status {
			case StatusFail:
				tc.Failure = &junitProblem{Message: c.Message, Type: "fail", Text: detail}
				s.Failures++
			case StatusError:
				tc.Error = &junitProblem{Message: c.Message, Type: "environment", Text: detail}
				s.Errors++
			case StatusSkipped, StatusBlocked:
				tc.Skipped = &junitProblem{Message: c.Message}
				s.Skipped++
			}
			s.Cases = append(s.Cases, tc)
			s.Tests++
		}
	}
	doc := junitSuites{Name: "opslab", Tests: s.Tests, Failures: s.Failures, Errors: s.Errors,
		Skipped: s.Skipped, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }
