package labs

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/opslab/opslab/labs/spec"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	tcnetwork "github.com/testcontainers/testcontainers-go/network"
)

// Start builds images, creates the network and nodes, runs setup steps and copies the
// workspace. alreadyRunning is true (and err nil) when the lab was running already.
// A start that fails or is interrupted removes everything it created.
func (r *Runtime) Start(ctx context.Context, lab *spec.Lab, o StartOptions) (inst *Instance, alreadyRunning bool, err error) {
	lock, err := r.lock(lab.ID)
	if err != nil {
		return nil, false, err
	}
	defer lock.Unlock()
	t0 := time.Now()
	defer func() { r.tracef("%-22s %6d ms", "start (all)", time.Since(t0).Milliseconds()) }()
	return r.startLocked(ctx, lab, o)
}

func (r *Runtime) startLocked(ctx context.Context, lab *spec.Lab, o StartOptions) (*Instance, bool, error) {
	done, err := r.phase(ctx, PhaseFind)
	if err != nil {
		return nil, false, err
	}
	if running, err := r.find(ctx, lab.ID); err != nil {
		return nil, false, err
	} else if len(running) > 0 {
		ready, err := r.isReady(ctx, lab.ID)
		if err != nil {
			return nil, false, err
		}
		if inst := r.instanceOf(running); ready && allRunning(running) {
			return inst, true, nil
		}
		// Leftovers of a crashed run or of a start that never finished: clear them and start afresh.
		r.progressf("removing leftovers of an earlier run of %s …", lab.ID)
		if err := r.remove(context.WithoutCancel(ctx), lab.ID); err != nil {
			return nil, false, err
		}
	}
	done()
	if done, err = r.phase(ctx, PhaseWorkspace); err != nil {
		return nil, false, err
	}
	workspace, err := prepareWorkspace(lab, cmp.Or(o.Workspace, r.opts.Dirs.Workspace(lab.ID)))
	if err != nil {
		return nil, false, err
	}
	done()
	if done, err = r.phase(ctx, PhasePorts); err != nil {
		return nil, false, err
	}
	if err := r.checkHostPorts(ctx, lab); err != nil {
		return nil, false, err
	}
	done()
	if done, err = r.phase(ctx, PhaseImages); err != nil {
		return nil, false, err
	}
	// Nodes are made by testcontainers: make sure it uses the endpoint we resolved.
	if _, err := r.testcontainersProvider(); err != nil {
		return nil, false, err
	}
	r.buildAgent(ctx) // beside the images; settled before the first command in a node
	images, err := r.buildImages(ctx, lab, o.Rebuild)
	if err != nil {
		return nil, false, err
	}
	r.awaitAgent(ctx)
	done()

	started := time.Now()
	if err := r.provision(ctx, lab, images, workspace); err != nil {
		r.progressf("start failed: removing what was created …")
		if cerr := r.removeSettled(context.WithoutCancel(ctx), lab.ID); cerr != nil {
			err = errors.Join(err, fmt.Errorf("clean-up after the failed start: %w", cerr))
		}
		return nil, false, err
	}
	r.progressf("lab %s is up (%.1fs)", lab.ID, time.Since(started).Seconds())
	found, err := r.find(ctx, lab.ID)
	if err != nil {
		return nil, false, err
	}
	return r.instanceOf(found), false, nil
}

// prepareWorkspace creates the learner's workspace and copies the lab's files into it
// without overwriting anything the learner already has.
func prepareWorkspace(lab *spec.Lab, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", &spec.UsageError{Msg: fmt.Sprintf("workspace %q: %v", dir, err)}
	}
	_, statErr := os.Stat(abs)
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", &EnvError{Msg: "cannot create the workspace " + abs + " (choose another folder with --workspace DIR)", Err: err}
	}
	if _, err := CopyWorkspace(lab, abs); err != nil {
		if errors.Is(statErr, fs.ErrNotExist) {
			_ = os.Remove(abs) // made by this start and now empty again: leave no trace
		}
		return "", &EnvError{Msg: "cannot copy the lab's files into the workspace " + abs + "; nothing was left half-copied (" + workspaceAdvice(err) + ")", Err: err}
	}
	return abs, nil
}

// workspaceAdvice says what to do about a workspace that cannot be written.
func workspaceAdvice(err error) string {
	if errors.Is(err, syscall.ENOSPC) {
		return "free some disk space, or choose another folder with --workspace DIR"
	}
	return "make the folder writable, or choose another folder with --workspace DIR"
}

// provision creates the network and every node, then runs the setup steps.
func (r *Runtime) provision(ctx context.Context, lab *spec.Lab, images map[string]nodeImage, workspace string) error {
	labels := r.labLabels(lab, workspace)
	r.progressf("creating network and %d nodes …", len(lab.Nodes))
	done, err := r.phase(ctx, PhaseNetwork)
	if err != nil {
		return err
	}
	net, err := tcnetwork.New(ctx, tcnetwork.WithLabels(labels))
	if err != nil {
		return r.envErr(ctx, "cannot create the lab network", err)
	}
	done()

	if done, err = r.phase(ctx, PhaseNodes); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(lab.Nodes))
	for i, n := range lab.Nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.startNode(ctx, lab, n, images[n.Build], net.Name, workspace, labels)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	done()
	if done, err = r.phase(ctx, PhaseSetup); err != nil {
		return err
	}
	defer done()
	if err := r.runSteps(ctx, lab, "setup", lab.Setup); err != nil {
		return err
	}
	return r.markReady(ctx, lab.ID, labels)
}

// labLabels are the labels on every container and network of a lab run: what later
// commands need to find it again, and to grade it with the params it started with.
func (r *Runtime) labLabels(lab *spec.Lab, workspace string) map[string]string {
	paramsJSON, _ := json.Marshal(lab.Values)
	return map[string]string{
		LabelLab:       lab.ID,
		LabelSession:   r.opts.Session,
		LabelManaged:   "true",
		LabelParams:    string(paramsJSON),
		LabelWorkspace: workspace,
		LabelDigest:    lab.Digest,
		LabelSource:    lab.Source,
	}
}

func (r *Runtime) envErr(ctx context.Context, msg string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return &EnvError{Msg: msg, Err: err}
}

func (r *Runtime) startNode(ctx context.Context, lab *spec.Lab, n spec.Node, img nodeImage, netName, workspace string, labLabels map[string]string) error {
	labels := map[string]string{LabelNode: n.Name}
	names := map[string]string{}
	for _, p := range n.Ports {
		if p.Name != "" {
			names[fmt.Sprintf("%d/%s", p.Container, protoOr(p.Protocol))] = p.Name
		}
	}
	if len(names) > 0 {
		b, _ := json.Marshal(names)
		labels[LabelPorts] = string(b)
	}
	for k, v := range labLabels {
		labels[k] = v
	}
	exposed, bindings := portBindings(n.Ports)
	binds := mountBinds(n, workspace)
	agent := agentMount(r.agentVolume(ctx, img.Ref()))
	yes := true
	req := testcontainers.ContainerRequest{
		Image:          img.Ref(),
		Name:           r.containerName(lab.ID, n.Name),
		Labels:         labels,
		Env:            n.Env,
		Cmd:            n.Command,
		ExposedPorts:   exposed,
		Networks:       []string{netName},
		NetworkAliases: map[string][]string{netName: {n.Name}},
		WaitingFor:     waitStrategy(n),
		LifecycleHooks: r.nodeTraceHooks(n.Name),
		ConfigModifier: func(c *container.Config) { c.Hostname = n.Name },
		HostConfigModifier: func(hc *container.HostConfig) {
			hc.Init = &yes // PID 1 that forwards signals: stop takes a fraction of a second
			hc.PortBindings = bindings
			hc.PublishAllPorts = false // only the ports lab.yaml publishes, never every EXPOSE
			hc.Binds = append(hc.Binds, binds...)
			hc.Mounts = append(hc.Mounts, agent...)
			// Extra rights lab.yaml asks for (cap_add, privileged); opslab show names them.
			hc.CapAdd = append(hc.CapAdd, n.CapAdd...)
			hc.Privileged = n.Privileged
		},
	}
	_, err := testcontainers.GenericContainer(ctx, testcontainers.GenericContainerRequest{ContainerRequest: req, Started: true})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fix := rightsFix(n, err)
		if fix == "" {
			fix = fmt.Sprintf("see the node's output above; `opslab start %s --verbose` shows more", lab.ID)
		}
		return &EnvError{
			Msg: fmt.Sprintf("node %s of %s did not start", n.Name, lab.ID),
			Err: fmt.Errorf("%w%s", err, r.nodeLogTail(context.WithoutCancel(ctx), lab.ID, n.Name)),
			Fix: fix,
		}
	}
	return nil
}

// rightsFix explains a node that asks for extra rights (cap_add, privileged)
// and was refused them: the engine cannot grant a capability it lacks itself
// (one running in a container without CAP_SYS_RESOURCE refuses privileged
// containers with "unable to apply caps: operation not permitted"). "" when
// that is not what happened.
func rightsFix(n spec.Node, err error) string {
	if n.ExtraRights() == "" || !strings.Contains(strings.ToLower(err.Error()), "operation not permitted") {
		return ""
	}
	try := "--privileged"
	if !n.Privileged {
		try = "--cap-add " + strings.Join(n.CapAdd, " --cap-add ")
	}
	return fmt.Sprintf("node %s asks for %s, which this Docker engine may not grant; "+
		"check with `docker run --rm %s debian:bookworm-slim true`, and use an engine that allows it", n.Name, n.ExtraRights(), try)
}

func portBindings(ports []spec.Port) ([]string, network.PortMap) {
	var exposed []string
	bindings := network.PortMap{}
	for _, p := range ports {
		spec := fmt.Sprintf("%d/%s", p.Container, protoOr(p.Protocol))
		exposed = append(exposed, spec)
		port, err := network.ParsePort(spec)
		if err != nil {
			continue // validated by the parser already
		}
		host := ""
		if p.Host != 0 {
			host = strconv.Itoa(p.Host)
		}
		bindings[port] = append(bindings[port], network.PortBinding{HostPort: host})
	}
	return exposed, bindings
}

func mountBinds(n spec.Node, workspace string) []string {
	var binds []string
	if n.Workspace != "" {
		binds = append(binds, workspace+":"+n.Workspace)
	}
	for _, m := range n.Mounts {
		b := filepath.Join(workspace, filepath.FromSlash(m.Workspace)) + ":" + m.Target
		if m.ReadOnly {
			b += ":ro"
		}
		binds = append(binds, b)
	}
	return binds
}

func protoOr(proto string) string {
	if proto == "" {
		return "tcp"
	}
	return proto
}
