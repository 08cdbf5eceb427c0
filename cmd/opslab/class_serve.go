package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/classroom"
	"github.com/opslab/opslab/labs"
)

type classServeOptions struct {
	Addr       string
	DB         string
	TokenFile  string
	StuckAfter time.Duration
	StuckFails int
	ExamPubkey string
}

func newClassServeCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "run the class server and its live dashboard (instructor)",
		Description: "Serves the learners' reports and the dashboard from one process with an\n" +
			"SQLite database (created and migrated on start). On the first start it makes\n" +
			"the instructor token, prints it once and keeps it 0600 in --token-file.\n" +
			"It listens on loopback unless --addr says otherwise: see the README on exposing\n" +
			"it to a classroom network. Ctrl-C stops it cleanly.\n\n" +
			"Exam results the learners' opslab reports show as verified when --exam-pubkey\n" +
			"is the key that signed them.\n\n" +
			"Example:\n  opslab class serve\n  opslab class serve --addr 0.0.0.0:8088 --db ./monday.db --stuck-after 15m --exam-pubkey examiner.pub",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8088", Usage: "listen on `HOST:PORT`"},
			&cli.StringFlag{Name: "db", Usage: "the class database `FILE` (default: classroom.db in opslab's state folder)"},
			&cli.StringFlag{Name: "token-file", Usage: "the instructor token's `FILE` (default: instructor.token beside the database)"},
			&cli.DurationFlag{Name: "stuck-after", Value: 10 * time.Minute, Usage: "flag a learner stuck after this long without a newly passing check"},
			&cli.IntFlag{Name: "stuck-fails", Value: 3, Usage: "flag a learner stuck when one check fails this many gradings in a row"},
			&cli.StringFlag{Name: "exam-pubkey", Usage: "the examiner's public key `FILE`: exam results it signed show as verified"},
		},
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 0, 0); err != nil {
				return err
			}
			return runClassServe(c.Context, deps, classServeOptions{Addr: c.String("addr"), DB: c.String("db"),
				TokenFile: c.String("token-file"), StuckAfter: c.Duration("stuck-after"), StuckFails: c.Int("stuck-fails"), ExamPubkey: c.String("exam-pubkey")})
		},
	}
}

func runClassServe(ctx context.Context, deps *app, opts classServeOptions) error {
	if opts.DB == "" {
		opts.DB = filepath.Join(deps.dirs.ClassServer(), "classroom.db")
	}
	if opts.TokenFile == "" {
		opts.TokenFile = filepath.Join(filepath.Dir(opts.DB), "instructor.token")
	}
	if err := os.MkdirAll(filepath.Dir(opts.DB), 0o700); err != nil {
		return &labs.EnvError{Msg: "cannot create the folder of the class database", Err: err}
	}
	// Learners' names and grades: readable by the instructor alone.
	if f, err := os.OpenFile(opts.DB, os.O_RDONLY|os.O_CREATE, 0o600); err == nil {
		f.Close()
	}
	token, fresh, err := instructorToken(opts.TokenFile)
	if err != nil {
		return err
	}
	cfg := classroom.Config{DBPath: opts.DB, InstructorToken: token, Stuck: classroom.StuckRules{After: opts.StuckAfter, Fails: opts.StuckFails}}
	if opts.ExamPubkey != "" {
		v, err := newExamVerifier(opts.ExamPubkey)
		if err != nil {
			return err
		}
		cfg.Exam = v
	}
	srv, err := classroom.NewServer(ctx, cfg)
	if err != nil {
		return &labs.EnvError{Msg: "cannot open the class database", Err: err}
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return usagef("--addr %s: %v (is another server on that port? choose another with --addr)", opts.Addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 16 << 10}
	hs.RegisterOnShutdown(srv.CloseStreams)
	url := "http://" + ln.Addr().String()
	if fresh {
		fmt.Fprintf(deps.io.Out, "instructor token (shown once; kept in %s):\n%s\n", opts.TokenFile, token)
	}
	fmt.Fprintf(deps.io.Err, "class server on %s (database %s); Ctrl-C stops it\n", url, opts.DB)
	fmt.Fprintf(deps.io.Err, "  dashboard:      %s/  (sign in with the instructor token)\n", url)
	fmt.Fprintf(deps.io.Err, "  make a class:   %s class create NAME --server %s --token \"$(cat %s)\"\n", deps.cmdPrefix(), url, shellQuote(opts.TokenFile))
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !isLoopback(host) {
		fmt.Fprintf(deps.io.Err, "warning: listening beyond this machine over plain HTTP: tokens cross the network in clear; see the README on exposing it safely\n")
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return &labs.EnvError{Msg: "the class server stopped", Err: err}
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	fmt.Fprintln(deps.io.Err, "class server stopped; everything reported is in", opts.DB)
	return nil // Ctrl-C is how a server is meant to end
}

// instructorToken reads the token file, or makes one (fresh = just made).
func instructorToken(path string) (token string, fresh bool, err error) {
	b, err := os.ReadFile(path)
	if err == nil {
		token = strings.TrimSpace(string(b))
		if len(token) < 16 {
			return "", false, usagef("--token-file %s: the token in it is shorter than 16 characters; remove the file to make a new one", path)
		}
		return token, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", false, &labs.EnvError{Msg: "cannot read the instructor token file " + path, Err: err}
	}
	r := make([]byte, 24)
	_, _ = rand.Read(r)
	token = "oi_" + hex.EncodeToString(r)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", false, &labs.EnvError{Msg: "cannot create the folder of " + path, Err: err}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", false, &labs.EnvError{Msg: "cannot write the instructor token file " + path, Err: err}
	}
	_, werr := f.WriteString(token + "\n")
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return "", false, &labs.EnvError{Msg: "cannot write the instructor token file " + path, Err: werr}
	}
	return token, true, nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}
