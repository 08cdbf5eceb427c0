package spec

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/opslab/opslab/internal/yamlspec"
	"github.com/opslab/opslab/labs/spec/spectest"

	"github.com/opslab/opslab/grader"
)

func TestParseLabGood(t *testing.T) {
	lab, err := ParseLab(spectest.LabFS(spectest.GoodLab), "content/lb-basics", map[string]string{"broken": "app2"})
	if err != nil {
		t.Fatal(err)
	}
	if lab.ID != "lb-basics" || lab.Track != "incident" || lab.Level != "beginner" || lab.Minutes != 30 || lab.Version != "1" {
		t.Errorf("header: %+v", lab)
	}
	if got := lab.Values; got["backend_port"] != "8000" || got["broken"] != "app2" {
		t.Errorf("values = %v", got)
	}
	if len(lab.Nodes) != 3 {
		t.Fatalf("nodes = %d", len(lab.Nodes))
	}
	lb, app1 := lab.Nodes[0], lab.Nodes[1]
	wantPorts := []Port{{Container: 80, Host: 8080, Protocol: "tcp"}, {Container: 9090, Name: "web", Protocol: "tcp"}, {Container: 53, Protocol: "udp"}}
	if !slices.Equal(lb.Ports, wantPorts) {
		t.Errorf("ports = %+v", lb.Ports)
	}
	if lb.Wait == nil || lb.Wait.Port != 80 || lb.Wait.HTTP != "/healthz" || lb.Wait.Timeout != "30s" {
		t.Errorf("wait = %+v", lb.Wait)
	}
	if app1.Wait == nil || app1.Wait.Timeout != "60s" {
		t.Errorf("default wait timeout: %+v", app1.Wait)
	}
	if len(lb.Mounts) != 1 || lb.Mounts[0] != (Mount{Workspace: "conf", Target: "/etc/nginx/conf.d", ReadOnly: true}) {
		t.Errorf("mounts = %+v", lb.Mounts)
	}
	if want := []string{"sh", "-c", "gunicorn --bind 0.0.0.0:8000 app:app"}; !slices.Equal(app1.Command, want) {
		t.Errorf("string command = %q", app1.Command)
	}
	if app1.Env["PORT"] != "8000" || app1.Env["BROKEN"] != "app2" {
		t.Errorf("env = %v", app1.Env)
	}
	if len(lab.Setup) != 1 || lab.Setup[0].Line != 32 || len(lab.Solve) != 1 {
		t.Errorf("steps: setup %+v solve %+v", lab.Setup, lab.Solve)
	}
	if len(lab.Tasks) != 1 || lab.Pass.Threshold != 0.8 {
		t.Errorf("tasks %d, pass %+v", len(lab.Tasks), lab.Pass)
	}
	cmd := lab.Tasks[0].Checks[0].Spec.(*grader.CommandCheck)
	if want := "docker inspect -f '{{.State.Status}}' x"; cmd.Run[2] != want {
		t.Errorf("literal escape: %q, want %q", cmd.Run[2], want)
	}
	if len(lab.Digest) != 64 || lab.Source != "content/lb-basics" || lab.FS == nil {
		t.Errorf("digest %q source %q", lab.Digest, lab.Source)
	}
}

// Every track id is a lab's track, the ones that have no lab yet too.
func TestParseLabTracks(t *testing.T) {
	for _, track := range []string{"cicd", "iac", "monitoring", "incident", "chaos", "logging", "automation", "containers"} {
		lab, err := ParseLab(spectest.LabFS(edit(t, "track: incident", "track: "+track)), "content/lb-basics", nil)
		if err != nil {
			t.Errorf("track %s: %v", track, err)
			continue
		}
		if lab.Track != track {
			t.Errorf("track = %q, want %q", lab.Track, track)
		}
	}
	if !slices.Contains(Tracks, "containers") || len(Tracks) != 8 {
		t.Errorf("Tracks = %q", Tracks)
	}
}

// cap_add takes Docker's capability names in any case, with or without CAP_;
// privileged is a plain boolean. Both are in the parsed node, and ExtraRights
// says them the way `opslab show` prints them.
func TestParseLabNodeRights(t *testing.T) {
	y := edit(t, "    workspace: /workspace\n", "    workspace: /workspace\n    cap_add: [net_admin, CAP_NET_RAW]\n")
	y = strings.Replace(y, "  - name: app2\n    build: images/app\n", "  - name: app2\n    build: images/app\n    privileged: true\n", 1)
	lab, err := ParseLab(spectest.LabFS(y), "content/lb-basics", nil)
	if err != nil {
		t.Fatal(err)
	}
	lb, app1, app2 := lab.Nodes[0], lab.Nodes[1], lab.Nodes[2]
	if !slices.Equal(lb.CapAdd, []string{"NET_ADMIN", "NET_RAW"}) || lb.Privileged {
		t.Errorf("lb: cap_add %q privileged %v", lb.CapAdd, lb.Privileged)
	}
	if !app2.Privileged || app2.CapAdd != nil {
		t.Errorf("app2: cap_add %q privileged %v", app2.CapAdd, app2.Privileged)
	}
	for n, want := range map[*Node]string{&lb: "cap_add NET_ADMIN, NET_RAW", &app1: "", &app2: "privileged"} {
		if got := n.ExtraRights(); got != want {
			t.Errorf("%s: ExtraRights() = %q, want %q", n.Name, got, want)
		}
	}
	one, err := ParseLab(spectest.LabFS(edit(t, "    workspace: /workspace\n", "    workspace: /workspace\n    cap_add: SYS_PTRACE\n")), "content/lb-basics", nil)
	if err != nil || !slices.Equal(one.Nodes[0].CapAdd, []string{"SYS_PTRACE"}) {
		t.Errorf("one name as a string: %v %v", err, one)
	}
}

func TestParseLabRandomChoice(t *testing.T) {
	seen := map[string]bool{}
	for range 64 {
		lab, err := ParseLab(spectest.LabFS(spectest.GoodLab), "x", nil)
		if err != nil {
			t.Fatal(err)
		}
		seen[lab.Values["broken"]] = true
		if lab.Nodes[1].Env["BROKEN"] != lab.Values["broken"] {
			t.Fatalf("env %q, value %q", lab.Nodes[1].Env["BROKEN"], lab.Values["broken"])
		}
	}
	if !seen["app1"] || !seen["app2"] || len(seen) != 2 {
		t.Errorf("picks = %v, want both choices over 64 starts", seen)
	}
}

// Every problem in a file, as authors read it.
func TestParseLabErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml func(t *testing.T) string
	}{
		{"invalid-yaml", func(t *testing.T) string { return edit(t, "minutes: 30", "minutes: [30") }},
		{"not-a-mapping", func(*testing.T) string { return "- just\n- a list\n" }},
		{"empty", func(*testing.T) string { return "" }},
		{"unknown-field", func(t *testing.T) string { return edit(t, "    workspace: /workspace", "    workdir: /workspace") }},
		{"missing-dockerfile-dir", func(t *testing.T) string { return edit(t, "build: images/lb", "build: images/nginx") }},
		{"dir-without-dockerfile", func(t *testing.T) string { return edit(t, "build: images/lb", "build: workspace") }},
		{"duplicate-node", func(t *testing.T) string { return edit(t, "name: app2", "name: app1") }},
		{"bad-port", func(t *testing.T) string { return edit(t, `"8080:80"`, `"80:abc"`) }},
		{"port-out-of-range", func(t *testing.T) string { return edit(t, "container: 9090, host: 0", "container: 90900, host: 0") }},
		{"duplicate-host-port", func(t *testing.T) string { return edit(t, "host: 0, name: web", "host: 8080, name: web") }},
		{"unknown-param-reference", func(t *testing.T) string { return edit(t, "{{ .backend_port }} app:app", "{{ .backend }} app:app") }},
		{"bad-template", func(t *testing.T) string { return edit(t, "{{ .backend_port }} app:app", "{{ backend_port }} app:app") }},
		{"bad-track", func(t *testing.T) string { return edit(t, "track: incident", "track: security") }},
		{"bad-header", func(t *testing.T) string {
			s := edit(t, "id: lb-basics", "id: LB_basics")
			s = strings.Replace(s, "level: beginner", "level: expert", 1)
			return strings.Replace(s, "minutes: 30", "minutes: 0", 1)
		}},
		{"missing-fields", func(*testing.T) string { return "id: x\nnodes: []\n" }},
		{"bad-wait", func(t *testing.T) string {
			return edit(t, "{port: 80, http: /healthz, timeout: 30s}", "{http: healthz, timeout: soon}")
		}},
		{"unknown-step-node", func(t *testing.T) string {
			return edit(t, "{node: lb, run: \"nginx -s reload\"}", "{node: nginx, run: \"nginx -s reload\"}")
		}},
		{"bad-mount", func(t *testing.T) string {
			return edit(t, "{workspace: conf, target: /etc/nginx/conf.d", "{workspace: ../conf, target: etc/nginx")
		}},
		{"bad-params", func(t *testing.T) string {
			return edit(t, "  - name: broken\n    choices: [app1, app2]", "  - name: broken\n    choices: [app1, app2]\n    default: app3\n  - name: backend_port")
		}},
		{"task-unknown-node", func(t *testing.T) string { return edit(t, "command: {node: lb,", "command: {node: db,") }},
		{"bad-cap-add", func(t *testing.T) string {
			return edit(t, "    workspace: /workspace\n", "    workspace: /workspace\n    cap_add:\n      - NET_ADMIN\n      - NET_ADMINS\n      - ALL\n      - cap_net_admin\n")
		}},
		{"bad-privileged", func(t *testing.T) string {
			return edit(t, "    workspace: /workspace\n", "    workspace: /workspace\n    privileged: yes please\n")
		}},
		{"privileged-and-cap-add", func(t *testing.T) string {
			return edit(t, "    workspace: /workspace\n", "    workspace: /workspace\n    privileged: true\n    cap_add: [NET_ADMIN]\n")
		}},
		{"reserved-node-name", func(t *testing.T) string { return edit(t, "name: app2", "name: workspace") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLab(spectest.LabFS(tc.yaml(t)), "content/lb-basics", nil)
			var errs yamlspec.SpecErrors
			if !errors.As(err, &errs) {
				t.Fatalf("err = %v (%T), want yamlspec.SpecErrors", err, err)
			}
			for _, e := range errs {
				if e.File != "content/lb-basics/lab.yaml" {
					t.Errorf("file = %q", e.File)
				}
			}
			golden(t, "parse/"+tc.name, err.Error()+"\n")
		})
	}
}

// Overrides are the user's input: a *UsageError, not a problem in the file.
func TestParseLabOverrides(t *testing.T) {
	tests := []struct {
		name      string
		overrides map[string]string
		want      string
	}{
		{"unknown", map[string]string{"port": "1"}, "unknown param port (the lab has: backend_port, broken)"},
		{"not-a-choice", map[string]string{"broken": "app3"}, `param broken: "app3" is not one of app1, app2`},
		{"multi-line", map[string]string{"backend_port": "1\n2"}, "param backend_port: the value must be one line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLab(spectest.LabFS(spectest.GoodLab), "content/lb-basics", tc.overrides)
			var ue *UsageError
			if !errors.As(err, &ue) || err.Error() != tc.want {
				t.Errorf("err = %v (%T), want UsageError %q", err, err, tc.want)
			}
		})
	}
}

func TestParseLabNoParams(t *testing.T) {
	_, err := ParseLab(spectest.LabFS("id: x\n"), "x", map[string]string{"a": "1"})
	if err == nil || err.Error() != "unknown param a (the lab has no params)" {
		t.Errorf("err = %v", err)
	}
}
