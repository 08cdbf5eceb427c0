package spec

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opslab/opslab/labs/spec/spectest"
)

func TestDigest(t *testing.T) {
	base, err := ComputeDigest(spectest.LabFS(spectest.GoodLab))
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := ComputeDigest(spectest.LabFS(spectest.GoodLab)); again != base {
		t.Fatalf("digest not stable: %s then %s", base, again)
	}
	tests := []struct {
		name    string
		change  func(fstest.MapFS)
		changes bool
	}{
		{"lab.yaml", func(f fstest.MapFS) { f["lab.yaml"] = &fstest.MapFile{Data: []byte(spectest.GoodLab + "\n")} }, true},
		{"dockerfile", func(f fstest.MapFS) {
			f["images/lb/Dockerfile"] = &fstest.MapFile{Data: []byte(spectest.Dockerfile + "RUN true\n")}
		}, true},
		{"workspace file added", func(f fstest.MapFS) { f["workspace/new.txt"] = &fstest.MapFile{} }, true},
		{"workspace file renamed", func(f fstest.MapFS) {
			f["workspace/deploy2.sh"] = f["workspace/deploy.sh"]
			delete(f, "workspace/deploy.sh")
		}, true},
		// A node's extra rights are part of lab.yaml, so of the digest: a result
		// graded on a node with NET_ADMIN is not one graded without it.
		{"cap_add", func(f fstest.MapFS) {
			f["lab.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(spectest.GoodLab, "    workspace: /workspace\n", "    workspace: /workspace\n    cap_add: [NET_ADMIN]\n", 1))}
		}, true},
		{"privileged", func(f fstest.MapFS) {
			f["lab.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(spectest.GoodLab, "    workspace: /workspace\n", "    workspace: /workspace\n    privileged: true\n", 1))}
		}, true},
		{"readme is not the environment", func(f fstest.MapFS) { f["README.md"] = &fstest.MapFile{Data: []byte("typo fixed")} }, false},
		{"solution is not the environment", func(f fstest.MapFS) { f["solution/x"] = &fstest.MapFile{} }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := spectest.LabFS(spectest.GoodLab)
			tc.change(fsys)
			got, err := ComputeDigest(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if (got != base) != tc.changes {
				t.Errorf("digest changed = %v, want %v", got != base, tc.changes)
			}
		})
	}
}
