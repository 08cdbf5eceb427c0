package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"time"

	"github.com/opslab/opslab/internal/exam"
	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs/spec"
)

// examCache holds the exam state once read: every command asks for it.
type examCache struct {
	st  *localstate.ExamState
	err error
}

func (d *app) clock() time.Time {
	if d.now != nil {
		return d.now()
	}
	return time.Now()
}

// examState is the exam of this state dir, nil when there is none.
func (d *app) examState() (*localstate.ExamState, error) {
	if d.exam == nil {
		st, err := localstate.LoadExam(d.dirs.Exam())
		if err != nil {
			err = &exitError{code: exitUsage, err: err} // a state opslab cannot use, not a broken environment
		}
		d.exam = &examCache{st: st, err: err}
	}
	return d.exam.st, d.exam.err
}

// activeExam is the exam under way (started, not graded yet), or nil.
func (d *app) activeExam() *localstate.ExamState {
	st, err := d.examState()
	if err != nil || st == nil || st.GradedAt != nil {
		return nil
	}
	return st
}

func (d *app) saveExam(st *localstate.ExamState) error {
	d.exam = &examCache{st: st}
	if err := localstate.SaveExam(d.dirs.Exam(), st); err != nil {
		return fmt.Errorf("cannot save the exam state in %s: %w", d.dirs.Exam(), err)
	}
	return nil
}

// lockedDuringExam refuses what would help a candidate during an exam: exit 2.
func (d *app) lockedDuringExam(what string) error {
	if _, err := d.examState(); err != nil { // fail closed: a damaged state unlocks nothing
		return &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", what, err)}
	}
	st := d.activeExam()
	if st == nil {
		return nil
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%s is locked during an exam (candidate %s, exam %s): hints, solutions and check details open again after the final grade; `opslab exam status` shows the time left",
		what, st.Candidate, st.ExamName)}
}

// frozenExamLab refuses (exit 2) what would change a lab of the exam between
// the freeze (submit or time up) and the final grade: its nodes and its
// workspace stay as they were then, and that is what the proctor grades.
func (d *app) frozenExamLab(what, labID string) error {
	st := d.activeExam()
	if st == nil || st.Lab(labID) == nil {
		return nil
	}
	if err := d.examTimeUp(st); err != nil {
		return err
	}
	if st.Snapshot == nil {
		return nil
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%s %s: the exam %s was handed in at %s (%s), and its labs stay as they were then until the proctor's `opslab exam grade`",
		what, labID, st.ExamName, st.Snapshot.TakenAt.Local().Format("15:04:05"), examPhase(st))}
}

// loadExamLab loads lab id from cat: a lab of the running exam with the
// candidate's own params (from the exam state, so they survive stop, start
// and reset), and only when its definition is the one the exam pinned; any
// other lab, or any lab without an exam, with params as asked.
func (d *app) loadExamLab(cat *spec.Catalog, id string, params map[string]string) (*spec.Lab, error) {
	if _, err := d.examState(); err != nil {
		return nil, err
	}
	var l *localstate.ExamLab
	if st := d.activeExam(); st != nil {
		l = st.Lab(id)
	}
	if l == nil {
		return cat.Load(id, params)
	}
	for k, v := range params {
		if l.Params[k] != v {
			return nil, usagef("param %s of lab %s is set by the exam (%s=%s): --param cannot change it", k, id, k, l.Params[k])
		}
	}
	lab, err := cat.Load(id, maps.Clone(l.Params))
	if err != nil {
		return nil, err
	}
	return lab, checkExamDigest(lab, l.Digest)
}

// checkExamDigest refuses (exit 2) a lab whose definition is not the one the
// exam pinned by digest.
func checkExamDigest(lab *spec.Lab, want string) error {
	if lab.Digest == want {
		return nil
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("the definition of lab %s differs from the exam's (digest %.12s…, the exam's %.12s…): use the opslab and content the exam was made with",
		lab.ID, lab.Digest, want)}
}

// takeSnapshot freezes every lab's workspace: the copies are what is graded.
// A snapshot taken after the deadline (beyond the keeper's wake-up grace) is
// late, whoever takes it: the keeper stopped or suspended while work went on
// is no different from the first command after the deadline.
func (d *app) takeSnapshot(st *localstate.ExamState) error {
	unlock, err := localstate.LockExam(d.dirs.Exam())
	if err != nil {
		return err
	}
	defer unlock()
	if onDisk, err := localstate.LoadExam(d.dirs.Exam()); err == nil && onDisk != nil && onDisk.Snapshot != nil {
		*st = *onDisk // frozen a moment ago by the other one (keeper or submit)
		d.exam = &examCache{st: st}
		return nil
	}
	now := d.clock().UTC()
	snap := &localstate.Snapshot{TakenAt: now, Late: now.After(st.Deadline.Add(exam.SnapshotGrace)), Dirs: map[string]string{}, Digests: map[string]string{}}
	root := filepath.Join(d.dirs.Exam(), "snapshot-"+now.Format("20060102T150405Z"))
	for _, l := range st.Labs {
		dst := filepath.Join(root, l.ID)
		if err := os.MkdirAll(root, 0o700); err != nil {
			return err
		}
		if _, err := os.Stat(l.Workspace); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(l.Workspace, 0o755); err != nil {
				return err
			}
		}
		digest, err := exam.Snapshot(l.Workspace, dst)
		if err != nil {
			return err
		}
		snap.Dirs[l.ID], snap.Digests[l.ID] = dst, digest
	}
	st.Snapshot = snap
	return d.saveExam(st)
}

// examTimeUp takes the snapshot when time ran out and neither a submit nor
// the deadline keeper took it (the keeper was stopped, or the machine slept):
// the first exam-aware command after the deadline does, and it is late.
func (d *app) examTimeUp(st *localstate.ExamState) error {
	if st == nil || st.Snapshot != nil || d.clock().Before(st.Deadline) {
		return nil
	}
	return d.takeSnapshot(st)
}

// timeLeft is what is left of the exam, never negative.
func timeLeft(st *localstate.ExamState, now time.Time) time.Duration {
	if st.Snapshot != nil || !now.Before(st.Deadline) {
		return 0
	}
	return st.Deadline.Sub(now).Truncate(time.Second)
}
