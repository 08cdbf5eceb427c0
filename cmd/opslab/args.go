package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// needArgs checks the number of positional arguments; max < 0 means no limit.
func needArgs(c *cli.Context, min, max int) error {
	n := c.Args().Len()
	switch {
	case n < min:
		return usagef("missing %s (see `%s --help`)", c.Command.ArgsUsage, c.Command.HelpName)
	case max >= 0 && n > max:
		return usagef("too many arguments: %s (see `%s --help`)",
			strings.Join(c.Args().Slice()[max:], " "), c.Command.HelpName)
	}
	return nil
}

// paramFlag is start's and reset's --param: a new one per command, since
// urfave/cli keeps parse state in a flag.
func paramFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "param", Usage: "set a lab parameter, `NAME=VALUE` (repeatable)"}
}

// labAndParams reads the one LAB argument and the --param flags.
func labAndParams(c *cli.Context) (string, map[string]string, error) {
	if err := needArgs(c, 1, 1); err != nil {
		return "", nil, err
	}
	params, err := parseParams(c.StringSlice("param"))
	return c.Args().First(), params, err
}

// parseParams turns repeated --param k=v into a map.
func parseParams(kvs []string) (map[string]string, error) {
	if len(kvs) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usagef("--param %q: expected NAME=VALUE", kv)
		}
		out[k] = v
	}
	return out, nil
}
