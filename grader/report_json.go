package grader

import (
	"encoding/json"
	"io"
)

// JSONReporter writes the opslab/result/v1 contract, indented, never coloured.
type JSONReporter struct{}

func (JSONReporter) Report(w io.Writer, r *Result, _ ReportOptions) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // keep "<missing>" and URLs readable
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
