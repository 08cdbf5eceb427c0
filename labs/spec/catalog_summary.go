package spec

import (
	"io/fs"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// readSummary reads what `list` shows without validating anything, so one
// broken lab does not hide the others. It also returns the line of id:.
func readSummary(fsys fs.FS) (s Summary, idLine int) {
	defer func() { _ = recover() }() // lenient means never failing, even on odd YAML
	raw, err := readLabFile(fsys)
	if err != nil {
		return s, 0
	}
	// References show as <name>: a title may mention a param.
	t := template{lookup: func(name string) (string, bool) { return "<" + name + ">", true }}
	text := t.expand(string(raw), func(int, string) {})
	var doc yaml.Node
	if yaml.Unmarshal([]byte(text), &doc) != nil || len(doc.Content) == 0 {
		return s, 0
	}
	root := yamlspec.Deref(doc.Content[0])
	if root == nil || root.Kind != yaml.MappingNode {
		return s, 0
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], yamlspec.Deref(root.Content[i+1])
		if v == nil || v.Kind != yaml.ScalarNode {
			continue
		}
		switch k.Value {
		case "id":
			s.ID, idLine = v.Value, k.Line
		case "title":
			s.Title = v.Value
		case "track":
			s.Track = v.Value
		case "level":
			s.Level = v.Value
		case "minutes":
			_ = v.Decode(&s.Minutes)
		}
	}
	return s, idLine
}
