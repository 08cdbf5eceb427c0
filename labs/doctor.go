package labs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"syscall"

	"github.com/moby/moby/client"
)

// Doctor checks the environment; each line is ok or names a concrete fix.
// It works without a Runtime, because "Docker is unreachable" is its most useful answer.
func Doctor(ctx context.Context, opts RuntimeOptions) []DoctorCheck {
	var checks []DoctorCheck
	ep, err := resolveEndpoint(opts.withDefaults().Getenv)
	if err != nil {
		return append(checks, envCheck("docker endpoint", err))
	}
	r, err := NewRuntime(ctx, opts)
	if err != nil {
		return append(checks, envCheck("docker reachable", err))
	}
	defer r.Close()
	checks = append(checks, DoctorCheck{Name: "docker reachable", OK: true, Info: fmt.Sprintf("%s (from %s)", ep.Host, ep.Source)})
	checks = append(checks, r.engineCheck(ctx))
	checks = append(checks, r.baseImageCheck(ctx))
	checks = append(checks, r.privilegedCheck(ctx))
	checks = append(checks, diskCheck(r.opts.Dirs.State))
	checks = append(checks, portsCheck(r, ctx))
	return checks
}

func (r *Runtime) engineCheck(ctx context.Context) DoctorCheck {
	v, err := r.docker.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return DoctorCheck{Name: "engine", Info: err.Error(), Fix: "check that the Docker engine is healthy: `docker version`"}
	}
	c := DoctorCheck{Name: "engine", OK: true, Info: fmt.Sprintf("Docker %s, API %s, %s/%s", v.Version, v.APIVersion, v.Os, v.Arch)}
	if v.Arch != runtime.GOARCH {
		c.Info += fmt.Sprintf(" (opslab is %s: lab images are built for the engine's %s)", runtime.GOARCH, v.Arch)
	}
	return c
}

func (r *Runtime) baseImageCheck(ctx context.Context) DoctorCheck {
	base := r.opts.BaseImage
	if res, err := r.docker.ImageInspect(ctx, base); err == nil {
		return DoctorCheck{Name: "base image", OK: true, Info: fmt.Sprintf("%s present (%s, %d MB)", base, res.Architecture, res.Size/1e6)}
	}
	return DoctorCheck{Name: "base image", Info: base + " is not on this machine",
		Fix: "`docker pull " + base + "` where a registry is reachable, else `sudo opslab images bootstrap`"}
}

func diskCheck(stateDir string) DoctorCheck {
	dir := stateDir
	for dir != "/" && dir != "." {
		if _, err := os.Stat(dir); err == nil {
			break
		}
		dir = parentDir(dir)
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return DoctorCheck{Name: "disk space", Info: err.Error(), Fix: "check that " + dir + " exists"}
	}
	free := st.Bavail * uint64(st.Bsize) / (1 << 30)
	c := DoctorCheck{Name: "disk space", OK: free >= 5, Info: fmt.Sprintf("%d GB free at %s", free, dir)}
	if !c.OK {
		c.Fix = "free at least 5 GB: `docker system prune` removes unused images"
	}
	return c
}

func parentDir(p string) string {
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '/' {
			return p[:i]
		}
	}
	return "/"
}

// portsCheck reports the common lab host ports that are taken.
func portsCheck(r *Runtime, ctx context.Context) DoctorCheck {
	var taken []string
	for _, p := range []int{8080, 9090, 9093, 3000} {
		if h := r.portHolder(ctx, p); h != "" {
			taken = append(taken, fmt.Sprintf("%d (%s)", p, h))
		}
	}
	if len(taken) == 0 {
		return DoctorCheck{Name: "free ports", OK: true, Info: "8080, 9090, 9093, 3000 are free"}
	}
	return DoctorCheck{Name: "free ports", Info: fmt.Sprintf("taken: %v", taken), Fix: "labs pick free ports automatically; only labs with fixed ports are affected"}
}

// envCheck turns an *EnvError into a failed line: what is wrong, and its fix.
func envCheck(name string, err error) DoctorCheck {
	var env *EnvError
	if errors.As(err, &env) {
		info := env.Msg
		if env.Err != nil {
			info += ": " + env.Err.Error()
		}
		return DoctorCheck{Name: name, Info: info, Fix: env.Fix}
	}
	return DoctorCheck{Name: name, Info: err.Error(), Fix: "run `opslab doctor --verbose` and report it"}
}
