package spec

import (
	"strconv"
	"strings"
)

// A reference is {{ .name }}; {{ "text" }} writes text literally (for a
// literal "{{" in a check, e.g. docker's --format '{{ "{{.State.Status}}" }}').
// ${{ ... }} is left alone: it is GitHub Actions syntax that cicd labs check for.
//
// Expansion works line by line on the raw text, before YAML decoding, so a
// reference can sit anywhere a value can (even an unquoted port) and the line
// numbers of later errors still point into the author's file.

// template expands references: lookup returns a param's value, and known
// lists the params for the message about an unknown one.
type template struct {
	lookup func(name string) (string, bool)
	known  string
}

// expand replaces every reference in text; bad reports a problem at a 1-based line.
func (t template) expand(text string, bad func(line int, msg string)) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.Contains(l, "{{") {
			lines[i] = t.expandLine(l, func(msg string) { bad(i+1, msg) })
		}
	}
	return strings.Join(lines, "\n")
}

func (t template) expandLine(line string, bad func(string)) string {
	// A comment is left as written: authors mention {{ .name }} in comments.
	if c := commentStart(line); c >= 0 {
		return t.expandLine(line[:c], bad) + line[c:]
	}
	var b strings.Builder
	for {
		start := strings.Index(line, "{{")
		if start < 0 {
			b.WriteString(line)
			return b.String()
		}
		end := closing(line, start+2)
		if end < 0 {
			bad(`"{{" without a closing "}}" on the same line (write {{ "{{" }} for a literal)`)
			b.WriteString(line)
			return b.String()
		}
		b.WriteString(line[:start])
		ref := line[start : end+2]
		if start > 0 && line[start-1] == '$' {
			b.WriteString(ref) // GitHub Actions expression
		} else {
			b.WriteString(t.resolve(ref, bad))
		}
		line = line[end+2:]
	}
}

func (t template) resolve(ref string, bad func(string)) string {
	inner := strings.TrimSpace(ref[2 : len(ref)-2])
	if name, ok := strings.CutPrefix(inner, "."); ok && paramNameRE.MatchString(name) {
		v, ok := t.lookup(name)
		if !ok {
			bad("unknown param " + name + " in " + ref + " (" + t.known + ")")
			return ref
		}
		return v
	}
	if s, err := strconv.Unquote(inner); err == nil && strings.HasPrefix(inner, `"`) {
		return s
	}
	bad("cannot read " + strconv.Quote(ref) + `: write {{ .param_name }}, or {{ "text" }} for literal text`)
	return ref
}

// closing finds the "}}" that ends a reference opened before i, stepping over
// a quoted literal, which may itself contain "}}"; -1 when there is none.
func closing(line string, i int) int {
	j := i
	for j < len(line) && line[j] == ' ' {
		j++
	}
	if j < len(line) && line[j] == '"' {
		for j++; j < len(line) && line[j] != '"'; j++ {
			if line[j] == '\\' {
				j++
			}
		}
		i = min(j+1, len(line))
	}
	end := strings.Index(line[i:], "}}")
	if end < 0 {
		return -1
	}
	return i + end
}

// commentStart finds the # that starts a YAML comment: at the start of the
// line or after a blank, outside quoted strings; -1 when there is none. Line
// by line this is a close approximation (a quoted string can span lines).
func commentStart(line string) int {
	var quote byte // the quote we are inside, or 0
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote == '"' && c == '\\':
			i++
		case quote != 0 && c == quote:
			if quote == '\'' && i+1 < len(line) && line[i+1] == '\'' {
				i++ // '' inside '...'
				continue
			}
			quote = 0
		case quote != 0:
		case c == '"' || c == '\'':
			// Only a quote that starts a value opens a string ("it's" does not).
			if i == 0 || strings.ContainsRune(" \t[{,:", rune(line[i-1])) {
				quote = c
			}
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return i
		}
	}
	return -1
}
