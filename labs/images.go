package labs

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/opslab/opslab/labs/spec"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// DefaultBaseImage is what lab Dockerfiles build FROM (ARG BASE_IMAGE) unless
// RuntimeOptions.BaseImage (the CLI's $OPSLAB_BASE_IMAGE) names another.
const DefaultBaseImage = "debian:bookworm-slim"

// nodeImage is the image a node runs: one per build dir, so nodes sharing a Dockerfile share an image.
type nodeImage struct {
	BuildDir string // the node's build: as written in lab.yaml
	Files    []spec.ContextFile
	Repo     string // opslab/<lab>-<dir>
	Tag      string // content hash
	Tools    []string
}

func (i nodeImage) Ref() string { return i.Repo + ":" + i.Tag }

// ensureBaseImage makes sure the base image is local: present, or pulled. Offline
// machines make it with `opslab images bootstrap`.
func (r *Runtime) ensureBaseImage(ctx context.Context) (id string, err error) {
	base := r.opts.BaseImage
	if res, err := r.docker.ImageInspect(ctx, base); err == nil {
		return res.ID, nil
	}
	r.progressf("pulling base image %s …", base)
	provider, err := r.testcontainersProvider()
	if err != nil {
		return "", err
	}
	if perr := provider.PullImage(ctx, base); perr != nil {
		return "", &EnvError{
			Msg: fmt.Sprintf("the base image %s is not on this machine and cannot be pulled", base),
			Err: perr,
			Fix: "build it from Debian packages with `sudo opslab images bootstrap` (no registry needed), or `docker pull " + base + "` where a registry is reachable",
		}
	}
	res, err := r.docker.ImageInspect(ctx, base)
	if err != nil {
		return "", &EnvError{Msg: "inspect base image " + base, Err: err}
	}
	return res.ID, nil
}

// labImages computes each build dir's image name from the content of the dir, the
// base image and the Go tools put into it (their versions and the engine's arch).
func labImages(lab *spec.Lab, baseRef, baseID, arch string) (map[string]nodeImage, error) {
	tools := map[string][]string{}
	for _, n := range lab.Nodes {
		for _, t := range n.Tools {
			if !slices.Contains(tools[n.Build], t) {
				tools[n.Build] = append(tools[n.Build], t)
			}
		}
	}
	images := map[string]nodeImage{}
	for _, n := range lab.Nodes {
		if _, ok := images[n.Build]; ok {
			continue
		}
		salt := baseID + "\x00" + baseRef
		sort.Strings(tools[n.Build])
		for _, t := range tools[n.Build] {
			salt += "\x00" + t + "@" + spec.Tools[t].Version + "/" + arch
		}
		files, err := n.BuildContext()
		if err != nil {
			return nil, err
		}
		sum, err := hashContext(files, salt)
		if err != nil {
			return nil, fmt.Errorf("hash %s/%s: %w", lab.Source, n.Build, err)
		}
		images[n.Build] = nodeImage{
			BuildDir: n.Build,
			Files:    files,
			Repo:     "opslab/" + lab.ID + "-" + imageName(n.ImageName()),
			Tag:      sum[:16],
			Tools:    tools[n.Build],
		}
	}
	return images, nil
}

func imageName(buildDir string) string {
	s := strings.ToLower(path.Base(path.Clean(buildDir)))
	s = unsafeName.ReplaceAllString(s, "-")
	if s == "" || s == "." {
		return "image"
	}
	return s
}

// hashContext hashes every file's name, mode and content, plus salt.
func hashContext(files []spec.ContextFile, salt string) (string, error) {
	h := sha256.New()
	io.WriteString(h, salt)
	for _, f := range files {
		data, err := fs.ReadFile(f.FS, f.Path)
		if err != nil {
			return "", err
		}
		info, _ := fs.Stat(f.FS, f.Path)
		fmt.Fprintf(h, "\x00%s\x00%o\x00%d\x00", f.Name, modeOf(info), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// modeOf keeps only the executable bit: embed.FS reports 0444 for everything.
func modeOf(info fs.FileInfo) fs.FileMode {
	if info != nil && info.Mode()&0o111 != 0 {
		return 0o755
	}
	return 0o644
}

// BuildImages builds (or finds cached) every node image of the lab.
func (r *Runtime) BuildImages(ctx context.Context, lab *spec.Lab, rebuild bool) error {
	_, err := r.buildImages(ctx, lab, rebuild)
	return err
}

func (r *Runtime) buildImages(ctx context.Context, lab *spec.Lab, rebuild bool) (map[string]nodeImage, error) {
	baseID, err := r.ensureBaseImage(ctx)
	if err != nil {
		return nil, err
	}
	arch := ""
	if labNeedsTools(lab) {
		if arch, err = r.engineArch(ctx); err != nil {
			return nil, err
		}
	}
	images, err := labImages(lab, r.opts.BaseImage, baseID, arch)
	if err != nil {
		return nil, err
	}
	dirs := make([]string, 0, len(images))
	for d := range images {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for i, d := range dirs {
		img := images[d]
		if !rebuild {
			if _, err := r.docker.ImageInspect(ctx, img.Ref()); err == nil {
				continue
			}
		}
		extra := map[string]string{}
		for _, t := range img.Tools {
			bin, err := r.toolBinary(ctx, t, arch)
			if err != nil {
				return nil, err
			}
			extra["opslab-tools/"+t] = bin
		}
		r.progressf("building image %d/%d %s (from %s/%s) …", i+1, len(dirs), img.Ref(), lab.Source, d)
		if err := r.buildImage(ctx, lab, img, extra); err != nil {
			return nil, err
		}
	}
	return images, nil
}

func labNeedsTools(lab *spec.Lab) bool {
	for _, n := range lab.Nodes {
		if len(n.Tools) > 0 {
			return true
		}
	}
	return false
}

func (r *Runtime) buildImage(ctx context.Context, lab *spec.Lab, img nodeImage, extra map[string]string) error {
	archive, err := tarContext(img.Files, extra)
	if err != nil {
		return fmt.Errorf("pack build context %s/%s: %w", lab.Source, img.BuildDir, err)
	}
	base := r.opts.BaseImage
	var buildLog bytes.Buffer
	logTo := io.Writer(&buildLog)
	if r.opts.Verbose != nil {
		logTo = io.MultiWriter(&buildLog, r.opts.Verbose)
	}
	req := &testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{
		ContextArchive: archive,
		Repo:           img.Repo,
		Tag:            img.Tag,
		BuildArgs:      map[string]*string{"BASE_IMAGE": &base},
		BuildLogWriter: logTo,
		KeepImage:      true,
		BuildOptionsModifier: func(o *client.ImageBuildOptions) {
			o.Labels = map[string]string{LabelLab: lab.ID, LabelManaged: "true"}
			o.Tags = []string{img.Repo + ":latest"}
		},
	}}
	provider, err := r.testcontainersProvider()
	if err != nil {
		return err
	}
	if _, err := provider.BuildImage(ctx, req); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &EnvError{
			Msg: fmt.Sprintf("building the image for %s/%s failed", lab.Source, img.BuildDir),
			Err: fmt.Errorf("%w\n%s", err, lastLines(buildLog.String(), 15)),
			Fix: "read the build output above; `opslab start --verbose` shows all of it",
		}
	}
	return nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "  | " + strings.Join(lines, "\n  | ")
}

// tarContext packs a node's build context, plus extra host files (context
// path → host path), e.g. Go tools built on the host.
func tarContext(files []spec.ContextFile, extra map[string]string) (io.ReadSeeker, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		data, err := fs.ReadFile(f.FS, f.Path)
		if err != nil {
			return nil, err
		}
		info, _ := fs.Stat(f.FS, f.Path)
		if err := tw.WriteHeader(&tar.Header{Name: f.Name, Mode: int64(modeOf(info)), Size: int64(len(data))}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(data); err != nil {
			return nil, err
		}
	}
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		data, err := os.ReadFile(extra[name])
		if err != nil {
			return nil, err
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(data))}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return bytes.NewReader(buf.Bytes()), nil
}
