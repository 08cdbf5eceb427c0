package spec

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opslab/opslab/labs/spec/spectest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/<name>.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./labs -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test ./labs -update after checking):\n--- got\n%s\n--- want\n%s", file, got, want)
	}
}

// edit replaces old with new in the good lab; the test fails if old is not there.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(spectest.GoodLab, old) {
		t.Fatalf("fixture has no %q", old)
	}
	return strings.Replace(spectest.GoodLab, old, new, 1)
}
