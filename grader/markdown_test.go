package grader

import (
	"context"
	"strings"
	"testing"
)

const postmortemChecks = `
tasks:
- id: pm
  title: the postmortem
  checks:
    - id: structure
      file:
        path: postmortem.md
        markdown:
          - {section: Summary}
          - {section: Timeline, timestamped: {ge: 2}}
          - {section: Root cause, entries: {any: {and: [{match-regexp: '\bapp1\b'}, {contain: BIND}]}}}
          - {section: Action items, entries: {have-len: {ge: 2}}}
`

func gradePostmortem(t *testing.T, doc string) CheckResult {
	t.Helper()
	fake := newFake()
	fake.files["workspace:postmortem.md"] = File{Exists: true, Content: []byte(doc)}
	r := Grade(context.Background(), fake, LabInfo{ID: "x"}, mustTasks(t, postmortemChecks), newClock().opts())
	return r.Tasks[0].Checks[0]
}

// Correct postmortems written the ways people write them all pass.
func TestMarkdownAcceptsTheWaysPeopleWrite(t *testing.T) {
	docs := map[string]string{
		"bullets and clock times": `# Postmortem
## Summary
The shop answered 502.
## Timeline
- 09:03 alerts fired
- 09:14 app1 fixed
## Root cause
- app1: its BIND in app.env was wrong.
## Action items
- add a readiness check
- review app.env changes
`,
		"ISO 8601, numbered items, sections reordered and numbered": `## 1. Summary
Outage.

## 2. Root causes:
1. ` + "`app1`" + ` had BIND=127.0.0.1, so nginx got connection refused.

## 3. Timeline (UTC)
1. 2026-12-02T09:03Z — alerts fired
2. 2026-12-02T09:14:30+00:00 — app1 fixed

## 4. Action items
1) add a readiness check
2) lint app.env in CI
`,
		"a table timeline, setext headings, starred list": `Summary
=======
Outage.

Timeline
--------
| time | event |
|------|-------|
| 9:03 am | alerts fired |
| 20261202T0914Z | app1 fixed |

Root cause
----------
* app1: BIND pointed at
  localhost only

Action items
------------
+ readiness check
+ config review
`,
	}
	for name, doc := range docs {
		if c := gradePostmortem(t, doc); c.Status != StatusPass {
			t.Errorf("%s: %s", name, c.Message)
		}
	}
}

func TestMarkdownRejectsWhatIsNotThere(t *testing.T) {
	cases := map[string]struct{ doc, want string }{
		"times only in a code block": {`## Summary
x
## Timeline
` + "```\n09:03 log line\n09:14 log line\n```" + `
- something happened
## Root cause
- app1 BIND
## Action items
- a
- b
`, `section "Timeline" entries with a time >= 2, got 0`},
		"cause split across entries": {`## Summary
## Timeline
- 09:03 a
- 09:14 b
## Root cause
- app1 crashed
- BIND was wrong on app2
## Action items
- a
- b
`, `section "Root cause" entries to have an item`},
		"missing section": {`## Summary
## Timeline
- 09:03 a
- 09:14 b
## Root cause
- app1 BIND
`, `expected a section headed "Action items" in postmortem.md, found the headings "Summary", "Timeline", "Root cause"`},
		"a version, not a time": {`## Summary
## Timeline
- v1.2.3:45 released
- 2026-12-02 deploy
## Root cause
- app1 BIND
## Action items
- a
- b
`, `entries with a time >= 2, got 0`},
	}
	for name, c := range cases {
		got := gradePostmortem(t, c.doc)
		if got.Status != StatusFail || !strings.Contains(got.Message, c.want) {
			t.Errorf("%s: %s %q, want a fail with %q", name, got.Status, got.Message, c.want)
		}
	}
}

func TestHeadingNames(t *testing.T) {
	for _, h := range []string{"Root cause", "4. Root causes:", "Root cause (per instance)", "**Root Cause**", "III. Root cause — two"} {
		if !sameHeading(h, "Root cause") {
			t.Errorf("%q should name Root cause", h)
		}
	}
	for _, h := range []string{"Root cause fixes", "Not the root cause", "Rootcause"} {
		if sameHeading(h, "Root cause") {
			t.Errorf("%q should not name Root cause", h)
		}
	}
}

// Wildcard paths reach every value; any/all judge them one by one.
func TestWildcardPaths(t *testing.T) {
	fake := newFake()
	fake.files["workspace:.github/workflows/ci.yml"] = File{Exists: true, Content: []byte(`
jobs:
  test:
    steps:
      - uses: actions/checkout@v4
      - run: pytest -q   # not: || true
  deploy:
    steps:
      - run: ./deploy.sh
`)}
	tasks := mustTasks(t, `
tasks:
- id: t
  title: t
  checks:
    - {id: runs-tests, file: {path: .github/workflows/ci.yml, yaml: [{path: ".jobs.*.steps[*].run", any: {contain: pytest}}]}}
    - {id: none-ignored, file: {path: .github/workflows/ci.yml, yaml: [{path: ".jobs.*.steps[*].run", all: {not: {contain: "|| true"}}}]}}
    - {id: every-step-runs, file: {path: .github/workflows/ci.yml, yaml: [{path: ".jobs.*.steps[*].run", have-len: 3}]}}
    - {id: no-match-is-missing, file: {path: .github/workflows/ci.yml, yaml: [{path: ".jobs.*.services[*]", all: {contain: x}}]}}
`)
	r := Grade(context.Background(), fake, LabInfo{ID: "x"}, tasks, newClock().opts())
	want := []Status{StatusPass, StatusPass, StatusFail, StatusFail}
	for i, c := range r.Tasks[0].Checks {
		if c.Status != want[i] {
			t.Errorf("%s: %s, want %s: %s", c.ID, c.Status, want[i], c.Message)
		}
	}
	if m := r.Tasks[0].Checks[2].Message; !strings.Contains(m, "with length 3") {
		t.Errorf("two run: values, not three: %s", m)
	}
}
