package spec

import (
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// AttemptFile, in a wrong/ or variants/ case, is what the learner did besides
// editing files: a hand fix inside a node, a restart. `opslab test` and
// `opslab solve` run it after the case's files and the lab's solve steps, so
// shortcuts that are not file edits can be proven rejected. It is never
// copied into the workspace.
//
//	why: the fix is made by hand inside app1, not in app.env   # what the case stands for
//	steps:
//	  - {node: app1, run: "sed -i s/127.0.0.1/0.0.0.0/ /etc/app/app.env"}   # as `opslab exec`
//	  - {restart: app1}                                                     # stop | start | restart | recreate
const AttemptFile = "attempt.yaml"

// AttemptStep is one thing the learner did: Op "exec" runs Run in Node.
type AttemptStep struct {
	Op   string // exec | stop | start | restart | recreate
	Node string
	Run  string
	Line int
}

var attemptOps = []string{"exec", "stop", "start", "restart", "recreate"}

// ParseAttempt reads dir/attempt.yaml of lab (nil when there is none). Params
// and grade values are expanded in it as in lab.yaml.
func ParseAttempt(lab *Lab, dir string) ([]AttemptStep, error) {
	name := path.Join(dir, AttemptFile)
	raw, err := fs.ReadFile(lab.FS, name)
	if err != nil {
		return nil, nil //nolint:nilerr // no attempt: the case is its files alone
	}
	file := lab.Source + "/" + name
	w := newWalker(file)
	t := template{lookup: lookupParam(lab.Values, lab.GradeValues), known: paramList(lab.Params)}
	text := t.expand(string(raw), func(line int, msg string) {
		w.Errs = append(w.Errs, &yamlspec.SpecError{File: file, Line: line, Msg: msg})
	})
	root := w.Doc(text, "why: and steps:")
	if root == nil {
		return nil, w.Errs
	}
	var stepsN *yaml.Node
	seen := w.Fields(root, "", map[string]yamlspec.FieldFunc{
		"why":   func(v *yaml.Node, p string) { w.Str(v, p, new(string)) },
		"steps": func(v *yaml.Node, p string) { stepsN = v },
	})
	w.Required(root, "", seen, "steps")
	if stepsN == nil {
		return nil, w.Errs
	}
	nodes := nodeNames(lab.Nodes)
	var out []AttemptStep
	w.List(stepsN, "steps", func(i int, item *yaml.Node, p string) {
		s := AttemptStep{Line: item.Line, Op: "exec"}
		var seen map[string]*yaml.Node
		if item.Kind == yaml.MappingNode && len(item.Content) == 2 && item.Content[0].Value != "node" && item.Content[0].Value != "run" {
			op := item.Content[0].Value
			if !slices.Contains(attemptOps[1:], op) {
				w.Errorf(item.Content[0], p, "unknown step %q: expected {node: N, run: CMD} or one of {%s: N}", op, strings.Join(attemptOps[1:], ": N}, {"))
				return
			}
			s.Op = op
			w.Str(item.Content[1], p+"."+op, &s.Node)
			seen = map[string]*yaml.Node{"node": item.Content[1]}
		} else {
			seen = w.Fields(item, p, map[string]yamlspec.FieldFunc{
				"node": func(v *yaml.Node, f string) { w.Str(v, f, &s.Node) },
				"run":  func(v *yaml.Node, f string) { w.Str(v, f, &s.Run) },
			})
			w.Required(item, p, seen, "node", "run")
		}
		if k := seen["node"]; k != nil && s.Node != "" && !slices.Contains(nodes, s.Node) {
			w.Errorf(k, p+".node", "unknown node %q (the lab has: %s)", s.Node, strings.Join(nodes, ", "))
		}
		out = append(out, s)
	})
	if len(w.Errs) > 0 {
		return nil, w.Errs
	}
	return out, nil
}
