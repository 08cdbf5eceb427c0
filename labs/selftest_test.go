package labs

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/opslab/opslab/labs/spec"
)

// A case that hangs fails by its own deadline, saying where it was stuck, and
// the lab's other cases still get their verdicts.
func TestSelfTestCaseThatHangsFailsByItsDeadline(t *testing.T) {
	r := newTestRuntime(t)
	cat, err := spec.LoadCatalog(os.DirFS("testdata/rt"), "testdata/rt")
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	cases, err := r.SelfTest(context.Background(), cat, "rt-hang", SelfTestOptions{CaseTimeout: 20 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(started); took > 2*time.Minute {
		t.Errorf("the self-test took %s: the hung case was not cut at its deadline", took)
	}
	got := map[string]SelfTestCase{}
	for _, tc := range cases {
		got[tc.Name] = tc
	}
	if u := got["unsolved"]; !u.OK || u.Got != "not passed" {
		t.Errorf("unsolved: want an ordinary not-passed verdict, got %s (%s)", u.Got, u.Detail)
	}
	sol := got["solution"]
	if sol.OK || sol.Got != "error" {
		t.Fatalf("solution: want error, got %s (ok=%v)", sol.Got, sol.OK)
	}
	for _, want := range []string{"did not finish within 20s", "stuck applying"} {
		if !strings.Contains(sol.Detail, want) {
			t.Errorf("solution's detail %q does not say %q", sol.Detail, want)
		}
	}
	nothingLeft(t, r, "rt-hang", "the hung case")
}

// Long sessions are cut to fit container names but stay distinct: the cases
// of one self-test differ only in their last characters.
func TestLongSessionsStayDistinct(t *testing.T) {
	long := strings.Repeat("session-", 6)
	a, b := SanitizeSession(long+"t0"), SanitizeSession(long+"t1")
	if a == b || len(a) > maxSessionLen || len(b) > maxSessionLen {
		t.Errorf("SanitizeSession: %q and %q (max %d)", a, b, maxSessionLen)
	}
	if got := SanitizeSession("Alice's Laptop"); got != "alice-s-laptop" {
		t.Errorf("a short session is only cleaned: %q", got)
	}
}
