package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opslab/opslab/labs/spec"

	"github.com/urfave/cli/v2"
)

type listOptions struct {
	Track string
	JSON  bool
}

// listItem is one element of `opslab list --json`: a contract for scripts.
type listItem struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Track   string `json:"track"`
	Level   string `json:"level"`
	Minutes int    `json:"minutes"`
	Running bool   `json:"running"`
	Error   string `json:"error,omitempty"`
}

func newListCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "list",
		Aliases:   []string{"ls"},
		Usage:     "list the labs of the catalog",
		ArgsUsage: " ",
		Description: "Lists every lab with its track, level and expected minutes, and whether it runs.\n" +
			"Works without Docker (then nothing shows as running).\n\n" +
			"Example:\n  opslab list --track incident\n  opslab list --json | jq -r '.[].id'",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "track", Usage: "only labs of `TRACK` (" + strings.Join(spec.Tracks, " | ") + ")"},
			&cli.BoolFlag{Name: "json", Usage: "print a JSON array"},
		},
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 0, 0); err != nil {
				return err
			}
			return runList(c.Context, deps, listOptions{Track: c.String("track"), JSON: c.Bool("json")})
		},
	}
}

func runList(ctx context.Context, deps *app, opts listOptions) error {
	if opts.Track != "" && !slices.Contains(spec.Tracks, opts.Track) {
		return usagef("unknown track %q: expected one of %s", opts.Track, strings.Join(spec.Tracks, ", "))
	}
	cat, err := deps.loadCatalog()
	if err != nil {
		return err
	}
	running := runningLabs(ctx, deps)
	items := []listItem{}
	for _, s := range cat.Summaries() {
		if opts.Track != "" && s.Track != opts.Track {
			continue
		}
		it := listItem{ID: s.ID, Title: s.Title, Track: s.Track, Level: s.Level, Minutes: s.Minutes, Running: running[s.ID]}
		if s.Err != nil {
			it.Error = "invalid lab definition: see `opslab lint`"
		}
		items = append(items, it)
	}
	if opts.JSON {
		enc := json.NewEncoder(deps.io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(items)
	}
	return printList(deps.io, items, opts.Track)
}

// printList prints the labs as a table; track is the --track asked for, if any.
func printList(streams *IO, items []listItem, track string) error {
	if len(items) == 0 {
		if track != "" { // a known track may have no lab yet: not an error
			fmt.Fprintf(streams.Err, "no labs in track %s yet\n", track)
			return nil
		}
		fmt.Fprintln(streams.Err, "no labs found")
		return nil
	}
	cs := streams.OutColors()
	tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LAB\tTRACK\tLEVEL\tMIN\tTITLE")
	for _, it := range items {
		title := it.Title
		switch {
		case it.Error != "":
			title += "  " + cs.Red("("+it.Error+")")
		case it.Running:
			title += "  " + cs.Green("(running)")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", it.ID, it.Track, it.Level, it.Minutes, title)
	}
	return tw.Flush()
}

// runningLabs asks Docker which labs run, briefly: `list` must work, and stay
// fast, without Docker, so any failure just means "nothing runs".
func runningLabs(ctx context.Context, deps *app) map[string]bool {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	running := map[string]bool{}
	rt, err := deps.runtime(ctx)
	if err != nil {
		return running
	}
	insts, err := rt.Status(ctx, "")
	if err != nil {
		return running
	}
	for _, in := range insts {
		running[in.Lab] = true
	}
	return running
}
