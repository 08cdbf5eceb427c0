package grader

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// FuzzParseTasks feeds arbitrary `tasks:` to the check parser: never a panic,
// and every refusal a SpecErrors with file and line. The seeds are the shipped
// labs' files (their tasks: are what the parser sees most).
func FuzzParseTasks(f *testing.F) {
	f.Add(fullSpec)
	seeds, _ := filepath.Glob("../content/*/lab.yaml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		var doc yaml.Node
		if yaml.Unmarshal([]byte(text), &doc) != nil || len(doc.Content) == 0 {
			return
		}
		node := doc.Content[0]
		if node.Kind == yaml.MappingNode { // a whole lab file: its tasks:
			for i := 0; i+1 < len(node.Content); i += 2 {
				if node.Content[i].Value == "tasks" {
					node = node.Content[i+1]
					break
				}
			}
		}
		_, err := ParseTasks("lab.yaml", node)
		if err == nil {
			return
		}
		var errs yamlspec.SpecErrors
		if !errors.As(err, &errs) {
			t.Fatalf("error of type %T, want SpecErrors: %v", err, err)
		}
		for _, e := range errs {
			if e.File == "" || e.Msg == "" {
				t.Fatalf("an error without file or message: %+v", e)
			}
		}
	})
}
