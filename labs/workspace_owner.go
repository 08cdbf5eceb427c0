package labs

import (
	"context"
	"time"

	"github.com/moby/moby/api/types/mount"
)

// giveBackScript chowns everything under the mount that its owner does not own back
// to the owner of the mount's root (the learner, on a Linux host). Root-owned roots
// (Docker Desktop's virtualised mounts, a root learner) are left alone.
const giveBackScript = `d="$1"; u=$(stat -c %u "$d") || exit 0; g=$(stat -c %g "$d"); [ "$u" = 0 ] && exit 0
find "$d" -xdev \( ! -uid "$u" -o ! -gid "$g" \) -exec chown -h "$u:$g" {} + 2>/dev/null; exit 0`

// giveBackWorkspace hands files that nodes wrote into the learner's workspace back to
// the workspace's owner. Nodes run as root, and a root-owned file in ~/opslab/LAB is
// one the learner's editor cannot save. Best effort: a failure changes nothing else.
func (r *Runtime) giveBackWorkspace(ctx context.Context, labID string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	cs, err := r.find(ctx, labID)
	if err != nil {
		return
	}
	for _, c := range cs {
		if c.State != "running" {
			continue
		}
		for _, m := range c.Mounts {
			if m.Type == mount.TypeBind && m.Source == c.Labels[LabelWorkspace] {
				_, _ = r.execStream(ctx, c.ID, []string{"sh", "-c", giveBackScript, "sh", m.Destination}, nil, discard{}, discard{})
				return // one node sees the whole workspace
			}
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
