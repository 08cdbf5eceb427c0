package spec

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opslab/opslab/labs/spec/spectest"
)

// The exam fields of lab.yaml: grade.restart (lab), grade.restart (task),
// visibility (check), and lint's word on a task whose checks are all hidden.
func TestParseExamFields(t *testing.T) {
	y := edit(t, "pass: {threshold: 0.8}", "pass: {threshold: 0.8}\ngrade: {restart: true}")
	y = strings.Replace(y, "    points: 2\n    checks:\n      - command:", "    points: 2\n    grade: {restart: true}\n    checks:\n      - visibility: visible\n        command: {node: lb, run: \"true\"}\n      - visibility: hidden\n        command:", 1)
	lab, err := ParseLab(spectest.LabFS(y), "content/lb-basics", nil)
	if err != nil {
		t.Fatal(err)
	}
	task := lab.Tasks[0]
	if !lab.GradeRestart || !task.RestartBeforeGrade || task.Checks[0].Hidden || !task.Checks[1].Hidden {
		t.Fatalf("restart %t/%t, hidden %t %t", lab.GradeRestart, task.RestartBeforeGrade, task.Checks[0].Hidden, task.Checks[1].Hidden)
	}
	plain, err := ParseLab(spectest.LabFS(spectest.GoodLab), "content/lb-basics", nil)
	if err != nil {
		t.Fatal(err)
	}
	if plain.GradeRestart || plain.Tasks[0].RestartBeforeGrade || plain.Tasks[0].Checks[0].Hidden {
		t.Fatal("the defaults are not off")
	}
}

func TestParseExamFieldErrors(t *testing.T) {
	for name, tc := range map[string]struct{ old, new, want string }{
		"visibility": {"      - command: {node: lb,", "      - visibility: secret\n        command: {node: lb,", "expected visible or hidden"},
		"restart":    {"pass: {threshold: 0.8}", "pass: {threshold: 0.8}\ngrade: {restart: maybe}", "grade.restart"},
		"task-grade": {"    points: 2\n", "    points: 2\n    grade: {restart: true, when: now}\n", "when"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseLab(spectest.LabFS(edit(t, tc.old, tc.new)), "content/lb-basics", nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "lab.yaml:") {
				t.Fatalf("err = %v, want file:line and %q", err, tc.want)
			}
		})
	}
}

func TestLintAllChecksHidden(t *testing.T) {
	fsys := spectest.LabFS(edit(t, "      - command: {node: lb,", "      - visibility: hidden\n        command: {node: lb,"))
	fsys["solution/x"] = &fstest.MapFile{Data: []byte("x")}
	c, err := LoadCatalog(fsys, "content/lb-basics")
	if err != nil {
		t.Fatal(err)
	}
	errs := Lint(c)
	if !strings.Contains(errs.Error(), "every check of task lb-up is hidden") {
		t.Fatalf("lint: %v", errs)
	}
}
