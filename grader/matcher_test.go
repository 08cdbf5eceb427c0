package grader

import (
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func parseMatcherSrc(t *testing.T, src string) *Matcher {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	w := newWalker("lab.yaml")
	m := w.matcher(n.Content[0], "m")
	if len(w.Errs) > 0 {
		t.Fatalf("matcher %q: %v", src, w.Errs)
	}
	return m
}

func TestMatchers(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		actual any
		want   bool
		desc   string
	}{
		{"bare int equals int", "200", 200, true, "200"},
		{"bare int vs other int", "200", 502, false, "200"},
		{"bare string", "healthy", "healthy", true, `"healthy"`},
		{"equal float vs json number", "{equal: 3}", float64(3), true, "3"},
		{"equal bool", "true", true, true, "true"},
		{"equal null", "{equal: null}", nil, true, "null"},
		{"contain string", "{contain: hello}", "say hello world", true, `to contain "hello"`},
		{"contain list all", "{contain: [a, b]}", "a.b", true, `to contain "a" and "b"`},
		{"contain list missing one", "{contain: [a, z]}", "a.b", false, `to contain "a" and "z"`},
		{"contain in list", "{contain: web}", []any{"db", "web"}, true, `to contain "web"`},
		{"regexp", "{match-regexp: \"text/.*\"}", "text/html", true, "to match /text/.*/"},
		{"regexp no match", "{match-regexp: \"^json\"}", "text/html", false, "to match /^json/"},
		{"regexp on missing", "{match-regexp: \".*\"}", missing("<missing>"), false, "to match /.*/"},
		{"gt number", "{gt: 1}", 2, true, "> 1"},
		{"lt duration", "{lt: 500ms}", 300 * time.Millisecond, true, "< 500ms"},
		{"lt duration fails", "{lt: 500ms}", 812 * time.Millisecond, false, "< 500ms"},
		{"ge ratio", "{ge: 0.99}", 0.95, false, ">= 0.99"},
		{"le numeric string", "{le: 10}", " 7\n", true, "<= 10"},
		{"duration vs number not comparable", "{lt: 5s}", 3, false, "< 5s"},
		{"not contain", "{not: {contain: error}}", "all fine", true, `not to contain "error"`},
		{"not contain fails", "{not: {contain: error}}", "error: x", false, `not to contain "error"`},
		{"and", "{and: [{gt: 1}, {lt: 5}]}", 3, true, "> 1 and < 5"},
		{"or", "{or: [200, 204]}", 204, true, "200 or 204"},
		{"have-len", "{have-len: 2}", []any{1, 2}, true, "with length 2"},
		{"have-len string ge", "{have-len: {ge: 3}}", "ab", false, "with length >= 3"},
		{"several keys mean and", "{gt: 1, lt: 3}", 2, true, "> 1 and < 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := parseMatcherSrc(t, tc.src)
			if got := m.Match(tc.actual); got != tc.want {
				t.Errorf("Match(%#v) = %v, want %v", tc.actual, got, tc.want)
			}
			if got := m.String(); got != tc.desc {
				t.Errorf("String() = %q, want %q", got, tc.desc)
			}
		})
	}
}

func TestFormatActual(t *testing.T) {
	long := make([]byte, 300)
	for i := range long {
		long[i] = 'x'
	}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"string quoted", "502 Bad Gateway", `"502 Bad Gateway"`},
		{"duration rounded", 812345678 * time.Nanosecond, "812ms"},
		{"int", 3, "3"},
		{"missing", missing("<missing>"), "<missing>"},
		{"list", []string{"a"}, `["a"]`},
		{"long string truncated", string(long), `"` + string(long[:200]) + `"… (300 bytes)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := formatActual(tc.v); got != tc.want {
				t.Errorf("formatActual = %s, want %s", got, tc.want)
			}
		})
	}
}
