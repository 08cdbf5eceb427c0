package spec

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"

	"github.com/opslab/opslab/grader"
)

// labParser decodes the top level of a templated lab.yaml.
type labParser struct {
	*walker
	dir       Dir
	hostPorts map[string]string // "8080/tcp" → the field that publishes it
}

func (p *labParser) lab(root *yaml.Node) *Lab {
	lab := &Lab{Version: "1"}
	var (
		idN, trackN, levelN, minutesN  *yaml.Node
		nodesN, setupN, tasksN, solveN *yaml.Node
		passN, gradeN                  *yaml.Node
	)
	seen := p.Fields(root, "", map[string]yamlspec.FieldFunc{
		"id":      func(v *yaml.Node, f string) { idN = v; p.Str(v, f, &lab.ID) },
		"title":   func(v *yaml.Node, f string) { p.Str(v, f, &lab.Title) },
		"track":   func(v *yaml.Node, f string) { trackN = v; p.Str(v, f, &lab.Track) },
		"level":   func(v *yaml.Node, f string) { levelN = v; p.Str(v, f, &lab.Level) },
		"minutes": func(v *yaml.Node, f string) { minutesN = v; p.Int(v, f, "a number of minutes", &lab.Minutes) },
		"version": func(v *yaml.Node, f string) { p.Str(v, f, &lab.Version) },
		"params":  nil, // read before templating
		"nodes":   func(v *yaml.Node, _ string) { nodesN = v },
		"setup":   func(v *yaml.Node, _ string) { setupN = v },
		"tasks":   func(v *yaml.Node, _ string) { tasksN = v },
		"pass":    func(v *yaml.Node, _ string) { passN = v },
		"grade":   func(v *yaml.Node, _ string) { gradeN = v },
		"solve":   func(v *yaml.Node, _ string) { solveN = v },
	})
	p.Required(root, "", seen, "id", "title", "track", "level", "minutes", "nodes")

	if idN != nil && !nameRE.MatchString(lab.ID) {
		p.Errorf(idN, "id", "%q is not a valid id: use lowercase letters, digits and -", lab.ID)
	}
	if seen["title"] != nil && strings.TrimSpace(lab.Title) == "" {
		p.Errorf(seen["title"], "title", "must not be empty")
	}
	if trackN != nil && !slices.Contains(Tracks, lab.Track) {
		p.Errorf(trackN, "track", "expected one of %s, got %q", strings.Join(Tracks, ", "), lab.Track)
	}
	if levelN != nil && !slices.Contains(Levels, lab.Level) {
		p.Errorf(levelN, "level", "expected one of %s, got %q", strings.Join(Levels, ", "), lab.Level)
	}
	if minutesN != nil && minutesN.Kind == yaml.ScalarNode && lab.Minutes <= 0 {
		if _, err := strconv.Atoi(minutesN.Value); err == nil {
			p.Errorf(minutesN, "minutes", "must be more than 0, got %d", lab.Minutes)
		}
	}

	if lab.Version == "" {
		lab.Version = "1"
	}
	if nodesN != nil {
		lab.Nodes = p.nodes(nodesN, "nodes")
	}
	names := nodeNames(lab.Nodes)
	if setupN != nil {
		lab.Setup = p.steps(setupN, "setup", names)
	}
	if solveN != nil {
		lab.Solve = p.steps(solveN, "solve", names)
	}
	if tasksN != nil {
		lab.Tasks = p.tasks(tasksN, names)
	}
	if gradeN != nil {
		lab.GradeDeadline, lab.GradeRestart = p.grade(gradeN)
	}
	if passN != nil {
		lab.Pass = p.pass(passN)
	}
	return lab
}

func nodeNames(nodes []Node) []string {
	names := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if n.Name != "" {
			names = append(names, n.Name)
		}
	}
	return names
}

// steps decodes setup: or solve: — commands run in a node, in order.
func (p *labParser) steps(n *yaml.Node, path string, nodes []string) []Step {
	var out []Step
	p.List(n, path, func(_ int, item *yaml.Node, ip string) {
		s := Step{Line: item.Line}
		seen := p.Fields(item, ip, map[string]yamlspec.FieldFunc{
			"node": func(v *yaml.Node, f string) { p.Str(v, f, &s.Node) },
			"run":  func(v *yaml.Node, f string) { p.Str(v, f, &s.Run) },
		})
		p.Required(item, ip, seen, "node", "run")
		if k := seen["node"]; k != nil && s.Node != "" && !slices.Contains(nodes, s.Node) {
			p.Errorf(k, ip+".node", "unknown node %q (the lab has: %s)", s.Node, strings.Join(nodes, ", "))
		}
		if k := seen["run"]; k != nil && strings.TrimSpace(s.Run) == "" {
			p.Errorf(k, ip+".run", "must not be empty")
		}
		out = append(out, s)
	})
	return out
}

// tasks hands the checks to the grader, which owns their format.
func (p *labParser) tasks(n *yaml.Node, nodes []string) []grader.Task {
	tasks, err := grader.ParseTasks(p.File, n)
	if err != nil {
		p.addErr(err)
		return nil
	}
	p.Errs = append(p.Errs, grader.ValidateRefs(p.File, tasks, nodes)...)
	return tasks
}

func (p *labParser) addErr(err error) {
	var many yamlspec.SpecErrors
	var one *yamlspec.SpecError
	switch {
	case errors.As(err, &many):
		p.Errs = append(p.Errs, many...)
	case errors.As(err, &one):
		p.Errs = append(p.Errs, one)
	default:
		p.Errorf(nil, "", "%v", err)
	}
}
