package labs

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// find lists the lab's containers of this session (labID "" = every lab), stopped ones too.
func (r *Runtime) find(ctx context.Context, labID string) ([]container.Summary, error) {
	res, err := r.docker.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: r.labFilters(labID)})
	if err != nil {
		return nil, r.envErr(ctx, "cannot list containers", err)
	}
	return res.Items, nil
}

func allRunning(cs []container.Summary) bool {
	for _, c := range cs {
		if c.State != container.StateRunning {
			return false
		}
	}
	return true
}

// Status lists running labs of this session; labID "" = all.
func (r *Runtime) Status(ctx context.Context, labID string) ([]Instance, error) {
	cs, err := r.find(ctx, labID)
	if err != nil {
		return nil, err
	}
	byLab := map[string][]container.Summary{}
	for _, c := range cs {
		byLab[c.Labels[LabelLab]] = append(byLab[c.Labels[LabelLab]], c)
	}
	ids := make([]string, 0, len(byLab))
	for id := range byLab {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]Instance, 0, len(ids))
	for _, id := range ids {
		out = append(out, *r.instanceOf(byLab[id]))
	}
	return out, nil
}

// instanceOf rebuilds an Instance from the labels of one lab's containers.
func (r *Runtime) instanceOf(cs []container.Summary) *Instance {
	inst := &Instance{}
	for _, c := range cs {
		l := c.Labels
		inst.Lab, inst.Session, inst.Workspace, inst.Digest = l[LabelLab], l[LabelSession], l[LabelWorkspace], l[LabelDigest]
		if inst.Params == nil {
			_ = json.Unmarshal([]byte(l[LabelParams]), &inst.Params)
		}
		if created := time.Unix(c.Created, 0); inst.Created.IsZero() || created.Before(inst.Created) {
			inst.Created = created
		}
		if c.NetworkSettings != nil {
			for name := range c.NetworkSettings.Networks {
				inst.Network = name
			}
		}
		inst.Nodes = append(inst.Nodes, NodeStatus{
			Name:      l[LabelNode],
			Container: strings.TrimPrefix(firstOr(c.Names, c.ID), "/"),
			State:     string(c.State),
			Health:    healthOf(c),
			Ports:     r.publishedPorts(c),
		})
	}
	sort.Slice(inst.Nodes, func(i, j int) bool { return inst.Nodes[i].Name < inst.Nodes[j].Name })
	return inst
}

func firstOr(xs []string, def string) string {
	if len(xs) > 0 {
		return xs[0]
	}
	return def
}

// healthOf reads health from the summary; engines before API 1.52 only put it in Status.
func healthOf(c container.Summary) string {
	if c.Health != nil && c.Health.Status != container.NoHealthcheck {
		return string(c.Health.Status)
	}
	for _, h := range []string{"unhealthy", "healthy", "starting"} {
		if strings.Contains(c.Status, "("+h) {
			return h
		}
	}
	return ""
}

func (r *Runtime) publishedPorts(c container.Summary) []PublishedPort {
	seen := map[string]bool{}
	var names map[string]string
	_ = json.Unmarshal([]byte(c.Labels[LabelPorts]), &names)
	var out []PublishedPort
	for _, p := range c.Ports {
		if p.PublicPort == 0 {
			continue
		}
		key := fmt.Sprintf("%d/%d/%s", p.PrivatePort, p.PublicPort, p.Type)
		if seen[key] { // IPv4 and IPv6 bindings of the same port
			continue
		}
		seen[key] = true
		out = append(out, PublishedPort{
			Name:      names[fmt.Sprintf("%d/%s", p.PrivatePort, protoOr(string(p.Type)))],
			Container: int(p.PrivatePort),
			Host:      int(p.PublicPort),
			URL:       fmt.Sprintf("http://%s:%d", r.publicHost(), p.PublicPort),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Container < out[j].Container })
	return out
}

// publicHost is where published ports are reached: the engine's host for a tcp://
// endpoint, else localhost.
func (r *Runtime) publicHost() string {
	h := r.endpoint.Host
	if strings.HasPrefix(h, "tcp://") {
		h = strings.TrimPrefix(h, "tcp://")
		if i := strings.LastIndex(h, ":"); i > 0 {
			h = h[:i]
		}
		return h
	}
	return "localhost"
}
