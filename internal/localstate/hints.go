package localstate

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/opslab/opslab/grader"
)

// NoHintsError is a task without hints, or no such task: the learner asked for
// something the lab does not have (bad input, not a broken machine).
type NoHintsError struct{ Msg string }

func (e *NoHintsError) Error() string { return e.Msg }

// HintLookup returns a task's tiered hints.
type HintLookup func(labID, taskID string) ([]string, error)

// HintsFromTasks serves hints for one lab from its parsed tasks.
func HintsFromTasks(labID string, tasks []grader.Task) HintLookup {
	return func(lab, task string) ([]string, error) {
		if lab != labID {
			return nil, &NoHintsError{Msg: fmt.Sprintf("no lab %q", lab)}
		}
		for _, t := range tasks {
			if t.ID == task {
				return t.Hints, nil
			}
		}
		return nil, &NoHintsError{Msg: fmt.Sprintf("lab %s has no task %q", lab, task)}
	}
}

// HintStore remembers which hint tier each task has reached, per lab and
// session, in one JSON file per lab+session under Dir.
type HintStore struct {
	Dir     string
	Session string
	Lookup  HintLookup
}

type hintFile struct {
	Schema  string         `json:"schema"`
	Lab     string         `json:"lab"`
	Session string         `json:"session"`
	Tiers   map[string]int `json:"tiers"`
}

// NewHintStore returns a store under dir for one session.
func NewHintStore(dir, session string, lookup HintLookup) *HintStore {
	return &HintStore{Dir: dir, Session: session, Lookup: lookup}
}

// Next reveals the next hint tier for a task (tier is 1-based). Past the last
// tier it repeats the last hint rather than failing.
func (s *HintStore) Next(labID, taskID string) (hint string, tier, total int, err error) {
	hints, err := s.Lookup(labID, taskID)
	if err != nil {
		return "", 0, 0, err
	}
	if len(hints) == 0 {
		return "", 0, 0, &NoHintsError{Msg: fmt.Sprintf("task %s of lab %s has no hints", taskID, labID)}
	}
	f, err := s.load(labID)
	if err != nil {
		return "", 0, 0, err
	}
	tier = min(f.Tiers[taskID]+1, len(hints))
	f.Tiers[taskID] = tier
	if err := writeFileAtomic(s.path(labID), f); err != nil {
		return "", 0, 0, fmt.Errorf("couldn't save hint progress: %w", err)
	}
	return hints[tier-1], tier, len(hints), nil
}

// Used maps task id → tiers revealed, for Options.HintsUsed. An unreadable
// file counts as no hints used rather than blocking a grade.
func (s *HintStore) Used(labID string) map[string]int {
	f, err := s.load(labID)
	if err != nil {
		return map[string]int{}
	}
	return f.Tiers
}

func (s *HintStore) path(labID string) string {
	return filepath.Join(s.Dir, safeName(labID)+"--"+safeName(s.Session)+".hints.json")
}

func (s *HintStore) load(labID string) (*hintFile, error) {
	f := &hintFile{Schema: "opslab/hints/v1", Lab: labID, Session: s.Session, Tiers: map[string]int{}}
	b, err := os.ReadFile(s.path(labID))
	if errors.Is(err, os.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("couldn't read hint progress: %w", err)
	}
	if err := json.Unmarshal(b, f); err != nil {
		return nil, fmt.Errorf("hint progress file %s is corrupted (%v): remove it to start over", s.path(labID), err)
	}
	if f.Tiers == nil {
		f.Tiers = map[string]int{}
	}
	return f, nil
}

// safeName keeps ids usable as file names.
func safeName(s string) string {
	if s == "" {
		return "default"
	}
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == 0 || r == '.' && s == ".." {
			return '_'
		}
		return r
	}, s)
}

// writeFileAtomic writes JSON via a temp file and rename so a crash never
// leaves a half-written file.
func writeFileAtomic(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
