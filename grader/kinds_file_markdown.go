package grader

import (
	"fmt"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// SectionMatcher is what one section of a Markdown file must hold. The file
// is read as Markdown, not as text: sections are found by heading in any
// order, list items of any bullet or number style (and table rows, and plain
// lines) are its entries, and a timestamp may be written any common way.
type SectionMatcher struct {
	Section     string   // a heading name: "Root cause" finds "## 4. Root causes"
	Entries     *Matcher // the list of entries, e.g. {have-len: {ge: 2}}, {any: {match-regexp: …}}
	Timestamped *Matcher // how many entries carry a time of day, e.g. {ge: 2}
	Text        *Matcher // the section's whole text

	Line int
}

func (w *walker) sectionMatchers(n *yaml.Node, path string) []SectionMatcher {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		w.Errorf(n, path, "expected a list of sections like {section: Timeline, timestamped: {ge: 2}}, got %s", yamlspec.Describe(n))
		return nil
	}
	var out []SectionMatcher
	for i, item := range n.Content {
		item = yamlspec.Deref(item)
		p := fmt.Sprintf("%s[%d]", path, i)
		sm := SectionMatcher{Line: item.Line}
		seen := w.Fields(item, p, map[string]yamlspec.FieldFunc{
			"section":     func(v *yaml.Node, fp string) { w.Str(v, fp, &sm.Section) },
			"entries":     func(v *yaml.Node, fp string) { sm.Entries = w.matcher(v, fp) },
			"timestamped": func(v *yaml.Node, fp string) { sm.Timestamped = w.matcher(v, fp) },
			"text":        func(v *yaml.Node, fp string) { sm.Text = w.matcher(v, fp) },
		})
		w.Required(item, p, seen, "section")
		out = append(out, sm)
	}
	return out
}

// checkSections applies section matchers to a Markdown document.
func checkSections(a *assertions, where string, src []byte, sms []SectionMatcher) {
	sections := readMarkdown(src)
	for _, sm := range sms {
		s, ok := findSection(sections, sm.Section)
		subject := fmt.Sprintf("%s section %q", where, sm.Section)
		if !ok {
			a.fail(subject+" to exist", "no such heading",
				fmt.Sprintf("expected a section headed %q in %s, found %s", sm.Section, where, headingList(sections)))
			continue
		}
		entries := make([]any, len(s.Entries))
		stamped := 0
		for i, e := range s.Entries {
			entries[i] = e
			if hasTimestamp(e) {
				stamped++
			}
		}
		a.check(subject+" entries", sm.Entries, entries)
		a.check(subject+" entries with a time", sm.Timestamped, stamped)
		a.check(subject+" text", sm.Text, s.Text)
	}
}

func findSection(sections []mdSection, name string) (mdSection, bool) {
	for _, s := range sections {
		if sameHeading(s.Heading, name) {
			return s, true
		}
	}
	return mdSection{}, false
}

func headingList(sections []mdSection) string {
	if len(sections) == 0 {
		return "no headings"
	}
	names := make([]string, len(sections))
	for i, s := range sections {
		names[i] = fmt.Sprintf("%q", s.Heading)
	}
	return "the headings " + strings.Join(names, ", ")
}
