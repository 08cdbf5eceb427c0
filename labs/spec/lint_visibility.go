package spec

import (
	"fmt"

	"github.com/opslab/opslab/internal/yamlspec"
)

// hiddenChecks reports a task whose every check is `visibility: hidden`: a
// learner would get no word at all about what the task asks for.
func (l *linter) hiddenChecks(lab *Lab) {
	for i, t := range lab.Tasks {
		hidden := 0
		for _, c := range t.Checks {
			if c.Hidden {
				hidden++
			}
		}
		if hidden > 0 && hidden == len(t.Checks) {
			l.report(&yamlspec.SpecError{File: l.source + "/" + LabFile, Line: t.Line, Field: fmt.Sprintf("tasks[%d].checks", i),
				Msg: fmt.Sprintf("every check of task %s is hidden: keep at least one visible, so learners see what the task is graded on", t.ID)})
		}
	}
}
