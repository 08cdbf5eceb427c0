package exam

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	ita1 "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/opslab/opslab/grader"
)

// VerifyOptions are what a verifier may check a result against besides the key.
type VerifyOptions struct {
	Exam     []byte // the exam file; nil = not checked
	ExamName string // its path, for messages
	// LabDigest gives the digest of lab id's definition at hand (--content),
	// or why there is none (no such lab, a lab that does not load); nil = not checked.
	LabDigest func(id string) (string, error)
	LabSource string // where LabDigest's labs come from, for messages
}

// Verified is a result that passed every check.
type Verified struct {
	Predicate *Predicate
	Subjects  []Subject
	KeyID     string
}

// VerifyResult checks a signed result offline: the envelope and its
// signature by pub, the payload type, the statement, that the subjects agree
// with the predicate, that the verdict follows from the results, and (given)
// the exam file and the labs' definitions. A *BadInputError is unusable
// input, an *InvalidError names what failed.
func VerifyResult(data []byte, name string, pub ed25519.PublicKey, o VerifyOptions) (*Verified, error) {
	payload, err := openEnvelope(data, name, pub, PayloadTypeInToto)
	if err != nil {
		return nil, err
	}
	var st ita1.Statement
	if err := protojson.Unmarshal(payload, &st); err != nil {
		return nil, invalidf("statement", "the signed payload is not an in-toto statement: %v", err)
	}
	if err := st.Validate(); err != nil {
		return nil, invalidf("statement", "%v", err)
	}
	if st.GetType() != ita1.StatementTypeUri {
		return nil, invalidf("statement", "type %q, expected %q", clip(st.GetType(), 80), ita1.StatementTypeUri)
	}
	if st.GetPredicateType() != PredicateType {
		return nil, invalidf("predicate type", "%q, expected %q", clip(st.GetPredicateType(), 80), PredicateType)
	}
	p, err := decodePredicate(&st)
	if err != nil {
		return nil, err
	}
	subjects, err := subjectsOf(&st)
	if err != nil {
		return nil, err
	}
	if err := checkConsistent(p, subjects); err != nil {
		return nil, err
	}
	if o.Exam != nil {
		if err := checkExam(p, subjects, o, pub); err != nil {
			return nil, err
		}
	}
	for _, l := range p.Labs {
		if o.LabDigest == nil {
			break
		}
		want, err := o.LabDigest(l.ID)
		if err != nil {
			return nil, invalidf("subject "+SubjectLab+l.ID, "nothing in %s to compare with: %v", o.LabSource, err)
		}
		if got := subjectDigest(subjects, SubjectLab+l.ID); got != want {
			return nil, invalidf("subject "+SubjectLab+l.ID, "digest %s… differs from the lab in %s (%s…): graded against another definition",
				short(got), o.LabSource, short(want))
		}
	}
	return &Verified{Predicate: p, Subjects: subjects, KeyID: KeyID(pub)}, nil
}

func decodePredicate(st *ita1.Statement) (*Predicate, error) {
	raw, err := protojson.Marshal(st.GetPredicate())
	if err != nil {
		return nil, invalidf("predicate", "%v", err)
	}
	var p Predicate
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, invalidf("predicate", "not an opslab exam result: %v", err)
	}
	if len(p.Labs) == 0 {
		return nil, invalidf("predicate", "no lab results")
	}
	seen := map[string]bool{}
	for i, l := range p.Labs {
		if l.Result == nil || l.Result.Schema != grader.ResultSchema || l.Result.Lab.ID != l.ID {
			return nil, invalidf("predicate", "lab %d (%s): not a complete %s document", i+1, QuoteUntrusted(l.ID), grader.ResultSchema)
		}
		if seen[l.ID] {
			return nil, invalidf("predicate", "lab %s is listed twice: its points would count twice", QuoteUntrusted(l.ID))
		}
		seen[l.ID] = true
	}
	return &p, nil
}

func subjectsOf(st *ita1.Statement) ([]Subject, error) {
	var out []Subject
	seen := map[string]bool{}
	for _, s := range st.GetSubject() {
		d := s.GetDigest()["sha256"]
		if !isHexDigest(d) {
			return nil, invalidf("subject "+QuoteUntrusted(s.GetName()), "no sha256 digest")
		}
		if seen[s.GetName()] {
			return nil, invalidf("subject "+QuoteUntrusted(s.GetName()), "listed twice")
		}
		seen[s.GetName()] = true
		out = append(out, Subject{Name: s.GetName(), SHA256: d})
	}
	return out, nil
}

func subjectDigest(subjects []Subject, name string) string {
	for _, s := range subjects {
		if s.Name == name {
			return s.SHA256
		}
	}
	return ""
}

// checkConsistent makes sure the subjects and the predicate tell one story:
// a digest swapped in either is caught even without the exam at hand.
func checkConsistent(p *Predicate, subjects []Subject) error {
	examSubject := SubjectExam + p.Exam.Name
	if got := subjectDigest(subjects, examSubject); got == "" || got != p.Exam.Digest {
		return invalidf("subject "+QuoteUntrusted(examSubject), "digest %q does not match the exam the result names (%q)", short(got), short(p.Exam.Digest))
	}
	if p.SubmittedAt.After(p.Deadline.Add(SnapshotGrace)) && !p.SnapshotLate {
		return invalidf("deadline", "the work was frozen at %s, after the deadline %s, and the result does not say it was late",
			p.SubmittedAt.UTC().Format(time.RFC3339), p.Deadline.UTC().Format(time.RFC3339))
	}
	results := make([]*grader.Result, 0, len(p.Labs))
	for _, l := range p.Labs {
		if score, max := l.Result.Tally(); score != l.Result.Score || max != l.Result.MaxScore {
			return invalidf("verdict", "lab %s says %g/%g, its checks add up to %g/%g", QuoteUntrusted(l.ID), l.Result.Score, l.Result.MaxScore, score, max)
		}
		for _, t := range l.Result.Tasks {
			if t.Status == grader.StatusPass && !t.ChecksPass() {
				return invalidf("verdict", "lab %s: task %s says pass, but not all of its checks passed", QuoteUntrusted(l.ID), QuoteUntrusted(t.ID))
			}
		}
		name := SubjectLab + l.ID
		if got := subjectDigest(subjects, name); got == "" || got != l.Result.Lab.Digest {
			return invalidf("subject "+QuoteUntrusted(name), "digest %q does not match the graded lab's digest (%q)", short(got), short(l.Result.Lab.Digest))
		}
		if subjectDigest(subjects, SubjectWorkspace+l.ID) == "" {
			return invalidf("subject "+QuoteUntrusted(SubjectWorkspace+l.ID), "missing: the workspace snapshot that was graded")
		}
		results = append(results, l.Result)
	}
	graded := map[string]bool{}
	for _, l := range p.Labs {
		graded[l.ID] = true
	}
	for _, s := range subjects {
		if !subjectOfResult(s.Name, examSubject, graded) {
			return invalidf("subject "+QuoteUntrusted(s.Name), "not of the exam or a lab this result grades")
		}
	}
	score, max, percent, passed := Verdict(p.PassMark, results)
	if score != p.Score || max != p.MaxScore || percent != p.Percent || passed != p.Passed {
		return invalidf("verdict", "the result says %g/%g (%g%%, passed=%t), its labs add up to %g/%g (%g%%, passed=%t)",
			p.Score, p.MaxScore, p.Percent, p.Passed, score, max, percent, passed)
	}
	return nil
}

// subjectOfResult is whether name is a subject opslab writes for this
// result: its exam, or the definition, workspace or a node's image of a lab
// it grades.
func subjectOfResult(name, examSubject string, graded map[string]bool) bool {
	if name == examSubject {
		return true
	}
	for _, prefix := range []string{SubjectLab, SubjectWorkspace} {
		if id, ok := strings.CutPrefix(name, prefix); ok {
			return graded[id]
		}
	}
	if rest, ok := strings.CutPrefix(name, SubjectImage); ok {
		id, node, ok := strings.Cut(rest, "/")
		return ok && node != "" && graded[id]
	}
	return false
}

func checkExam(p *Predicate, subjects []Subject, o VerifyOptions, pub ed25519.PublicKey) error {
	examSubject := SubjectExam + p.Exam.Name
	if got, want := FileDigest(o.Exam), subjectDigest(subjects, examSubject); got != want {
		return invalidf("subject "+QuoteUntrusted(examSubject), "%s has digest %s…, the result was graded for %s…: another or an edited exam file",
			o.ExamName, short(got), short(want))
	}
	e, err := OpenExam(o.Exam, o.ExamName, pub)
	if err != nil {
		return err
	}
	if e.Name != p.Exam.Name {
		return invalidf("exam", "the result names exam %s, %s is exam %s", QuoteUntrusted(p.Exam.Name), o.ExamName, e.Name)
	}
	if want := e.Deadline(p.StartedAt); !p.Deadline.Equal(want) {
		return invalidf("deadline", "%s, but %s gives %d minutes from the start (%s): the time limit was moved",
			p.Deadline.UTC().Format(time.RFC3339), o.ExamName, e.Minutes, want.UTC().Format(time.RFC3339))
	}
	if e.Pass != p.PassMark {
		return invalidf("verdict", "pass mark %g in the result, %g in %s", p.PassMark, e.Pass, o.ExamName)
	}
	if len(e.Labs) != len(p.Labs) {
		return invalidf("exam", "%s has %d labs, the result %d", o.ExamName, len(e.Labs), len(p.Labs))
	}
	for _, l := range p.Labs {
		el, ok := e.Lab(l.ID)
		if !ok {
			return invalidf("subject "+QuoteUntrusted(SubjectLab+l.ID), "%s has no lab %s", o.ExamName, QuoteUntrusted(l.ID))
		}
		if got := subjectDigest(subjects, SubjectLab+l.ID); got != el.Digest {
			return invalidf("subject "+SubjectLab+l.ID, "digest %s… differs from the exam's %s…", short(got), short(el.Digest))
		}
	}
	return nil
}

func short(d string) string {
	if len(d) > 12 {
		return d[:12]
	}
	return fmt.Sprint(d)
}
