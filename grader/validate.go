package grader

import (
	"fmt"
	"sort"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"
)

// ValidateRefs checks what ParseTasks cannot see alone: nodes named by checks
// exist, needs name real tasks without cycles, and ids are unique.
func ValidateRefs(file string, tasks []Task, nodes []string) yamlspec.SpecErrors {
	var errs yamlspec.SpecErrors
	add := func(line int, field, format string, a ...any) {
		errs = append(errs, &yamlspec.SpecError{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, a...)})
	}
	known := map[string]bool{}
	for _, n := range nodes {
		known[n] = true
	}
	nodeList := append([]string(nil), nodes...)
	sort.Strings(nodeList)

	taskLine := map[string]int{}
	for i, t := range tasks {
		tp := fmt.Sprintf("tasks[%d]", i)
		if first, dup := taskLine[t.ID]; dup {
			add(t.Line, tp+".id", "duplicate task id %q (first defined on line %d)", t.ID, first)
		} else {
			taskLine[t.ID] = t.Line
		}
		for field, actions := range map[string][]Action{"before": t.Before, "after": t.After} {
			for j, a := range actions {
				if !known[a.Node] {
					add(a.Line, fmt.Sprintf("%s.%s[%d].%s", tp, field, j, a.Op), "unknown node %q (nodes: %s)", a.Node, strings.Join(nodeList, ", "))
				}
			}
		}
		checkLine := map[string]int{}
		for j, c := range t.Checks {
			cp := fmt.Sprintf("%s.checks[%d]", tp, j)
			if first, dup := checkLine[c.ID]; dup {
				add(c.Line, cp+".id", "duplicate check id %q in task %q (first defined on line %d)", c.ID, t.ID, first)
			} else {
				checkLine[c.ID] = c.Line
			}
			if c.Spec == nil {
				continue
			}
			for _, ref := range c.Spec.Nodes() {
				fp := cp + "." + c.Kind() + "." + ref.Field
				switch {
				case ref.Name == WorkspaceNode && ref.Container:
					add(ref.Line, fp, "%s checks run in a lab node, not the workspace (nodes: %s)", c.Kind(), strings.Join(nodeList, ", "))
				case ref.Name != WorkspaceNode && !known[ref.Name]:
					add(ref.Line, fp, "unknown node %q (nodes: %s)", ref.Name, strings.Join(nodeList, ", "))
				}
			}
		}
	}
	for i, t := range tasks {
		for j, n := range t.Needs {
			line := t.Line
			if j < len(t.NeedLines) {
				line = t.NeedLines[j]
			}
			fp := fmt.Sprintf("tasks[%d].needs[%d]", i, j)
			switch {
			case n == t.ID:
				add(line, fp, "task %q cannot need itself", t.ID)
			case !hasTask(taskLine, n):
				add(line, fp, "needs unknown task %q", n)
			}
		}
	}
	cyclic := cyclicTasks(tasks)
	for i, t := range tasks {
		if cyclic[t.ID] && !needsSelf(t) {
			add(t.Line, fmt.Sprintf("tasks[%d].needs", i), "task %q is part of or waits on a needs cycle", t.ID)
		}
	}
	sort.SliceStable(errs, func(a, b int) bool { return errs[a].Line < errs[b].Line })
	return errs
}

func needsSelf(t Task) bool {
	for _, n := range t.Needs {
		if n == t.ID {
			return true
		}
	}
	return false
}

func hasTask(ids map[string]int, id string) bool {
	_, ok := ids[id]
	return ok
}
