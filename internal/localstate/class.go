package localstate

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Class is where a learner's class membership and unsent reports are kept.
func (d Dirs) Class() string { return filepath.Join(d.State, "class") }

// ClassServer is the default home of `opslab class serve`'s database and token.
func (d Dirs) ClassServer() string { return filepath.Join(d.State, "classroom") }

// MembershipSchema names the membership file's format.
const MembershipSchema = "opslab/class-membership/v1"

// Membership is a learner's link to a class server. It holds the learner's
// token, so it is written 0600 and only ever read by this learner's opslab.
type Membership struct {
	Schema    string    `json:"schema"`
	Server    string    `json:"server"`
	Class     string    `json:"class"`
	Learner   string    `json:"learner"`
	LearnerID int64     `json:"learner_id"`
	Token     string    `json:"token"`
	Joined    time.Time `json:"joined"`
	Watch     bool      `json:"watch"`                    // auto-progress asked for
	Interval  string    `json:"watch_interval,omitempty"` // how often it grades (a Go duration)
	WatchPID  int       `json:"watch_pid,omitempty"`      // the background watcher, while it runs
}

func membershipPath(dir string) string { return filepath.Join(dir, "membership.json") }

// LoadMembership reads the membership in dir; nil, nil when not in a class.
func LoadMembership(dir string) (*Membership, error) {
	b, err := os.ReadFile(membershipPath(dir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("couldn't read your class membership: %w", err)
	}
	var m Membership
	if err := json.Unmarshal(b, &m); err != nil || m.Schema != MembershipSchema {
		return nil, fmt.Errorf("class membership file %s is unreadable: `opslab class leave` removes it", membershipPath(dir))
	}
	return &m, nil
}

// SaveMembership writes the membership 0600 (atomically: a crash never
// leaves half a token).
func SaveMembership(dir string, m *Membership) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	m.Schema = MembershipSchema
	return writeFileAtomic(membershipPath(dir), m) // CreateTemp makes it 0600
}

// RemoveMembership ends the membership and drops what was not sent.
func RemoveMembership(dir string) error {
	if err := os.Remove(membershipPath(dir)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.RemoveAll(filepath.Join(dir, "spool"))
}
