package localstate

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/opslab/opslab/grader"
)

// History keeps every result, one JSON file per grading run under
// Dir/<lab>/, so one bad file never costs the others.
type History struct {
	Dir string
	Now func() time.Time // for corrupt-file names; default time.Now
}

// LabProgress summarises the attempts at one lab.
type LabProgress struct {
	LabID       string
	BestScore   float64
	MaxScore    float64
	Passed      bool // any attempt passed
	LastAttempt time.Time
	Attempts    int
	TimeSpent   time.Duration // first attempt's start to last attempt's end
}

// CorruptFileError is a warning: an unreadable results file was moved aside.
type CorruptFileError struct {
	Path, MovedTo string
	Err           error
}

func (e *CorruptFileError) Error() string {
	return fmt.Sprintf("results file %s is corrupted (%v); moved it to %s", e.Path, e.Err, e.MovedTo)
}
func (e *CorruptFileError) Unwrap() error { return e.Err }

// NewHistory returns a store under dir.
func NewHistory(dir string) *History { return &History{Dir: dir, Now: time.Now} }

// Record stores a result in a new file; it never overwrites an earlier one.
func (h *History) Record(r *grader.Result) error {
	dir := filepath.Join(h.Dir, safeName(r.Lab.ID))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("couldn't record the result: %w", err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("couldn't record the result: %w", err)
	}
	base := r.StartedAt.UTC().Format("20060102T150405Z")
	for i := 1; i < 1000; i++ {
		name := base + ".json"
		if i > 1 {
			name = fmt.Sprintf("%s-%d.json", base, i)
		}
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("couldn't record the result: %w", err)
		}
		_, werr := f.Write(append(b, '\n'))
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("couldn't record the result: %w", werr)
		}
		return nil
	}
	return fmt.Errorf("couldn't record the result: too many results started at %s", base)
}

// Progress summarises every lab with results, sorted by lab id. Corrupted
// files come back as warnings (*CorruptFileError), renamed aside.
func (h *History) Progress() ([]LabProgress, []error, error) {
	files, err := filepath.Glob(filepath.Join(h.Dir, "*", "*.json"))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(files)
	byLab := map[string]*LabProgress{}
	firstStart := map[string]time.Time{}
	var warnings []error
	for _, path := range files {
		r, err := readResult(path)
		if err != nil {
			warnings = append(warnings, h.moveAside(path, err))
			continue
		}
		p := byLab[r.Lab.ID]
		if p == nil {
			p = &LabProgress{LabID: r.Lab.ID}
			byLab[r.Lab.ID] = p
		}
		p.Attempts++
		if r.Score > p.BestScore || p.Attempts == 1 {
			p.BestScore, p.MaxScore = r.Score, r.MaxScore
		}
		p.Passed = p.Passed || r.Passed
		if r.FinishedAt.After(p.LastAttempt) {
			p.LastAttempt = r.FinishedAt
		}
		if fs, ok := firstStart[r.Lab.ID]; !ok || r.StartedAt.Before(fs) {
			firstStart[r.Lab.ID] = r.StartedAt
		}
	}
	out := make([]LabProgress, 0, len(byLab))
	for id, p := range byLab {
		p.TimeSpent = p.LastAttempt.Sub(firstStart[id])
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LabID < out[j].LabID })
	return out, warnings, nil
}

func readResult(path string) (*grader.Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r grader.Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	if r.Schema != grader.ResultSchema || r.Lab.ID == "" {
		return nil, fmt.Errorf("not an %s result", grader.ResultSchema)
	}
	return &r, nil
}

// moveAside renames a bad file to .corrupt-<timestamp> so it is kept for
// inspection and never read (or overwritten) again.
func (h *History) moveAside(path string, cause error) error {
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	to := strings.TrimSuffix(path, ".json") + ".corrupt-" + now().UTC().Format("20060102T150405Z")
	for i := 2; ; i++ {
		if _, err := os.Lstat(to); errors.Is(err, os.ErrNotExist) {
			break
		}
		to = fmt.Sprintf("%s-%d", strings.TrimSuffix(to, fmt.Sprintf("-%d", i-1)), i)
	}
	if err := os.Rename(path, to); err != nil {
		return &CorruptFileError{Path: path, MovedTo: "(not moved: " + err.Error() + ")", Err: cause}
	}
	return &CorruptFileError{Path: path, MovedTo: to, Err: cause}
}

// Latest is the newest readable result of a lab (by finish time), or nil.
// Unreadable files are skipped here; Progress is what sets them aside.
func (h *History) Latest(labID string) *grader.Result {
	files, _ := filepath.Glob(filepath.Join(h.Dir, safeName(labID), "*.json"))
	var latest *grader.Result
	for _, path := range files {
		if r, err := readResult(path); err == nil && (latest == nil || r.FinishedAt.After(latest.FinishedAt)) {
			latest = r
		}
	}
	return latest
}
