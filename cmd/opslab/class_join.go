package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/classroom"
	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs"
)

type classJoinOptions struct {
	Server, Code, Name string
	Watch              bool
	Interval           time.Duration
}

func newClassJoinCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "join",
		Usage:     "join a live class: your opslab reports your progress to its dashboard",
		ArgsUsage: "URL CODE",
		Description: "From now on, until `opslab class leave`, opslab sends the class server: labs\n" +
			"started and stopped, every grade (scores, which checks pass, each failing\n" +
			"check's message), hints revealed and exam submissions. Never your files.\n" +
			"With --watch (on by default) a background opslab grades your running labs\n" +
			"every --interval and reports changes only, so your instructor sees progress\n" +
			"without you running grade. `opslab status` shows that you are reporting.\n\n" +
			"Example:\n  opslab class join http://10.0.0.5:8088 ABCD-EFGH --name ada\n  opslab class join http://10.0.0.5:8088 ABCD-EFGH --name ada --watch=false",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "name", Usage: "your `NAME` on the class dashboard", Required: true},
			&cli.BoolFlag{Name: "watch", Value: true, Usage: "grade running labs in the background and report changes"},
			&cli.DurationFlag{Name: "interval", Value: time.Minute, Usage: "with --watch, grade this often"},
		},
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 2, 2); err != nil {
				return err
			}
			if c.Duration("interval") < 10*time.Second {
				return usagef("--interval %s is too short: grading costs CPU; 10s at least", c.Duration("interval"))
			}
			return runClassJoin(c.Context, deps, classJoinOptions{Server: c.Args().Get(0), Code: c.Args().Get(1), Name: c.String("name"),
				Watch: c.Bool("watch"), Interval: c.Duration("interval")})
		},
	}
}

func runClassJoin(ctx context.Context, deps *app, opts classJoinOptions) error {
	dir := deps.dirs.Class()
	if m, err := localstate.LoadMembership(dir); err != nil {
		return &labs.EnvError{Msg: err.Error()}
	} else if m != nil {
		return usagef("you are already in class %s on %s as %s: `opslab class leave` first", m.Class, m.Server, m.Learner)
	}
	server, err := normalizeServer(opts.Server)
	if err != nil {
		return err
	}
	var resp classroom.JoinResponse
	_, err = classCall(ctx, "POST", server, "/api/join", "", classroom.JoinRequest{Code: opts.Code, Name: opts.Name}, &resp)
	var se *serverError
	if errors.As(err, &se) && se.Status/100 == 4 && se.Status != http.StatusTooManyRequests {
		return usagef("cannot join: %s", se.Msg)
	}
	if err != nil {
		return err
	}
	m := &localstate.Membership{Server: server, Class: resp.Class, Learner: resp.Learner, LearnerID: resp.LearnerID,
		Token: resp.Token, Joined: time.Now().UTC(), Watch: opts.Watch, Interval: opts.Interval.String()}
	if err := localstate.SaveMembership(dir, m); err != nil {
		return &labs.EnvError{Msg: "cannot keep your class membership in " + dir, Err: err}
	}
	out := deps.io.Out
	fmt.Fprintf(out, "%s joined class %s on %s as %s\n", deps.io.OutColors().Green("✓"), resp.Class, server, resp.Learner)
	fmt.Fprintln(out, "your opslab now reports to it: labs started/stopped, grades (scores, checks, failure messages), hints, exam submissions — never your files")
	if opts.Watch {
		if err := deps.startDetached("class", "watch", "--interval", opts.Interval.String()); err != nil {
			fmt.Fprintf(deps.io.Err, "warning: could not start auto-progress (%v); your grades are still reported\n", err)
		} else {
			fmt.Fprintf(out, "auto-progress: your running labs are graded in the background every %s; changes are reported\n", opts.Interval)
		}
	}
	fmt.Fprintf(out, "stop reporting any time: `%s class leave`\n", deps.cmdPrefix())
	return nil
}

func newClassLeaveCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:  "leave",
		Usage: "leave the class: stop reporting and stop auto-progress",
		Description: "Stops the background watcher, sends what is still waiting if the server\n" +
			"answers within seconds, and forgets your class token. Reports that could not\n" +
			"be sent are dropped: leaving means sharing nothing more.\n\n" +
			"Example:\n  opslab class leave",
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 0, 0); err != nil {
				return err
			}
			return runClassLeave(c.Context, deps)
		},
	}
}

func runClassLeave(ctx context.Context, deps *app) error {
	dir := deps.dirs.Class()
	m, err := localstate.LoadMembership(dir)
	if err == nil && m == nil {
		fmt.Fprintln(deps.io.Out, "you are in no class: nothing is reported")
		return nil
	}
	if m != nil {
		if isWatcher(m.WatchPID) {
			_ = stopProcess(m.WatchPID)
		}
		flushCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
		_, _ = flushSpool(flushCtx, deps, m)
		cancel()
	}
	unsent := localstate.NewSpool(dir).Count()
	if err := localstate.RemoveMembership(dir); err != nil {
		return &labs.EnvError{Msg: "cannot remove your class membership from " + dir, Err: err}
	}
	if m != nil {
		fmt.Fprintf(deps.io.Out, "left class %s on %s: nothing more is reported\n", m.Class, m.Server)
	} else {
		fmt.Fprintln(deps.io.Out, "removed an unreadable class membership: nothing more is reported")
	}
	if unsent > 0 {
		fmt.Fprintf(deps.io.Out, "%d report(s) the server did not get were dropped\n", unsent)
	}
	return nil
}
