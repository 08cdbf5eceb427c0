package content_test

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opslab/opslab/labs"
)

// writeProofProfile prints where the catalog's proof time went: one row per
// lab, slowest first (the sum of its cases' times: what it costs the shared
// pool), then the checks that spent the most time waiting. CI's budget is
// kept by reading this table, not by guessing.
func writeProofProfile(w io.Writer, runs []labs.SelfTestRun) {
	type labRow struct {
		lab                       string
		cases                     int
		sum, span                 time.Duration
		start, solve, grade, stop time.Duration
		gradings                  int
	}
	var rows []labRow
	type checkKey struct{ lab, check string }
	checkTime := map[checkKey]time.Duration{}
	var total time.Duration
	for _, run := range runs {
		r := labRow{lab: run.Lab, cases: len(run.Cases), span: run.Took}
		for _, tc := range run.Cases {
			r.sum += tc.Duration
			r.start += tc.Phases.Start
			r.solve += tc.Phases.Solve
			r.grade += tc.Phases.Grade
			r.stop += tc.Phases.Stop
			gradings := max(len(tc.Verdicts), 1)
			r.gradings += gradings
			if tc.Result == nil {
				continue
			}
			for _, task := range tc.Result.Tasks {
				for _, c := range task.Checks {
					// The first grading's checks, times the gradings: an estimate.
					checkTime[checkKey{run.Lab, task.ID + "/" + c.ID}] += time.Duration(c.DurationMS) * time.Millisecond * time.Duration(gradings)
				}
			}
		}
		total += r.sum
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b labRow) int { return cmp.Compare(b.sum, a.sum) })

	fmt.Fprintf(w, "\nproof time per lab, slowest first (case times summed; the pool runs several at once)\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "LAB\tCASES\tGRADINGS\tSUM\tPER CASE\tSTART\tSOLVE\tGRADE\tSTOP\tSPAN\t\n")
	for _, r := range rows {
		per := time.Duration(0)
		if r.cases > 0 {
			per = r.sum / time.Duration(r.cases)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.lab, r.cases, r.gradings,
			secs(r.sum), secs(per), secs(r.start), secs(r.solve), secs(r.grade), secs(r.stop), secs(r.span))
	}
	fmt.Fprintf(tw, "all\t\t\t%s\t\t\t\t\t\t\t\n", secs(total))
	tw.Flush()

	type checkRow struct {
		key checkKey
		d   time.Duration
	}
	var checks []checkRow
	for k, d := range checkTime {
		checks = append(checks, checkRow{k, d})
	}
	slices.SortFunc(checks, func(a, b checkRow) int { return cmp.Compare(b.d, a.d) })
	fmt.Fprintf(w, "\nchecks that took longest, all cases of a lab together\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range checks[:min(len(checks), 25)] {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", c.key.lab, c.key.check, secs(c.d))
	}
	tw.Flush()
}

func secs(d time.Duration) string {
	return strings.TrimSuffix(fmt.Sprintf("%.0fs", d.Seconds()), ".0")
}

// writeFailures lists the cases that failed, one line each, or says none did.
func writeFailures(w io.Writer, runs []labs.SelfTestRun, cut error) {
	var lines []string
	for _, run := range runs {
		if run.Err != nil {
			lines = append(lines, fmt.Sprintf("%s: %v", run.Lab, run.Err))
		}
		for _, tc := range run.Cases {
			if !tc.OK {
				lines = append(lines, fmt.Sprintf("%s %s: want %s, got %s: %s", tc.Lab, tc.Name, tc.Want, tc.Got, tc.Detail))
			}
		}
	}
	if cut != nil {
		lines = append(lines, fmt.Sprintf("the proof was cut short (%v): cases not finished by then are missing above", cut))
	}
	if len(lines) == 0 {
		fmt.Fprintf(w, "\nevery case of every lab as expected\n")
		return
	}
	fmt.Fprintf(w, "\nFAILED cases (%d)\n", len(lines))
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
}
