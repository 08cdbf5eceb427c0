package exam

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"math"
	"time"

	ita1 "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/opslab/opslab/grader"
)

// PredicateType names the predicate of a signed exam result.
const PredicateType = "https://opslab.dev/exam-result/v1"

// Subject name prefixes: what each digest in the statement is of.
const (
	SubjectExam      = "exam:"      // the exam file's bytes
	SubjectLab       = "lab:"       // a lab definition (spec.ComputeDigest)
	SubjectImage     = "image:"     // an image a node ran: image:<lab>/<node>
	SubjectWorkspace = "workspace:" // the workspace snapshot of a lab (DigestDir)
)

// Predicate is what the examiner's signature vouches for: the complete
// result of every lab, the exam's verdict, who, when, and how it was graded.
type Predicate struct {
	Exam          ExamRef     `json:"exam"`
	Candidate     string      `json:"candidate"`
	Session       string      `json:"session"`
	StartedAt     time.Time   `json:"started_at"`
	Deadline      time.Time   `json:"deadline"`
	SubmittedAt   time.Time   `json:"submitted_at"`  // when the snapshot was taken (submit or time up)
	SnapshotLate  bool        `json:"snapshot_late"` // taken after the deadline (beyond SnapshotGrace): work after the limit may count
	GradedAt      time.Time   `json:"graded_at"`
	OpslabVersion string      `json:"opslab_version"`
	Proctored     bool        `json:"proctored"`
	ProctoredHow  string      `json:"proctored_how"` // why proctored is what it is
	Engine        string      `json:"engine"`        // the Docker endpoint the grade ran against
	Score         float64     `json:"score"`
	MaxScore      float64     `json:"max_score"`
	Percent       float64     `json:"percent"`
	PassMark      float64     `json:"pass_mark"`
	Passed        bool        `json:"passed"`
	Labs          []LabResult `json:"labs"`
}

// ExamRef names the exam a result is for.
type ExamRef struct {
	Name   string `json:"name"`
	Digest string `json:"digest"`
}

// LabResult is one lab's part: the params the candidate had and the complete
// opslab/result/v1 document.
type LabResult struct {
	ID     string            `json:"id"`
	Params map[string]string `json:"params"`
	Result *grader.Result    `json:"result"`
}

// Subject is one digest the statement binds.
type Subject struct {
	Name   string
	SHA256 string
}

// Verdict is the exam's verdict over its labs' results: passed when the
// candidate reached the pass mark (percent of all points) and every required
// task of every lab passed.
func Verdict(pass float64, results []*grader.Result) (score, max, percent float64, passed bool) {
	passed = true
	for _, r := range results {
		score += r.Score
		max += r.MaxScore
		for _, t := range r.Tasks {
			if t.Required && t.Status != grader.StatusPass {
				passed = false
			}
		}
	}
	if max > 0 {
		percent = math.Round(score/max*10000) / 100
	}
	return score, max, percent, passed && percent >= pass
}

// SignResult builds the in-toto Statement over subjects and p and signs it
// with priv into a DSSE envelope (JSON).
func SignResult(priv ed25519.PrivateKey, subjects []Subject, p *Predicate) ([]byte, error) {
	st := &ita1.Statement{Type: ita1.StatementTypeUri, PredicateType: PredicateType}
	for _, s := range subjects {
		st.Subject = append(st.Subject, &ita1.ResourceDescriptor{Name: s.Name, Digest: map[string]string{"sha256": s.SHA256}})
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	if st.Predicate, err = structpb.NewStruct(m); err != nil {
		return nil, fmt.Errorf("building the statement: %w", err)
	}
	if err := st.Validate(); err != nil {
		return nil, fmt.Errorf("building the statement: %w", err)
	}
	payload, err := protojson.Marshal(st)
	if err != nil {
		return nil, err
	}
	return signEnvelope(priv, PayloadTypeInToto, payload)
}
