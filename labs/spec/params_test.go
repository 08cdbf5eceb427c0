package spec

import (
	"strings"
	"testing"
)

func TestTemplateExpand(t *testing.T) {
	tm := template{
		lookup: func(name string) (string, bool) { return map[string]string{"port": "8000"}[name], name == "port" },
		known:  "the lab has: port",
	}
	tests := []struct {
		name, in, want, problem string
	}{
		{"reference", "bind :{{ .port }} and {{.port}}", "bind :8000 and 8000", ""},
		{"literal", `docker ps --format '{{ "{{.Names}}" }}'`, "docker ps --format '{{.Names}}'", ""},
		{"github actions", "run: echo ${{ github.sha }}", "run: echo ${{ github.sha }}", ""},
		{"unknown", "x: {{ .prot }}", "x: {{ .prot }}", "1: unknown param prot in {{ .prot }} (the lab has: port)"},
		{"no dot", "x: {{ port }}", "x: {{ port }}", `1: cannot read "{{ port }}"`},
		{"comment", `x: "a # {{ .port }}" # about {{ .name }}`, `x: "a # 8000" # about {{ .name }}`, ""},
		{"quote in a plain value", `x: it's {{ .port }} # {{ .x }}`, `x: it's 8000 # {{ .x }}`, ""},
		{"unclosed", "a\nx: {{ .port", "a\nx: {{ .port", `2: "{{" without a closing "}}"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var problems []string
			got := tm.expand(tc.in, func(line int, msg string) {
				problems = append(problems, strings.Join([]string{string(rune('0' + line)), msg}, ": "))
			})
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if tc.problem == "" && len(problems) > 0 || tc.problem != "" && (len(problems) != 1 || !strings.HasPrefix(problems[0], tc.problem)) {
				t.Errorf("problems = %q, want %q", problems, tc.problem)
			}
		})
	}
}

func TestResolveParams(t *testing.T) {
	decls := []Param{{Name: "port", Default: "8000"}, {Name: "pick", Choices: []string{"a"}}, {Name: "empty"}}
	got, err := ResolveParams(decls, map[string]string{"port": "9000"})
	if err != nil {
		t.Fatal(err)
	}
	if got["port"] != "9000" || got["pick"] != "a" || got["empty"] != "" || len(got) != 3 {
		t.Errorf("values = %v", got)
	}
	// Re-resolving with the recorded values gives the same lab.
	again, err := ResolveParams(decls, got)
	if err != nil || again["pick"] != "a" || again["port"] != "9000" {
		t.Errorf("again = %v, %v", again, err)
	}
}
