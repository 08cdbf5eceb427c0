// Command opslab provisions containerized DevOps labs on Docker and grades them.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() { os.Exit(mainExit()) }

// mainExit is main without os.Exit, for testscript.
func mainExit() int {
	return run(context.Background(), newDeps(systemIO(os.Getenv), os.Getenv), os.Args)
}

// run executes one command line and returns the exit code. It is the only place
// that turns errors into exit codes and messages.
func run(ctx context.Context, deps *app, args []string) (code int) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	streams := deps.io
	defer func() {
		// No stack traces for users: a panic is a bug they should report.
		if r := recover(); r != nil {
			fmt.Fprintf(streams.Err, "%s internal error: %v; please report it with the command you ran\n",
				streams.ErrColors().Red("opslab:"), r)
			code = exitInternal
		}
	}()
	defer deps.close()

	cliApp := newCLI(deps)
	err := cliApp.RunContext(ctx, interspersed(cliApp, args))
	interrupted := err != nil && ctx.Err() != nil
	deps.stopProgress()
	if err != nil {
		if msg := errorMessage(err, interrupted, deps.cmdPrefix()); msg != "" {
			fmt.Fprintf(streams.Err, "%s %s\n", streams.ErrColors().Red("opslab:"), msg)
		}
	}
	return exitCode(err, interrupted)
}
