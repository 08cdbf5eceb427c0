package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opslab/opslab/internal/yamlspec"
)

const minimalLab = `id: tiny
title: Tiny
track: incident
level: beginner
minutes: 5
nodes:
  - {name: web, build: images/web}
`

// specErr is the one error ParseLab must give: which file, and what is wrong.
func specErr(t *testing.T, err error, wantFile, wantMsg string) {
	t.Helper()
	var errs yamlspec.SpecErrors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("err = %v (%T), want SpecErrors", err, err)
	}
	if !strings.HasSuffix(errs[0].File, wantFile) || !strings.Contains(errs[0].Msg, wantMsg) {
		t.Fatalf("err = %v, want %s: …%s…", err, wantFile, wantMsg)
	}
}

func TestParseLabRefusesAHugeFile(t *testing.T) {
	huge := []byte(minimalLab + "# " + strings.Repeat("x", 50<<20) + "\n")
	_, err := ParseLab(fstest.MapFS{LabFile: {Data: huge}}, "labs/tiny", nil)
	specErr(t, err, "labs/tiny/lab.yaml", "over 1024 KB")
}

func TestParseLabRefusesAYAMLBomb(t *testing.T) {
	bomb := minimalLab + `x:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
`
	_, err := ParseLab(fstest.MapFS{LabFile: {Data: []byte(bomb)}}, "labs/tiny", nil)
	specErr(t, err, "labs/tiny/lab.yaml", "")
}

func TestParseLabRefusesSymlinksOutOfItsFolder(t *testing.T) {
	dir := t.TempDir()
	lab := filepath.Join(dir, "tiny")
	must(t, os.MkdirAll(filepath.Join(lab, "images", "web"), 0o755))
	must(t, os.WriteFile(filepath.Join(lab, LabFile), []byte(minimalLab), 0o644))
	must(t, os.WriteFile(filepath.Join(lab, "images", "web", "Dockerfile"), []byte("FROM scratch\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "secret"), []byte("key"), 0o600))
	// Inside the folder is fine; out of it is not, relative or absolute.
	must(t, os.Symlink("Dockerfile", filepath.Join(lab, "images", "web", "Dockerfile.link")))
	if _, err := ParseLab(os.DirFS(lab), "labs/tiny", nil); err != nil {
		t.Fatalf("a symlink inside the lab's folder: %v", err)
	}
	must(t, os.Symlink("../../../secret", filepath.Join(lab, "images", "web", "key")))
	_, err := ParseLab(os.DirFS(lab), "labs/tiny", nil)
	specErr(t, err, "labs/tiny/images/web/key", "outside the lab's folder")
	must(t, os.Remove(filepath.Join(lab, "images", "web", "key")))
	must(t, os.Symlink(filepath.Join(dir, "secret"), filepath.Join(lab, "key")))
	_, err = ParseLab(os.DirFS(lab), "labs/tiny", nil)
	specErr(t, err, "labs/tiny/key", "outside the lab's folder")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
