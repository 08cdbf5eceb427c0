package spec

import "sort"

// Tool is a tool lab images need that is written in Go. Such tools cannot be built
// inside `docker build` where containers cannot reach the Go module proxy, and
// prebuilt binaries cannot be downloaded offline, so opslab builds them on the host
// with the host's Go toolchain (a learner who installed opslab with Go has one),
// caches them, and puts them into the build context as opslab-tools/<name>.
type Tool struct {
	Module  string // module path
	Version string
	Package string // package to build, relative to the module root
}

// Tools are the tools a lab.yaml node may name under `tools:`.
var Tools = map[string]Tool{
	"act":                  {Module: "github.com/nektos/act", Version: "v0.2.89", Package: "."},
	"tofu":                 {Module: "github.com/opentofu/opentofu", Version: "v1.12.6", Package: "./cmd/tofu"},
	"tofu-provider-local":  {Module: "github.com/terraform-providers/terraform-provider-local", Version: "v1.4.1-0.20260513075820-3561e410f9fe", Package: "."},
	"tofu-provider-random": {Module: "github.com/terraform-providers/terraform-provider-random", Version: "v1.3.2-0.20260824155315-e1092b0cfc07", Package: "."},
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
