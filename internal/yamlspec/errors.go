// Package yamlspec is the one strict YAML walker behind both lab.yaml parsers:
// the lab definition (labs/spec) and the checks (grader). It decodes yaml.v3
// nodes by hand so every problem keeps its line and field path, and every
// problem of a file is reported in one pass.
package yamlspec

import (
	"fmt"
	"strings"
)

// SpecError is one problem in a lab file, with the position a course author
// needs to fix it.
type SpecError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *SpecError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// SpecErrors is every problem found in one pass, so authors fix them together.
type SpecErrors []*SpecError

func (es SpecErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Err returns es as an error, or a true nil when empty (a typed nil in an
// error interface is not nil).
func (es SpecErrors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
