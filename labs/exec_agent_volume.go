package labs

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"
)

// The exec agent reaches a node through a read-only volume mounted when the
// node is made. Copying it into each node instead (2.3 MB through the
// engine's archive API) cost ~0.2 CPU-s a node, most of it a re-exec of
// dockerd per copy, and the catalog's proof makes well over a thousand nodes.
// One volume per agent build (version and architecture), filled once per
// engine. A node without the volume (made by an older opslab, or when the
// volume could not be made) still gets the agent by copy.

// agentMountDir is where the volume is mounted in every node.
const agentMountDir = "/.opslab-agent"

// agentVolumeLabel marks the volumes that hold an exec agent.
const agentVolumeLabel = "opslab.exec-agent"

// agentVolumeName names the volume that holds binary (its file name carries
// the agent's version and architecture).
func agentVolumeName(binary string) string {
	return "opslab-" + filepath.Base(binary)
}

// agentVolume returns the name of the volume holding the agent, filled on the
// engine (once per process); "" when there is no agent or no volume, and
// nodes get the agent by copy. image is any image of the lab: the volume is
// filled through a container made from it and never started.
func (r *Runtime) agentVolume(ctx context.Context, image string) string {
	p := r.agents
	if r.opts.EngineExecOnly {
		return ""
	}
	r.awaitAgent(ctx)
	if p.binary == "" {
		return ""
	}
	p.volumeOnce.Do(func() {
		name := agentVolumeName(p.binary)
		if err := r.fillAgentVolume(context.WithoutCancel(ctx), name, image, p.binary); err != nil {
			r.verbosef("exec agent volume %s not made (the agent is copied into each node): %v", name, err)
			return
		}
		p.volume = name
	})
	return p.volume
}

// fillAgentVolume makes the volume and copies the agent into it, unless the
// volume exists already (filled by an earlier run: its name is the build's).
// A volume half-filled by a racing process only costs its nodes a copy: an
// agent that does not answer from the volume is copied in (startAgent).
func (r *Runtime) fillAgentVolume(ctx context.Context, name, image, binary string) error {
	if _, err := r.docker.VolumeInspect(ctx, name, client.VolumeInspectOptions{}); err == nil {
		return nil
	} else if !isNotFound(err) {
		return err
	}
	archive, err := agentArchive(binary, filepath.Base(binary))
	if err != nil {
		return err
	}
	if _, err := r.docker.VolumeCreate(ctx, client.VolumeCreateOptions{Name: name, Labels: map[string]string{agentVolumeLabel: filepath.Base(binary)}}); err != nil {
		return err
	}
	filled := false
	defer func() {
		if !filled { // never leave an empty volume that later runs would trust
			_, _ = r.docker.VolumeRemove(ctx, name, client.VolumeRemoveOptions{Force: true})
		}
	}()
	c, err := r.docker.ContainerCreate(ctx, client.ContainerCreateOptions{
		Image:      image,
		Config:     &container.Config{Entrypoint: []string{"true"}, Labels: map[string]string{agentVolumeLabel: "filler"}},
		HostConfig: &container.HostConfig{Mounts: []mount.Mount{{Type: mount.TypeVolume, Source: name, Target: "/agent"}}},
	})
	if err != nil {
		return err
	}
	defer func() { _, _ = r.docker.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true}) }()
	if _, err := r.docker.CopyToContainer(ctx, c.ID, client.CopyToContainerOptions{DestinationPath: "/agent", Content: archive}); err != nil {
		return err
	}
	filled = true
	return nil
}

// agentMount is the mount that gives a node the agent from volume ("" = none).
func agentMount(volume string) []mount.Mount {
	if volume == "" {
		return nil
	}
	return []mount.Mount{{Type: mount.TypeVolume, Source: volume, Target: agentMountDir, ReadOnly: true,
		VolumeOptions: &mount.VolumeOptions{NoCopy: true}}}
}

// mountedAgent is the agent's path in container id when the node has the
// agent volume mounted, "" when it does not.
func (r *Runtime) mountedAgent(ctx context.Context, id, binary string) string {
	res, err := r.docker.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil || res.Container.Mounts == nil {
		return ""
	}
	want := agentVolumeName(binary)
	for _, m := range res.Container.Mounts {
		if m.Name == want && m.Destination == agentMountDir {
			return agentMountDir + "/" + filepath.Base(binary)
		}
	}
	return ""
}

// agentArchive is a tar holding binary under the name name, executable.
func agentArchive(binary, name string) (*bytes.Buffer, error) {
	bin, err := os.ReadFile(binary)
	if err != nil {
		return nil, err
	}
	var archive bytes.Buffer
	tw := tar.NewWriter(&archive)
	hdr := &tar.Header{Name: name, Mode: 0o755, Size: int64(len(bin)), ModTime: time.Now()}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := tw.Write(bin); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return &archive, nil
}
