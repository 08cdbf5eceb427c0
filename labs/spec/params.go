package spec

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

var paramNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ResolveParams gives every declared param its value: the override when one
// is given, else the default, else (for a choices param) a random choice.
// Overrides are the user's input (--param k=v), so problems with them are a
// *UsageError. The runtime records the result and re-parses the lab with
// exactly these values later, so grade sees what start chose.
func ResolveParams(decls []Param, overrides map[string]string) (map[string]string, error) {
	byName := make(map[string]Param, len(decls))
	for _, d := range decls {
		byName[d.Name] = d
	}
	var problems []string
	for _, name := range sortedKeys(overrides) {
		v := overrides[name]
		d, ok := byName[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("unknown param %s (%s)", name, paramList(decls)))
		case strings.ContainsAny(v, "\r\n"):
			problems = append(problems, fmt.Sprintf("param %s: the value must be one line", name))
		case len(d.Choices) > 0 && !slices.Contains(d.Choices, v):
			problems = append(problems, fmt.Sprintf("param %s: %q is not one of %s", name, v, strings.Join(d.Choices, ", ")))
		}
	}
	if len(problems) > 0 {
		return nil, &UsageError{Msg: strings.Join(problems, "\n")}
	}
	values := make(map[string]string, len(decls))
	for _, d := range decls {
		switch v, ok := overrides[d.Name]; {
		case ok:
			values[d.Name] = v
		case d.Default == "" && len(d.Choices) > 0:
			values[d.Name] = d.Choices[rand.IntN(len(d.Choices))]
		default:
			values[d.Name] = d.Default
		}
	}
	return values, nil
}

func paramList(decls []Param) string {
	if len(decls) == 0 {
		return "the lab has no params"
	}
	names := make([]string, len(decls))
	for i, d := range decls {
		names[i] = d.Name
	}
	return "the lab has: " + strings.Join(names, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// params decodes the params: section.
func (w *walker) params(n *yaml.Node, path string) []Param {
	var out []Param
	seen := map[string]bool{}
	w.List(n, path, func(_ int, item *yaml.Node, p string) {
		var d Param
		var defN, choicesN *yaml.Node
		keys := w.Fields(item, p, map[string]yamlspec.FieldFunc{
			"name":        func(v *yaml.Node, fp string) { w.Str(v, fp, &d.Name) },
			"default":     func(v *yaml.Node, fp string) { defN = v; w.Str(v, fp, &d.Default) },
			"description": func(v *yaml.Node, fp string) { w.Str(v, fp, &d.Description) },
			"choices":     func(v *yaml.Node, fp string) { choicesN = v; w.Strs(v, fp, &d.Choices) },
		})
		w.Required(item, p, keys, "name")
		switch {
		case d.Name == "":
		case !paramNameRE.MatchString(d.Name):
			w.Errorf(keys["name"], p+".name", "%q is not a valid param name (letters, digits and _; not starting with a digit)", d.Name)
		case strings.HasPrefix(d.Name, gradePrefix):
			w.Errorf(keys["name"], p+".name", "%q: names starting with %q are opslab's built-in grade values (%s)", d.Name, gradePrefix, strings.Join(GradeValueNames, ", "))
		case seen[d.Name]:
			w.Errorf(keys["name"], p+".name", "param %q declared twice", d.Name)
		}
		seen[d.Name] = true
		if choicesN != nil && len(d.Choices) == 0 {
			w.Errorf(choicesN, p+".choices", "needs at least one choice")
		}
		if defN != nil && len(d.Choices) > 0 && !slices.Contains(d.Choices, d.Default) {
			w.Errorf(defN, p+".default", "%q is not one of the choices (%s)", d.Default, strings.Join(d.Choices, ", "))
		}
		if strings.ContainsAny(d.Default, "\r\n") {
			w.Errorf(defN, p+".default", "a param value must be one line")
		}
		out = append(out, d)
	})
	return out
}
