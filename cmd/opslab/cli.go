package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

// commands is every command, in help order. A new command is one file with
// newXxxCommand plus one line here.
var commands = []func(*app) *cli.Command{
	newListCommand,
	newShowCommand,
	newStartCommand,
	newStatusCommand,
	newShellCommand,
	newExecCommand,
	newLogsCommand,
	newGradeCommand,
	newHintCommand,
	newSolveCommand,
	newResetCommand,
	newStopCommand,
	newProgressCommand,
	newTestCommand,
	newLintCommand,
	newDoctorCommand,
	newImagesCommand,
	newKeysCommand,
	newExamCommand,
	newVerifyCommand,
	newClassCommand,
}

const (
	flagContent = "content"
	flagNoColor = "no-color"
	flagVerbose = "verbose"
	flagSession = "session"
	flagTrace   = "trace"
)

// newCLI builds the CLI. urfave/cli must never exit the process: errors come
// back from Run and main maps them to exit codes.
func newCLI(deps *app) *cli.App {
	a := &cli.App{
		Name:      "opslab",
		Usage:     "hands-on DevOps labs in containers, graded",
		UsageText: "opslab [global options] command [command options] [arguments...]",
		Description: "Start a lab, work in your own editor and in `opslab shell`, grade it, stop it.\n\n" +
			"Example:\n  opslab list\n  opslab start lb-basics\n  opslab stop lb-basics",
		Version:        version,
		Writer:         deps.io.Out,
		ErrWriter:      deps.io.Err,
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   onUsageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagContent, Usage: "use the labs in `DIR` instead of the built-in catalog", EnvVars: []string{"OPSLAB_CONTENT"}},
			&cli.BoolFlag{Name: flagNoColor, Usage: "no colour in output (also: NO_COLOR=1)"},
			&cli.BoolFlag{Name: flagVerbose, Usage: "show testcontainers' and Docker build logs on stderr"},
			&cli.StringFlag{Name: flagSession, Usage: "learner/session `NAME`: labs of different sessions never clash", EnvVars: []string{"OPSLAB_SESSION"}},
			&cli.BoolFlag{Name: flagTrace, Usage: "print how long each phase of a start took", EnvVars: []string{"OPSLAB_TRACE"}},
		},
		Before: func(c *cli.Context) error {
			deps.contentDir = c.String(flagContent)
			deps.contentSet = c.IsSet(flagContent) && deps.getenv("OPSLAB_CONTENT") != deps.contentDir
			deps.verbose = c.Bool(flagVerbose)
			deps.trace = c.Bool(flagTrace)
			deps.session = c.String(flagSession)
			deps.sessionSet = c.IsSet(flagSession) && deps.getenv("OPSLAB_SESSION") != deps.session
			if c.Bool(flagNoColor) {
				deps.io.DisableColor()
			}
			deps.resumeSending(c.Args().First()) // class reports the server did not get yet
			return nil
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usagef("unknown command %q (see `opslab --help`)", c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
	}
	for _, newCmd := range commands {
		a.Commands = append(a.Commands, withUsageErrors(newCmd(deps)))
	}
	return a
}

// withUsageErrors makes flag errors of cmd and its subcommands exit 2 with one line.
func withUsageErrors(cmd *cli.Command) *cli.Command {
	if cmd.OnUsageError == nil {
		cmd.OnUsageError = onUsageError
	}
	for _, sub := range cmd.Subcommands {
		withUsageErrors(sub)
	}
	return cmd
}

func onUsageError(c *cli.Context, err error, isSubcommand bool) error {
	name := "opslab"
	if isSubcommand && c.Command != nil {
		name = c.Command.HelpName
	}
	msg := err.Error()
	// Go's flag package says "-name" for --name; say it as the user would type it.
	if flag, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		if len(flag) > 1 {
			flag = "-" + flag
		}
		msg = "unknown flag -" + flag
	}
	return usagef("%s (see `%s --help`)", msg, name)
}
