// Package importrules holds the test that keeps the package layout honest:
// what only reads a lab.yaml, grades, or serves a class links no Docker.
package importrules

import (
	"os/exec"
	"strings"
	"testing"
)

// dockerFree packages must not depend, even indirectly, on Docker or
// testcontainers: lint, show, the classroom server and exam tooling use them
// without an engine, and the runtime can move behind another interface.
var dockerFree = []string{
	"github.com/opslab/opslab/labs/spec",
	"github.com/opslab/opslab/grader",
	"github.com/opslab/opslab/internal/yamlspec",
	"github.com/opslab/opslab/internal/exam", // verifies signed results; the classroom server will too
	"github.com/opslab/opslab/classroom",
}

var dockerModules = []string{
	"github.com/testcontainers/",
	"github.com/moby/",
	"github.com/docker/",
	"github.com/opslab/opslab/labs", // the runtime itself (its sub-packages are checked above)
}

func TestDefinitionAndGraderImportNoDocker(t *testing.T) {
	for _, pkg := range dockerFree {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, bad := range dockerModules {
				if strings.HasPrefix(dep, bad) && (bad != "github.com/opslab/opslab/labs" || dep == bad) {
					t.Errorf("%s depends on %s: the lab definition and the grader must not link Docker", pkg, dep)
				}
			}
		}
	}
}

// The classroom server sees only what learners' CLIs send: it imports no lab
// runtime, no grader, no command.
func TestClassroomImportsNoLabsOrCLI(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/opslab/opslab/classroom").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"github.com/opslab/opslab/labs", "github.com/opslab/opslab/cmd", "github.com/opslab/opslab/grader", "github.com/opslab/opslab/content"} {
			if strings.HasPrefix(dep, bad) {
				t.Errorf("classroom depends on %s", dep)
			}
		}
	}
}

// The grader knows nothing of labs: labs implements its Target.
func TestGraderImportsNoLabs(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/opslab/opslab/grader").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/opslab/opslab/labs") || strings.HasPrefix(dep, "github.com/opslab/opslab/cmd") {
			t.Errorf("grader depends on %s", dep)
		}
	}
}
