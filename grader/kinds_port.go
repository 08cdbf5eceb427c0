package grader

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// PortCheck asks whether something listens on a TCP port in a node. It reads
// /proc/net/tcp{,6} because slim images have neither ss nor netstat.
type PortCheck struct {
	Node      string
	Port      int
	Listening bool // default true

	NodeLine int
}

func (c *PortCheck) Kind() string { return "port" }
func (c *PortCheck) Nodes() []NodeRef {
	return []NodeRef{{Name: c.Node, Field: "node", Line: c.NodeLine, Container: true}}
}

func parsePort(w *walker, n *yaml.Node, path string) CheckSpec {
	c := &PortCheck{Listening: true, NodeLine: n.Line}
	portOK := false
	seen := w.Fields(n, path, map[string]yamlspec.FieldFunc{
		"node":      func(v *yaml.Node, p string) { w.Str(v, p, &c.Node); c.NodeLine = v.Line },
		"port":      func(v *yaml.Node, p string) { portOK = w.Int(v, p, "a TCP port (1-65535)", &c.Port) },
		"listening": func(v *yaml.Node, p string) { w.Bool(v, p, &c.Listening) },
	})
	w.Required(n, path, seen, "node", "port")
	if portOK && (c.Port < 1 || c.Port > 65535) {
		w.Errorf(seen["port"], yamlspec.JoinPath(path, "port"), "expected a TCP port (1-65535), got %d", c.Port)
	}
	return c
}

var procNetTCP = []string{"sh", "-c", "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; true"}

func (c *PortCheck) probe(ctx context.Context, e *env) (verdict, error) {
	res, err := e.t.Exec(ctx, c.Node, procNetTCP, DefaultAttemptTimeout)
	if err != nil {
		return verdict{}, err
	}
	ports := listeningPorts(res.Stdout)
	_, listening := ports[c.Port]
	var a assertions
	want := map[bool]string{true: "to be listening", false: "not to be listening"}[c.Listening]
	a.record(fmt.Sprintf("port %d on %s", c.Port, c.Node), want, missing("listening: "+portList(ports)), listening == c.Listening)
	return a.verdict(), nil
}

// listeningPorts parses /proc/net/tcp lines: "sl local rem st ...", with
// local as HEXIP:HEXPORT and st 0A meaning LISTEN.
func listeningPorts(procNet string) map[int]bool {
	ports := map[int]bool{}
	for _, line := range strings.Split(procNet, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || f[3] != "0A" {
			continue
		}
		i := strings.LastIndexByte(f[1], ':')
		if i < 0 {
			continue
		}
		if p, err := strconv.ParseUint(f[1][i+1:], 16, 16); err == nil {
			ports[int(p)] = true
		}
	}
	return ports
}

func portList(ports map[int]bool) string {
	if len(ports) == 0 {
		return "none"
	}
	l := make([]int, 0, len(ports))
	for p := range ports {
		l = append(l, p)
	}
	sort.Ints(l)
	s := make([]string, len(l))
	for i, p := range l {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ", ")
}
