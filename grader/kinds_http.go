package grader

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// HTTPCheck sends a request from inside the lab network and matches the answer.
type HTTPCheck struct {
	From           string
	Method         string
	URL            string
	RequestHeaders map[string]string
	RequestBody    string
	Status         *Matcher // default: 200
	Body           *Matcher
	Headers        []HeaderMatcher
	JSON           []PathMatcher
	Latency        *Matcher
	Timeout        time.Duration

	FromLine int
}

// HeaderMatcher matches a response header; a missing header never matches.
type HeaderMatcher struct {
	Name string
	M    *Matcher
}

func (c *HTTPCheck) Kind() string                  { return "http" }
func (c *HTTPCheck) attemptTimeout() time.Duration { return c.Timeout }
func (c *HTTPCheck) Nodes() []NodeRef {
	if c.From == "" {
		return nil
	}
	return []NodeRef{{Name: c.From, Field: "from", Line: c.FromLine, Container: true}}
}

func parseHTTP(w *walker, n *yaml.Node, path string) CheckSpec {
	c := &HTTPCheck{Method: "GET", Status: equalInt(200), Timeout: DefaultAttemptTimeout}
	seen := w.Fields(n, path, map[string]yamlspec.FieldFunc{
		"from":            func(v *yaml.Node, p string) { w.Str(v, p, &c.From); c.FromLine = v.Line },
		"method":          func(v *yaml.Node, p string) { w.Str(v, p, &c.Method); c.Method = strings.ToUpper(c.Method) },
		"url":             func(v *yaml.Node, p string) { w.url(v, p, &c.URL) },
		"request_headers": func(v *yaml.Node, p string) { w.StringMap(v, p, &c.RequestHeaders) },
		"request_body":    func(v *yaml.Node, p string) { w.Str(v, p, &c.RequestBody) },
		"status": func(v *yaml.Node, p string) {
			if v.Kind == yaml.ScalarNode && v.Tag != "!!int" {
				w.Errorf(v, p, "expected an integer HTTP status, got %q", v.Value)
				return
			}
			c.Status = w.matcher(v, p)
		},
		"body": func(v *yaml.Node, p string) { c.Body = w.matcher(v, p) },
		"headers": func(v *yaml.Node, p string) {
			if v.Kind != yaml.MappingNode {
				w.Errorf(v, p, "expected a mapping of header name to matcher, got %s", yamlspec.Describe(v))
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				name := v.Content[i].Value
				if m := w.matcher(v.Content[i+1], yamlspec.JoinPath(p, name)); m != nil {
					c.Headers = append(c.Headers, HeaderMatcher{Name: name, M: m})
				}
			}
		},
		"json":    func(v *yaml.Node, p string) { c.JSON = w.pathMatchers(v, p) },
		"latency": func(v *yaml.Node, p string) { c.Latency = w.matcher(v, p) },
		"timeout": func(v *yaml.Node, p string) { w.Duration(v, p, &c.Timeout) },
	})
	w.Required(n, path, seen, "url")
	return c
}

func (w *walker) url(n *yaml.Node, path string, dst *string) {
	s, ok := w.Scalar(n, path, "a URL")
	if !ok {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		w.Errorf(n, path, "expected an absolute http(s) URL like \"http://lb/\", got %q", s)
		return
	}
	*dst = s
}

func (c *HTTPCheck) probe(ctx context.Context, e *env) (verdict, error) {
	resp, err := e.t.HTTP(ctx, HTTPRequest{From: c.From, Method: c.Method, URL: c.URL,
		Headers: c.RequestHeaders, Body: c.RequestBody, Timeout: c.Timeout})
	if v, handled := noAnswer(c.URL, c.Timeout, err); handled {
		return v, nil
	}
	if err != nil {
		return verdict{}, err
	}
	var a assertions
	a.check("status", c.Status, resp.Status)
	a.check("body", c.Body, string(resp.Body))
	for _, h := range c.Headers {
		var actual any = missing("<missing>")
		if vs := resp.Headers.Values(h.Name); len(vs) > 0 {
			actual = strings.Join(vs, ", ")
		}
		a.check("header "+h.Name, h.M, actual)
	}
	if len(c.JSON) > 0 {
		var doc any
		if err := json.Unmarshal(resp.Body, &doc); err != nil {
			a.fail("a JSON body", "not JSON", fmt.Sprintf("expected a JSON body from %s, got %s", c.URL, formatActual(string(resp.Body))))
		} else {
			checkPaths(&a, "json", doc, c.JSON)
		}
	}
	a.check("latency", c.Latency, resp.Latency)
	return a.verdict(), nil
}

// noAnswer turns "the service did not answer" into a fail: a hanging or
// refusing service is the learner's to fix, not a broken environment.
func noAnswer(target string, timeout time.Duration, err error) (verdict, bool) {
	switch {
	case errors.Is(err, ErrNoResponse):
		return failed("a response from "+target, "no response", fmt.Sprintf("no response from %s: %v", target, err)), true
	case errors.Is(err, ErrTimeout):
		return failed("a response from "+target, "no response", fmt.Sprintf("no response from %s within %s", target, fmtSeconds(timeout))), true
	}
	return verdict{}, false
}

func fmtSeconds(d time.Duration) string {
	s := fmt.Sprintf("%.1f", d.Seconds())
	return strings.TrimSuffix(s, ".0") + "s"
}
