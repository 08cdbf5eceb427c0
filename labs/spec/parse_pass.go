package spec

import (
	"time"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"

	"github.com/opslab/opslab/grader"
)

// pass decodes pass: {threshold: 0.8}: up to 1 the share of the points
// needed to pass, above 1 a number of points.
func (p *labParser) pass(n *yaml.Node) grader.PassPolicy {
	var pol grader.PassPolicy
	p.Fields(n, "pass", map[string]yamlspec.FieldFunc{
		"threshold": func(v *yaml.Node, f string) {
			var t float64
			if v == nil || v.Kind != yaml.ScalarNode || v.Decode(&t) != nil {
				p.Errorf(v, f, "expected a number (0.8 = 80%% of the points, 12 = 12 points), got %s", yamlspec.Describe(v))
				return
			}
			if t <= 0 {
				p.Errorf(v, f, "must be more than 0 (0.8 = 80%% of the points, 12 = 12 points), got %s", v.Value)
				return
			}
			pol.Threshold = t
		},
	})
	return pol
}

// grade decodes grade: {deadline: 4m, restart: true}: how long one grading of
// the lab may take (default grader.DefaultDeadline; labs that re-run a
// playbook on fresh nodes need more), and whether an exam's final grade
// restarts every node first.
func (p *labParser) grade(n *yaml.Node) (d time.Duration, restart bool) {
	p.Fields(n, "grade", map[string]yamlspec.FieldFunc{
		"restart": func(v *yaml.Node, f string) { p.Bool(v, f, &restart) },
		"deadline": func(v *yaml.Node, f string) {
			parsed, err := time.ParseDuration(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil || parsed <= 0 || parsed > 30*time.Minute {
				p.Errorf(v, f, "expected a duration between 1s and 30m such as 240s, got %s", yamlspec.Describe(v))
				return
			}
			d = parsed
		},
	})
	return d, restart
}
