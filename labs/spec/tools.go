package spec

import (
	"slices"
	"sort"
)

// Tool is a tool lab images need that is written in Go. Such tools cannot be built
// inside `docker build` where containers cannot reach the Go module proxy, and
// prebuilt binaries cannot be downloaded offline, so opslab builds them on the host
// with the host's Go toolchain (a learner who installed opslab with Go has one),
// caches them, and puts them into the build context as opslab-tools/<name>.
type Tool struct {
	Module  string // module path
	Version string
	Package string // package to build, relative to the module root; "" for a Recipe
	// Recipe names a build that is more than `go build PACKAGE` inside the
	// module: RecipeKubernetes.
	Recipe string
}

// RecipeKubernetes builds k8s.io/kubernetes at Version into one multi-call
// binary (kube-apiserver, kubelet, kube-controller-manager, kube-scheduler,
// kube-proxy, kubectl and an embedded etcd), the way hyperkube was: its
// staging modules (k8s.io/api, …) are pinned to the matching v0.x release, which
// is what lets the Go module proxy serve it.
const RecipeKubernetes = "kubernetes"

// Tools are the tools a lab.yaml node may name under `tools:`.
var Tools = map[string]Tool{
	"act":                  {Module: "github.com/nektos/act", Version: "v0.2.89", Package: "."},
	"tofu":                 {Module: "github.com/opentofu/opentofu", Version: "v1.12.6", Package: "./cmd/tofu"},
	"tofu-provider-local":  {Module: "github.com/terraform-providers/terraform-provider-local", Version: "v1.4.1-0.20260513075820-3561e410f9fe", Package: "."},
	"tofu-provider-random": {Module: "github.com/terraform-providers/terraform-provider-random", Version: "v1.3.2-0.20260824155315-e1092b0cfc07", Package: "."},
	// Chaos: a TCP proxy whose HTTP API (port 8474) adds latency, resets,
	// timeouts and bandwidth limits; the server and its command-line client.
	"toxiproxy-server": {Module: "github.com/Shopify/toxiproxy/v2", Version: "v2.5.0", Package: "./cmd/server"},
	"toxiproxy-cli":    {Module: "github.com/Shopify/toxiproxy/v2", Version: "v2.5.0", Package: "./cmd/cli"},
	// Logging: a log store (HTTP on 9428) with LogsQL and a web UI; a line can
	// take seconds to become queryable, so checks poll.
	"victoria-logs": {Module: "github.com/VictoriaMetrics/VictoriaLogs", Version: "v1.52.2", Package: "./app/victoria-logs"},
	// Containers: Kubernetes for a one-node cluster in a lab node (the
	// kube-node image). Stays on 1.33: containerd 1.6 (Debian) and cgroup v1
	// hosts are what it still supports. About 26 CPU-minutes to build (10–15 minutes on 2 cores).
	"kube": {Module: "k8s.io/kubernetes", Version: "v1.33.13", Recipe: RecipeKubernetes},
}

// KnownTools lists the tool names lab.yaml may use.
func KnownTools() []string {
	names := make([]string, 0, len(Tools))
	for n := range Tools {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LabTools lists the tools the labs' nodes name (lab.yaml `tools:`), each
// once, sorted: what `opslab images tools` builds ahead of time for a catalog.
func LabTools(labs ...*Lab) []string {
	var names []string
	for _, lab := range labs {
		for _, n := range lab.Nodes {
			names = append(names, n.Tools...)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}
