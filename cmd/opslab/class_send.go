package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/opslab/opslab/classroom"
	"github.com/opslab/opslab/internal/localstate"
)

// newClassSendCommand is the background sender that reporting starts; it is
// hidden because learners never need to run it.
func newClassSendCommand(deps *app) *cli.Command {
	return &cli.Command{
		Name:        "send",
		Hidden:      true,
		Usage:       "send the spooled class reports now",
		Description: "Delivers the reports waiting in the spool, oldest first, then exits.\n\nExample:\n  opslab class send",
		Action: func(c *cli.Context) error {
			m, err := localstate.LoadMembership(deps.dirs.Class())
			if err != nil || m == nil {
				return err
			}
			ctx, cancel := context.WithTimeout(c.Context, time.Minute)
			defer cancel()
			n, err := flushSpool(ctx, deps, m)
			if err != nil {
				return err
			}
			if n > 0 {
				fmt.Fprintf(deps.io.Err, "%s sent %d report(s) to %s\n", time.Now().Format(time.RFC3339), n, m.Server)
			}
			return nil
		},
	}
}

// flushSpool sends the spooled events in order, in batches, and removes each
// batch once the server has it. A batch the server refuses as malformed is
// moved aside (it would block the rest forever); anything else stops the
// flush and leaves the spool for the next try.
func flushSpool(ctx context.Context, deps *app, m *localstate.Membership) (int, error) {
	sp := localstate.NewSpool(deps.dirs.Class())
	sent := 0
	// Look again after letting go of the lock: a command that saw the lock
	// taken (Busy) left its event to this sender instead of starting one.
	for range 10 {
		n, err := flushLocked(ctx, deps, m, sp)
		sent += n
		if err != nil || ctx.Err() != nil || sp.Count() == 0 {
			return sent, err
		}
	}
	return sent, nil
}

// flushLocked takes the spool's lock, sends until the spool is empty, and
// lets the lock go.
func flushLocked(ctx context.Context, deps *app, m *localstate.Membership, sp *localstate.Spool) (int, error) {
	// Wait for a sender already at work: it may have listed the spool before
	// this process's event was in it, so leaving to it could strand the event.
	release, ok := sp.Lock()
	for !ok {
		select {
		case <-ctx.Done():
			return 0, nil // the other sender is still at it: the spool is its
		case <-time.After(50 * time.Millisecond):
		}
		release, ok = sp.Lock()
	}
	defer release()
	sent := 0
	for range 1000 { // until empty; bounded should a file refuse to leave
		items, err := sp.Pending()
		if err != nil || len(items) == 0 {
			return sent, err
		}
		n, err := sendItems(ctx, deps, m, sp, items)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// Batches stay well under the server's body limit (classroom.MaxBatchBytes).
const (
	maxBatchItems = 100
	maxBatchBytes = 512 << 10
)

// sendItems sends pending items in order, in batches. A batch the server
// refuses as malformed (400) or too large (413) is sent again one event at a
// time, so only the event at fault is set aside, never its neighbours.
func sendItems(ctx context.Context, deps *app, m *localstate.Membership, sp *localstate.Spool, items []localstate.SpoolItem) (int, error) {
	sent := 0
	for len(items) > 0 {
		n, size := 0, 0
		for n < len(items) && n < maxBatchItems && (n == 0 || size+len(items[n].Data) <= maxBatchBytes) {
			size += len(items[n].Data)
			n++
		}
		batch := items[:n]
		items = items[n:]
		err := postBatch(ctx, m, batch)
		var se *serverError
		switch {
		case err == nil:
			if err := sp.Done(batch); err != nil {
				return sent, err
			}
			sent += n
		case errors.As(err, &se) && (se.Status == http.StatusBadRequest || se.Status == http.StatusRequestEntityTooLarge) && n > 1:
			for _, it := range batch { // find the one at fault
				k, err := sendItems(ctx, deps, m, sp, []localstate.SpoolItem{it})
				sent += k
				if err != nil {
					return sent, err
				}
			}
		case errors.As(err, &se) && (se.Status == http.StatusBadRequest || se.Status == http.StatusRequestEntityTooLarge):
			_ = sp.Reject(batch)
			fmt.Fprintf(deps.io.Err, "warning: the class server refused a report (%s); kept aside in %s\n", se.Msg, filepath.Join(sp.Dir, "rejected"))
		case errors.As(err, &se) && se.Status == http.StatusUnauthorized:
			return sent, fmt.Errorf("the class server no longer knows your token (%s): `opslab class leave`, then join again", se.Msg)
		default:
			return sent, err
		}
	}
	return sent, nil
}

// postBatch sends spooled events as one batch; a file that is not JSON is
// the server's to refuse (400), like any other malformed event.
func postBatch(ctx context.Context, m *localstate.Membership, batch []localstate.SpoolItem) error {
	var b bytes.Buffer
	b.WriteString(`{"schema":` + strconv.Quote(classroom.EventSchema) + `,"events":[`)
	for i, it := range batch {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(bytes.TrimSpace(it.Data))
	}
	b.WriteString("]}")
	_, err := classCall(ctx, "POST", m.Server, "/api/events", m.Token, b.Bytes(), nil)
	return err
}

// startSender runs `opslab class send` detached, so the command that
// reported returns at once. It uses the same binary and global options.
// When a sender is at work already it will find this event (it looks again
// after letting go of the lock), and starting a process is most of the cost
// of reporting: none is started then.
func (d *app) startSender() {
	if localstate.NewSpool(d.dirs.Class()).Busy() {
		return
	}
	_ = d.startDetached("class", "send")
}

// resumeSending starts a sender when reports wait from an earlier try (the
// server was down), and auto-progress when it was asked for but no longer
// runs (the machine restarted): called before every command but `class` ones.
func (d *app) resumeSending(command string) {
	if command == "class" || command == "" {
		return
	}
	m, _ := localstate.LoadMembership(d.dirs.Class())
	if m == nil {
		return
	}
	if localstate.NewSpool(d.dirs.Class()).Count() > 0 {
		d.startSender()
	}
	if m.Watch && !isWatcher(m.WatchPID) && time.Since(m.Joined) > 5*time.Second {
		interval := m.Interval
		if interval == "" {
			interval = time.Minute.String()
		}
		_ = d.startDetached("class", "watch", "--interval", interval)
	}
}

// startDetached starts this opslab again with args, in its own session,
// with no terminal, and does not wait for it.
func (d *app) startDetached(args ...string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var global []string
	if d.contentDir != "" {
		global = append(global, "--content", d.contentDir)
	}
	if d.session != "" {
		global = append(global, "--session", d.session)
	}
	cmd := exec.Command(self, append(global, args...)...)
	cmd.Args[0] = os.Args[0] // testscript dispatches on the program name
	if log, err := openBackgroundLog(d.dirs.Class()); err == nil {
		defer log.Close()
		cmd.Stdout, cmd.Stderr = log, log
	}
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}

// openBackgroundLog is where the detached sender and watcher write: kept
// small, for `opslab status` and bug reports.
func openBackgroundLog(dir string) (*os.File, error) {
	path := filepath.Join(dir, "background.log")
	if st, err := os.Stat(path); err == nil && st.Size() > 1<<20 {
		_ = os.Rename(path, path+".old")
	}
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
}
