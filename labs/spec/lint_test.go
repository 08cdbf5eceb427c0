package spec

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opslab/opslab/labs/spec/spectest"
)

func TestLint(t *testing.T) {
	tests := []struct {
		name   string
		fsys   func(t *testing.T) fstest.MapFS
		source string
	}{
		{"good-lab", func(*testing.T) fstest.MapFS { return spectest.LabFS(spectest.GoodLab) }, "content/lb-basics"},
		{"catalog", func(*testing.T) fstest.MapFS { return catalogFS() }, "content"},
		{"empty-dir", func(*testing.T) fstest.MapFS { return fstest.MapFS{"notes.md": {}} }, "labs"},
		{"author-checks", func(t *testing.T) fstest.MapFS {
			fsys := spectest.LabFS(edit(t, "{workspace: conf, target:", "{workspace: conf/default.conf, target:"))
			delete(fsys, "README.md")
			for name := range fsys {
				if strings.HasPrefix(name, "solution/") {
					delete(fsys, name)
				}
			}
			fsys["images/lb/Dockerfile"] = &fstest.MapFile{Data: []byte("# nginx\nFROM nginx:1.25\nRUN apt-get update && \\\n    apt-get install -y curl\n")}
			fsys["images/app/Dockerfile"] = &fstest.MapFile{Data: []byte("FROM ${BASE_IMAGE} AS build\nFROM build\nEXPOSE 8000\n")}
			return fsys
		}, "content/lb-basics"},
		{"folder-name", func(*testing.T) fstest.MapFS { return spectest.LabFS(spectest.GoodLab) }, "content/lb"},
		{"bad-choice", func(t *testing.T) fstest.MapFS {
			// only one of the choices breaks the lab: lint tries them all.
			return spectest.LabFS(edit(t, "build: images/app\n    command", "build: images/{{ .broken }}\n    command"))
		}, "content/lb-basics"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := tc.fsys(t)
			if tc.name == "bad-choice" {
				fsys["images/app1/Dockerfile"] = &fstest.MapFile{Data: []byte(spectest.Dockerfile)}
			}
			c, err := LoadCatalog(fsys, tc.source)
			if err != nil {
				t.Fatal(err)
			}
			errs := Lint(c)
			got := ""
			if len(errs) > 0 {
				got = errs.Error() + "\n"
			}
			golden(t, "lint/"+tc.name, got)
		})
	}
}
