package spec

import "github.com/opslab/opslab/internal/yamlspec"

// walker is the shared strict YAML walker, with lab.yaml's own decoders as methods.
type walker struct{ *yamlspec.Walker }

func newWalker(file string) *walker { return &walker{&yamlspec.Walker{File: file}} }
