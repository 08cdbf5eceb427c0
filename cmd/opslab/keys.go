package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/internal/exam"
)

type keysGenerateOptions struct {
	Out string
}

func newKeysCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:  "keys",
		Usage: "manage the examiner's signing keys",
		Description: "An examiner signs exams and results with an Ed25519 key pair.\n\n" +
			"Example:\n  opslab keys generate --out ~/.opslab-examiner",
		Subcommands: []*cli.Command{{
			Name:  "generate",
			Usage: "make a new Ed25519 key pair: DIR/examiner.key (0600, never printed) and DIR/examiner.pub",
			Description: "The private key stays with the examiner; hand examiner.pub to whoever\n" +
				"verifies results. Existing keys are never overwritten.\n\n" +
				"Example:\n  opslab keys generate --out ~/.opslab-examiner",
			Flags: []cli.Flag{&cli.StringFlag{Name: "out", Usage: "write the pair into `DIR` (required)"}},
			Action: func(c *cli.Context) error {
				if err := needFlags(c, "out"); err != nil {
					return err
				}
				if err := needArgs(c, 0, 0); err != nil {
					return err
				}
				return runKeysGenerate(deps, keysGenerateOptions{Out: c.String("out")})
			},
		}},
	}
}

func runKeysGenerate(deps *app, opts keysGenerateOptions) error {
	priv, pub, err := exam.GenerateKeys(opts.Out)
	if err != nil {
		return examErr(err)
	}
	k, err := exam.LoadPublicKey(pub)
	if err != nil {
		return examErr(err)
	}
	fmt.Fprintf(deps.io.Out, "private key: %s (keep it with the examiner; never share it)\npublic key:  %s (key id %.16s…; hand it to whoever verifies results)\n",
		priv, pub, exam.KeyID(k))
	return nil
}

// examErr gives the exam package's errors their exit codes: bad input and
// an invalid exam file are the user's input (2); the rest is the machine (3).
func examErr(err error) error {
	if err == nil {
		return nil
	}
	var (
		bad *exam.BadInputError
		inv *exam.InvalidError
		exp *exam.ExpiredError
	)
	if errors.As(err, &bad) || errors.As(err, &inv) || errors.As(err, &exp) {
		return &exitError{code: exitUsage, err: err}
	}
	return err
}
