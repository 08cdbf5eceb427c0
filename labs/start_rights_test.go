package labs

import (
	"errors"
	"strings"
	"testing"

	"github.com/opslab/opslab/labs/spec"
)

// A node refused the rights it asks for says which and how to check the
// engine (the error below is what an engine without CAP_SYS_RESOURCE gives a
// privileged node); any other failure keeps the usual advice.
func TestRightsFix(t *testing.T) {
	refused := errors.New("runc create failed: unable to start container process: unable to apply caps: operation not permitted: unknown")
	tests := []struct {
		node spec.Node
		err  error
		want []string // "" = no advice of its own
	}{
		{spec.Node{Name: "k8s", Privileged: true}, refused, []string{"node k8s asks for privileged", "docker run --rm --privileged debian:bookworm-slim true"}},
		{spec.Node{Name: "shaper", CapAdd: []string{"NET_ADMIN", "SYS_RESOURCE"}}, refused, []string{"cap_add NET_ADMIN, SYS_RESOURCE", "--cap-add NET_ADMIN --cap-add SYS_RESOURCE"}},
		{spec.Node{Name: "web"}, refused, nil},
		{spec.Node{Name: "shaper", CapAdd: []string{"NET_ADMIN"}}, errors.New("exec: no such file"), nil},
	}
	for _, tc := range tests {
		got := rightsFix(tc.node, tc.err)
		if (got == "") != (tc.want == nil) {
			t.Errorf("%s: rightsFix = %q", tc.node.Name, got)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: rightsFix = %q, want it to say %q", tc.node.Name, got, w)
			}
		}
	}
}
