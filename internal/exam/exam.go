package exam

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"time"
)

// ExamSchema names the exam file's payload format.
const ExamSchema = "opslab/exam/v1"

// MaxFile bounds every file opslab reads as an exam or a result.
const MaxFile = 16 << 20

// Exam is what an examiner signs: which labs (pinned by digest), how long,
// the pass mark, and the secret seed each candidate's params come from.
type Exam struct {
	Schema    string    `json:"schema"`
	Name      string    `json:"name"`
	Labs      []Lab     `json:"labs"`
	Minutes   int       `json:"minutes"`
	Pass      float64   `json:"pass"`       // percent of all points
	SelfCheck bool      `json:"self_check"` // candidates may see per-task pass/fail
	Seed      string    `json:"seed"`       // hex, 32 bytes: whoever holds the file can derive params
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`  // no exam starts after this
	Examiner  string    `json:"examiner"` // the signer's public key, PKIX DER in base64
}

// Lab is one lab of an exam, pinned to the digest of its definition.
type Lab struct {
	ID     string `json:"id"`
	Digest string `json:"digest"`
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// NewExam makes an exam with a fresh random seed, signed by priv's public half.
func NewExam(name string, labs []Lab, minutes int, pass float64, selfCheck bool, now time.Time, validFor time.Duration, pub ed25519.PublicKey) (*Exam, error) {
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	e := &Exam{Schema: ExamSchema, Name: name, Labs: labs, Minutes: minutes, Pass: pass, SelfCheck: selfCheck,
		Seed: hex.EncodeToString(seed), Created: now.UTC().Truncate(time.Second),
		Expires: now.UTC().Add(validFor).Truncate(time.Second), Examiner: encodeB64(der)}
	return e, e.Validate()
}

// Validate checks what an exam must hold to be usable.
func (e *Exam) Validate() error {
	bad := func(f string, a ...any) error {
		return &BadInputError{Msg: "exam: " + fmt.Sprintf(f, a...)}
	}
	switch {
	case e.Schema != ExamSchema:
		return bad("schema %q, expected %q (made by another opslab version?)", clip(e.Schema, 40), ExamSchema)
	case !nameRE.MatchString(e.Name):
		return bad("name %q: letters, digits, '.', '_' and '-', at most 64", clip(e.Name, 80))
	case len(e.Labs) == 0:
		return bad("no labs")
	case e.Minutes < 1 || e.Minutes > 24*60:
		return bad("minutes %d: between 1 and 1440", e.Minutes)
	case e.Pass <= 0 || e.Pass > 100:
		return bad("pass mark %g: a percentage above 0, at most 100", e.Pass)
	case len(e.Seed) != 64:
		return bad("the seed must be 32 bytes in hex")
	case !e.Expires.After(e.Created):
		return bad("expires (%s) is not after created (%s)", e.Expires.Format(time.RFC3339), e.Created.Format(time.RFC3339))
	}
	if _, err := hex.DecodeString(e.Seed); err != nil {
		return bad("the seed is not hex")
	}
	seen := map[string]bool{}
	for _, l := range e.Labs {
		if !nameRE.MatchString(l.ID) || seen[l.ID] {
			return bad("lab %q: invalid or listed twice", clip(l.ID, 80))
		}
		if !isHexDigest(l.Digest) {
			return bad("lab %s: digest %q is not a sha256 in hex", l.ID, clip(l.Digest, 80))
		}
		seen[l.ID] = true
	}
	return nil
}

// ExaminerKey is the public key the exam says signed it.
func (e *Exam) ExaminerKey() (ed25519.PublicKey, error) {
	der, err := decodeB64(e.Examiner)
	if err != nil {
		return nil, &BadInputError{Msg: "exam: the examiner key is not base64"}
	}
	return ParsePublicKeyDER(der, "exam's examiner key")
}

// Deadline is when time is up for a candidate who started at start.
func (e *Exam) Deadline(start time.Time) time.Time {
	return start.Add(time.Duration(e.Minutes) * time.Minute)
}

// Lab returns the exam's entry for id.
func (e *Exam) Lab(id string) (Lab, bool) {
	for _, l := range e.Labs {
		if l.ID == id {
			return l, true
		}
	}
	return Lab{}, false
}

// SignExam writes an exam file: a DSSE envelope signed with priv, whose
// public half must be the exam's examiner key.
func SignExam(e *Exam, priv ed25519.PrivateKey) ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	k, err := e.ExaminerKey()
	if err != nil {
		return nil, err
	}
	if !k.Equal(priv.Public()) {
		return nil, fmt.Errorf("the exam names another examiner key than the one signing it")
	}
	payload, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	return signEnvelope(priv, PayloadTypeExam, payload)
}

// OpenExam reads an exam file. With pub nil it checks the signature against
// the key the exam names (which catches edits, not a forger's own exam); with
// pub given, the exam must be signed by exactly that key.
func OpenExam(data []byte, name string, pub ed25519.PublicKey) (*Exam, error) {
	env, payload, err := parseEnvelope(data, name)
	if err != nil {
		return nil, err
	}
	if env.PayloadType != PayloadTypeExam {
		return nil, invalidf("payload type", "%s is not an exam file: payload type %q, expected %q", name, clip(env.PayloadType, 80), PayloadTypeExam)
	}
	var e Exam
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return nil, invalidf("exam", "%s: the signed content is not an exam: %v", name, err)
	}
	named, err := e.ExaminerKey()
	if err != nil {
		return nil, err
	}
	if pub != nil && !named.Equal(pub) {
		return nil, invalidf("signature", "%s was signed by the key %s…, not by the given public key %s…", name, KeyID(named)[:16], KeyID(pub)[:16])
	}
	if err := verifySignature(env, named); err != nil {
		return nil, invalidf("signature", "%s: the exam was altered after it was signed", name)
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return &e, nil
}

// FileDigest is the sha256 (hex) of a file's bytes, as subjects name it.
func FileDigest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// isHexDigest is a sha256 written as FileDigest writes it: 64 lowercase hex
// digits. Another spelling of one value is refused, never compared loosely.
func isHexDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	b, err := hex.DecodeString(s)
	return err == nil && hex.EncodeToString(b) == s
}

// SnapshotGrace is how long after the deadline the deadline keeper may take
// the snapshot without it counting as late (it wakes at the deadline, not on
// it). A snapshot taken later says it was late: work went on past the limit.
const SnapshotGrace = 5 * time.Second

// ExpiredError is an exam started after its expiry.
type ExpiredError struct{ Expires time.Time }

func (e *ExpiredError) Error() string {
	return fmt.Sprintf("the exam expired at %s: ask the examiner for a new exam file", e.Expires.UTC().Format(time.RFC3339))
}

// CheckStartable refuses an exam that expired or is not valid yet at now.
func (e *Exam) CheckStartable(now time.Time) error {
	if now.After(e.Expires) {
		return &ExpiredError{Expires: e.Expires}
	}
	if now.Add(5 * time.Minute).Before(e.Created) { // some clock skew between examiner and candidate
		return &BadInputError{Msg: fmt.Sprintf("the exam was created at %s, in the future of this machine's clock: check the clock", e.Created.Format(time.RFC3339))}
	}
	return nil
}
