package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/labs"
)

type statusOptions struct {
	Lab  string // "" = every lab of the session
	JSON bool
}

// statusLab and statusNode are `opslab status --json`: a contract for scripts.
type statusLab struct {
	Lab       string            `json:"lab"`
	Session   string            `json:"session"`
	Workspace string            `json:"workspace"`
	Params    map[string]string `json:"params"`
	Created   time.Time         `json:"created"`
	Nodes     []statusNode      `json:"nodes"`
}

type statusNode struct {
	Name      string       `json:"name"`
	Container string       `json:"container"`
	State     string       `json:"state"`
	Health    string       `json:"health"`
	Ports     []statusPort `json:"ports"`
}

type statusPort struct {
	Name      string `json:"name,omitempty"`
	Container int    `json:"container"`
	Host      int    `json:"host"`
	URL       string `json:"url,omitempty"`
}

func newStatusCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "status",
		Aliases:   []string{"ps"},
		Usage:     "show running labs: nodes, state, health, ports",
		ArgsUsage: "[LAB]",
		Description: "Lists the running labs of your session (or one lab) with each node's state,\n" +
			"health and published ports.\n\n" +
			"Example:\n  opslab status\n  opslab status lb-basics --json",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print a JSON array"}},
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 0, 1); err != nil {
				return err
			}
			return runStatus(c.Context, deps, statusOptions{Lab: c.Args().First(), JSON: c.Bool("json")})
		},
	}
}

func runStatus(ctx context.Context, deps *app, opts statusOptions) error {
	defer printClassStatus(deps, opts.JSON) // whether this learner reports to a class (class_status.go)
	rt, err := deps.runtime(ctx)
	if err != nil {
		return err
	}
	insts, err := rt.Status(ctx, opts.Lab)
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(deps.io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(statusJSON(insts))
	}
	if line := examStatusLine(deps); line != "" {
		fmt.Fprintln(deps.io.Out, line) // exam_status.go: the time left
	}
	if len(insts) == 0 {
		if opts.Lab != "" {
			fmt.Fprintf(deps.io.Out, "lab %s is not running (start it with `%s start %s`)\n", opts.Lab, deps.cmdPrefix(), opts.Lab)
		} else {
			fmt.Fprintf(deps.io.Out, "no labs are running (see `%s list`)\n", deps.cmdPrefix())
		}
		return nil
	}
	return printStatus(deps.io, insts)
}

func printStatus(streams *IO, insts []labs.Instance) error {
	cs := streams.OutColors()
	tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LAB\tNODE\tSTATE\tHEALTH\tPORTS")
	for _, in := range insts {
		for _, n := range in.Nodes {
			health := n.Health
			if health == "" {
				health = "-"
			}
			// Colour the last column only: escape codes would skew tabwriter's widths.
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", in.Lab, n.Name, n.State, health, portsText(cs, n))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, in := range insts {
		fmt.Fprintf(streams.Out, "\n%s workspace: %s\n", in.Lab, in.Workspace)
	}
	return nil
}

func portsText(cs *Colors, n labs.NodeStatus) string {
	if len(n.Ports) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(n.Ports))
	for _, p := range n.Ports {
		s := fmt.Sprintf("%d->%d", p.Host, p.Container)
		if p.URL != "" {
			s = p.URL + " (" + s + ")"
		}
		parts = append(parts, s)
	}
	text := strings.Join(parts, ", ")
	if n.State != "running" {
		return cs.Faint(text)
	}
	return text
}

func statusJSON(insts []labs.Instance) []statusLab {
	out := make([]statusLab, 0, len(insts))
	for _, in := range insts {
		sl := statusLab{Lab: in.Lab, Session: in.Session, Workspace: in.Workspace, Params: in.Params, Created: in.Created, Nodes: []statusNode{}}
		if sl.Params == nil {
			sl.Params = map[string]string{}
		}
		for _, n := range in.Nodes {
			sn := statusNode{Name: n.Name, Container: n.Container, State: n.State, Health: n.Health, Ports: []statusPort{}}
			for _, p := range n.Ports {
				sn.Ports = append(sn.Ports, statusPort{Name: p.Name, Container: p.Container, Host: p.Host, URL: p.URL})
			}
			sl.Nodes = append(sl.Nodes, sn)
		}
		out = append(out, sl)
	}
	return out
}
