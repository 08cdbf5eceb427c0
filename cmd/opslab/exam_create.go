package main

import (
	"crypto/ed25519"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/internal/exam"
)

type examCreateOptions struct {
	Labs      []string
	Minutes   int
	Pass      float64
	Key       string
	Out       string
	Name      string
	SelfCheck bool
	ValidFor  time.Duration
}

func newExamCreateCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:  "create",
		Usage: "make a signed exam: labs (pinned by digest), time limit, pass mark, secret seed",
		Description: "Writes an exam file signed with the examiner's key. It carries the secret seed\n" +
			"every candidate's params are derived from: hand it only to the machines that\n" +
			"start the exam, never publish it.\n\n" +
			"Example:\n  opslab exam create --labs iac-ansible-web,inc-502 --minutes 90 --pass 70 \\\n" +
			"      --key examiner.key --out cka-prep.exam",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "labs", Usage: "the exam's labs, `A,B` (required)"},
			&cli.IntFlag{Name: "minutes", Usage: "time limit in `N` minutes (required)"},
			&cli.Float64Flag{Name: "pass", Usage: "pass mark: `P` percent of all points (and every required task) (required)"},
			&cli.StringFlag{Name: "key", Usage: "the examiner's private key `FILE` (opslab keys generate) (required)"},
			&cli.StringFlag{Name: "out", Usage: "write the exam to `FILE` (required)"},
			&cli.StringFlag{Name: "name", Usage: "the exam's `NAME` (default: --out's file name without extension)"},
			&cli.BoolFlag{Name: "self-check", Usage: "let candidates see per-task pass/fail (never check details) during the exam"},
			&cli.DurationFlag{Name: "valid-for", Value: 30 * 24 * time.Hour, Usage: "no candidate can start the exam after this `DURATION`"},
		},
		Action: func(c *cli.Context) error {
			if err := needFlags(c, "labs", "minutes", "pass", "key", "out"); err != nil {
				return err
			}
			if err := needArgs(c, 0, 0); err != nil {
				return err
			}
			var ids []string
			for _, id := range strings.Split(c.String("labs"), ",") {
				if id = strings.TrimSpace(id); id != "" {
					ids = append(ids, id)
				}
			}
			return runExamCreate(deps, examCreateOptions{Labs: ids, Minutes: c.Int("minutes"), Pass: c.Float64("pass"),
				Key: c.String("key"), Out: c.String("out"), Name: c.String("name"), SelfCheck: c.Bool("self-check"), ValidFor: c.Duration("valid-for")})
		},
	}
}

func runExamCreate(deps *app, opts examCreateOptions) error {
	if len(opts.Labs) == 0 {
		return usagef("--labs names no lab (e.g. --labs lb-basics,inc-502)")
	}
	priv, err := exam.LoadPrivateKey(opts.Key)
	if err != nil {
		return examErr(err)
	}
	var labs []exam.Lab
	for _, id := range opts.Labs {
		lab, err := deps.loadLab(id, nil)
		if err != nil {
			return err
		}
		labs = append(labs, exam.Lab{ID: lab.ID, Digest: lab.Digest})
	}
	name := opts.Name
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(opts.Out), filepath.Ext(opts.Out))
	}
	e, err := exam.NewExam(name, labs, opts.Minutes, opts.Pass, opts.SelfCheck, deps.clock(), opts.ValidFor, priv.Public().(ed25519.PublicKey))
	if err != nil {
		return examErr(err)
	}
	data, err := exam.SignExam(e, priv)
	if err != nil {
		return examErr(err)
	}
	if err := exam.WriteNew(opts.Out, data, 0o600); err != nil {
		return usagef("--out: %v", err) // the error names the file
	}
	fmt.Fprintf(deps.io.Out, "exam %s written to %s: %d lab(s), %d minutes, pass mark %g%%, self-checks %s, startable until %s\n",
		e.Name, opts.Out, len(labs), e.Minutes, e.Pass, map[bool]string{true: "allowed", false: "off"}[e.SelfCheck], e.Expires.Format(time.RFC3339))
	fmt.Fprintf(deps.io.Out, "it holds the seed of every candidate's params: give it only to the machines that start the exam\n")
	return nil
}
