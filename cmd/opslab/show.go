package main

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"text/tabwriter"

	"github.com/opslab/opslab/labs/spec"

	"github.com/charmbracelet/glamour"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/opslab/opslab/grader"
)

type showOptions struct {
	Lab string
}

func newShowCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "show a lab's instructions and tasks",
		ArgsUsage: "LAB",
		Description: "Prints the lab's README (styled on a terminal, plain Markdown otherwise),\n" +
			"then its tasks with their points. Works without Docker.\n\n" +
			"Example:\n  opslab show lb-basics\n  opslab show lb-basics | less",
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 1, 1); err != nil {
				return err
			}
			return runShow(c.Context, deps, showOptions{Lab: c.Args().First()})
		},
	}
}

func runShow(_ context.Context, deps *app, opts showOptions) error {
	lab, err := deps.loadLab(opts.Lab, nil)
	if err != nil {
		return err
	}
	readme, err := fs.ReadFile(lab.FS, "README.md")
	if err != nil {
		readme = []byte("# " + lab.Title + "\n\n(this lab has no README.md)\n")
	}
	text, err := renderMarkdown(deps.io, string(readme))
	if err != nil {
		return err
	}
	fmt.Fprint(deps.io.Out, text)
	if !strings.HasSuffix(text, "\n") {
		fmt.Fprintln(deps.io.Out)
	}
	fmt.Fprintln(deps.io.Out)
	printRights(deps.io, lab)
	printTasks(deps.io, lab)
	return nil
}

// printRights names the nodes that get more than an ordinary container
// (lab.yaml cap_add, privileged), so learners know before they start the lab.
func printRights(streams *IO, lab *spec.Lab) {
	var nodes []spec.Node
	for _, n := range lab.Nodes {
		if n.ExtraRights() != "" {
			nodes = append(nodes, n)
		}
	}
	if len(nodes) == 0 {
		return
	}
	cs := streams.OutColors()
	fmt.Fprintf(streams.Out, "%s  these nodes get more rights than an ordinary container:\n", cs.Bold("Rights"))
	tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
	for _, n := range nodes {
		fmt.Fprintf(tw, "  %s\t%s\n", n.Name, cs.Yellow(n.ExtraRights()))
	}
	tw.Flush()
	fmt.Fprintln(streams.Out)
}

// renderMarkdown styles Markdown for a terminal; anything else gets it as written,
// which is the most readable plain text there is.
func renderMarkdown(streams *IO, md string) (string, error) {
	if !streams.IsOutTTY() {
		return md, nil
	}
	style := "dark"
	if !streams.colorOut {
		style = "notty"
	}
	width := 100
	if f, ok := streams.Out.(interface{ Fd() uintptr }); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 20 && w < width {
			width = w - 2
		}
	}
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(width))
	if err != nil {
		return md, nil
	}
	out, err := r.Render(md)
	if err != nil {
		return md, nil // a renderer hiccup must not hide the instructions
	}
	return out, nil
}

func printTasks(streams *IO, lab *spec.Lab) {
	cs := streams.OutColors()
	var total float64
	for _, t := range lab.Tasks {
		total += t.Points
	}
	min := lab.Pass.MinScore(total)
	fmt.Fprintf(streams.Out, "%s  %s points, pass with %s\n", cs.Bold("Tasks"), points(total), points(min))
	tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
	for i, t := range lab.Tasks {
		fmt.Fprintf(tw, "  %d.\t%s\t%s pts\t%s%s\n", i+1, t.ID, points(t.Points), t.Title, requiredMark(cs, t))
	}
	tw.Flush()
	fmt.Fprintf(streams.Out, "\nStart it with `opslab start %s`; grade with `opslab grade %s`.\n", lab.ID, lab.ID)
}

func requiredMark(cs *Colors, t grader.Task) string {
	if t.Required {
		return "  " + cs.Yellow("(required)")
	}
	return ""
}

// points prints 3 as "3" and 2.5 as "2.5".
func points(p float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", p), ".0") }
