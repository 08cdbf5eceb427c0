package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// newExamCommand groups the certification check-off: create (examiner),
// start, status, submit (candidate), grade (proctor). `opslab verify` checks
// a result anywhere, offline.
func newExamCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:  "exam",
		Usage: "certification check-offs: timed exams with per-candidate labs and signed results",
		Description: "The examiner creates a signed exam; the candidate starts it and works under a\n" +
			"time limit with hints and solutions locked; the proctor grades it into a\n" +
			"signed result that anyone can check offline with `opslab verify`.\n\n" +
			"Example:\n" +
			"  opslab exam create --labs lb-basics --minutes 90 --pass 70 --key examiner.key --out lb.exam\n" +
			"  opslab exam start lb.exam --candidate alice@example.org\n" +
			"  opslab exam status\n" +
			"  opslab exam submit\n" +
			"  opslab exam grade --key examiner.key --out alice.result.json",
		Subcommands: []*cli.Command{
			newExamCreateCommand(deps),
			newExamStartCommand(deps),
			newExamStatusCommand(deps),
			newExamSubmitCommand(deps),
			newExamGradeCommand(deps),
			newExamWatchCommand(deps),
		},
	}
}

// needFlags is a usage error (exit 2) naming the required flags not given.
func needFlags(c *cli.Context, names ...string) error {
	var missing []string
	for _, n := range names {
		if !c.IsSet(n) {
			missing = append(missing, "--"+n)
		}
	}
	if len(missing) > 0 {
		return usagef("missing %s (see `%s --help`)", strings.Join(missing, ", "), c.Command.HelpName)
	}
	return nil
}
