package grader

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Matcher is a parsed goss-style expectation: equal, contain, match-regexp,
// gt, lt, ge, le, not, and, or, have-len.
type Matcher struct {
	Op   string
	Line int

	value  string // scalar operand as written
	tag    string // YAML tag of value, so 200 and "200" print as written
	values []string
	num    float64
	dur    time.Duration
	isDur  bool
	re     *regexp.Regexp
	subs   []*Matcher
}

// Equal returns a matcher for a bare scalar; kinds use it for defaults.
func Equal(v string) *Matcher { return &Matcher{Op: "equal", value: v, tag: "!!str"} }

func equalInt(n int) *Matcher {
	return &Matcher{Op: "equal", value: strconv.Itoa(n), tag: "!!int"}
}

// String describes the expectation so it reads after a subject:
// "status 200", "body to contain \"hello\"", "latency < 500ms".
func (m *Matcher) String() string {
	switch m.Op {
	case "equal":
		return m.literal()
	case "contain":
		parts := make([]string, len(m.values))
		for i, v := range m.values {
			parts[i] = strconv.Quote(v)
		}
		return "to contain " + strings.Join(parts, " and ")
	case "match-regexp":
		return "to match /" + m.value + "/"
	case "gt", "lt", "ge", "le":
		return map[string]string{"gt": ">", "lt": "<", "ge": ">=", "le": "<="}[m.Op] + " " + m.operand()
	case "not":
		return "not " + m.subs[0].String()
	case "and", "or":
		parts := make([]string, len(m.subs))
		for i, s := range m.subs {
			parts[i] = s.String()
		}
		return strings.Join(parts, " "+m.Op+" ")
	case "have-len":
		return "with length " + m.subs[0].String()
	case "any":
		return "to have an item " + m.subs[0].String()
	case "all":
		return "to have items, every one " + m.subs[0].String()
	}
	return m.Op
}

func (m *Matcher) literal() string {
	if m.tag == "!!str" {
		return strconv.Quote(m.value)
	}
	return m.value
}

func (m *Matcher) operand() string {
	if m.isDur {
		return m.dur.String()
	}
	return formatNum(m.num)
}

// Match reports whether actual meets the expectation. actual is a string,
// number, bool, time.Duration, []string or a decoded JSON/YAML value.
func (m *Matcher) Match(actual any) bool {
	switch m.Op {
	case "equal":
		return scalarEqual(m.value, actual)
	case "contain":
		for _, v := range m.values {
			if !contains(actual, v) {
				return false
			}
		}
		return true
	case "match-regexp":
		s, ok := asString(actual)
		return ok && m.re.MatchString(s)
	case "gt", "lt", "ge", "le":
		c, ok := m.compare(actual)
		if !ok {
			return false
		}
		switch m.Op {
		case "gt":
			return c > 0
		case "lt":
			return c < 0
		case "ge":
			return c >= 0
		}
		return c <= 0
	case "not":
		return !m.subs[0].Match(actual)
	case "and":
		for _, s := range m.subs {
			if !s.Match(actual) {
				return false
			}
		}
		return true
	case "or":
		for _, s := range m.subs {
			if s.Match(actual) {
				return true
			}
		}
		return false
	case "have-len":
		n, ok := length(actual)
		return ok && m.subs[0].Match(n)
	case "any", "all":
		return m.matchItems(actual)
	}
	return false
}

// matchItems applies the sub-matcher to each item of a list (a wildcard
// path's matches, a Markdown section's entries). all needs at least one
// item: a check over nothing must not pass by vacuous truth.
func (m *Matcher) matchItems(actual any) bool {
	var items []any
	switch a := actual.(type) {
	case []any:
		items = a
	case []string:
		for _, s := range a {
			items = append(items, s)
		}
	default:
		items = []any{actual}
	}
	if _, isMissing := actual.(missing); isMissing {
		return false
	}
	matched := 0
	for _, it := range items {
		if m.subs[0].Match(it) {
			matched++
		}
	}
	if m.Op == "any" {
		return matched > 0
	}
	return len(items) > 0 && matched == len(items)
}

// compare returns the sign of actual - operand, false when they are not
// comparable (a duration against a number is an authoring mistake shown as a fail).
func (m *Matcher) compare(actual any) (int, bool) {
	if m.isDur {
		d, ok := actual.(time.Duration)
		if !ok {
			s, isStr := actual.(string)
			var err error
			if d, err = time.ParseDuration(s); !isStr || err != nil {
				return 0, false
			}
		}
		return cmpOrdered(d, m.dur), true
	}
	f, ok := asFloat(actual)
	if !ok {
		return 0, false
	}
	return cmpOrdered(f, m.num), true
}

func cmpOrdered[T int64 | float64 | time.Duration](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func scalarEqual(want string, actual any) bool {
	switch a := actual.(type) {
	case nil:
		return want == "null" || want == "~" || want == ""
	case string:
		return a == want
	case bool:
		b, err := strconv.ParseBool(want)
		return err == nil && a == b
	case time.Duration:
		d, err := time.ParseDuration(want)
		return err == nil && a == d
	}
	if f, ok := asFloat(actual); ok {
		w, err := strconv.ParseFloat(want, 64)
		return err == nil && f == w
	}
	return false
}

func contains(actual any, want string) bool {
	switch a := actual.(type) {
	case string:
		return strings.Contains(a, want)
	case []string:
		for _, s := range a {
			if s == want {
				return true
			}
		}
		return false
	case []any:
		for _, v := range a {
			if scalarEqual(want, v) {
				return true
			}
		}
		return false
	}
	return false
}

func asString(v any) (string, bool) {
	switch a := v.(type) {
	case string:
		return a, true
	case []byte:
		return string(a), true
	case nil, missing, []any, map[string]any, []string:
		return "", false
	}
	return formatActual(v), true
}

func asFloat(v any) (float64, bool) {
	switch a := v.(type) {
	case int:
		return float64(a), true
	case int64:
		return float64(a), true
	case uint64:
		return float64(a), true
	case float64:
		return a, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(a), 64)
		return f, err == nil
	}
	return 0, false
}

func length(v any) (int, bool) {
	if s, ok := v.(string); ok {
		return len(s), true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map, reflect.Array:
		return rv.Len(), true
	}
	return 0, false
}

func formatNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

const maxActual = 200

// formatActual renders an observed value for people: quoted, truncated, with
// durations rounded so messages stay stable.
func formatActual(v any) string {
	switch a := v.(type) {
	case nil:
		return "null"
	case string:
		if len(a) > maxActual {
			return strconv.Quote(a[:maxActual]) + fmt.Sprintf("… (%d bytes)", len(a))
		}
		return strconv.Quote(a)
	case time.Duration:
		return a.Round(time.Millisecond).String()
	case float64:
		return formatNum(a)
	case missing:
		return string(a)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > maxActual {
		return string(b[:maxActual]) + "…"
	}
	return string(b)
}

// missing is an actual value that does not exist (absent header, JSON path).
type missing string
