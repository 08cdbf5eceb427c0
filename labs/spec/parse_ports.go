package spec

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// port decodes "8080:80", "80", "8080:80/udp", 80 or
// {container: 80, host: 8080, name: web, protocol: tcp}.
func (p *labParser) port(n *yaml.Node, field string) (Port, bool) {
	var pt Port
	ok := true
	switch {
	case n != nil && n.Kind == yaml.ScalarNode:
		pt, ok = parsePortString(n.Value)
		if !ok {
			p.Errorf(n, field, `expected "HOST:CONTAINER" or a port number, got %q`, n.Value)
			return pt, false
		}
	case n != nil && n.Kind == yaml.MappingNode:
		keys := p.Fields(n, field, map[string]yamlspec.FieldFunc{
			"container": func(v *yaml.Node, f string) { ok = p.Int(v, f, "a port number", &pt.Container) && ok },
			"host": func(v *yaml.Node, f string) {
				ok = p.Int(v, f, "a port number (0 = any free port)", &pt.Host) && ok
			},
			"name":     func(v *yaml.Node, f string) { p.Str(v, f, &pt.Name) },
			"protocol": func(v *yaml.Node, f string) { p.Str(v, f, &pt.Protocol) },
		})
		p.Required(n, field, keys, "container")
		if !ok || keys["container"] == nil {
			return pt, false
		}
	default:
		p.Errorf(n, field, `expected "HOST:CONTAINER", a port number or {container: PORT, ...}, got %s`, yamlspec.Describe(n))
		return pt, false
	}
	if pt.Protocol == "" {
		pt.Protocol = "tcp"
	}
	switch {
	case pt.Protocol != "tcp" && pt.Protocol != "udp":
		p.Errorf(n, field, "protocol must be tcp or udp, got %q", pt.Protocol)
		return pt, false
	case pt.Container < 1 || pt.Container > 65535:
		p.Errorf(n, field, "container port %d is out of range 1-65535", pt.Container)
		return pt, false
	case pt.Host < 0 || pt.Host > 65535:
		p.Errorf(n, field, "host port %d is out of range 1-65535 (or 0 for any free port)", pt.Host)
		return pt, false
	}
	if pt.Host != 0 {
		key := fmt.Sprintf("%d/%s", pt.Host, pt.Protocol)
		if prev, dup := p.hostPorts[key]; dup {
			p.Errorf(n, field, "host port %s is already published by %s", key, prev)
			return pt, false
		}
		if p.hostPorts == nil {
			p.hostPorts = map[string]string{}
		}
		p.hostPorts[key] = field
	}
	return pt, true
}

// parsePortString reads "80", "8080:80" and either with "/udp" or "/tcp";
// range checks come after, so "70000" reads fine here and fails there.
func parsePortString(s string) (Port, bool) {
	var pt Port
	s, proto, hasProto := strings.Cut(strings.TrimSpace(s), "/")
	if hasProto {
		pt.Protocol = proto
	}
	host, ctr, hasHost := strings.Cut(s, ":")
	if !hasHost {
		host, ctr = "", host
	}
	var err error
	if pt.Container, err = strconv.Atoi(ctr); err != nil {
		return pt, false
	}
	if hasHost {
		if pt.Host, err = strconv.Atoi(host); err != nil {
			return pt, false
		}
	}
	return pt, true
}
