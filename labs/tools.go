package labs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/opslab/opslab/labs/spec"

	"github.com/moby/moby/client"
)

// engineArch is the Docker engine's CPU architecture in Go's spelling (amd64, arm64).
func (r *Runtime) engineArch(ctx context.Context) (string, error) {
	v, err := r.docker.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return "", r.envErr(ctx, "cannot ask the Docker engine for its architecture", err)
	}
	return v.Arch, nil
}

// toolBinary returns the path of a cached build of the tool for linux/arch, building it first if needed.
func (r *Runtime) toolBinary(ctx context.Context, name, arch string) (string, error) {
	return BuildTool(ctx, r.opts.Dirs.Tools, name, arch, r.opts.Progress)
}

// BuildTool returns the path of a cached build of a Go tool that lab images
// need (see KnownTools) for linux/arch, building it with the host's Go first
// if needed. It needs no Docker engine: CI and classroom prep can build the
// tools while other set-up runs. Builds are cached in cacheDir; progress lines
// go to progress.
func BuildTool(ctx context.Context, cacheDir, name, arch string, progress io.Writer) (string, error) {
	progressf := func(format string, a ...any) { fmt.Fprintf(progress, format+"\n", a...) }
	t, ok := spec.Tools[name]
	if !ok {
		return "", &spec.UsageError{Msg: fmt.Sprintf("unknown tool %q (known: %s)", name, strings.Join(spec.KnownTools(), ", "))}
	}
	dst := filepath.Join(cacheDir, fmt.Sprintf("%s-%s-linux-%s", name, t.Version, arch))
	build := buildGoPackage
	if t.Recipe == spec.RecipeKubernetes {
		build = buildKubernetes
	}
	needs := fmt.Sprintf("this lab needs %s, which opslab builds from source with Go", name)
	return cachedGoBuild(ctx, dst, name, needs, 30*time.Minute, progressf, func(goBin, tmp string) error {
		return build(ctx, goBin, name, t, arch, tmp, progressf)
	})
}

// cachedGoBuild returns dst, building it first with build (into a temporary
// path beside it, with the host's Go) when it is not there yet; needs says
// why Go is wanted when it is missing. One build of dst at a time, across
// processes too (two labs that need act, started side by side): the one that
// waited finds the other's build.
func cachedGoBuild(ctx context.Context, dst, name, needs string, wait time.Duration, progressf func(string, ...any), build func(goBin, tmp string) error) (string, error) {
	if _, err := os.Stat(dst); err == nil {
		return dst, nil
	}
	lock, err := lockFile(dst+".lock", wait, func() {
		progressf("waiting: another opslab is building %s …", name)
	}, &EnvError{Msg: fmt.Sprintf("another opslab has been building %s for %s", name, wait), Fix: "remove " + dst + ".lock if no opslab runs"})
	if err != nil {
		return "", err
	}
	defer lock.Unlock()
	if _, err := os.Stat(dst); err == nil {
		return dst, nil
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", &EnvError{Msg: needs + ", but `go` is not on PATH",
			Fix: "install Go (https://go.dev/doc/install or `apt-get install golang`), or load prebuilt images with `opslab images load`"}
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", &EnvError{Msg: "cannot create the tool cache", Err: err}
	}
	tmp := fmt.Sprintf("%s.%d.tmp", dst, os.Getpid())
	if err := build(goBin, tmp); err != nil {
		os.Remove(tmp)
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return "", &EnvError{Msg: "cannot store the built " + name, Err: err}
	}
	return dst, nil
}

// buildGoPackage builds the tool's package inside its module's own directory:
// `go install mod@v` refuses modules with replace or exclude directives (tofu has them).
func buildGoPackage(ctx context.Context, goBin, name string, t spec.Tool, arch, out string, progressf func(string, ...any)) error {
	progressf("building %s %s for linux/%s with Go (once; cached in %s) …", name, t.Version, arch, filepath.Dir(out))
	dir, err := goModDownload(ctx, goBin, t.Module+"@"+t.Version)
	if err != nil {
		return err
	}
	return goBuild(ctx, goBin, dir, arch, out, t.Package, name, "")
}

// goBuild runs a static, stripped `go build` for linux/arch in dir; ldflags are added to -s -w.
func goBuild(ctx context.Context, goBin, dir, arch, out, pkg, name, ldflags string) error {
	cmd := exec.CommandContext(ctx, goBin, "build", "-trimpath", "-ldflags", strings.TrimSpace("-s -w "+ldflags), "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch, "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &EnvError{Msg: "building " + name + " failed", Err: fmt.Errorf("%w\n%s", err, lastLines(string(out), 15))}
	}
	return nil
}

// goModDownload fetches a module through the Go module proxy and returns its directory.
func goModDownload(ctx context.Context, goBin, modVersion string) (string, error) {
	cmd := exec.CommandContext(ctx, goBin, "mod", "download", "-json", modVersion)
	cmd.Dir = os.TempDir() // outside any module: a plain download
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	_ = json.Unmarshal(out, &info)
	if err != nil || info.Dir == "" {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", &EnvError{Msg: "cannot download " + modVersion + " from the Go module proxy",
			Err: fmt.Errorf("%v %s %s", err, info.Error, strings.TrimSpace(stderr.String())), Fix: "check GOPROXY and the network"}
	}
	return info.Dir, nil
}
