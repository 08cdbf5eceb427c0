package labs

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/opslab/opslab/labs/spec"

	"github.com/moby/moby/client"
)

// SaveImages writes every image of the given labs, and the base image, to one archive
// (docker save format), for classrooms without a registry or Wi-Fi.
func (r *Runtime) SaveImages(ctx context.Context, labs []*spec.Lab, file string) error {
	if _, err := r.ensureBaseImage(ctx); err != nil {
		return err
	}
	refs := []string{r.opts.BaseImage}
	for _, lab := range labs {
		images, err := r.buildImages(ctx, lab, false)
		if err != nil {
			return err
		}
		for _, img := range images {
			refs = append(refs, img.Ref())
		}
	}
	sort.Strings(refs[1:])
	r.progressf("saving %d images to %s …", len(refs), file)
	out, err := os.Create(file)
	if err != nil {
		return &spec.UsageError{Msg: fmt.Sprintf("cannot write %s: %v", file, err)}
	}
	rc, err := r.docker.ImageSave(ctx, refs)
	if err != nil {
		out.Close()
		os.Remove(file)
		return r.envErr(ctx, "docker save failed", err)
	}
	defer rc.Close()
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		os.Remove(file)
		return r.envErr(ctx, "writing "+file, err)
	}
	return out.Close()
}

// LoadImages loads an archive written by SaveImages.
func (r *Runtime) LoadImages(ctx context.Context, file string) error {
	in, err := os.Open(file)
	if err != nil {
		return &spec.UsageError{Msg: fmt.Sprintf("cannot read %s: %v", file, err)}
	}
	defer in.Close()
	r.progressf("loading images from %s …", file)
	rc, err := r.docker.ImageLoad(ctx, in, client.ImageLoadWithQuiet(true))
	if err != nil {
		return r.envErr(ctx, "docker load failed", err)
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}
