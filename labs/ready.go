package labs

import (
	"context"
	"fmt"

	"github.com/moby/moby/client"
)

// A lab whose start finished, setup steps included, has a marker: an empty
// volume with the lab's labels. Containers alone cannot tell: a start killed
// (SIGKILL, a crash) after its nodes ran but before its setup steps leaves a
// lab that looks running and is not the lab. Without the marker, the next
// start clears such leftovers instead of reporting "already running".
func (r *Runtime) readyMarker(labID string) string { return r.containerName(labID, "ready") }

func (r *Runtime) markReady(ctx context.Context, labID string, labels map[string]string) error {
	_, err := r.docker.VolumeCreate(ctx, client.VolumeCreateOptions{Name: r.readyMarker(labID), Labels: labels})
	if err != nil {
		return r.envErr(ctx, "cannot mark lab "+labID+" as started", err)
	}
	return nil
}

// isReady reports whether the lab's start finished.
func (r *Runtime) isReady(ctx context.Context, labID string) (bool, error) {
	_, err := r.docker.VolumeInspect(ctx, r.readyMarker(labID), client.VolumeInspectOptions{})
	switch {
	case err == nil:
		return true, nil
	case isNotFound(err):
		return false, nil
	default:
		return false, r.envErr(ctx, "cannot inspect lab "+labID, err)
	}
}

// removeMarkers removes the lab's ready markers (labID "" = every lab of the session).
func (r *Runtime) removeMarkers(ctx context.Context, labID string) error {
	res, err := r.docker.VolumeList(ctx, client.VolumeListOptions{Filters: r.labFilters(labID)})
	if err != nil {
		return fmt.Errorf("list volumes: %w", err)
	}
	for _, v := range res.Items {
		if _, err := r.docker.VolumeRemove(ctx, v.Name, client.VolumeRemoveOptions{Force: true}); err != nil && !isNotFound(err) {
			return fmt.Errorf("remove volume %s: %w", v.Name, err)
		}
	}
	return nil
}
