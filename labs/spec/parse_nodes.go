package spec

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"

	"github.com/opslab/opslab/grader"
)

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (p *labParser) nodes(n *yaml.Node, field string) []Node {
	var out []Node
	seen := map[string]bool{}
	p.List(n, field, func(_ int, item *yaml.Node, ip string) {
		node := p.node(item, ip)
		if node.Name != "" {
			if seen[node.Name] {
				p.Errorf(item, ip+".name", "node %q is defined twice", node.Name)
			}
			seen[node.Name] = true
		}
		out = append(out, node)
	})
	if n != nil && n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		p.Errorf(n, field, "a lab needs at least one node")
	}
	return out
}

func (p *labParser) node(n *yaml.Node, field string) Node {
	node := Node{Line: n.Line}
	var builds []string
	keys := p.Fields(n, field, map[string]yamlspec.FieldFunc{
		"name":  func(v *yaml.Node, f string) { p.Str(v, f, &node.Name) },
		"build": func(v *yaml.Node, f string) { p.Strs(v, f, &builds) },
		"command": func(v *yaml.Node, f string) {
			if v != nil && v.Kind == yaml.ScalarNode {
				node.Command = []string{"sh", "-c", v.Value} // a string is a shell line
				return
			}
			p.Strs(v, f, &node.Command)
			if len(node.Command) == 0 {
				p.Errorf(v, f, "must not be empty")
			}
		},
		"ports": func(v *yaml.Node, f string) {
			p.List(v, f, func(_ int, item *yaml.Node, pf string) {
				if port, ok := p.port(item, pf); ok {
					node.Ports = append(node.Ports, port)
				}
			})
		},
		"env": func(v *yaml.Node, f string) {
			p.StringMap(v, f, &node.Env)
			for _, k := range sortedKeys(node.Env) {
				if !envNameRE.MatchString(k) {
					p.Errorf(v, yamlspec.JoinPath(f, k), "%q is not a valid environment variable name", k)
				}
			}
		},
		"workspace": func(v *yaml.Node, f string) {
			p.Str(v, f, &node.Workspace)
			if node.Workspace != "" && !path.IsAbs(node.Workspace) {
				p.Errorf(v, f, "expected an absolute path in the container, got %q", node.Workspace)
			}
		},
		"mounts": func(v *yaml.Node, f string) {
			p.List(v, f, func(_ int, item *yaml.Node, mf string) {
				node.Mounts = append(node.Mounts, p.mount(item, mf))
			})
		},
		"wait": func(v *yaml.Node, f string) { node.Wait = p.wait(v, f) },
		"tools": func(v *yaml.Node, f string) {
			p.Strs(v, f, &node.Tools)
			for i, t := range node.Tools {
				if _, ok := Tools[t]; !ok {
					p.Errorf(v, fmt.Sprintf("%s[%d]", f, i), "unknown tool %q (known: %s)", t, strings.Join(KnownTools(), ", "))
				}
			}
		},
		"cap_add": func(v *yaml.Node, f string) {
			var caps []string
			p.Strs(v, f, &caps)
			for i, c := range caps {
				at, cf := v, f // one name: the scalar itself
				if v.Kind == yaml.SequenceNode {
					at, cf = v.Content[i], fmt.Sprintf("%s[%d]", f, i)
				}
				if at.Kind != yaml.ScalarNode {
					continue // Strs said what is wrong with it
				}
				name, ok := capability(c)
				switch {
				case name == "ALL":
					p.Errorf(at, cf, "ALL is not allowed: name the capabilities the node needs, or say privileged: true")
				case !ok:
					p.Errorf(at, cf, "unknown Linux capability %q (known: %s)", c, strings.Join(Capabilities, ", "))
				case slices.Contains(node.CapAdd, name):
					p.Errorf(at, cf, "%s is listed twice", name)
				default:
					node.CapAdd = append(node.CapAdd, name)
				}
			}
		},
		"privileged": func(v *yaml.Node, f string) { p.Bool(v, f, &node.Privileged) },
	})
	p.Required(n, field, keys, "name", "build")
	if node.Privileged && keys["cap_add"] != nil {
		p.Errorf(keys["cap_add"], field+".cap_add", "a privileged node has every capability already: drop cap_add, or privileged")
	}
	switch k := keys["name"]; {
	case k == nil:
	case !nameRE.MatchString(node.Name):
		p.Errorf(k, field+".name", "%q is not a valid node name: use lowercase letters, digits and -", node.Name)
	case node.Name == grader.WorkspaceNode:
		p.Errorf(k, field+".name", "%q is reserved: checks use it for the learner's workspace", node.Name)
	}
	if k := keys["build"]; k != nil {
		node.Build = strings.Join(builds, " + ")
		node.Context = p.buildDirs(k, field+".build", builds)
	}
	return node
}

// buildDirs resolves the node's image folders; together they need a Dockerfile.
func (p *labParser) buildDirs(k *yaml.Node, field string, builds []string) []ImageDir {
	if len(builds) == 0 {
		p.Errorf(k, field, "expected a folder like images/web, or a list of folders")
		return nil
	}
	var dirs []ImageDir
	for i, b := range builds {
		f := field
		if len(builds) > 1 {
			f = fmt.Sprintf("%s[%d]", field, i)
		}
		d, err := resolveBuild(p.dir.FS, p.dir.Shared, p.dir.Source, p.dir.SharedSource, b)
		if err != nil {
			p.Errorf(k, f, "%v", err)
			continue
		}
		dirs = append(dirs, d)
	}
	if len(dirs) == len(builds) && !hasDockerfile(dirs) {
		p.Errorf(k, field, "%s has no Dockerfile", strings.Join(builds, " + "))
	}
	return dirs
}

func (p *labParser) mount(n *yaml.Node, field string) Mount {
	var m Mount
	keys := p.Fields(n, field, map[string]yamlspec.FieldFunc{
		"workspace": func(v *yaml.Node, f string) { p.Str(v, f, &m.Workspace) },
		"target":    func(v *yaml.Node, f string) { p.Str(v, f, &m.Target) },
		"readonly":  func(v *yaml.Node, f string) { p.Bool(v, f, &m.ReadOnly) },
	})
	p.Required(n, field, keys, "workspace", "target")
	if k := keys["workspace"]; k != nil {
		m.Workspace = strings.TrimSuffix(m.Workspace, "/")
		if m.Workspace == "" {
			m.Workspace = "."
		}
		if !fs.ValidPath(m.Workspace) {
			p.Errorf(k, field+".workspace", "expected a path inside the workspace (relative, no ..), got %q", m.Workspace)
		}
	}
	if k := keys["target"]; k != nil && !path.IsAbs(m.Target) {
		p.Errorf(k, field+".target", "expected an absolute path in the container, got %q", m.Target)
	}
	return m
}

func (p *labParser) wait(n *yaml.Node, field string) *Wait {
	w := &Wait{}
	keys := p.Fields(n, field, map[string]yamlspec.FieldFunc{
		"port": func(v *yaml.Node, f string) {
			if p.Int(v, f, "a port number", &w.Port) && (w.Port < 1 || w.Port > 65535) {
				p.Errorf(v, f, "port %d is out of range 1-65535", w.Port)
			}
		},
		"http":    func(v *yaml.Node, f string) { p.Str(v, f, &w.HTTP) },
		"log":     func(v *yaml.Node, f string) { p.Str(v, f, &w.Log) },
		"command": func(v *yaml.Node, f string) { p.Str(v, f, &w.Command) },
		"timeout": func(v *yaml.Node, f string) {
			p.Str(v, f, &w.Timeout)
			if d, err := time.ParseDuration(w.Timeout); err != nil || d <= 0 {
				p.Errorf(v, f, "expected a positive duration like \"30s\" or \"2m\", got %q", w.Timeout)
			}
		},
	})
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	if w.HTTP != "" && !strings.HasPrefix(w.HTTP, "/") {
		p.Errorf(keys["http"], field+".http", "expected a path starting with /, got %q", w.HTTP)
	}
	if w.HTTP != "" && keys["port"] == nil {
		p.Errorf(keys["http"], field+".http", "needs a port to send the request to (add port:)")
	}
	if w.Port == 0 && w.HTTP == "" && w.Log == "" && w.Command == "" {
		p.Errorf(n, field, "say what ready means: one or more of port, http, log, command")
	}
	if w.Timeout == "" {
		w.Timeout = "60s"
	}
	return w
}
