package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// interspersed moves a command's flags before its positional arguments, so that
// `opslab start LAB --rebuild` and `opslab logs LAB -f` work: urfave/cli v2 stops
// parsing flags at the first positional argument. Global flags given after the
// command move before it. "--" ends flags as usual, and after the positional
// arguments named in rawAfter the rest is left alone, so that
// `opslab exec LAB NODE ls -la` passes -la to ls.
var rawAfter = map[string]int{"exec": 2}

func interspersed(a *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	head := []string{args[0]}
	rest := skipFlags(a.Flags, args[1:], &head)
	if len(rest) == 0 {
		return head
	}
	var cmd *cli.Command
	for _, c := range a.Commands {
		if c.HasName(rest[0]) {
			cmd = c
		}
	}
	if cmd == nil {
		return append(head, rest...)
	}
	names, rest := rest[:1], rest[1:]
	// images build|save|…: the subcommand name comes first.
	for _, sub := range cmd.Subcommands {
		if len(rest) > 0 && sub.HasName(rest[0]) {
			cmd, names, rest = sub, append(names, rest[0]), rest[1:]
			break
		}
	}
	raw, hasRaw := rawAfter[cmd.Name]
	var globals, flags, positional []string
	for i := 0; i < len(rest); i++ {
		arg := rest[i]
		switch {
		case arg == "--", hasRaw && len(positional) == raw:
			positional = append(positional, rest[i:]...)
			i = len(rest)
		case len(arg) > 1 && arg[0] == '-':
			fs, dst := cmd.Flags, &flags
			if !hasFlag(cmd.Flags, arg) && hasFlag(a.Flags, arg) {
				fs, dst = a.Flags, &globals
			}
			*dst = append(*dst, arg)
			if takesValue(fs, arg) && i+1 < len(rest) {
				i++
				*dst = append(*dst, rest[i])
			}
		default:
			positional = append(positional, arg)
		}
	}
	return join(head, globals, names, flags, positional)
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// skipFlags copies leading global flags (and their values) to out and returns the rest.
func skipFlags(fs []cli.Flag, args []string, out *[]string) []string {
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && args[0] != "--" {
		*out = append(*out, args[0])
		if takesValue(fs, args[0]) && len(args) > 1 {
			*out = append(*out, args[1])
			args = args[1:]
		}
		args = args[1:]
	}
	return args
}

// hasFlag says whether arg (-x, --name or --name=v) names one of fs.
func hasFlag(fs []cli.Flag, arg string) bool {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	for _, f := range fs {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}

// takesValue says whether arg (-x or --name, not --name=v) is a flag that reads the next argument.
func takesValue(fs []cli.Flag, arg string) bool {
	if strings.Contains(arg, "=") {
		return false
	}
	name := strings.TrimLeft(arg, "-")
	for _, f := range fs {
		for _, n := range f.Names() {
			if n == name {
				tv, ok := f.(interface{ TakesValue() bool })
				return ok && tv.TakesValue()
			}
		}
	}
	return false
}
