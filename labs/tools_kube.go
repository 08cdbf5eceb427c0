package labs

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/opslab/opslab/labs/spec"
)

// kubeMain is the multi-call main of the kube tool (see spec.RecipeKubernetes).
//
//go:embed kubebundle/main.go.txt
var kubeMain []byte

// kubeBuildEstimate is what a first build costs on 2 cores: measured 18m32s
// user + 7m21s system CPU (go mod download: 7 s); a relink with Go's build
// cache warm takes under a minute.
const kubeBuildEstimate = 13 * time.Minute

// buildKubernetes builds Kubernetes t.Version as one multi-call binary: a
// scratch module requires k8s.io/kubernetes, pins its staging modules to the
// matching v0.x releases (k8s.io/kubernetes points them at ./staging, which a
// module download does not serve), and builds kubebundle/main.go.txt.
func buildKubernetes(ctx context.Context, goBin, name string, t spec.Tool, arch, out string, progressf func(string, ...any)) error {
	progressf("building Kubernetes %s for linux/%s with Go: once, usually 10–15 minutes on 2 cores (cached in %s) …", t.Version, arch, filepath.Dir(out))
	dir, err := goModDownload(ctx, goBin, t.Module+"@"+t.Version)
	if err != nil {
		return err
	}
	upstream, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return &EnvError{Msg: "cannot read the go.mod of " + t.Module, Err: err}
	}
	gomod, err := kubeGoMod(t.Module, t.Version, upstream)
	if err != nil {
		return &EnvError{Msg: "cannot build " + name, Err: err}
	}
	work, err := os.MkdirTemp("", "opslab-kube-")
	if err != nil {
		return &EnvError{Msg: "cannot create a scratch module for " + name, Err: err}
	}
	defer os.RemoveAll(work)
	if err := os.WriteFile(filepath.Join(work, "go.mod"), gomod, 0o644); err != nil {
		return &EnvError{Msg: "cannot write the scratch module", Err: err}
	}
	if err := os.WriteFile(filepath.Join(work, "main.go"), kubeMain, 0o644); err != nil {
		return &EnvError{Msg: "cannot write the scratch module", Err: err}
	}
	done := make(chan struct{})
	defer close(done)
	go func() { // a build this long says it is alive
		start := time.Now()
		tick := time.NewTicker(30 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				progressf("  still building Kubernetes: %s of about %s …", time.Since(start).Round(time.Second), kubeBuildEstimate)
			}
		}
	}()
	return goBuild(ctx, goBin, work, arch, out, ".", name, kubeVersionFlags(t.Version))
}

// kubeVersionFlags stamps the version the way Kubernetes' own build does, so
// the node, `kubectl version` and the API server report v1.33.13, not v0.0.0.
func kubeVersionFlags(version string) string {
	major, minor, _ := strings.Cut(strings.TrimPrefix(version, "v"), ".")
	minor, _, _ = strings.Cut(minor, ".")
	var flags []string
	for _, pkg := range []string{"k8s.io/component-base/version", "k8s.io/client-go/pkg/version"} {
		flags = append(flags, "-X "+pkg+".gitVersion="+version, "-X "+pkg+".gitMajor="+major,
			"-X "+pkg+".gitMinor="+minor, "-X "+pkg+".gitTreeState=clean")
	}
	return strings.Join(flags, " ")
}

// kubeGoMod writes the scratch module's go.mod: it requires module@version and
// replaces each module k8s.io/kubernetes's own go.mod points at ./staging/…
// with that module at v0.MINOR.PATCH (v1.33.13 → v0.33.13).
func kubeGoMod(module, version string, upstream []byte) ([]byte, error) {
	staging := "v0." + strings.TrimPrefix(version, "v1.")
	if staging == "v0."+version {
		return nil, fmt.Errorf("%s %s: expected a v1.x version", module, version)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "module opslab.local/kube\n\ngo 1.24.0\n\nrequire %s %s\n\nreplace (\n", module, version)
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(upstream))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[1] == "=>" && strings.HasPrefix(f[2], "./staging/") {
			fmt.Fprintf(&b, "\t%s => %s %s\n", f[0], f[0], staging)
			n++
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("%s %s: its go.mod replaces no staging modules; this recipe does not know how to build it", module, version)
	}
	b.WriteString(")\n")
	return b.Bytes(), nil
}
