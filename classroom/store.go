package classroom

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // cgo-free: the binary still cross-compiles
)

// Store is the class database: classes, learners (with a hash of their
// token, never the token) and every event, in the order it arrived.
// Writes go one at a time (SQLite has one writer anyway); WAL keeps reads
// off their path and a committed event survives a kill -9.
type Store struct {
	db *sql.DB
	mu sync.Mutex // serialises writes
}

// Learner is one member of a class.
type Learner struct {
	ID     int64
	Class  string
	Name   string
	Joined time.Time
}

// StoredEvent is an event as kept: who sent it and when it arrived.
type StoredEvent struct {
	Seq      int64
	Learner  int64
	Received time.Time
	Event
}

// ErrNameTaken: a learner of that name is already in the class.
var ErrNameTaken = errors.New("that name is already taken in this class")

// ErrNotFound: no such class, code or learner.
var ErrNotFound = errors.New("not found")

// migrations are applied in order, each once; their index+1 is the schema
// version kept in PRAGMA user_version. Append, never edit.
var migrations = []string{
	`CREATE TABLE classes(
		id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, code TEXT NOT NULL UNIQUE, created TEXT NOT NULL);
	CREATE TABLE learners(
		id INTEGER PRIMARY KEY, class_id INTEGER NOT NULL REFERENCES classes(id), name TEXT NOT NULL,
		token_hash TEXT NOT NULL UNIQUE, joined TEXT NOT NULL, UNIQUE(class_id, name));
	CREATE TABLE events(
		seq INTEGER PRIMARY KEY, learner_id INTEGER NOT NULL REFERENCES learners(id), id TEXT NOT NULL,
		kind TEXT NOT NULL, lab TEXT NOT NULL, at TEXT NOT NULL, received TEXT NOT NULL, body TEXT NOT NULL,
		UNIQUE(learner_id, id));
	CREATE INDEX events_learner ON events(learner_id, seq);`,
}

// OpenStore opens (creating if need be) the database at path and migrates it.
func OpenStore(ctx context.Context, path string) (*Store, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening the class database %s: %w", path, err)
	}
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("class database %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("reading the schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this opslab knows (%d): use a newer opslab", v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrating to schema version %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// CreateClass makes a class and returns its join code. Creating a class that
// exists returns its code again: scripts may run twice.
func (s *Store) CreateClass(ctx context.Context, name string, now time.Time) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var code string
	err := s.db.QueryRowContext(ctx, "SELECT code FROM classes WHERE name = ?", name).Scan(&code)
	if err == nil {
		return code, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	code = newJoinCode()
	_, err = s.db.ExecContext(ctx, "INSERT INTO classes(name, code, created) VALUES(?, ?, ?)", name, code, now.UTC().Format(time.RFC3339Nano))
	return code, err
}

// ClassInfo is a class and its join code.
type ClassInfo struct{ Name, Code string }

// Classes lists the classes, oldest first.
func (s *Store) Classes(ctx context.Context) ([]ClassInfo, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name, code FROM classes ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ClassInfo
	for rows.Next() {
		var c ClassInfo
		if err := rows.Scan(&c.Name, &c.Code); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Join adds a learner to the class whose code this is and returns the
// learner and their token (kept only as a hash here).
func (s *Store) Join(ctx context.Context, code, name string, now time.Time) (Learner, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var classID int64
	var class string
	err := s.db.QueryRowContext(ctx, "SELECT id, name FROM classes WHERE code = ?", normalizeCode(code)).Scan(&classID, &class)
	if errors.Is(err, sql.ErrNoRows) {
		return Learner{}, "", ErrNotFound
	}
	if err != nil {
		return Learner{}, "", err
	}
	token := "ol_" + randomHex(24)
	res, err := s.db.ExecContext(ctx, "INSERT INTO learners(class_id, name, token_hash, joined) VALUES(?, ?, ?, ?)",
		classID, name, hashToken(token), now.UTC().Format(time.RFC3339Nano))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return Learner{}, "", ErrNameTaken
		}
		return Learner{}, "", err
	}
	id, _ := res.LastInsertId()
	return Learner{ID: id, Class: class, Name: name, Joined: now}, token, nil
}

// LearnerByToken finds the learner a token belongs to.
func (s *Store) LearnerByToken(ctx context.Context, token string) (Learner, error) {
	var l Learner
	var joined string
	err := s.db.QueryRowContext(ctx, `SELECT l.id, c.name, l.name, l.joined FROM learners l JOIN classes c ON c.id = l.class_id
		WHERE l.token_hash = ?`, hashToken(token)).Scan(&l.ID, &l.Class, &l.Name, &joined)
	if errors.Is(err, sql.ErrNoRows) {
		return l, ErrNotFound
	}
	l.Joined, _ = time.Parse(time.RFC3339Nano, joined)
	return l, err
}

// Learners lists every learner of every class.
func (s *Store) Learners(ctx context.Context) ([]Learner, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT l.id, c.name, l.name, l.joined FROM learners l JOIN classes c ON c.id = l.class_id ORDER BY l.id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Learner
	for rows.Next() {
		var l Learner
		var joined string
		if err := rows.Scan(&l.ID, &l.Class, &l.Name, &joined); err != nil {
			return nil, err
		}
		l.Joined, _ = time.Parse(time.RFC3339Nano, joined)
		out = append(out, l)
	}
	return out, rows.Err()
}

// AddEvents stores a learner's events in one transaction and returns those
// that were new: an event id seen before from this learner is skipped.
func (s *Store) AddEvents(ctx context.Context, learner int64, evs []Event, now time.Time) ([]StoredEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events(learner_id, id, kind, lab, at, received, body)
		VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(learner_id, id) DO NOTHING`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	var added []StoredEvent
	for _, e := range evs {
		body, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		res, err := stmt.ExecContext(ctx, learner, e.ID, e.Kind, e.Lab, e.At.UTC().Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339Nano), string(body))
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			seq, _ := res.LastInsertId()
			added = append(added, StoredEvent{Seq: seq, Learner: learner, Received: now, Event: e})
		}
	}
	return added, tx.Commit()
}

// Events returns the events of one learner (0 = everyone's) in arrival order.
func (s *Store) Events(ctx context.Context, learner int64) ([]StoredEvent, error) {
	q, args := "SELECT seq, learner_id, received, body FROM events ORDER BY seq", []any{}
	if learner != 0 {
		q, args = "SELECT seq, learner_id, received, body FROM events WHERE learner_id = ? ORDER BY seq", []any{learner}
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredEvent
	for rows.Next() {
		var se StoredEvent
		var received, body string
		if err := rows.Scan(&se.Seq, &se.Learner, &received, &body); err != nil {
			return nil, err
		}
		se.Received, _ = time.Parse(time.RFC3339Nano, received)
		if err := json.Unmarshal([]byte(body), &se.Event); err != nil {
			return nil, fmt.Errorf("event %d is unreadable: %w", se.Seq, err)
		}
		out = append(out, se)
	}
	return out, rows.Err()
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b)
}

// codeAlphabet has no 0/O, 1/I/L: codes are read off a projector.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

func newJoinCode() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	out := make([]byte, 0, 9)
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return string(out)
}

// normalizeCode accepts a code as people type it: any case, with or without the dash.
func normalizeCode(c string) string {
	c = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(c))
	if len(c) == 8 {
		return c[:4] + "-" + c[4:]
	}
	return c
}
