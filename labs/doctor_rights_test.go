package labs

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/moby/moby/client"
)

// Doctor's "privileged nodes" line tells the truth: when it says refused, a
// lab with a privileged node fails to start with a fix that says why; when it
// says allowed, that lab starts. Its probe container is gone afterwards.
func TestPrivilegedCheckAgreesWithStart(t *testing.T) {
	r := newTestRuntime(t)
	ctx := context.Background()
	check := r.privilegedCheck(ctx)
	t.Logf("doctor: %+v", check)
	if !IsPrivilegedCheck(check) {
		t.Fatalf("the check is named %q", check.Name)
	}
	left, err := r.docker.ContainerList(ctx, client.ContainerListOptions{All: true,
		Filters: client.Filters{}.Add("label", LabelSession+"="+r.opts.Session)})
	if err != nil {
		t.Fatal(err)
	}
	if len(left.Items) != 0 {
		t.Errorf("the probe left %d containers behind", len(left.Items))
	}

	lab := loadTestLab(t, "rt-privileged")
	stopAtEnd(t, r, lab.ID)
	_, _, err = r.Start(ctx, lab, StartOptions{Workspace: t.TempDir()})
	switch {
	case check.OK && err != nil:
		t.Fatalf("doctor says allowed, but the privileged node did not start: %v", err)
	case !check.OK && err == nil:
		t.Fatalf("doctor says %q, but the privileged node started", check.Info)
	case !check.OK:
		var env *EnvError
		if !errors.As(err, &env) || !strings.Contains(env.Fix, "privileged") {
			t.Errorf("refused start should explain the privileged node with a fix: %v", err)
		}
		if !strings.HasPrefix(check.Info, "refused") || check.Fix == "" {
			t.Errorf("refused check without a reason or fix: %+v", check)
		}
	}
}
