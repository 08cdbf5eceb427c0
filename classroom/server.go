package classroom

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"time"
)

// ExamVerifier checks a signed exam result (the DSSE envelope `opslab exam
// grade` writes) against the examiner's public key and returns its verdict.
// `class serve --exam-pubkey` gives one; without it exam results are kept
// and shown as "unverified", with the score the learner's CLI claimed.
type ExamVerifier interface {
	Verify(envelope []byte) (ExamVerdict, error)
}

// ExamVerdict is what a verified result says.
type ExamVerdict struct {
	Exam, Candidate string
	Score, MaxScore float64
	Passed          bool
}

// Config is what `opslab class serve` hands the server.
type Config struct {
	DBPath          string
	InstructorToken string
	Stuck           StuckRules
	Exam            ExamVerifier     // nil: exam results are shown unverified
	Now             func() time.Time // nil: time.Now
	RefreshEvery    time.Duration    // dashboards' periodic redraw (last seen, stuck); 0: 20s
}

// Server serves the learners' API and the instructor's dashboard.
type Server struct {
	cfg   Config
	store *Store
	hub   *hub
	pages *pages

	mu    sync.RWMutex // guards board; held across a write to store+board so both keep one order
	board *Board

	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// NewServer opens the database, replays it into the live board and starts
// the dashboards' periodic redraw. Close it.
func NewServer(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RefreshEvery == 0 {
		cfg.RefreshEvery = 20 * time.Second
	}
	if len(cfg.InstructorToken) < 16 {
		return nil, fmt.Errorf("the instructor token must be at least 16 characters")
	}
	st, err := OpenStore(ctx, cfg.DBPath)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: st, hub: newHub(), pages: mustParsePages(), board: NewBoard(),
		stop: make(chan struct{}), done: make(chan struct{})}
	if err := s.replay(ctx); err != nil {
		st.Close()
		return nil, err
	}
	go s.refreshLoop()
	return s, nil
}

func (s *Server) replay(ctx context.Context) error {
	classes, err := s.store.Classes(ctx)
	if err != nil {
		return err
	}
	for _, c := range classes {
		s.board.AddClass(c.Name).Code = c.Code
	}
	learners, err := s.store.Learners(ctx)
	if err != nil {
		return err
	}
	classOf := map[int64]string{}
	for _, l := range learners {
		s.board.AddLearner(l)
		classOf[l.ID] = l.Class
	}
	evs, err := s.store.Events(ctx, 0)
	if err != nil {
		return err
	}
	for _, e := range evs {
		s.board.Apply(classOf[e.Learner], e, s.cfg.Exam)
	}
	return nil
}

// CloseStreams ends the dashboards' live streams (their handlers return), so
// an http.Server's Shutdown is not held up by them.
func (s *Server) CloseStreams() { s.hub.closeAll() }

// Close stops the dashboards' streams and closes the database.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.done
		s.hub.closeAll()
		s.closeErr = s.store.Close()
	})
	return s.closeErr
}

// Handler is every route: the API under /api/, the dashboard, its assets.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/join", s.handleJoin)
	mux.HandleFunc("POST /api/events", s.handleEvents)
	mux.HandleFunc("GET /api/learners/{id}", s.handleLearnerRecord)
	mux.HandleFunc("POST /api/classes", s.instructor(s.handleCreateClass))
	mux.HandleFunc("GET /api/classes/{class}/export", s.instructor(s.handleExport))
	s.dashboardRoutes(mux)
	return securityHeaders(mux)
}

// refreshLoop redraws watched grids now and then: "last seen" and the stuck
// flag move with the clock, not only with events.
func (s *Server) refreshLoop() {
	defer close(s.done)
	t := time.NewTicker(s.cfg.RefreshEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.RLock()
			var names []string
			for name := range s.board.Classes {
				if s.hub.watching(name) {
					names = append(names, name)
				}
			}
			s.mu.RUnlock()
			for _, name := range names {
				s.publishGrid(name)
			}
		}
	}
}

// instructor lets through requests with the instructor's token (a bearer
// token, or the cookie the login page sets).
func (s *Server) instructor(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.isInstructor(r) {
			apiError(w, http.StatusUnauthorized, "this needs the instructor's token (Authorization: Bearer TOKEN)")
			return
		}
		next(w, r)
	}
}

func (s *Server) isInstructor(r *http.Request) bool {
	if tok, ok := bearer(r); ok {
		return tokenEqual(tok, s.cfg.InstructorToken)
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return subtle.ConstantTimeCompare([]byte(c.Value), []byte(s.sessionValue())) == 1
	}
	return false
}

const sessionCookie = "opslab_class"

// sessionValue is the login cookie: derived from the token, so restarting
// the server keeps instructors logged in and changing the token logs them out.
func (s *Server) sessionValue() string {
	m := hmac.New(sha256.New, []byte(s.cfg.InstructorToken))
	m.Write([]byte("opslab dashboard session v1"))
	return hex.EncodeToString(m.Sum(nil))
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && h[:7] == "Bearer " {
		return h[7:], true
	}
	return "", false
}

func apiError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
		next.ServeHTTP(w, r)
	})
}

var (
	classNameRe   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	learnerNameRe = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} ._@'-]{0,63}$`)
)
