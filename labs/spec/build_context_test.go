package spec

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opslab/opslab/labs/spec/spectest"
)

// sharedCatalog is a folder of labs with one lab, lb-basics, whose nodes build
// from the catalog's shared image folders as given by builds.
func sharedCatalog(t *testing.T, lbBuild, appBuild string) fstest.MapFS {
	t.Helper()
	lab := strings.Replace(spectest.GoodLab, "build: images/lb", "build: "+lbBuild, 1)
	lab = strings.Replace(lab, "    build: images/app\n    command", "    build: "+appBuild+"\n    command", 1)
	fsys := fstest.MapFS{
		"_shared/images/client/Dockerfile":  {Data: []byte(spectest.Dockerfile)},
		"_shared/images/client/client-idle": {Data: []byte("#!/bin/sh\n")},
		"_shared/images/flask/Dockerfile":   {Data: []byte(spectest.Dockerfile + "COPY app.py serve /srv/\n")},
		"_shared/images/flask/app.py":       {Data: []byte("shared app\n")},
		"_shared/images/flask/serve":        {Data: []byte("#!/bin/sh\n")},
		"_shared/images/unused/Dockerfile":  {Data: []byte(spectest.Dockerfile)},
	}
	for name, f := range spectest.LabFS(lab) {
		fsys["lb-basics/"+name] = f
	}
	fsys["lb-basics/images/app/app.py"] = &fstest.MapFile{Data: []byte("the lab's own app\n")}
	return fsys
}

func loadShared(t *testing.T, fsys fstest.MapFS) (*Lab, error) {
	t.Helper()
	c, err := LoadCatalog(fsys, "content")
	if err != nil {
		t.Fatal(err)
	}
	return c.Load("lb-basics", nil)
}

func TestSharedImageFolders(t *testing.T) {
	fsys := sharedCatalog(t, "../_shared/images/client", "[../_shared/images/flask, images/app]")
	delete(fsys, "lb-basics/images/app/Dockerfile") // the shared folder's builds
	fsys["lb-basics/lab.yaml"].Data = []byte(strings.Replace(string(fsys["lb-basics/lab.yaml"].Data), "  - name: app2\n    build: images/app", "  - name: app2\n    build: [../_shared/images/flask, images/app]", 1))
	lab, err := loadShared(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	lb, app := lab.Nodes[0], lab.Nodes[1]
	if len(lb.Context) != 1 || !lb.Context[0].Shared || lb.Context[0].Path != "content/_shared/images/client" {
		t.Fatalf("lb context = %+v", lb.Context)
	}
	if app.Build != "../_shared/images/flask + images/app" || app.ImageName() != "app" {
		t.Errorf("app build %q, image name %q", app.Build, app.ImageName())
	}
	files, err := app.BuildContext()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name+"<"+f.From)
	}
	want := "Dockerfile<content/_shared/images/flask app.py<content/lb-basics/images/app serve<content/_shared/images/flask"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("build context:\n got %s\nwant %s (the lab's own app.py replaces the shared one)", got, want)
	}
}

func TestSharedFilesAreInTheDigest(t *testing.T) {
	digest := func(edit func(fstest.MapFS)) string {
		fsys := sharedCatalog(t, "../_shared/images/client", "images/app")
		edit(fsys)
		lab, err := loadShared(t, fsys)
		if err != nil {
			t.Fatal(err)
		}
		return lab.Digest
	}
	base := digest(func(fstest.MapFS) {})
	used := digest(func(f fstest.MapFS) { f["_shared/images/client/client-idle"].Data = []byte("#!/bin/sh\nexit 1\n") })
	unused := digest(func(f fstest.MapFS) { f["_shared/images/unused/x"] = &fstest.MapFile{Data: []byte("x")} })
	if used == base {
		t.Error("a changed shared file the lab builds from left its digest unchanged: its images and proof would not be redone")
	}
	if unused != base {
		t.Error("a shared folder the lab does not use changed its digest")
	}
}

func TestSharedBuildErrors(t *testing.T) {
	tests := []struct {
		name, build, want string
		noShared          bool
	}{
		{"missing shared folder", "../_shared/images/nope", "nodes[0].build: folder images/nope does not exist in content/_shared", false},
		{"another lab's folder", "../other-lab/images/lb", `nodes[0].build: expected a folder inside the lab folder, like images/web, or a shared one, like ../_shared/images/NAME, got "../other-lab/images/lb"`, false},
		{"no shared folders at all", "../_shared/images/client", "this catalog has no _shared folder beside its labs", true},
		{"no Dockerfile in any folder", "[images/app/../../workspace]", "has no Dockerfile", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := sharedCatalog(t, tc.build, "images/app")
			if tc.noShared {
				for name := range fsys {
					if strings.HasPrefix(name, "_shared/") {
						delete(fsys, name)
					}
				}
			}
			_, err := loadShared(t, fsys)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "lab.yaml:14") {
				t.Fatalf("got %v\nwant an error at lab.yaml:14 containing %q", err, tc.want)
			}
		})
	}
}

func TestLintReadsSharedDockerfiles(t *testing.T) {
	fsys := sharedCatalog(t, "../_shared/images/client", "images/app")
	fsys["_shared/images/client/Dockerfile"] = &fstest.MapFile{Data: []byte("FROM debian:bookworm-slim\n")}
	c, err := LoadCatalog(fsys, "content")
	if err != nil {
		t.Fatal(err)
	}
	got := Lint(c).Error()
	if !strings.Contains(got, "content/_shared/images/client/Dockerfile:1") {
		t.Errorf("lint did not name the shared Dockerfile built FROM a fixed image:\n%s", got)
	}
}
