package grader

import "github.com/opslab/opslab/internal/yamlspec"

// walker is the shared strict YAML walker, with the check vocabulary's own
// decoders (tasks, checks, matchers, actions) as methods.
type walker struct{ *yamlspec.Walker }

func newWalker(file string) *walker { return &walker{&yamlspec.Walker{File: file}} }
