package yamlspec

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// walk reads text's top mapping with fields a (a string map) and b (a string).
func walk(t *testing.T, text string) (map[string]string, SpecErrors) {
	t.Helper()
	w := &Walker{File: "lab.yaml"}
	var m map[string]string
	var s string
	if root := w.Doc(text, "a: ..., b: ..."); root != nil {
		w.Fields(root, "", map[string]FieldFunc{
			"a": func(v *yaml.Node, p string) { w.StringMap(v, p, &m) },
			"b": func(v *yaml.Node, p string) { w.Str(v, p, &s) },
		})
	}
	return m, w.Errs
}

func TestWalkerRejectsWhatYAMLLetsThrough(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		// YAML keeps the last of two equal keys: a silent override of what the author meant.
		{"a field given twice", "b: x\nb: y\n", `lab.yaml:2: b: field "b" given twice`},
		{"a map key given twice", "a:\n  X-Token: one\n  X-Token: two\n", `lab.yaml:3: a.X-Token: key "X-Token" given twice`},
		{"an unknown field", "c: 1\n", `lab.yaml:1: c: unknown field "c" (known: a, b)`},
		{"not a mapping", "- a\n", `lab.yaml:1: expected a mapping (a: ..., b: ...), got a list`},
		{"broken YAML", "a: [\n", `lab.yaml:2: invalid YAML:`},
		{"an empty file", "", `lab.yaml: the file is empty`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := walk(t, tc.text)
			if !strings.HasPrefix(errs.Error(), tc.want) {
				t.Errorf("errors:\n%v\nwant one starting %q", errs, tc.want)
			}
		})
	}
}

// An alias chain that multiplies (a billion laughs) stops at MaxAliasUses
// with one error instead of exhausting memory.
func TestWalkerCapsAliasUses(t *testing.T) {
	var b strings.Builder
	b.WriteString("b: &v x\na:\n")
	for i := range MaxAliasUses + 50 {
		fmt.Fprintf(&b, "  k%d: *v\n", i)
	}
	m, errs := walk(t, b.String())
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "uses of YAML aliases") {
		t.Fatalf("errors = %v, want one about too many aliases", errs)
	}
	if len(m) > MaxAliasUses+50 || m["k0"] != "x" {
		t.Errorf("aliases before the cap should resolve: k0 = %q", m["k0"])
	}
}
