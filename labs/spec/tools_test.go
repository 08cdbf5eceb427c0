package spec

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/opslab/opslab/labs/spec/spectest"
)

// Every recipe can be built the way labs.BuildTool does: go mod download
// MODULE@VERSION, then go build PACKAGE inside the module (or a named Recipe).
func TestToolRecipes(t *testing.T) {
	semver := regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)
	for name, tool := range Tools {
		if !nameRE.MatchString(name) {
			t.Errorf("%s: not a name lab.yaml and a build context can use", name)
		}
		if tool.Module == "" || strings.Contains(tool.Module, "@") || !semver.MatchString(tool.Version) {
			t.Errorf("%s: module %q version %q", name, tool.Module, tool.Version)
		}
		if tool.Recipe != "" {
			if tool.Recipe != RecipeKubernetes || tool.Package != "" {
				t.Errorf("%s: recipe %q with package %q", name, tool.Recipe, tool.Package)
			}
			continue
		}
		if tool.Package != "." && !strings.HasPrefix(tool.Package, "./") {
			t.Errorf("%s: package %q is not relative to the module root", name, tool.Package)
		}
	}
	// The recipes issue 13's labs build on (chaos: toxiproxy; logging: VictoriaLogs).
	want := map[string]Tool{
		"toxiproxy-server": {Module: "github.com/Shopify/toxiproxy/v2", Version: "v2.5.0", Package: "./cmd/server"},
		"toxiproxy-cli":    {Module: "github.com/Shopify/toxiproxy/v2", Version: "v2.5.0", Package: "./cmd/cli"},
		"victoria-logs":    {Module: "github.com/VictoriaMetrics/VictoriaLogs", Version: "v1.52.2", Package: "./app/victoria-logs"},
	}
	for name, w := range want {
		if got, ok := Tools[name]; !ok || got != w {
			t.Errorf("Tools[%q] = %+v, want %+v", name, got, w)
		}
	}
	known := KnownTools()
	if !slices.IsSorted(known) || len(known) != len(Tools) {
		t.Errorf("KnownTools() = %q", known)
	}
}

// A node names tools under tools:, its image COPYs them from opslab-tools/NAME;
// LabTools is what `opslab images tools` builds for a catalog: each once.
func TestLabTools(t *testing.T) {
	y := edit(t, "    workspace: /workspace\n", "    workspace: /workspace\n    tools: [toxiproxy-server, toxiproxy-cli]\n")
	y = strings.Replace(y, "  - name: app2\n    build: images/app\n", "  - name: app2\n    build: images/app\n    tools: [victoria-logs, toxiproxy-cli]\n", 1)
	lab, err := ParseLab(spectest.LabFS(y), "content/lb-basics", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := lab.Nodes[0].Tools; !slices.Equal(got, []string{"toxiproxy-server", "toxiproxy-cli"}) {
		t.Errorf("node tools = %q", got)
	}
	plain, err := ParseLab(spectest.LabFS(spectest.GoodLab), "content/lb-basics", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := LabTools(lab, plain), []string{"toxiproxy-cli", "toxiproxy-server", "victoria-logs"}; !slices.Equal(got, want) {
		t.Errorf("LabTools = %q, want %q", got, want)
	}
	if got := LabTools(plain); got != nil {
		t.Errorf("a lab without tools needs %q", got)
	}
	_, err = ParseLab(spectest.LabFS(edit(t, "    workspace: /workspace\n", "    workspace: /workspace\n    tools: [toxiproxy]\n")), "content/lb-basics", nil)
	if err == nil || !strings.Contains(err.Error(), `unknown tool "toxiproxy"`) || !strings.Contains(err.Error(), "toxiproxy-cli, toxiproxy-server, victoria-logs") {
		t.Errorf("unknown tool: %v", err)
	}
}
