package grader

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// PromQLCheck runs an instant query against the Prometheus HTTP API: grading
// uses the API, never scraped text.
type PromQLCheck struct {
	From   string
	URL    string // Prometheus base URL, e.g. http://prometheus:9090
	Query  string
	Value  *Matcher // must hold for every returned series
	Series *Matcher // number of series returned

	FromLine int
}

func (c *PromQLCheck) Kind() string { return "promql" }
func (c *PromQLCheck) Nodes() []NodeRef {
	return fromRef(c.From, c.FromLine)
}

func fromRef(from string, line int) []NodeRef {
	if from == "" {
		return nil
	}
	return []NodeRef{{Name: from, Field: "from", Line: line, Container: true}}
}

func parsePromQL(w *walker, n *yaml.Node, p string) CheckSpec {
	c := &PromQLCheck{}
	seen := w.Fields(n, p, map[string]yamlspec.FieldFunc{
		"from":   func(v *yaml.Node, p string) { w.Str(v, p, &c.From); c.FromLine = v.Line },
		"url":    func(v *yaml.Node, p string) { w.url(v, p, &c.URL) },
		"query":  func(v *yaml.Node, p string) { w.Str(v, p, &c.Query) },
		"value":  func(v *yaml.Node, p string) { c.Value = w.matcher(v, p) },
		"series": func(v *yaml.Node, p string) { c.Series = w.matcher(v, p) },
	})
	w.Required(n, p, seen, "url", "query")
	if c.Value == nil && c.Series == nil {
		c.Series = &Matcher{Op: "ge", num: 1} // a bare query means "returns something"
	}
	return c
}

type promSample struct {
	labels string
	value  float64
}

func (c *PromQLCheck) probe(ctx context.Context, e *env) (verdict, error) {
	u := strings.TrimRight(c.URL, "/") + "/api/v1/query?query=" + url.QueryEscape(c.Query)
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string          `json:"resultType"`
			Result     json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if v, done, err := getJSON(ctx, e, c.From, u, &body); done || err != nil {
		return v, err
	}
	if body.Status != "success" {
		return failed("query "+c.Query+" to succeed", body.Error, fmt.Sprintf("Prometheus rejected %s: %s", c.Query, body.Error)), nil
	}
	samples, err := parsePromResult(body.Data.ResultType, body.Data.Result)
	if err != nil {
		return failed("a Prometheus query result", "unparseable", fmt.Sprintf("cannot read Prometheus answer: %v", err)), nil
	}
	var a assertions
	a.check("series", c.Series, len(samples))
	if c.Value != nil {
		if len(samples) == 0 {
			a.fail("value "+c.Value.String(), "no series", fmt.Sprintf("expected value %s, got no series for %s", c.Value, c.Query))
		}
		for _, s := range samples {
			if !a.check("value"+s.labels, c.Value, s.value) {
				break // one failing series explains enough
			}
		}
	}
	return a.verdict(), nil
}

func parsePromResult(kind string, raw json.RawMessage) ([]promSample, error) {
	switch kind {
	case "vector":
		var vs []struct {
			Metric map[string]string `json:"metric"`
			Value  [2]any            `json:"value"`
		}
		if err := json.Unmarshal(raw, &vs); err != nil {
			return nil, err
		}
		out := make([]promSample, 0, len(vs))
		for _, v := range vs {
			f, err := promValue(v.Value[1])
			if err != nil {
				return nil, err
			}
			out = append(out, promSample{labels: promLabels(v.Metric), value: f})
		}
		return out, nil
	case "scalar":
		var v [2]any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		f, err := promValue(v[1])
		return []promSample{{value: f}}, err
	}
	return nil, fmt.Errorf("result type %q is not supported (use an instant vector or scalar)", kind)
}

func promValue(v any) (float64, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf("sample value %v is not a string", v)
	}
	return strconv.ParseFloat(s, 64)
}

func promLabels(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// getJSON GETs a lab API and decodes it. done is true when v already says why
// it failed (no answer, bad status, not JSON).
func getJSON(ctx context.Context, e *env, from, u string, dst any) (v verdict, done bool, err error) {
	resp, err := e.t.HTTP(ctx, HTTPRequest{From: from, Method: "GET", URL: u, Timeout: DefaultAttemptTimeout})
	if v, handled := noAnswer(u, DefaultAttemptTimeout, err); handled {
		return v, true, nil
	}
	if err != nil {
		return verdict{}, true, err
	}
	if resp.Status != 200 && resp.Status != 400 && resp.Status != 422 {
		return failed("status 200 from "+u, fmt.Sprintf("status %d", resp.Status),
			fmt.Sprintf("expected status 200 from %s, got %d", u, resp.Status)), true, nil
	}
	if err := json.Unmarshal(resp.Body, dst); err != nil {
		return failed("JSON from "+u, "not JSON", fmt.Sprintf("expected JSON from %s, got %s", u, formatActual(string(resp.Body)))), true, nil
	}
	return verdict{}, false, nil
}
