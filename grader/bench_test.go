package grader

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// BenchmarkGrade20Checks grades 20 independent checks against a fake whose
// every call takes callDelay. With 20 checks in flight the ideal wall time is
// one callDelay; the reported overhead is what the grader adds beyond it.
func BenchmarkGrade20Checks(b *testing.B) {
	const callDelay = 2 * time.Millisecond // a fast in-network probe
	var src strings.Builder
	src.WriteString("tasks:\n")
	f := newFake()
	f.delay = callDelay
	for i := 0; i < 20; i++ {
		url := fmt.Sprintf("http://app%d/", i)
		f.http[url] = okHTTP(200, `{"status":"ok"}`, nil, time.Millisecond)
		fmt.Fprintf(&src, "  - id: t%d\n    title: T%d\n    points: 1\n    checks:\n      - http: {url: %q, json: {path: .status, equal: ok}}\n", i, i, url)
	}
	tasks := mustTasks(b, src.String())
	opt := Options{Concurrency: 20}
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		if r := Grade(context.Background(), f, LabInfo{ID: "bench"}, tasks, opt); !r.Passed {
			b.Fatal("benchmark lab did not pass")
		}
	}
	per := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(float64((per - callDelay).Microseconds()), "overhead-µs/op")
}
