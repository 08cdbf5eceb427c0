package labs

import (
	"testing"
	"testing/fstest"
)

func TestDigest(t *testing.T) {
	base, err := ComputeDigest(labFS(goodLab))
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := ComputeDigest(labFS(goodLab)); again != base {
		t.Fatalf("digest not stable: %s then %s", base, again)
	}
	tests := []struct {
		name    string
		change  func(fstest.MapFS)
		changes bool
	}{
		{"lab.yaml", func(f fstest.MapFS) { f["lab.yaml"] = &fstest.MapFile{Data: []byte(goodLab + "\n")} }, true},
		{"dockerfile", func(f fstest.MapFS) {
			f["images/lb/Dockerfile"] = &fstest.MapFile{Data: []byte(dockerfile + "RUN true\n")}
		}, true},
		{"workspace file added", func(f fstest.MapFS) { f["workspace/new.txt"] = &fstest.MapFile{} }, true},
		{"workspace file renamed", func(f fstest.MapFS) {
			f["workspace/deploy2.sh"] = f["workspace/deploy.sh"]
			delete(f, "workspace/deploy.sh")
		}, true},
		{"readme is not the environment", func(f fstest.MapFS) { f["README.md"] = &fstest.MapFile{Data: []byte("typo fixed")} }, false},
		{"solution is not the environment", func(f fstest.MapFS) { f["solution/x"] = &fstest.MapFile{} }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := labFS(goodLab)
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
