package labs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/opslab/opslab/labs/spec"
)

var unsafeName = regexp.MustCompile(`[^a-z0-9-]+`)

// SanitizeSession makes a session usable in container names.
func SanitizeSession(s string) string {
	s = strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if s == "" {
		return "default"
	}
	if len(s) > maxSessionLen {
		// Cut, but keep distinct: sessions that differ only at the end (a
		// test's cases, "…-t0" and "…-t1") must not share containers.
		sum := sha256.Sum256([]byte(s))
		s = strings.TrimRight(s[:maxSessionLen-9], "-") + "-" + hex.EncodeToString(sum[:4])
	}
	return s
}

// maxSessionLen keeps container names (opslab-SESSION-LAB-NODE) readable.
const maxSessionLen = 32

// fileLock is an exclusive advisory lock held while a lab is started, stopped or reset,
// so two opslab processes never provision the same lab at once.
type fileLock struct{ f *os.File }

// lock takes the lab's lock for this session, saying so when another opslab
// command holds it; start, stop and reset never overlap on one lab.
func (r *Runtime) lock(labID string) (*fileLock, error) {
	return lockLab(r.opts.Dirs.Locks(), r.opts.Session, labID, 10*time.Minute, func() {
		r.progressf("waiting: another opslab command is busy with %s …", labID)
	})
}

// lockLab waits up to wait for the lab's lock. busy is called once if it has to wait.
func lockLab(locksDir, session, labID string, wait time.Duration, busy func()) (*fileLock, error) {
	path := filepath.Join(locksDir, session+"--"+labID+".lock")
	return lockFile(path, wait, busy, &spec.UsageError{Msg: fmt.Sprintf("lab %s is busy: another opslab command is starting or stopping it; try again when it is done", labID)})
}

// lockFile takes an exclusive flock on path, waiting up to wait; busy is called
// once if it has to wait, and timedOut is returned when the wait runs out.
func lockFile(path string, wait time.Duration, busy func(), timedOut error) (*fileLock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create lock dir: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock: %w", err)
	}
	deadline := time.Now().Add(wait)
	for told := false; ; {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return &fileLock{f}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, timedOut
		}
		if !told && busy != nil {
			busy()
			told = true
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (l *fileLock) Unlock() {
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
}
