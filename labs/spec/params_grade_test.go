package spec

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/opslab/opslab/labs/spec/spectest"

	"github.com/opslab/opslab/grader"
)

// Grade values are fresh on every reading of the lab and usable anywhere a param is.
func TestGradeValuesAreDrawnPerLoad(t *testing.T) {
	src := strings.Replace(spectest.GoodLab,
		`run: "docker inspect -f '{{ "{{.State.Status}}" }}' x"`,
		`run: "curl -s http://lb:{{ .grade_port }}/?n={{ .grade_nonce }}&who={{ .grade_name }}"`, 1)
	read := func() (string, map[string]string) {
		lab, err := ParseLab(spectest.LabFS(src), "content/lb-basics", nil)
		if err != nil {
			t.Fatal(err)
		}
		return lab.Tasks[0].Checks[0].Spec.(*grader.CommandCheck).Run[2], lab.GradeValues
	}
	run1, v1 := read()
	run2, v2 := read()
	if v1["grade_nonce"] == v2["grade_nonce"] || run1 == run2 {
		t.Errorf("two readings drew the same values: %v, %v", v1, v2)
	}
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(v1["grade_nonce"]) {
		t.Errorf("nonce %q", v1["grade_nonce"])
	}
	if p, err := strconv.Atoi(v1["grade_port"]); err != nil || p < 20000 || p >= 50000 {
		t.Errorf("port %q", v1["grade_port"])
	}
	if !regexp.MustCompile(`^g[0-9a-f]{8}$`).MatchString(v1["grade_name"]) {
		t.Errorf("name %q", v1["grade_name"])
	}
	want := "curl -s http://lb:" + v1["grade_port"] + "/?n=" + v1["grade_nonce"] + "&who=" + v1["grade_name"]
	if run1 != want {
		t.Errorf("expanded %q, want %q", run1, want)
	}
}

func TestGradeValueNamesAreReserved(t *testing.T) {
	src := strings.Replace(spectest.GoodLab, "params:\n", "params:\n  - {name: grade_port, default: \"80\"}\n", 1)
	_, err := ParseLab(spectest.LabFS(src), "content/lb-basics", nil)
	if err == nil || !strings.Contains(err.Error(), "built-in grade values") {
		t.Fatalf("err = %v", err)
	}
}
