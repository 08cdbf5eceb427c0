package labs

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/opslab/opslab/grader"
)

// HTTPSeries sends the whole series with one curl in one exec: `--rate` starts a
// request every gap (a slow answer delays the next start), `-w` reports each
// transfer on a line of its own. One exec instead of one per request matters:
// here an exec costs ~0.25 CPU-seconds, and an SLI probe measures latency on
// the very machine it would otherwise crowd. A curl older than 7.84 (no
// --rate) answers grader.ErrSeriesUnsupported: the grader sends one by one.
func (t *labTarget) HTTPSeries(ctx context.Context, req grader.HTTPRequest, n int, gap time.Duration) ([]grader.HTTPOutcome, error) {
	from, timeout, method := t.requestDefaults(req)
	// Connection: close gives every request a connection of its own, as separate
	// clients would have; curl would otherwise reuse one for the whole series.
	curl := []string{"curl", "-sS", "-X", method, "-H", "Connection: close",
		"--max-time", strconv.FormatFloat(timeout.Seconds(), 'f', 3, 64),
		"-w", "%{stderr}" + seriesMarker + "%{http_code} %{time_total} %{exitcode}\\n"}
	if gap > 0 {
		curl = append(curl, "--rate", fmt.Sprintf("%d/h", int64(math.Round(float64(time.Hour)/float64(gap)))))
	}
	for k, v := range req.Headers {
		curl = append(curl, "-H", k+": "+v)
	}
	for range n {
		curl = append(curl, req.URL)
	}
	// Bodies go to /dev/null, the per-transfer lines (on stderr) to stdout.
	cmd := append([]string{"sh", "-c", `"$@" 2>&1 >/dev/null`, "sh"}, curl...)
	limit := time.Duration(n)*(gap+timeout) + 5*time.Second
	res, err := t.r.execCapture(ctx, t.lab, from, cmd, limit)
	if err != nil {
		return nil, err
	}
	if res.ExitCode == 127 {
		return nil, fmt.Errorf("node %s has no curl: HTTP checks need curl in the node they are sent from", from)
	}
	out, ok := parseSeries(res.Stdout, n)
	if !ok && strings.Contains(res.Stdout, "--rate") { // curl before 7.84
		return nil, grader.ErrSeriesUnsupported
	}
	if !ok {
		return nil, fmt.Errorf("unexpected curl output (exit %d): %s", res.ExitCode, strings.TrimSpace(res.Stdout))
	}
	return out, nil
}

const seriesMarker = "\x1eopslab-series "

// parseSeries reads curl's per-transfer lines: "CODE SECONDS EXITCODE". Code 000
// is a request with no answer: exit 28 a timeout, anything else no response.
func parseSeries(stdout string, n int) ([]grader.HTTPOutcome, bool) {
	var out []grader.HTTPOutcome
	var lastErr string
	for _, line := range strings.Split(stdout, "\n") {
		rest, found := strings.CutPrefix(line, seriesMarker)
		if !found {
			if strings.HasPrefix(line, "curl: ") {
				lastErr = strings.TrimPrefix(line, "curl: ")
			}
			continue
		}
		var code, exit int
		var secs float64
		if _, err := fmt.Sscanf(rest, "%d %f %d", &code, &secs, &exit); err != nil {
			return nil, false
		}
		o := grader.HTTPOutcome{Response: grader.HTTPResponse{Status: code, Latency: time.Duration(secs * float64(time.Second))}}
		switch {
		case code == 0 && exit == 28:
			o.Err = fmt.Errorf("%w: %s", grader.ErrTimeout, lastErr)
		case code == 0:
			o.Err = fmt.Errorf("%w: %s", grader.ErrNoResponse, lastErr)
		}
		out = append(out, o)
		lastErr = ""
	}
	return out, len(out) == n
}

var _ grader.HTTPSeriesTarget = (*labTarget)(nil)
