package content_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opslab/opslab/labs/spec"

	"github.com/opslab/opslab/content"
)

// The shipped labs must lint clean: a broken lab is a broken release.
func TestEmbeddedLabsLint(t *testing.T) {
	c, err := spec.LoadCatalog(content.FS, content.Source)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.IDs()) == 0 {
		t.Fatal("the catalog is empty")
	}
	for _, e := range spec.Lint(c) {
		t.Error(e)
	}
}

// The example in README.md is what authors copy: it must lint clean.
func TestReadmeExampleLints(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("README.md has no yaml example")
	}
	dockerfile := []byte("ARG BASE_IMAGE=debian:bookworm-slim\nFROM ${BASE_IMAGE}\n")
	fsys := fstest.MapFS{
		"lab.yaml":              {Data: []byte(example)},
		"README.md":             {Data: []byte("# LB\n")},
		"images/lb/Dockerfile":  {Data: dockerfile},
		"images/app/Dockerfile": {Data: dockerfile},
		"workspace/conf/.keep":  {},
		"solution/conf/a.conf":  {},
	}
	c, err := spec.LoadCatalog(fsys, "content/lb-basics")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range spec.Lint(c) {
		t.Error(e)
	}
}

// The top-level README's catalog table names every shipped lab once, under
// its track, so a new lab cannot ship without its line.
func TestTopReadmeCatalogNamesEveryLab(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	c, err := spec.LoadCatalog(content.FS, content.Source)
	if err != nil {
		t.Fatal(err)
	}
	for _, lab := range c.Summaries() {
		row := "| " + lab.Track + " | " + lab.ID + " | " + lab.Level + " |"
		if n := strings.Count(string(b), row); n != 1 {
			t.Errorf("README.md's catalog table has %d rows starting %q, want 1", n, row)
		}
	}
}
