package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/internal/exam"
)

type verifyOptions struct {
	Result  string
	Pubkey  string
	Exam    string
	Content string
}

func newVerifyCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check a signed exam result offline: signature, statement, digests",
		ArgsUsage: "RESULT_FILE",
		Description: "Checks that the examiner's key signed the result, that it is an in-toto\n" +
			"statement of an opslab exam result whose subjects agree with its content and\n" +
			"whose verdict follows from its labs' results; with --exam, that it was graded\n" +
			"for that exam file; with --content, that its labs' definitions are those in DIR.\n" +
			"Needs no Docker and no network.\n" +
			"Exit code: 0 valid, 1 invalid (says what failed), 2 bad input.\n\n" +
			"Example:\n  opslab verify alice.result.json --pubkey examiner.pub\n" +
			"  opslab verify alice.result.json --pubkey examiner.pub --exam cka-prep.exam --content ./content",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "pubkey", Usage: "the examiner's public key `FILE` (required)"},
			&cli.StringFlag{Name: "exam", Usage: "the exam `FILE` the result must be for"},
			&cli.StringFlag{Name: "content", Usage: "the labs in `DIR` the result's lab digests must match"},
		},
		Action: func(c *cli.Context) error {
			if err := needFlags(c, "pubkey"); err != nil {
				return err
			}
			if err := needArgs(c, 1, 1); err != nil {
				return err
			}
			return runVerify(deps, verifyOptions{Result: c.Args().First(), Pubkey: c.String("pubkey"), Exam: c.String("exam"), Content: c.String("content")})
		},
	}
}

func runVerify(deps *app, opts verifyOptions) error {
	pub, err := exam.LoadPublicKey(opts.Pubkey)
	if err != nil {
		return verifyErr(err)
	}
	data, err := exam.ReadLimited(opts.Result, exam.MaxFile)
	if err != nil {
		return verifyErr(err)
	}
	vo := exam.VerifyOptions{ExamName: opts.Exam}
	if opts.Exam != "" {
		if vo.Exam, err = exam.ReadLimited(opts.Exam, exam.MaxFile); err != nil {
			return verifyErr(err)
		}
	}
	if opts.Content != "" {
		cat, err := deps.openCatalog(opts.Content, "--content")
		if err != nil {
			return err
		}
		vo.LabSource = opts.Content
		vo.LabDigest = func(id string) (string, error) {
			lab, err := cat.Load(id, nil)
			if err != nil {
				return "", err
			}
			return lab.Digest, nil
		}
	}
	v, err := exam.VerifyResult(data, opts.Result, pub, vo)
	if err != nil {
		return verifyErr(err)
	}
	printVerified(deps, v, opts)
	return nil
}

// verifyErr: an invalid result exits 1 and says what failed; unusable input exits 2.
func verifyErr(err error) error {
	var inv *exam.InvalidError
	if errors.As(err, &inv) {
		return &exitError{code: exitNotPassed, err: fmt.Errorf("INVALID: %w", err)}
	}
	return examErr(err)
}

func printVerified(deps *app, v *exam.Verified, opts verifyOptions) {
	p, w, cs := v.Predicate, deps.io.Out, deps.io.OutColors()
	q := exam.QuoteUntrusted
	fmt.Fprintf(w, "%s valid: signed by key %.16s…\n", cs.Green("✓"), v.KeyID)
	fmt.Fprintf(w, "candidate   %s\n", q(p.Candidate))
	fmt.Fprintf(w, "exam        %s (sha256:%.16s…)\n", q(p.Exam.Name), p.Exam.Digest)
	verdict := "NOT PASSED"
	if p.Passed {
		verdict = "PASSED"
	}
	fmt.Fprintf(w, "score       %g/%g (%g%%, pass mark %g%%)\n", p.Score, p.MaxScore, p.Percent, p.PassMark)
	fmt.Fprintf(w, "verdict     %s\n", verdict)
	for _, l := range p.Labs {
		fmt.Fprintf(w, "  lab %-18s %g/%g\n", q(l.ID), l.Result.Score, l.Result.MaxScore)
	}
	late := ""
	if p.SnapshotLate {
		late = fmt.Sprintf(" (LATE: frozen %s after the deadline; work until then counts)", p.SubmittedAt.Sub(p.Deadline).Truncate(time.Second))
	}
	fmt.Fprintf(w, "started     %s\ndeadline    %s\nsubmitted   %s%s\ngraded      %s\n",
		p.StartedAt.UTC().Format(time.RFC3339), p.Deadline.UTC().Format(time.RFC3339), p.SubmittedAt.UTC().Format(time.RFC3339), late, p.GradedAt.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "proctored   %t — %s\n", p.Proctored, q(p.ProctoredHow))
	fmt.Fprintf(w, "opslab      %s\n", q(p.OpslabVersion))
	checked := "signature, statement, subjects vs results, verdict"
	if opts.Exam != "" {
		checked += ", exam file"
	}
	if opts.Content != "" {
		checked += ", lab definitions in " + opts.Content
	}
	fmt.Fprintf(w, "checked     %s\n", checked)
}
