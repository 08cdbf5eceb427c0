package spec

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opslab/opslab/labs/spec/spectest"
)

func caseLab(t *testing.T, extra fstest.MapFS) *Lab {
	t.Helper()
	fsys := spectest.LabFS(spectest.GoodLab)
	for k, v := range extra {
		fsys[k] = v
	}
	lab, err := ParseLab(fsys, "content/lb-basics", map[string]string{"broken": "app2"})
	if err != nil {
		t.Fatal(err)
	}
	return lab
}

// Both directions: wrong/ must fail, variants/ must get full marks like the reference.
func TestTestCases(t *testing.T) {
	lab := caseLab(t, fstest.MapFS{
		"solution/conf/default.conf":       {Data: []byte("x")},
		"wrong/fake/conf/default.conf":     {Data: []byte("x")},
		"variants/table/conf/default.conf": {Data: []byte("x")},
		"variants/by-hand/" + AttemptFile:  {Data: []byte("steps: [{restart: app1}]\n")},
		"variants/not-a-folder":            {Data: []byte("x")},
	})
	var got []string
	for _, c := range TestCases(lab) {
		got = append(got, c.Name+"="+string(c.Want))
	}
	want := []string{"unsolved=not passed", "wrong/fake=not passed", "wrong/one-backend=not passed", "wrong/typo=not passed", "variants/by-hand=full marks", "variants/table=full marks", "solution=full marks"}
	if !slices.Equal(got, want) {
		t.Errorf("cases\n got %q\nwant %q", got, want)
	}
}

func TestParseAttempt(t *testing.T) {
	lab := caseLab(t, fstest.MapFS{
		"wrong/by-hand/" + AttemptFile: {Data: []byte(`why: a hand fix inside a node instead of in the workspace
steps:
  - {node: app1, run: "echo {{ .broken }} > /srv/www/id"}
  - {restart: app1}
`)},
		"wrong/bad/" + AttemptFile: {Data: []byte("steps:\n- {reboot: app1}\n- {node: ghost, run: x}\n- {node: app1}\n")},
	})
	steps, err := ParseAttempt(lab, "wrong/by-hand")
	if err != nil {
		t.Fatal(err)
	}
	want := []AttemptStep{{Op: "exec", Node: "app1", Run: "echo app2 > /srv/www/id", Line: 3}, {Op: "restart", Node: "app1", Line: 4}}
	if !slices.Equal(steps, want) {
		t.Errorf("steps %+v", steps)
	}
	if steps, err := ParseAttempt(lab, "solution"); steps != nil || err != nil {
		t.Errorf("no attempt file: %v %v", steps, err)
	}
	_, err = ParseAttempt(lab, "wrong/bad")
	for _, msg := range []string{
		`wrong/bad/attempt.yaml:2: steps[0]: unknown step "reboot"`,
		`wrong/bad/attempt.yaml:3: steps[1].node: unknown node "ghost"`,
		`wrong/bad/attempt.yaml:4: steps[2].run: required field is missing`,
	} {
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("want %q in:\n%v", msg, err)
		}
	}
}
