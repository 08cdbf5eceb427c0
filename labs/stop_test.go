package labs

import (
	"cmp"
	"context"
	"testing"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// A network the engine says still has endpoints (a container that is not the
// lab's attached to it by hand; or, under load, an endpoint the engine has not
// let go of yet) does not make stop fail: the endpoint is disconnected and the
// network removed; the other container keeps running.
func TestStopRemovesANetworkThatStillHasEndpoints(t *testing.T) {
	r, lab, _ := startTestLab(t, "rt-basic")
	ctx := context.Background()
	nets, err := r.docker.NetworkList(ctx, client.NetworkListOptions{Filters: r.labFilters(lab.ID)})
	if err != nil || len(nets.Items) != 1 {
		t.Fatalf("the lab's networks: %v, %v", nets.Items, err)
	}
	netName := nets.Items[0].Name
	stranger, err := testcontainers.GenericContainer(ctx, testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{
			Image:    cmp.Or(r.opts.BaseImage, "debian:bookworm-slim"),
			Cmd:      []string{"sleep", "300"},
			Networks: []string{netName},
		},
		Started: true,
	})
	if err != nil {
		t.Fatalf("a container that is not the lab's, on its network: %v", err)
	}
	t.Cleanup(func() { _ = stranger.Terminate(context.Background(), testcontainers.StopTimeout(0)) })

	if _, err := r.Stop(ctx, lab.ID); err != nil {
		t.Fatalf("stop with a stranger on the lab's network: %v", err)
	}
	if _, err := r.docker.NetworkInspect(ctx, netName, client.NetworkInspectOptions{}); !isNotFound(err) {
		t.Errorf("the lab's network is still there (inspect: %v)", err)
	}
	if st, err := stranger.State(ctx); err != nil || !st.Running {
		t.Errorf("the stranger was stopped with the lab (state %v, %v)", st, err)
	}
}
