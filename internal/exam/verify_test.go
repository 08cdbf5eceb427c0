package exam

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opslab/opslab/grader"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
)

// wantInvalid fails unless err is an *InvalidError whose What contains what.
func wantInvalid(t *testing.T, err error, what string) {
	t.Helper()
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("want an invalid result (%s), got %T: %v", what, err, err)
	}
	if !strings.Contains(inv.What, what) {
		t.Fatalf("want failure in %q, got %q: %v", what, inv.What, err)
	}
}

func wantBadInput(t *testing.T, err error) {
	t.Helper()
	var bad *BadInputError
	if !errors.As(err, &bad) {
		t.Fatalf("want bad input, got %T: %v", err, err)
	}
}

func TestVerifyValid(t *testing.T) {
	f := newFixture(t)
	v, err := VerifyResult(f.result, "r.json", f.pub, VerifyOptions{Exam: f.examFile, ExamName: "x.exam", LabDigest: labDigests(map[string]string{"web": digestA})})
	if err != nil {
		t.Fatal(err)
	}
	p := v.Predicate
	if p.Candidate != "alice@example.org" || p.Score != 3 || p.MaxScore != 4 || p.Percent != 75 || !p.Passed || p.Proctored {
		t.Fatalf("predicate = %+v", p)
	}
	if len(p.Labs) != 1 || len(p.Labs[0].Result.Tasks) != 2 || p.Labs[0].Result.Tasks[1].Checks[0].Message != "exit 1" {
		t.Fatalf("the complete result did not survive: %+v", p.Labs)
	}
	if len(v.Subjects) != 4 {
		t.Fatalf("subjects = %v", v.Subjects)
	}
}

func envelopeOf(t *testing.T, data []byte) dsse.Envelope {
	t.Helper()
	var env dsse.Envelope
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	return env
}

func marshal(t *testing.T, env dsse.Envelope) []byte {
	t.Helper()
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// otherB64 is a base64 character other than c.
func otherB64(c byte) byte {
	if c == 'A' {
		return 'B'
	}
	return 'A'
}

func TestEveryPayloadByteTampered(t *testing.T) {
	f := newFixture(t)
	env := envelopeOf(t, f.result)
	for i := range len(env.Payload) {
		e := env
		b := []byte(e.Payload)
		if b[i] == '=' {
			continue // padding: changing it breaks the base64, tested with the others below
		}
		b[i] = otherB64(b[i])
		e.Payload = string(b)
		_, err := VerifyResult(marshal(t, e), "r.json", f.pub, VerifyOptions{})
		var inv *InvalidError
		if !errors.As(err, &inv) {
			t.Fatalf("payload byte %d changed: want invalid, got %v", i, err)
		}
	}
}

func TestEverySignatureByteTampered(t *testing.T) {
	f := newFixture(t)
	env := envelopeOf(t, f.result)
	for i := range len(env.Signatures[0].Sig) {
		e := env
		e.Signatures = []dsse.Signature{env.Signatures[0]}
		b := []byte(e.Signatures[0].Sig)
		b[i] = otherB64(b[i])
		e.Signatures[0].Sig = string(b)
		_, err := VerifyResult(marshal(t, e), "r.json", f.pub, VerifyOptions{})
		wantInvalid(t, err, "signature")
	}
}

func TestTamperedDecodedPayload(t *testing.T) {
	f := newFixture(t)
	env := envelopeOf(t, f.result)
	payload, _ := base64.StdEncoding.DecodeString(env.Payload)
	for i := 0; i < len(payload); i += 7 {
		p := append([]byte(nil), payload...)
		p[i] ^= 0x01
		e := env
		e.Payload = base64.StdEncoding.EncodeToString(p)
		_, err := VerifyResult(marshal(t, e), "r.json", f.pub, VerifyOptions{})
		wantInvalid(t, err, "signature")
	}
}

func TestOtherKey(t *testing.T) {
	f := newFixture(t)
	other, _ := newKey(t)
	_, err := VerifyResult(f.result, "r.json", other, VerifyOptions{})
	wantInvalid(t, err, "signature")
	// Signed by another key altogether: the forger's own, valid envelope.
	_, otherPriv := newKey(t)
	forged, err := SignResult(otherPriv, f.subjects, f.pred)
	if err != nil {
		t.Fatal(err)
	}
	_, err = VerifyResult(forged, "r.json", f.pub, VerifyOptions{})
	wantInvalid(t, err, "signature")
}

func TestWrongPayloadType(t *testing.T) {
	f := newFixture(t)
	_, err := VerifyResult(f.examFile, "x.exam", f.pub, VerifyOptions{})
	wantInvalid(t, err, "payload type")
	env := envelopeOf(t, f.result)
	env.PayloadType = "application/json"
	_, err = VerifyResult(marshal(t, env), "r.json", f.pub, VerifyOptions{})
	wantInvalid(t, err, "payload type")
}

func TestSwappedSubjectDigest(t *testing.T) {
	f := newFixture(t)
	swap := func(name, digest string) []Subject {
		out := append([]Subject(nil), f.subjects...)
		for i := range out {
			if out[i].Name == name {
				out[i].SHA256 = digest
			}
		}
		return out
	}
	other := strings.Repeat("d", 64)
	// Swapped in the payload without the key: the signature breaks.
	env := envelopeOf(t, f.result)
	payload, _ := base64.StdEncoding.DecodeString(env.Payload)
	env.Payload = base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(payload), digestA, other, 1)))
	_, err := VerifyResult(marshal(t, env), "r.json", f.pub, VerifyOptions{})
	wantInvalid(t, err, "signature")

	// Signed that way (a buggy or dishonest grader): the subjects and the results disagree.
	_, err = VerifyResult(f.resign(t, swap("lab:web", other), f.pred), "r.json", f.pub, VerifyOptions{})
	wantInvalid(t, err, "subject \"lab:web\"")
	_, err = VerifyResult(f.resign(t, swap("exam:cka-prep", other), f.pred), "r.json", f.pub, VerifyOptions{})
	wantInvalid(t, err, "subject \"exam:cka-prep\"")

	// Lab subject and result agree, but not with the lab at hand (--content).
	p := *f.pred
	p.Labs = []LabResult{f.pred.Labs[0]}
	res := *p.Labs[0].Result
	res.Lab.Digest = other
	p.Labs[0].Result = &res
	signed := f.resign(t, swap("lab:web", other), &p)
	if _, err := VerifyResult(signed, "r.json", f.pub, VerifyOptions{}); err != nil {
		t.Fatalf("consistent result: %v", err)
	}
	_, err = VerifyResult(signed, "r.json", f.pub, VerifyOptions{LabDigest: labDigests(map[string]string{"web": digestA}), LabSource: "content/"})
	wantInvalid(t, err, "subject lab:web")
	_, err = VerifyResult(signed, "r.json", f.pub, VerifyOptions{Exam: f.examFile, ExamName: "x.exam"})
	wantInvalid(t, err, "subject lab:web")
}

func TestVerdictMustFollowFromResults(t *testing.T) {
	f := newFixture(t)
	p := *f.pred
	p.Score = 4
	p.Percent = 100
	_, err := VerifyResult(f.resign(t, f.subjects, &p), "r.json", f.pub, VerifyOptions{})
	wantInvalid(t, err, "verdict")
}

func TestExamEditedAfterSigning(t *testing.T) {
	f := newFixture(t)
	env := envelopeOf(t, f.examFile)
	payload, _ := base64.StdEncoding.DecodeString(env.Payload)
	edited := strings.Replace(string(payload), `"minutes":90`, `"minutes":900`, 1)
	if edited == string(payload) {
		t.Fatal("fixture: minutes not found in the exam payload")
	}
	env.Payload = base64.StdEncoding.EncodeToString([]byte(edited))
	editedFile := marshal(t, env)
	_, err := OpenExam(editedFile, "x.exam", nil)
	wantInvalid(t, err, "signature")
	_, err = VerifyResult(f.result, "r.json", f.pub, VerifyOptions{Exam: editedFile, ExamName: "x.exam"})
	wantInvalid(t, err, "subject \"exam:cka-prep\"")

	// Edited and signed again by its examiner: a different exam, not the one graded.
	e := *f.exam
	e.Minutes = 900
	resigned, err := SignExam(&e, f.priv)
	if err != nil {
		t.Fatal(err)
	}
	_, err = VerifyResult(f.result, "r.json", f.pub, VerifyOptions{Exam: resigned, ExamName: "x.exam"})
	wantInvalid(t, err, "subject \"exam:cka-prep\"")

	// Signed by someone else: refused against the examiner's key.
	_, otherPriv := newKey(t)
	e2 := *f.exam
	e2.Examiner = encodeB64(mustDER(t, otherPriv))
	forged, err := SignExam(&e2, otherPriv)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenExam(forged, "x.exam", f.pub)
	wantInvalid(t, err, "signature")
}

func TestBadInputFiles(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	cases := map[string][]byte{
		"empty":     {},
		"truncated": f.result[:len(f.result)/2],
		"not json":  []byte("hello\n"),
		"json null": []byte("null"),
		"array":     []byte("[]"),
		"trailing":  append(append([]byte(nil), f.result...), []byte("{}")...),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			p := writeFile(t, dir, strings.ReplaceAll(name, " ", "-"), data)
			b, err := ReadLimited(p, MaxFile)
			if err == nil {
				_, err = VerifyResult(b, p, f.pub, VerifyOptions{})
			}
			wantBadInput(t, err)
			if !strings.Contains(err.Error(), p) {
				t.Errorf("the message does not name the file: %v", err)
			}
		})
	}
	t.Run("100MB", func(t *testing.T) {
		p := filepath.Join(dir, "big.json")
		fh, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := fh.Truncate(100 << 20); err != nil { // sparse: no 100 MB written to disk
			t.Fatal(err)
		}
		fh.Close()
		_, err = ReadLimited(p, MaxFile)
		wantBadInput(t, err)
		if !strings.Contains(err.Error(), "larger than") {
			t.Errorf("message: %v", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, err := ReadLimited(filepath.Join(dir, "nope.json"), MaxFile)
		wantBadInput(t, err)
	})
	t.Run("folder", func(t *testing.T) {
		_, err := ReadLimited(dir, MaxFile)
		wantBadInput(t, err)
	})
}

// A lab counted twice in the predicate (and so another of the exam's labs
// left out) is not a result of the exam: the score would add one lab twice.
func TestDuplicateLabInPredicate(t *testing.T) {
	f := newFixture(t)
	p := *f.pred
	p.Labs = []LabResult{f.pred.Labs[0], f.pred.Labs[0]}
	var results []*grader.Result
	for _, l := range p.Labs {
		results = append(results, l.Result)
	}
	p.Score, p.MaxScore, p.Percent, p.Passed = Verdict(p.PassMark, results)
	_, err := VerifyResult(f.resign(t, f.subjects, &p), "r.json", f.pub, VerifyOptions{})
	wantInvalid(t, err, "predicate")

	// With the exam at hand: two labs in the exam, one of them twice in the result.
	e := *f.exam
	e.Labs = []Lab{{ID: "web", Digest: digestA}, {ID: "db", Digest: strings.Repeat("e", 64)}}
	examFile, err := SignExam(&e, f.priv)
	if err != nil {
		t.Fatal(err)
	}
	p.Exam.Digest = FileDigest(examFile)
	subjects := append([]Subject(nil), f.subjects...)
	subjects[0].SHA256 = p.Exam.Digest
	_, err = VerifyResult(f.resign(t, subjects, &p), "r.json", f.pub, VerifyOptions{Exam: examFile, ExamName: "x.exam"})
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("a result with lab web twice and no lab db verified against the exam: %v", err)
	}
}

// The exam's name in the result is the name of the exam file it was graded for.
func TestExamNameMustMatchExamFile(t *testing.T) {
	f := newFixture(t)
	p := *f.pred
	p.Exam.Name = "cka-final"
	subjects := append([]Subject(nil), f.subjects...)
	subjects[0].Name = SubjectExam + "cka-final"
	signed := f.resign(t, subjects, &p)
	_, err := VerifyResult(signed, "r.json", f.pub, VerifyOptions{Exam: f.examFile, ExamName: "x.exam"})
	wantInvalid(t, err, "exam")
}

// The time limit is the exam's: a deadline moved later (an edited exam
// state) or work frozen after the deadline without saying so is invalid.
func TestDeadlineFollowsFromExam(t *testing.T) {
	f := newFixture(t)
	p := *f.pred
	p.Deadline = p.StartedAt.Add(150 * time.Minute)
	p.SubmittedAt = p.StartedAt.Add(140 * time.Minute)
	signed := f.resign(t, f.subjects, &p)
	_, err := VerifyResult(signed, "r.json", f.pub, VerifyOptions{Exam: f.examFile, ExamName: "x.exam"})
	wantInvalid(t, err, "deadline")

	p = *f.pred
	p.SubmittedAt = p.Deadline.Add(10 * time.Minute) // after the deadline, not marked late
	_, err = VerifyResult(f.resign(t, f.subjects, &p), "r.json", f.pub, VerifyOptions{})
	wantInvalid(t, err, "deadline")
	p.SnapshotLate = true // said so: valid, and verify prints it
	if _, err := VerifyResult(f.resign(t, f.subjects, &p), "r.json", f.pub, VerifyOptions{}); err != nil {
		t.Fatalf("a late snapshot that says so: %v", err)
	}
}

// A result signed by another key for this exam: refused against that key
// too when --exam is given, since the exam names its examiner.
func TestResultByOtherKeyForThisExam(t *testing.T) {
	f := newFixture(t)
	otherPub, otherPriv := newKey(t)
	forged, err := SignResult(otherPriv, f.subjects, f.pred)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyResult(forged, "r.json", otherPub, VerifyOptions{}); err != nil {
		t.Fatalf("without the exam, the other key's own result is consistent: %v", err)
	}
	_, err = VerifyResult(forged, "r.json", otherPub, VerifyOptions{Exam: f.examFile, ExamName: "x.exam"})
	wantInvalid(t, err, "signature")
}

// Digests are lowercase hex, as sha256 sums are written: an uppercase digest
// is another spelling of one value and is refused, not compared loosely.
func TestDigestsAreLowercaseHex(t *testing.T) {
	f := newFixture(t)
	subjects := append([]Subject(nil), f.subjects...)
	subjects[2].SHA256 = strings.ToUpper(subjects[2].SHA256)
	_, err := VerifyResult(f.resign(t, subjects, f.pred), "r.json", f.pub, VerifyOptions{})
	wantInvalid(t, err, "subject")
}

// A lab's score is what its tasks earned: a result whose score says more
// than its tasks add up to is invalid, even when the verdict agrees with it.
func TestLabScoreFollowsFromTasks(t *testing.T) {
	f := newFixture(t)
	p := *f.pred
	res := *p.Labs[0].Result
	res.Score = 4 // tasks earned 3
	p.Labs = []LabResult{{ID: "web", Params: p.Labs[0].Params, Result: &res}}
	p.Score, p.MaxScore, p.Percent, p.Passed = Verdict(p.PassMark, []*grader.Result{&res})
	_, err := VerifyResult(f.resign(t, f.subjects, &p), "r.json", f.pub, VerifyOptions{})
	wantInvalid(t, err, "verdict")
}

// Every subject is of the exam or of a lab the result grades: a subject for
// another exam or lab would be vouched for by the signature and graded by no one.
func TestSubjectsNameOnlyTheGradedLabs(t *testing.T) {
	f := newFixture(t)
	for _, extra := range []Subject{
		{SubjectLab + "db", digestA},
		{SubjectWorkspace + "db", digestA},
		{SubjectImage + "db/app", digestA},
		{SubjectExam + "other", digestA},
	} {
		subjects := append(append([]Subject(nil), f.subjects...), extra)
		_, err := VerifyResult(f.resign(t, subjects, f.pred), "r.json", f.pub, VerifyOptions{})
		wantInvalid(t, err, "subject")
	}
}

// A required task is passed only when its checks passed: a task marked pass
// over a failed check does not make the candidate pass.
func TestRequiredTaskStatusFollowsFromChecks(t *testing.T) {
	f := newFixture(t)
	res := *f.pred.Labs[0].Result
	res.Tasks = append([]grader.TaskResult(nil), res.Tasks...)
	up := res.Tasks[0]
	up.Checks = []grader.CheckResult{up.Checks[0], {ID: "c1b", Kind: "command", Status: grader.StatusFail, Message: "exit 1", Attempts: 1}}
	up.Earned = 1.5 // what its checks give; its status still says pass
	res.Tasks[0] = up
	res.Score, res.MaxScore = res.Tally()
	p := *f.pred
	p.PassMark = 30
	p.Labs = []LabResult{{ID: "web", Params: f.pred.Labs[0].Params, Result: &res}}
	p.Score, p.MaxScore, p.Percent, p.Passed = Verdict(p.PassMark, []*grader.Result{&res})
	_, err := VerifyResult(f.resign(t, f.subjects, &p), "r.json", f.pub, VerifyOptions{})
	wantInvalid(t, err, "verdict")
}

// labDigests is a VerifyOptions.LabDigest over a fixed set of labs.
func labDigests(m map[string]string) func(string) (string, error) {
	return func(id string) (string, error) {
		if d, ok := m[id]; ok {
			return d, nil
		}
		return "", fmt.Errorf("no lab %s", id)
	}
}

// A lab of the result that cannot be compared says why.
func TestContentWithoutTheLab(t *testing.T) {
	f := newFixture(t)
	_, err := VerifyResult(f.result, "r.json", f.pub, VerifyOptions{LabSource: "content/", LabDigest: func(string) (string, error) {
		return "", errors.New("lab.yaml:3: nodes: expected a list")
	}})
	wantInvalid(t, err, "subject lab:web")
	if !strings.Contains(err.Error(), "lab.yaml:3") {
		t.Fatalf("the reason is lost: %v", err)
	}
}
