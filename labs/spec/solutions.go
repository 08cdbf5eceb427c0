package spec

import (
	"io/fs"
	"slices"
	"strings"
)

// Folders of a lab that are copied into the learner's workspace.
const (
	WorkspaceDir = "workspace"
	SolutionDir  = "solution"
	WrongDir     = "wrong"
	VariantsDir  = "variants"
)

// Solutions lists the lab's reference solution ("solution", or "" when it has
// none) and its other cases: known-wrong solutions ("wrong/NAME") and correct
// solutions written differently ("variants/NAME"), sorted.
func Solutions(lab *Lab) (reference string, others []string) {
	if isDir(lab.FS, SolutionDir) {
		reference = SolutionDir
	}
	for _, root := range []string{WrongDir, VariantsDir} {
		entries, _ := fs.ReadDir(lab.FS, root)
		for _, e := range entries {
			if e.IsDir() {
				others = append(others, root+"/"+e.Name())
			}
		}
	}
	return reference, others
}

// Want is what grading a case must give.
type Want string

const (
	WantNotPassed Want = "not passed"
	WantFullMarks Want = "full marks"
)

// TestCase is one row of `opslab test`: a state of the environment and the
// verdict grading must give it.
type TestCase struct {
	Name string // "unsolved", "wrong/NAME", "variants/NAME", "solution"
	Dir  string // the folder overlaid on the workspace; "" for unsolved
	Want Want
}

// TestCases lists a lab's cases: the unsolved lab and every wrong/ case must
// not pass; the reference and every variant must get full marks.
func TestCases(lab *Lab) []TestCase {
	ref, others := Solutions(lab)
	cases := []TestCase{{Name: "unsolved", Want: WantNotPassed}}
	for _, o := range others {
		want := WantNotPassed
		if root, _, _ := strings.Cut(o, "/"); root == VariantsDir {
			want = WantFullMarks
		}
		cases = append(cases, TestCase{Name: o, Dir: o, Want: want})
	}
	if ref != "" {
		cases = append(cases, TestCase{Name: "solution", Dir: ref, Want: WantFullMarks})
	}
	return slices.Clip(cases)
}

func isDir(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && st.IsDir()
}
