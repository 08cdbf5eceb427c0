package grader

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// mdSection is the part of a Markdown document under one heading, up to the
// next heading of the same or a higher level; sub-sections are part of it.
type mdSection struct {
	Heading string // as written, without the #s
	Level   int
	Entries []string // list items (any bullet or number style), table rows, paragraph lines
	Text    string   // the entries and any code, one per line
}

var markdownParser = goldmark.New(goldmark.WithExtensions(extension.Table))

// readMarkdown splits a document into its sections, in document order. The
// reading is structural: a timeline can be a list ("- 09:14 …", "1. …"), a
// table or plain lines, and headings may be numbered or in any order.
func readMarkdown(src []byte) []mdSection {
	doc := markdownParser.Parser().Parse(text.NewReader(src))
	var out []mdSection
	var open []int // indexes into out of the sections the current block belongs to
	for b := doc.FirstChild(); b != nil; b = b.NextSibling() {
		if h, ok := b.(*ast.Heading); ok {
			for len(open) > 0 && out[open[len(open)-1]].Level >= h.Level {
				open = open[:len(open)-1]
			}
			out = append(out, mdSection{Heading: strings.TrimSpace(string(lines(h, src))), Level: h.Level})
			open = append(open, len(out)-1)
			continue
		}
		entries, code := blockEntries(b, src)
		text := strings.Join(append(append([]string{}, entries...), code...), "\n") + "\n"
		for _, i := range open {
			out[i].Entries = append(out[i].Entries, entries...)
			out[i].Text += text
		}
	}
	return out
}

// blockEntries is what one block contributes: entries, and code lines that
// count for a section's text but are not entries (a log excerpt's
// timestamps are not timeline entries).
func blockEntries(b ast.Node, src []byte) (entries, code []string) {
	switch n := b.(type) {
	case *ast.List:
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			var own []string
			for c := item.FirstChild(); c != nil; c = c.NextSibling() {
				if _, nested := c.(*ast.List); nested {
					e, k := blockEntries(c, src)
					entries, code = append(entries, e...), append(code, k...)
					continue
				}
				e, k := blockEntries(c, src)
				own, code = append(own, e...), append(code, k...)
			}
			if len(own) > 0 { // an item is one entry, however many lines it wraps over
				entries = append(entries, strings.Join(own, " "))
			}
		}
	case *east.Table:
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			if _, header := row.(*east.TableHeader); header {
				continue
			}
			var cells []string
			for c := row.FirstChild(); c != nil; c = c.NextSibling() {
				cells = append(cells, strings.TrimSpace(string(inlineSource(c, src))))
			}
			entries = append(entries, strings.Join(cells, " | "))
		}
	case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		code = splitLines(lines(b, src))
	case *ast.Blockquote:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			e, k := blockEntries(c, src)
			entries, code = append(entries, e...), append(code, k...)
		}
	default: // paragraphs, text blocks: one entry per line
		entries = splitLines(lines(b, src))
	}
	return entries, code
}

// lines is a block's source lines, as written.
func lines(n ast.Node, src []byte) []byte {
	var buf bytes.Buffer
	ls := n.Lines()
	for i := 0; i < ls.Len(); i++ {
		seg := ls.At(i)
		buf.Write(seg.Value(src))
	}
	return buf.Bytes()
}

// inlineSource is the source of an inline container (a table cell).
func inlineSource(n ast.Node, src []byte) []byte {
	var buf bytes.Buffer
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			buf.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				buf.WriteByte(' ')
			}
		}
		return ast.WalkContinue, nil
	})
	return buf.Bytes()
}

func splitLines(b []byte) []string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// headingName normalizes a heading for comparison: case, numbering ("3.",
// "III)"), emphasis and trailing punctuation do not matter.
func headingName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.Trim(s, "*_` ")
	s = headingNumberRE.ReplaceAllString(s, "")
	s = strings.TrimRight(s, ":.!?- ")
	return strings.Join(strings.Fields(s), " ")
}

var headingNumberRE = regexp.MustCompile(`^(?:\d+(?:\.\d+)*|[ivx]+)[.):]?\s+`)

// sameHeading: "Root cause" names "## 4. Root causes:" and "## Root cause
// (per instance)", not "## Root cause fixes were not…" — a heading may add a
// plural s or a parenthesis or dash-separated remark to the name.
func sameHeading(heading, name string) bool {
	h, n := headingName(heading), headingName(name)
	if h == n || h == n+"s" {
		return true
	}
	rest, ok := strings.CutPrefix(h, n)
	if !ok {
		return false
	}
	rest = strings.TrimPrefix(rest, "s")
	return strings.HasPrefix(rest, " (") || strings.HasPrefix(rest, " -") || strings.HasPrefix(rest, " —") || strings.HasPrefix(rest, " –") || strings.HasPrefix(rest, ":")
}

// Timestamps as people and incident tools write them: 09:14, 9:14:05, 9:14 pm,
// 09:14 UTC, 2026-12-02T09:03Z, 2026-12-02 09:03:00+01:00, 20261202T0903Z.
var (
	isoTimeRE     = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):?[0-5]\d`)
	compactTimeRE = regexp.MustCompile(`\b\d{8}T([01]\d|2[0-3])[0-5]\d`)
	clockTimeRE   = regexp.MustCompile(`(?:^|[^\d:.])([01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:[^\d:]|$)`)
)

// hasTimestamp reports whether s carries a time of day.
func hasTimestamp(s string) bool {
	return isoTimeRE.MatchString(s) || compactTimeRE.MatchString(s) || clockTimeRE.MatchString(s)
}
