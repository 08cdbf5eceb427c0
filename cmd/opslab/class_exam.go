package main

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/opslab/opslab/classroom"
	"github.com/opslab/opslab/internal/exam"
)

// reportExamSubmitted tells the learner's class about a signed exam result:
// `opslab exam grade` calls it with the DSSE envelope it just wrote. The
// column is the exam's ("exam:NAME"); the score the CLI read goes along,
// but a server with the examiner's public key shows the signed verdict
// instead, marked ✓ verified.
func (d *app) reportExamSubmitted(examName string, envelope []byte, score, maxScore float64, passed bool) {
	if len(envelope) > classroom.MaxExamBytes {
		fmt.Fprintf(d.io.Err, "warning: the signed result is larger than the class server takes (%d KiB): give your instructor the file itself\n", len(envelope)>>10)
		return
	}
	d.classReport(classroom.Event{Kind: classroom.KindExamSubmitted, Lab: examColumn(examName), Exam: json.RawMessage(envelope),
		Grade: &classroom.Grade{Score: score, MaxScore: maxScore, Passed: passed, Tasks: []classroom.Task{}}})
}

// examColumn names an exam's column on the dashboard ("exam:NAME", never a
// lab id): a lab id's characters.
func examColumn(name string) string {
	col := "exam:" + strings.Map(func(r rune) rune {
		if r == ' ' || r == '/' || r == '\t' || r == '\n' || r == '\r' {
			return '-'
		}
		return r
	}, name)
	if len(col) > 90 {
		col = col[:90]
	}
	return col
}

// examVerifier checks exam results for the class server with the examiner's
// public key, as `opslab verify` does (without the exam file or the labs).
type examVerifier struct{ pub ed25519.PublicKey }

func newExamVerifier(path string) (*examVerifier, error) {
	pub, err := exam.LoadPublicKey(path)
	if err != nil {
		return nil, usagef("--exam-pubkey: %v", err)
	}
	return &examVerifier{pub: pub}, nil
}

func (v *examVerifier) Verify(envelope []byte) (classroom.ExamVerdict, error) {
	r, err := exam.VerifyResult(envelope, "the reported exam result", v.pub, exam.VerifyOptions{})
	if err != nil {
		return classroom.ExamVerdict{}, err
	}
	p := r.Predicate
	return classroom.ExamVerdict{Exam: p.Exam.Name, Candidate: p.Candidate, Score: p.Score, MaxScore: p.MaxScore, Passed: p.Passed}, nil
}
