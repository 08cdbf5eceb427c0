package labs

import (
	"context"
	"fmt"

	"github.com/opslab/opslab/labs/spec"

	"github.com/moby/moby/client"
)

// Node actions the grader takes before or after a task's checks: inject a fault
// (stop), prove a fix survives a restart (restart), apply the learner's code to a
// fresh machine (recreate).
const (
	ActionStop     = "stop"
	ActionStart    = "start"
	ActionRestart  = "restart"
	ActionRecreate = "recreate"
)

// nodeAction acts on one node of a running lab. lab is the definition the lab runs
// with; recreate needs it to make the node afresh, start and restart to wait for it.
func (r *Runtime) nodeAction(ctx context.Context, lab *spec.Lab, node, action string) error {
	ns := nodeSpec(lab, node)
	if ns == nil {
		return &spec.UsageError{Msg: fmt.Sprintf("lab %s has no node named %s", lab.ID, node)}
	}
	name := r.containerName(lab.ID, node)
	stopTimeout := 2 // seconds: nodes run under an init, SIGTERM is enough
	var err error
	switch action {
	case ActionStop:
		_, err = r.docker.ContainerStop(ctx, name, client.ContainerStopOptions{Timeout: &stopTimeout})
		return r.wrapAction(ctx, err, action, node)
	case ActionStart:
		if _, err = r.docker.ContainerStart(ctx, name, client.ContainerStartOptions{}); err != nil {
			return r.wrapAction(ctx, err, action, node)
		}
	case ActionRestart:
		if _, err = r.docker.ContainerRestart(ctx, name, client.ContainerRestartOptions{Timeout: &stopTimeout}); err != nil {
			return r.wrapAction(ctx, err, action, node)
		}
	case ActionRecreate:
		if err := r.recreateNode(ctx, lab, *ns); err != nil {
			return err
		}
	default:
		return &spec.UsageError{Msg: fmt.Sprintf("unknown node action %q (known: stop, start, restart, recreate)", action)}
	}
	return r.waitReady(ctx, lab, *ns)
}

func (r *Runtime) wrapAction(ctx context.Context, err error, action, node string) error {
	if err == nil {
		return nil
	}
	return r.envErr(ctx, fmt.Sprintf("cannot %s node %s", action, node), err)
}

func nodeSpec(lab *spec.Lab, node string) *spec.Node {
	for i := range lab.Nodes {
		if lab.Nodes[i].Name == node {
			return &lab.Nodes[i]
		}
	}
	return nil
}

// recreateNode removes a node's container and creates it fresh from its image, then
// runs the setup steps that belong to that node: a fresh machine as at start.
func (r *Runtime) recreateNode(ctx context.Context, lab *spec.Lab, n spec.Node) error {
	insts, err := r.Status(ctx, lab.ID)
	if err != nil {
		return err
	}
	if len(insts) == 0 {
		return &NotRunningError{Lab: lab.ID}
	}
	inst := insts[0]
	images, err := r.buildImages(ctx, lab, false)
	if err != nil {
		return err
	}
	if _, err := r.docker.ContainerRemove(ctx, r.containerName(lab.ID, n.Name), client.ContainerRemoveOptions{Force: true}); err != nil && !isNotFound(err) {
		return r.envErr(ctx, "cannot remove node "+n.Name, err)
	}
	if err := r.startNode(ctx, lab, n, images[n.Build], inst.Network, inst.Workspace, r.labLabels(lab, inst.Workspace)); err != nil {
		return err
	}
	var steps []spec.Step
	for _, s := range lab.Setup {
		if s.Node == n.Name {
			steps = append(steps, s)
		}
	}
	return r.runSteps(ctx, lab, "setup", steps)
}

// waitReady waits for a node's port, HTTP and command readiness from inside it
// after a (re)start; testcontainers' wait strategies only run at creation.
func (r *Runtime) waitReady(ctx context.Context, lab *spec.Lab, n spec.Node) error {
	if n.Wait == nil {
		return nil
	}
	loop := readinessLoop(n.Wait)
	if loop == "" {
		return nil
	}
	timeout := waitTimeout(n.Wait)
	res, err := r.execCapture(ctx, lab.ID, n.Name, []string{"sh", "-c", loop}, timeout+execGrace)
	if err == nil && res.ExitCode == 0 {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return &EnvError{Msg: fmt.Sprintf("node %s of %s was not ready %s after it started", n.Name, lab.ID, timeout), Err: err,
		Fix: fmt.Sprintf("see what it says: `opslab logs %s %s`", lab.ID, n.Name)}
}
