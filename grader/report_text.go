package grader

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"
)

// TextReporter writes the human report: a line per task, why failed checks
// failed, where to get a hint, and the score.
type TextReporter struct{}

// palette holds per-call colour instances: the global color.NoColor is never
// touched, so concurrent reports with different settings stay correct.
type palette struct {
	pass, fail, err, dim, bold *color.Color
}

func newPalette(on bool) palette {
	p := palette{
		pass: color.New(color.FgGreen), fail: color.New(color.FgRed),
		err: color.New(color.FgYellow), dim: color.New(color.Faint), bold: color.New(color.Bold),
	}
	for _, c := range []*color.Color{p.pass, p.fail, p.err, p.dim, p.bold} {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return p
}

func (p palette) symbol(s Status) string {
	switch s {
	case StatusPass:
		return p.pass.Sprint("✓")
	case StatusFail:
		return p.fail.Sprint("✗")
	case StatusError:
		return p.err.Sprint("!")
	case StatusBlocked:
		return p.dim.Sprint("⊘")
	}
	return p.dim.Sprint("-")
}

func (TextReporter) Report(w io.Writer, r *Result, o ReportOptions) error {
	p := newPalette(o.Color)
	lab := o.LabID
	if lab == "" {
		lab = r.Lab.ID
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s %s\n\n", p.bold.Sprint("Grading"), lab)
	envErr := false
	var missedRequired []string
	for _, t := range r.Tasks {
		if t.Required && t.Status != StatusPass {
			missedRequired = append(missedRequired, t.ID)
		}
		req := ""
		if t.Required {
			req = p.dim.Sprint(" (required)")
		}
		fmt.Fprintf(bw, "%s %s%s  %s\n", p.symbol(t.Status), t.Title, req,
			p.dim.Sprintf("%s/%s", formatNum(t.Earned), formatNum(t.Points)))
		switch t.Status {
		case StatusBlocked:
			fmt.Fprintf(bw, "    %s\n", p.dim.Sprint(t.Checks[0].Message))
			continue
		case StatusPass, StatusSkipped:
			continue
		}
		for _, c := range t.Checks {
			if c.Status == StatusPass || c.Status == StatusSkipped && c.Message == skippedByAuthor {
				continue
			}
			fmt.Fprintf(bw, "    %s %s: %s\n", p.symbol(c.Status), c.ID, c.Message)
			if c.Status == StatusError {
				envErr = true
				continue
			}
			// Matcher messages already say expected vs actual; others get both spelled out.
			if c.Expected != "" && c.Status == StatusFail && !strings.HasPrefix(c.Message, "expected ") {
				fmt.Fprintf(bw, "        expected: %s\n        actual:   %s\n", c.Expected, c.Actual)
			}
		}
		if t.Status == StatusFail && o.HintCommand != "" {
			fmt.Fprintf(bw, "    %s\n", p.dim.Sprintf("stuck? run `%s %s %s`", o.HintCommand, lab, t.ID))
		}
	}
	verdict := p.fail.Sprint("not passed")
	if r.Passed {
		verdict = p.pass.Sprint("passed")
	}
	pct := 0.0
	if r.MaxScore > 0 {
		pct = 100 * r.Score / r.MaxScore
	}
	fmt.Fprintf(bw, "\nScore: %s/%s (%.0f%%) — %s\n", formatNum(r.Score), formatNum(r.MaxScore), pct, verdict)
	if len(missedRequired) > 0 {
		fmt.Fprintf(bw, "Required tasks not passed yet: %s\n", strings.Join(missedRequired, ", "))
	}
	if envErr {
		fmt.Fprintf(bw, "%s\n", p.err.Sprint("Some checks could not run because the lab environment failed; this is not counted against you. Check Docker and retry."))
	}
	return bw.Flush()
}
