package labs

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/moby/moby/client"
)

// BootstrapOptions configure BootstrapBaseImage.
type BootstrapOptions struct {
	Mirror   string // Debian mirror; "" = from the host's apt sources, else deb.debian.org
	Suite    string // default bookworm
	Tag      string // default RuntimeOptions.BaseImage
	Force    bool   // make it again even when the image exists
	Progress io.Writer
}

// BootstrapBaseImage builds the base image from Debian packages (debootstrap → docker
// import) where no registry can be reached. Needs root and debootstrap on the host.
func (r *Runtime) BootstrapBaseImage(ctx context.Context, o BootstrapOptions) error {
	if o.Suite == "" {
		o.Suite = "bookworm"
	}
	if o.Tag == "" {
		o.Tag = r.opts.BaseImage
	}
	if o.Mirror == "" {
		o.Mirror = hostDebianMirror()
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if _, err := r.docker.ImageInspect(ctx, o.Tag); err == nil && !o.Force {
		fmt.Fprintf(o.Progress, "base image %s is already here; nothing to do (--force makes it again)\n", o.Tag)
		return nil
	}
	if _, err := exec.LookPath("debootstrap"); err != nil {
		return &EnvError{Msg: "debootstrap is not installed", Fix: "sudo apt-get install -y debootstrap"}
	}
	if os.Geteuid() != 0 {
		return &EnvError{Msg: "making the base image needs root (debootstrap creates device files)", Fix: "sudo opslab images bootstrap"}
	}
	root, err := os.MkdirTemp("", "opslab-rootfs-")
	if err != nil {
		return &EnvError{Msg: "cannot create a temporary directory", Err: err}
	}
	defer os.RemoveAll(root)

	fmt.Fprintf(o.Progress, "debootstrap %s from %s (about 30 s on a fast mirror) …\n", o.Suite, o.Mirror)
	cmd := exec.CommandContext(ctx, "debootstrap", "--variant=minbase", o.Suite, root, o.Mirror)
	if out, err := cmd.CombinedOutput(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &EnvError{Msg: "debootstrap failed", Err: fmt.Errorf("%w\n%s", err, lastLines(string(out), 15)), Fix: "check that " + o.Mirror + " is reachable"}
	}
	// Match the official slim image: updates and security suites, no apt lists left behind.
	sources := fmt.Sprintf("deb %[1]s %[2]s main\ndeb %[1]s %[2]s-updates main\ndeb %[3]s %[2]s-security main\n",
		o.Mirror, o.Suite, strings.Replace(strings.TrimSuffix(o.Mirror, "/"), "/debian", "/debian-security", 1))
	_ = os.WriteFile(filepath.Join(root, "etc/apt/sources.list"), []byte(sources), 0o644)
	_ = os.RemoveAll(filepath.Join(root, "var/lib/apt/lists"))
	_ = os.MkdirAll(filepath.Join(root, "var/lib/apt/lists/partial"), 0o755)
	_ = os.RemoveAll(filepath.Join(root, "var/cache/apt/archives"))
	_ = os.MkdirAll(filepath.Join(root, "var/cache/apt/archives/partial"), 0o755)
	for name, text := range slimConfig {
		_ = os.WriteFile(filepath.Join(root, name), []byte(text), 0o644)
	}

	fmt.Fprintf(o.Progress, "importing as %s …\n", o.Tag)
	tarCmd := exec.CommandContext(ctx, "tar", "-C", root, "--numeric-owner", "-c", ".")
	stream, err := tarCmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := tarCmd.Start(); err != nil {
		return &EnvError{Msg: "cannot run tar", Err: err}
	}
	res, err := r.docker.ImageImport(ctx, client.ImageImportSource{Source: stream, SourceName: "-"}, o.Tag,
		client.ImageImportOptions{Changes: []string{`CMD ["bash"]`}})
	if err != nil {
		_ = tarCmd.Wait()
		return &EnvError{Msg: "docker import failed", Err: err}
	}
	_, _ = io.Copy(io.Discard, res)
	_ = res.Close()
	if err := tarCmd.Wait(); err != nil {
		return &EnvError{Msg: "tar of the root file system failed", Err: err}
	}
	fmt.Fprintf(o.Progress, "base image %s is ready\n", o.Tag)
	return nil
}

// hostDebianMirror reads the first Debian mirror from the host's apt sources
// (deb822 "URIs:" lines or one-line "deb URI suite" entries).
func hostDebianMirror() string {
	for _, f := range []string{"/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"} {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 2 && (fields[0] == "URIs:" || fields[0] == "deb") && strings.HasSuffix(fields[1], "/debian") {
				return fields[1]
			}
		}
	}
	return "http://deb.debian.org/debian"
}

// slimConfig is the apt and dpkg configuration of the official Debian images
// (debuerreotype's): no fsync per unpacked file, no translations, no package
// cache left in a layer. Every lab image builds on it, so it is paid once here.
var slimConfig = map[string]string{
	"etc/dpkg/dpkg.cfg.d/docker-apt-speedup": "force-unsafe-io\n",
	"etc/apt/apt.conf.d/docker-no-languages": "Acquire::Languages \"none\";\n",
	"etc/apt/apt.conf.d/docker-clean": `DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
`,
}
