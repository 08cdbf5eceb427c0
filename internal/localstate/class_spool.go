package localstate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Spool keeps a learner's reports until the class server has them: one file
// per event, named so that names sort in the order the events happened.
// An event leaves the spool only once the server answered for it; the server
// ignores an event id it has seen, so sending twice is harmless and nothing
// is lost when the network or the server is down.
type Spool struct {
	Dir string
	Now func() time.Time
}

// SpoolItem is one pending event.
type SpoolItem struct {
	Name string
	Data []byte
}

// NewSpool returns the spool of a class dir.
func NewSpool(classDir string) *Spool {
	return &Spool{Dir: filepath.Join(classDir, "spool"), Now: time.Now}
}

// Add keeps one event (its JSON) under its id.
func (s *Spool) Add(id string, event []byte) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("couldn't keep a class report: %w", err)
	}
	name := fmt.Sprintf("%020d-%s.json", s.Now().UnixNano(), safeName(id))
	tmp := filepath.Join(s.Dir, ".tmp-"+name)
	if err := os.WriteFile(tmp, event, 0o600); err != nil {
		return fmt.Errorf("couldn't keep a class report: %w", err)
	}
	return os.Rename(tmp, filepath.Join(s.Dir, name))
}

// Pending lists the events not yet sent, oldest first.
func (s *Spool) Pending() ([]SpoolItem, error) {
	entries, err := os.ReadDir(s.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".json") && !strings.HasPrefix(n, ".") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	items := make([]SpoolItem, 0, len(names))
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(s.Dir, n))
		if err != nil {
			continue // sent and removed by another sender meanwhile
		}
		items = append(items, SpoolItem{Name: n, Data: b})
	}
	return items, nil
}

// Count is how many events wait, without reading them.
func (s *Spool) Count() int {
	entries, _ := os.ReadDir(s.Dir)
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), ".") {
			n++
		}
	}
	return n
}

// Done removes events the server has.
func (s *Spool) Done(items []SpoolItem) error {
	for _, it := range items {
		if err := os.Remove(filepath.Join(s.Dir, it.Name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Reject moves events the server refused as malformed aside (rejected/),
// so they stop blocking the ones behind them and stay for a bug report.
func (s *Spool) Reject(items []SpoolItem) error {
	dir := filepath.Join(s.Dir, "rejected")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, it := range items {
		if err := os.Rename(filepath.Join(s.Dir, it.Name), filepath.Join(dir, it.Name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Busy says whether a live sender holds the spool's lock. A sender walks
// the spool until it finds it empty after letting go of the lock, so an
// event added while Busy is true is sent by it.
func (s *Spool) Busy() bool {
	st, err := os.Stat(filepath.Join(s.Dir, ".lock"))
	return err == nil && s.Now().Sub(st.ModTime()) < staleLock
}

// staleLock: a sender holding the lock longer than this died; take over.
const staleLock = time.Minute

// Lock makes one sender at a time walk the spool; ok is false when another
// live sender has it. Two senders at once would still be correct (the
// server drops repeats), only wasteful.
func (s *Spool) Lock() (release func(), ok bool) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return func() {}, false
	}
	path := filepath.Join(s.Dir, ".lock")
	for range 2 {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(path) }, true
		}
		st, serr := os.Stat(path)
		if serr != nil || s.Now().Sub(st.ModTime()) < staleLock {
			return func() {}, false
		}
		os.Remove(path) // stale
	}
	return func() {}, false
}
