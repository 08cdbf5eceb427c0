package grader

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// AlertCheck asks Prometheus (or Alertmanager's v2 API) whether an alert fires.
type AlertCheck struct {
	From         string
	URL          string
	Name         string
	Labels       []HeaderMatcher // label name → matcher
	Firing       bool            // default true
	Alertmanager bool

	FromLine int
}

func (c *AlertCheck) Kind() string     { return "alert" }
func (c *AlertCheck) Nodes() []NodeRef { return fromRef(c.From, c.FromLine) }

func parseAlert(w *walker, n *yaml.Node, p string) CheckSpec {
	c := &AlertCheck{Firing: true}
	seen := w.Fields(n, p, map[string]yamlspec.FieldFunc{
		"from":         func(v *yaml.Node, p string) { w.Str(v, p, &c.From); c.FromLine = v.Line },
		"url":          func(v *yaml.Node, p string) { w.url(v, p, &c.URL) },
		"name":         func(v *yaml.Node, p string) { w.Str(v, p, &c.Name) },
		"firing":       func(v *yaml.Node, p string) { w.Bool(v, p, &c.Firing) },
		"alertmanager": func(v *yaml.Node, p string) { w.Bool(v, p, &c.Alertmanager) },
		"labels": func(v *yaml.Node, p string) {
			if v.Kind != yaml.MappingNode {
				w.Errorf(v, p, "expected a mapping of label name to matcher, got %s", yamlspec.Describe(v))
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				if m := w.matcher(v.Content[i+1], yamlspec.JoinPath(p, v.Content[i].Value)); m != nil {
					c.Labels = append(c.Labels, HeaderMatcher{Name: v.Content[i].Value, M: m})
				}
			}
		},
	})
	w.Required(n, p, seen, "url", "name")
	return c
}

type alertInfo struct {
	Labels map[string]string `json:"labels"`
	State  string            `json:"state"` // Prometheus: inactive, pending, firing
	Status struct {
		State string `json:"state"` // Alertmanager: active, suppressed, unprocessed
	} `json:"status"`
}

func (c *AlertCheck) probe(ctx context.Context, e *env) (verdict, error) {
	base := strings.TrimRight(c.URL, "/")
	var alerts []alertInfo
	if c.Alertmanager {
		if v, done, err := getJSON(ctx, e, c.From, base+"/api/v2/alerts?filter="+url.QueryEscape("alertname="+c.Name), &alerts); done || err != nil {
			return v, err
		}
	} else {
		var body struct {
			Data struct {
				Alerts []alertInfo `json:"alerts"`
			} `json:"data"`
		}
		if v, done, err := getJSON(ctx, e, c.From, base+"/api/v1/alerts", &body); done || err != nil {
			return v, err
		}
		alerts = body.Data.Alerts
	}
	firing, states := false, []string{}
	for _, al := range alerts {
		if al.Labels["alertname"] != c.Name || !c.labelsMatch(al.Labels) {
			continue
		}
		state := al.State
		if c.Alertmanager {
			state = al.Status.State
		}
		states = append(states, state)
		if state == "firing" || state == "active" {
			firing = true
		}
	}
	actual := "not firing"
	if firing {
		actual = "firing"
	} else if len(states) > 0 {
		actual = strings.Join(states, ", ")
	}
	want := map[bool]string{true: "to be firing", false: "not to be firing"}[c.Firing]
	var a assertions
	a.record(fmt.Sprintf("alert %s%s", c.Name, c.labelDesc()), want, missing(actual), firing == c.Firing)
	return a.verdict(), nil
}

func (c *AlertCheck) labelsMatch(l map[string]string) bool {
	for _, m := range c.Labels {
		v, ok := l[m.Name]
		if !ok || !m.M.Match(v) {
			return false
		}
	}
	return true
}

func (c *AlertCheck) labelDesc() string {
	if len(c.Labels) == 0 {
		return ""
	}
	parts := make([]string, len(c.Labels))
	for i, m := range c.Labels {
		parts[i] = m.Name + " " + m.M.String()
	}
	return " {" + strings.Join(parts, ", ") + "}"
}
