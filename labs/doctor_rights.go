package labs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// privilegedCheckName names the doctor line that says whether the engine
// runs privileged containers: the CLI knows which labs need it.
const privilegedCheckName = "privileged nodes"

// IsPrivilegedCheck tells the CLI which doctor line is about privileged nodes.
func IsPrivilegedCheck(c DoctorCheck) bool { return c.Name == privilegedCheckName }

// privilegedCheck starts a throw-away privileged container from the base
// image. An engine that itself runs in a container without CAP_SYS_RESOURCE
// refuses it ("unable to apply caps: operation not permitted"), and then a
// lab node with `privileged: true` (a Kubernetes node, Docker in Docker)
// cannot start; asking is the only reliable way to know.
func (r *Runtime) privilegedCheck(ctx context.Context) DoctorCheck {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c := DoctorCheck{Name: privilegedCheckName}
	created, err := r.docker.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{
			Image:  r.opts.BaseImage,
			Cmd:    []string{"true"},
			Labels: map[string]string{LabelSession: r.opts.Session, "opslab.doctor": "privileged"},
		},
		HostConfig: &container.HostConfig{Privileged: true},
	})
	if err != nil {
		c.Info = fmt.Sprintf("could not try (%v)", err)
		c.Fix = "make sure the base image is there (see the base image line), then run doctor again"
		return c
	}
	defer func() {
		_, _ = r.docker.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true})
	}()
	if _, err := r.docker.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		reason := err.Error()
		if strings.Contains(strings.ToLower(reason), "operation not permitted") {
			reason = "operation not permitted"
		}
		c.Info = "refused by this engine (" + reason + "): nodes with `privileged: true` will not start"
		c.Fix = "use an engine that runs directly on a host (Docker Desktop, docker.io on a VM or the Vagrant box), " +
			"not one inside a container without CAP_SYS_RESOURCE; check with `docker run --rm --privileged " + r.opts.BaseImage + " true`"
		return c
	}
	c.OK = true
	c.Info = "allowed (labs whose nodes say `privileged: true` can run here)"
	return c
}
