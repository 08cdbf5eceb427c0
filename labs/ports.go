package labs

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/opslab/opslab/labs/spec"

	"github.com/moby/moby/client"
)

// checkHostPorts fails early, naming the port and who holds it, when a fixed host
// port of the lab is taken: Docker's own error ("bind: address already in use") says neither.
func (r *Runtime) checkHostPorts(ctx context.Context, lab *spec.Lab) error {
	for _, n := range lab.Nodes {
		for _, p := range n.Ports {
			if p.Host == 0 {
				continue
			}
			if holder := r.portHolder(ctx, p.Host); holder != "" {
				return &EnvError{
					Msg: fmt.Sprintf("host port %d (node %s, lab.yaml:%d) is already taken by %s", p.Host, n.Name, n.Line, holder),
					Fix: "stop whatever holds it, or give the port another host number in lab.yaml",
				}
			}
		}
	}
	return nil
}

// portHolder names what holds a host port: a container (by name) or another process; "" when free.
func (r *Runtime) portHolder(ctx context.Context, port int) string {
	if cs, err := r.docker.ContainerList(ctx, client.ContainerListOptions{}); err == nil {
		for _, c := range cs.Items {
			for _, p := range c.Ports {
				if int(p.PublicPort) == port {
					return "container " + strings.TrimPrefix(firstOr(c.Names, c.ID), "/")
				}
			}
		}
	}
	// Only meaningful when the engine publishes on this machine.
	if r.publicHost() != "localhost" {
		return ""
	}
	l, err := net.Listen("tcp", ":"+strconv.Itoa(port))
	if err != nil {
		return "another process on this machine (see `ss -ltnp 'sport = :" + strconv.Itoa(port) + "'`)"
	}
	_ = l.Close()
	return ""
}
