package labs

import (
	"gopkg.in/yaml.v3"

	"github.com/opslab/opslab/grader"
)

// pass decodes pass: {threshold: 0.8}: up to 1 the share of the points
// needed to pass, above 1 a number of points.
func (p *labParser) pass(n *yaml.Node) grader.PassPolicy {
	var pol grader.PassPolicy
	p.fields(n, "pass", map[string]fieldFunc{
		"threshold": func(v *yaml.Node, f string) {
			var t float64
			if v == nil || v.Kind != yaml.ScalarNode || v.Decode(&t) != nil {
				p.errorf(v, f, "expected a number (0.8 = 80%% of the points, 12 = 12 points), got %s", describeNode(v))
				return
			}
			if t <= 0 {
				p.errorf(v, f, "must be more than 0 (0.8 = 80%% of the points, 12 = 12 points), got %s", v.Value)
				return
			}
			pol.Threshold = t
		},
	})
	return pol
}
