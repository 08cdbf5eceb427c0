package labs

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
)

// Stop removes the lab's containers and network; the workspace stays.
// wasRunning is false when nothing of the lab existed.
func (r *Runtime) Stop(ctx context.Context, labID string) (wasRunning bool, err error) {
	lock, err := r.lock(labID)
	if err != nil {
		return false, err
	}
	defer lock.Unlock()
	cs, err := r.find(ctx, labID)
	if err != nil {
		return false, err
	}
	nets, err := r.docker.NetworkList(ctx, client.NetworkListOptions{Filters: r.labFilters(labID)})
	if err != nil {
		return false, r.envErr(ctx, "cannot list networks", err)
	}
	if len(cs) == 0 && len(nets.Items) == 0 {
		return false, nil
	}
	// Removal must finish even when the user presses Ctrl-C again: half a lab helps no one.
	return true, r.removeFound(context.WithoutCancel(ctx), labID, cs, nets.Items)
}

// StopAll stops every lab of this session and returns their ids.
func (r *Runtime) StopAll(ctx context.Context) ([]string, error) {
	cs, err := r.find(ctx, "")
	if err != nil {
		return nil, err
	}
	nets, err := r.labNetworks(ctx, "")
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, c := range cs {
		ids[c.Labels[LabelLab]] = true
	}
	for _, n := range nets {
		ids[n] = true
	}
	var stopped []string
	var errs []error
	for id := range ids {
		if _, err := r.Stop(ctx, id); err != nil {
			errs = append(errs, err)
			continue
		}
		stopped = append(stopped, id)
	}
	sort.Strings(stopped)
	return stopped, errors.Join(errs...)
}

// remove force-removes every container and network of the lab (this session only).
func (r *Runtime) remove(ctx context.Context, labID string) error {
	cs, err := r.find(ctx, labID)
	if err != nil {
		return err
	}
	return r.removeFound(ctx, labID, cs, nil)
}

// removeSettled is remove after an interrupted start: a create the engine
// got just before the interrupt can finish after the first list, so it looks
// again (twice, 250 ms apart) until nothing of the lab is left.
func (r *Runtime) removeSettled(ctx context.Context, labID string) error {
	for range 3 {
		if err := r.remove(ctx, labID); err != nil {
			return err
		}
		time.Sleep(250 * time.Millisecond)
		cs, err := r.find(ctx, labID)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			return nil
		}
	}
	return r.remove(ctx, labID)
}

// removeFound removes the given containers, then the lab's networks (listed
// afresh when nets is nil: a failed start may have made one since).
func (r *Runtime) removeFound(ctx context.Context, labID string, cs []container.Summary, nets []network.Summary) error {
	var wg sync.WaitGroup
	errs := make([]error, len(cs))
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.docker.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
			if err != nil && !isNotFound(err) {
				errs[i] = fmt.Errorf("remove container %s: %w", firstOr(c.Names, c.ID), err)
			}
		}()
	}
	wg.Wait()
	if nets == nil {
		res, err := r.docker.NetworkList(ctx, client.NetworkListOptions{Filters: r.labFilters(labID)})
		if err != nil {
			errs = append(errs, fmt.Errorf("list networks: %w", err))
		}
		nets = res.Items
	}
	for _, n := range nets {
		if err := r.removeNetwork(ctx, n.ID); err != nil {
			errs = append(errs, fmt.Errorf("remove network %s: %w", n.Name, err))
		}
	}
	if err := r.removeMarkers(ctx, labID); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return &EnvError{Msg: "could not remove everything of lab " + labID, Err: err, Fix: "run `opslab stop " + labID + "` again"}
	}
	return nil
}

// removeNetwork removes one of the lab's networks. The engine can refuse with
// "has active endpoints" although every container of the lab is gone: right
// after a removal it may still hold the endpoint for a moment (seen in CI under
// load, for 3 s and more), or a container that is not the lab's was attached
// by hand. It force-disconnects what is left, by id and by name (a stale
// endpoint of a removed container goes only by name), and tries again with a
// growing pause, about 10 s in all.
func (r *Runtime) removeNetwork(ctx context.Context, id string) error {
	var err error
	for attempt := 1; attempt <= 8; attempt++ {
		if _, err = r.docker.NetworkRemove(ctx, id, client.NetworkRemoveOptions{}); err == nil || isNotFound(err) {
			return nil
		}
		if !strings.Contains(err.Error(), "active endpoints") {
			return err
		}
		if res, ierr := r.docker.NetworkInspect(ctx, id, client.NetworkInspectOptions{}); ierr == nil {
			for c, ep := range res.Network.Containers {
				_, _ = r.docker.NetworkDisconnect(ctx, id, client.NetworkDisconnectOptions{Container: c, Force: true})
				if ep.Name != "" {
					_, _ = r.docker.NetworkDisconnect(ctx, id, client.NetworkDisconnectOptions{Container: ep.Name, Force: true})
				}
			}
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt) * 350 * time.Millisecond):
		}
	}
	return err
}

// labNetworks returns the lab ids of this session's networks (labID "" = all).
func (r *Runtime) labNetworks(ctx context.Context, labID string) ([]string, error) {
	res, err := r.docker.NetworkList(ctx, client.NetworkListOptions{Filters: r.labFilters(labID)})
	if err != nil {
		return nil, r.envErr(ctx, "cannot list networks", err)
	}
	var ids []string
	for _, n := range res.Items {
		ids = append(ids, n.Labels[LabelLab])
	}
	return ids, nil
}

func isNotFound(err error) bool { return cerrdefs.IsNotFound(err) }
