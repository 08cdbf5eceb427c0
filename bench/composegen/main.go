// composegen writes a Docker Compose file that runs a running lab's nodes
// again, as Compose would: the same images, env, command, mounts, ports and
// readiness probes (as healthchecks). bench/start_stop.sh times
// `docker compose up -d --wait` of it against `opslab start` of the lab.
//
//	go run ./bench/composegen LAB SESSION > compose.yaml
//
// Setup steps have no Compose equivalent and are left out: the benchmark
// counts them apart (OPSLAB_TRACE=1 prints them as their own phase).
package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/opslab/opslab/content"
	"github.com/opslab/opslab/labs"
	"github.com/opslab/opslab/labs/spec"
)

type inspected struct {
	Config struct {
		Image  string
		Env    []string
		Cmd    []string
		Labels map[string]string
	}
	HostConfig struct {
		Binds []string
	}
}

type service struct {
	Image       string            `yaml:"image"`
	Init        bool              `yaml:"init"`
	Hostname    string            `yaml:"hostname"`
	Command     []string          `yaml:"command,omitempty"`
	Environment []string          `yaml:"environment,omitempty"`
	Ports       []string          `yaml:"ports,omitempty"`
	Volumes     []string          `yaml:"volumes,omitempty"`
	Healthcheck *healthcheck      `yaml:"healthcheck,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
}

// Engine 20.10 has no start_interval: poll every 300 ms from the start.
type healthcheck struct {
	Test     []string `yaml:"test"`
	Interval string   `yaml:"interval"`
	Timeout  string   `yaml:"timeout"`
	Retries  int      `yaml:"retries"`
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "composegen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: composegen LAB SESSION")
	}
	labID, session := args[0], args[1]
	out, err := exec.Command("docker", "ps", "-q", "--filter", "label="+labs.LabelLab+"="+labID,
		"--filter", "label="+labs.LabelSession+"="+session).Output()
	if err != nil {
		return fmt.Errorf("docker ps: %w", err)
	}
	ids := strings.Fields(string(out))
	if len(ids) == 0 {
		return fmt.Errorf("lab %s of session %s is not running: start it first", labID, session)
	}
	raw, err := exec.Command("docker", append([]string{"inspect"}, ids...)...).Output()
	if err != nil {
		return fmt.Errorf("docker inspect: %w", err)
	}
	var containers []inspected
	if err := json.Unmarshal(raw, &containers); err != nil {
		return err
	}
	byNode := map[string]inspected{}
	var params map[string]string
	for _, c := range containers {
		byNode[c.Config.Labels[labs.LabelNode]] = c
		_ = json.Unmarshal([]byte(c.Config.Labels[labs.LabelParams]), &params)
	}
	cat, err := spec.LoadCatalog(content.FS, content.Source)
	if err != nil {
		return err
	}
	lab, err := cat.Load(labID, params)
	if err != nil {
		return err
	}
	services := map[string]service{}
	for _, n := range lab.Nodes {
		c, ok := byNode[n.Name]
		if !ok {
			return fmt.Errorf("node %s is not running", n.Name)
		}
		s := service{Image: c.Config.Image, Init: true, Hostname: n.Name, Environment: c.Config.Env,
			Volumes: c.HostConfig.Binds, Labels: map[string]string{"opslab.bench": "compose"}}
		if len(n.Command) > 0 {
			s.Command = c.Config.Cmd
		}
		for _, p := range n.Ports {
			s.Ports = append(s.Ports, fmt.Sprintf("%d/%s", p.Container, cmp.Or(p.Protocol, "tcp")))
		}
		if probe := labs.ReadinessProbe(n.Wait); probe != "" {
			s.Healthcheck = &healthcheck{Test: []string{"CMD-SHELL", probe}, Interval: "300ms", Timeout: "5s", Retries: 200}
		}
		services[n.Name] = s
	}
	return yaml.NewEncoder(os.Stdout).Encode(map[string]any{"services": services})
}
