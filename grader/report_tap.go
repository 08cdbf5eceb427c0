package grader

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// TAPReporter writes TAP version 13: one test point per check, with a YAML
// diagnostic block for failures and errors.
type TAPReporter struct{}

func (TAPReporter) Report(w io.Writer, r *Result, _ ReportOptions) error {
	bw := bufio.NewWriter(w)
	n := 0
	for _, t := range r.Tasks {
		n += len(t.Checks)
	}
	fmt.Fprintf(bw, "TAP version 13\n1..%d\n", n)
	i := 0
	for _, t := range r.Tasks {
		for _, c := range t.Checks {
			i++
			name := tapEscape(checkName(t, c))
			switch c.Status {
			case StatusPass:
				fmt.Fprintf(bw, "ok %d - %s\n", i, name)
			case StatusSkipped, StatusBlocked:
				fmt.Fprintf(bw, "ok %d - %s # SKIP %s\n", i, name, tapEscape(c.Message))
			default:
				fmt.Fprintf(bw, "not ok %d - %s\n", i, name)
				fmt.Fprintf(bw, "  ---\n  status: %s\n  message: %s\n  expected: %s\n  actual: %s\n  attempts: %d\n  ...\n",
					c.Status, yamlQuote(c.Message), yamlQuote(c.Expected), yamlQuote(c.Actual), c.Attempts)
			}
		}
	}
	fmt.Fprintf(bw, "# score %s/%s %s\n", formatNum(r.Score), formatNum(r.MaxScore), passWord(r.Passed))
	return bw.Flush()
}

func tapEscape(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "#", `\#`)
}

// yamlQuote writes a double-quoted YAML scalar (JSON strings are valid YAML).
func yamlQuote(s string) string {
	b := []byte{'"'}
	for _, r := range s {
		switch r {
		case '"', '\\':
			b = append(b, '\\', byte(r))
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if r < 0x20 {
				b = append(b, fmt.Sprintf(`\x%02x`, r)...)
				continue
			}
			b = append(b, string(r)...)
		}
	}
	return string(append(b, '"'))
}

func passWord(passed bool) string {
	if passed {
		return "passed"
	}
	return "not passed"
}
