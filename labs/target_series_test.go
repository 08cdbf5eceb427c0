package labs

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/opslab/opslab/grader"
)

// What curl 7.88 prints for a series (seen in a lab's client node): an error
// line before the transfer's own line; 000 with exit 28 is a timeout.
func TestParseSeries(t *testing.T) {
	m := seriesMarker
	out := "curl: (7) Failed to connect to app1 port 8000 after 0 ms: Couldn't connect to server\n" +
		m + "000 0.000232 7\n" +
		m + "200 0.012500 0\n" +
		"curl: (28) Operation timed out after 2000 milliseconds with 0 bytes received\n" +
		m + "000 2.000100 28\n" +
		m + "502 0.001000 0\n"
	got, ok := parseSeries(out, 4)
	if !ok || len(got) != 4 {
		t.Fatalf("parsed %d outcomes (ok %v), want 4", len(got), ok)
	}
	if !errors.Is(got[0].Err, grader.ErrNoResponse) || !strings.Contains(got[0].Err.Error(), "Couldn't connect") {
		t.Errorf("refused: %v", got[0].Err)
	}
	if got[1].Err != nil || got[1].Response.Status != 200 || got[1].Response.Latency != 12500*time.Microsecond {
		t.Errorf("ok: %+v", got[1])
	}
	if !errors.Is(got[2].Err, grader.ErrTimeout) {
		t.Errorf("timeout: %v", got[2].Err)
	}
	if got[3].Err != nil || got[3].Response.Status != 502 {
		t.Errorf("502: %+v", got[3])
	}
	// A series cut short (curl killed) is not a series.
	if _, ok := parseSeries(m+"200 0.1 0\n", 2); ok {
		t.Error("1 line for 2 requests must not parse")
	}
	// curl before 7.84 has no --rate: no transfer lines at all.
	if _, ok := parseSeries("curl: option --rate: is unknown\n", 20); ok {
		t.Error("an unknown --rate must not parse")
	}
}
