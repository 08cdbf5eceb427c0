package main

import (
	"github.com/urfave/cli/v2"
)

// newClassCommand groups the live-class commands: the instructor's server
// and the learner's membership. See the README's "Live classes".
func newClassCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:  "class",
		Usage: "live classes: serve a class dashboard, or join one as a learner",
		Description: "An instructor runs `opslab class serve` and creates a class; learners join it\n" +
			"with the join code, and from then on their opslab reports lab starts and stops,\n" +
			"grades, hints and exam submissions to the class dashboard, until `opslab class leave`.\n\n" +
			"Example:\n  opslab class serve\n  opslab class create monday --server http://127.0.0.1:8088 --token TOKEN\n" +
			"  opslab class join http://10.0.0.5:8088 ABCD-EFGH --name ada\n  opslab class leave",
		Subcommands: []*cli.Command{
			newClassServeCommand(deps),
			newClassCreateCommand(deps),
			newClassExportCommand(deps),
			newClassJoinCommand(deps),
			newClassLeaveCommand(deps),
			newClassSendCommand(deps),
			newClassWatchCommand(deps),
		},
	}
}
