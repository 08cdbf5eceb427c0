package localstate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Exam is where a running exam is kept: <state>/exam/ holds state.json,
// the exam file as started, and the workspace snapshots. One exam at a time
// per state dir: the machine (or account) belongs to one candidate.
func (d Dirs) Exam() string { return filepath.Join(d.State, "exam") }

// ExamState is a candidate's exam on this machine. It survives stop, start
// and reset of the labs: their params come from here, not from a new draw.
type ExamState struct {
	ExamFile    string     `json:"exam_file"` // the copy under Dirs.Exam()
	ExamName    string     `json:"exam_name"`
	Candidate   string     `json:"candidate"`
	Session     string     `json:"session"`
	StartedAt   time.Time  `json:"started_at"`
	Deadline    time.Time  `json:"deadline"`
	SelfCheck   bool       `json:"self_check"`
	Labs        []ExamLab  `json:"labs"`
	Snapshot    *Snapshot  `json:"snapshot,omitempty"` // set at submit or when time ran out
	GradedAt    *time.Time `json:"graded_at,omitempty"`
	ResultsFile string     `json:"results_file,omitempty"`
}

// ExamLab is one lab of the exam as the candidate has it.
type ExamLab struct {
	ID        string            `json:"id"`
	Digest    string            `json:"digest"`
	Params    map[string]string `json:"params"`
	Workspace string            `json:"workspace"`
}

// Snapshot is the frozen workspaces: what is graded.
type Snapshot struct {
	TakenAt time.Time         `json:"taken_at"`
	Late    bool              `json:"late"`    // taken after the deadline (beyond exam.SnapshotGrace): work went on past it
	Dirs    map[string]string `json:"dirs"`    // lab id → copy
	Digests map[string]string `json:"digests"` // lab id → DigestDir of the copy
}

// Lab is the exam's entry for id, or nil.
func (s *ExamState) Lab(id string) *ExamLab {
	for i := range s.Labs {
		if s.Labs[i].ID == id {
			return &s.Labs[i]
		}
	}
	return nil
}

func examStatePath(dir string) string { return filepath.Join(dir, "state.json") }

// LoadExam reads the exam running under dir; nil and no error when none is.
func LoadExam(dir string) (*ExamState, error) {
	b, err := os.ReadFile(examStatePath(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the exam state: %w", err)
	}
	var s ExamState
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("the exam state %s is corrupted (%v): ask the proctor", examStatePath(dir), err)
	}
	return &s, nil
}

// SaveExam writes the state atomically (a crash never leaves half a file).
func SaveExam(dir string, s *ExamState) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving the exam state: %w", err)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := examStatePath(dir) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("saving the exam state: %w", err)
	}
	return os.Rename(tmp, examStatePath(dir))
}

// LockExam takes the exam's lock: the deadline keeper and `exam submit` may
// freeze the work at the same moment, and only one of them must.
func LockExam(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("locking the exam state: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking the exam state: %w", err)
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
