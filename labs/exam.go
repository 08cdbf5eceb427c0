package labs

import (
	"context"
	"slices"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/opslab/opslab/labs/spec"
)

// RestartNodes are the nodes an exam's final grade restarts first: every node
// when the lab says grade: {restart: true}, else the nodes the checks of tasks
// with grade: {restart: true} use. Sorted; nil when the lab asks for none.
func RestartNodes(lab *spec.Lab) []string {
	if lab.GradeRestart {
		out := make([]string, 0, len(lab.Nodes))
		for _, n := range lab.Nodes {
			out = append(out, n.Name)
		}
		slices.Sort(out)
		return out
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range lab.Tasks {
		if !t.RestartBeforeGrade {
			continue
		}
		for _, c := range t.Checks {
			if c.Spec == nil {
				continue
			}
			for _, ref := range c.Spec.Nodes() {
				if ref.Name != "" && nodeSpec(lab, ref.Name) != nil && !seen[ref.Name] {
					seen[ref.Name] = true
					out = append(out, ref.Name)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// RestartForGrade restarts the nodes RestartNodes names and waits until each
// is ready again, so an exam grades only state that survives a restart.
func (r *Runtime) RestartForGrade(ctx context.Context, lab *spec.Lab) ([]string, error) {
	nodes := RestartNodes(lab)
	for _, n := range nodes {
		r.progressf("restarting node %s of %s before grading …", n, lab.ID)
		if err := r.nodeAction(ctx, lab, n, ActionRestart); err != nil {
			return nil, err
		}
	}
	return nodes, nil
}

// NodeImages are the images the running nodes of a lab were created from:
// node → image digest (hex sha256, the image ID without its "sha256:").
func (r *Runtime) NodeImages(ctx context.Context, labID string) (map[string]string, error) {
	cs, err := r.find(ctx, labID)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range cs {
		if node := c.Labels[LabelNode]; node != "" {
			out[node] = strings.TrimPrefix(c.ImageID, "sha256:")
		}
	}
	if len(out) == 0 {
		return nil, &NotRunningError{Lab: labID}
	}
	return out, nil
}

// FreezeLab stops every node of a lab, keeping the containers and their
// file systems: after an exam is handed in, nothing in the nodes changes
// until the final grade starts them again (ThawLab).
func (r *Runtime) FreezeLab(ctx context.Context, labID string) error {
	cs, err := r.find(ctx, labID)
	if err != nil {
		return err
	}
	timeout := 2
	for _, c := range cs {
		if c.State == container.StateRunning {
			if _, err := r.docker.ContainerStop(ctx, c.ID, client.ContainerStopOptions{Timeout: &timeout}); err != nil {
				return r.envErr(ctx, "cannot stop node "+c.Labels[LabelNode]+" of "+labID, err)
			}
		}
	}
	return nil
}

// ThawLab starts the stopped nodes of a lab again and waits until each is ready.
func (r *Runtime) ThawLab(ctx context.Context, lab *spec.Lab) error {
	cs, err := r.find(ctx, lab.ID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if node := c.Labels[LabelNode]; node != "" && c.State != container.StateRunning {
			if err := r.nodeAction(ctx, lab, node, ActionStart); err != nil {
				return err
			}
		}
	}
	return nil
}
