package content_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/opslab/opslab/content"
	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/labs"
)

// Every shipped lab proves itself against real containers, as `opslab test` does:
// unsolved → not passed, each wrong/ solution → not passed, solution → full marks.
// Without Docker this skips locally and fails in CI.
func TestEveryLabProvesItself(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the catalog's self-tests need Docker and minutes")
	}
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	rt, err := labs.NewRuntime(context.Background(), labs.RuntimeOptions{
		Session:  "ci-" + hex.EncodeToString(b),
		StateDir: t.TempDir(),
		Progress: testLog{t},
	})
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Docker is required in CI: %v", err)
		}
		t.Skipf("no Docker engine: %v", err)
	}
	t.Cleanup(func() { rt.Close() })
	cat, err := labs.LoadCatalog(content.FS, content.Source)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range cat.IDs() {
		// One lab at a time (its cases run side by side): SLI checks measure latency,
		// and a machine crowded with many labs' containers would fail correct work.
		t.Run(id, func(t *testing.T) {
			load := func(p map[string]string) (*labs.Lab, error) { return cat.Load(id, p) }
			cases, err := rt.SelfTest(context.Background(), id, load, grader.Options{}, nil)
			if err != nil {
				t.Fatalf("self-test: %v", err)
			}
			for _, tc := range cases {
				t.Logf("%-24s want %-10s got %-10s %g/%g in %.1fs", tc.Name, tc.Want, tc.Got, tc.Score, tc.MaxScore, tc.Duration.Seconds())
				if !tc.OK {
					t.Errorf("%s: want %s, got %s: %s", tc.Name, tc.Want, tc.Got, tc.Detail)
				}
			}
		})
	}
}

// testLog sends the runtime's progress lines to the test log (shown with -v or on failure).
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(string(p))
	return len(p), nil
}
