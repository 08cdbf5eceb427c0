package grader

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// SLICheck probes a URL Requests times spread over Window and grades the
// success ratio and p95 latency: behaviour over time, not one lucky request.
type SLICheck struct {
	From         string
	URL          string
	Requests     int           // default 20
	Window       time.Duration // default 5s
	SuccessRatio *Matcher      // default >= 0.99
	P95          *Matcher
	Timeout      time.Duration // per request, default 2s: a slower answer counts as failed

	FromLine int
}

func (c *SLICheck) Kind() string     { return "sli" }
func (c *SLICheck) Nodes() []NodeRef { return fromRef(c.From, c.FromLine) }

// attemptTimeout covers the window plus every request taking its full timeout:
// a slow service is a fail measured by the probe, never a grader timeout.
func (c *SLICheck) attemptTimeout() time.Duration {
	return c.Window + time.Duration(c.Requests)*(c.Timeout+time.Second)
}

func parseSLI(w *walker, n *yaml.Node, p string) CheckSpec {
	c := &SLICheck{Requests: 20, Window: 5 * time.Second, Timeout: 2 * time.Second}
	seen := w.Fields(n, p, map[string]yamlspec.FieldFunc{
		"from":          func(v *yaml.Node, p string) { w.Str(v, p, &c.From); c.FromLine = v.Line },
		"url":           func(v *yaml.Node, p string) { w.url(v, p, &c.URL) },
		"requests":      func(v *yaml.Node, p string) { w.Int(v, p, "a number of requests", &c.Requests) },
		"window":        func(v *yaml.Node, p string) { w.Duration(v, p, &c.Window) },
		"success_ratio": func(v *yaml.Node, p string) { c.SuccessRatio = w.matcher(v, p) },
		"p95":           func(v *yaml.Node, p string) { c.P95 = w.matcher(v, p) },
		"timeout":       func(v *yaml.Node, p string) { w.Duration(v, p, &c.Timeout) },
	})
	w.Required(n, p, seen, "url")
	if c.Requests < 1 || c.Requests > 10000 {
		w.Errorf(seen["requests"], yamlspec.JoinPath(p, "requests"), "expected 1 to 10000 requests, got %d", c.Requests)
	}
	if c.SuccessRatio == nil {
		c.SuccessRatio = &Matcher{Op: "ge", num: 0.99}
	}
	return c
}

func (c *SLICheck) probe(ctx context.Context, e *env) (verdict, error) {
	outcomes, err := c.send(ctx, e)
	if err != nil {
		return verdict{}, err
	}
	ok := 0
	var lat []time.Duration
	for _, o := range outcomes {
		switch {
		case errors.Is(o.Err, ErrNoResponse), errors.Is(o.Err, ErrTimeout):
			lat = append(lat, c.Timeout) // a lost or too slow request counts as failed and slow
			continue
		case o.Err != nil:
			return verdict{}, o.Err
		}
		lat = append(lat, o.Response.Latency)
		if o.Response.Status >= 200 && o.Response.Status < 400 {
			ok++
		}
	}
	var a assertions
	a.check("success ratio", c.SuccessRatio, float64(ok)/float64(c.Requests))
	a.check("p95 latency", c.P95, percentile(lat, 0.95))
	return a.verdict(), nil
}

// send spreads the requests over the window by schedule: a slow answer eats
// into the next gap instead of stretching the window.
func (c *SLICheck) send(ctx context.Context, e *env) ([]HTTPOutcome, error) {
	req := HTTPRequest{From: c.From, Method: "GET", URL: c.URL, Timeout: c.Timeout}
	gap := c.Window / time.Duration(c.Requests)
	if st, ok := e.t.(HTTPSeriesTarget); ok {
		out, err := st.HTTPSeries(ctx, req, c.Requests, gap)
		if !errors.Is(err, ErrSeriesUnsupported) {
			return out, err
		}
	}
	start := e.now()
	out := make([]HTTPOutcome, 0, c.Requests)
	for i := 0; i < c.Requests; i++ {
		if wait := start.Add(time.Duration(i) * gap).Sub(e.now()); i > 0 && wait > 0 {
			if err := e.sleep(ctx, wait); err != nil {
				return nil, err
			}
		}
		resp, err := e.t.HTTP(ctx, req)
		if err != nil && !errors.Is(err, ErrNoResponse) && !errors.Is(err, ErrTimeout) {
			return nil, err // the environment broke: no point in sending the rest
		}
		out = append(out, HTTPOutcome{Response: resp, Err: err})
	}
	return out, nil
}

// percentile uses the nearest-rank method: simple and stable for small N.
func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(q*float64(len(s))+0.999999) - 1
	if rank < 0 {
		rank = 0
	}
	if rank >= len(s) {
		rank = len(s) - 1
	}
	return s[rank]
}
