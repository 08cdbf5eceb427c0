package main

import (
	"strings"
	"testing"

	"github.com/opslab/opslab/labs"
)

// An engine that refuses privileged containers fails doctor only when a lab
// of the catalog needs one, and the line names those labs.
func TestJudgePrivileged(t *testing.T) {
	refused := labs.DoctorCheck{Name: "privileged nodes", Info: "refused by this engine", Fix: "use another engine"}
	if c := judgePrivileged(refused, nil); !c.OK || !strings.Contains(c.Info, "no lab in this catalog needs it") {
		t.Errorf("no lab needs it: %+v", c)
	}
	c := judgePrivileged(refused, []string{"k8s-deploy", "k8s-debug"})
	if c.OK || !strings.Contains(c.Info, "needed by k8s-deploy, k8s-debug") || c.Fix == "" {
		t.Errorf("labs need it: %+v", c)
	}
}
