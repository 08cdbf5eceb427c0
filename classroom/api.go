package classroom

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// JoinRequest is POST /api/join.
type JoinRequest struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// JoinResponse is what a learner's CLI keeps (the token 0600).
type JoinResponse struct {
	Class     string `json:"class"`
	Learner   string `json:"learner"`
	LearnerID int64  `json:"learner_id"`
	Token     string `json:"token"`
}

// EventsResponse is the answer to POST /api/events.
type EventsResponse struct {
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
}

// decodeBody reads a size-limited JSON body; the error is for a 400/413.
func decodeBody(w http.ResponseWriter, r *http.Request, limit int64, v any) (int, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return http.StatusRequestEntityTooLarge, fmt.Errorf("request body larger than %d bytes", limit)
		}
		return http.StatusBadRequest, fmt.Errorf("malformed JSON: %v", err)
	}
	if dec.More() {
		return http.StatusBadRequest, fmt.Errorf("malformed JSON: more than one value in the body")
	}
	return 0, nil
}

func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request) {
	var req JoinRequest
	if code, err := decodeBody(w, r, 4<<10, &req); err != nil {
		apiError(w, code, err.Error())
		return
	}
	req.Name = strings.TrimSpace(req.Name)
	if !learnerNameRe.MatchString(req.Name) {
		apiError(w, http.StatusBadRequest, "name must be 1-64 letters, digits, spaces or ._@'-")
		return
	}
	l, token, err := s.store.Join(r.Context(), req.Code, req.Name, s.cfg.Now())
	switch {
	case errors.Is(err, ErrNotFound):
		apiError(w, http.StatusNotFound, "no class has join code "+req.Code+": check the code your instructor gave")
		return
	case errors.Is(err, ErrNameTaken):
		apiError(w, http.StatusConflict, fmt.Sprintf("%q is already in this class: join with another --name", req.Name))
		return
	case err != nil:
		apiError(w, http.StatusInternalServerError, "could not store the learner: "+err.Error())
		return
	}
	s.mu.Lock()
	s.board.AddLearner(l)
	s.mu.Unlock()
	s.publishGrid(l.Class)
	writeJSON(w, http.StatusOK, JoinResponse{Class: l.Class, Learner: l.Name, LearnerID: l.ID, Token: token})
}

// handleEvents stores a learner's batch. A learner's token writes only that
// learner's record: the learner is the token's, never a field of the body.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	l, ok := s.learner(w, r)
	if !ok {
		return
	}
	var b Batch
	if code, err := decodeBody(w, r, MaxBatchBytes, &b); err != nil {
		apiError(w, code, err.Error())
		return
	}
	if b.Schema != EventSchema {
		apiError(w, http.StatusBadRequest, fmt.Sprintf("schema must be %q (got %q): update opslab", EventSchema, b.Schema))
		return
	}
	if len(b.Events) > MaxBatchEvents {
		apiError(w, http.StatusBadRequest, fmt.Sprintf("more than %d events in one batch", MaxBatchEvents))
		return
	}
	for i := range b.Events {
		if err := b.Events[i].Validate(); err != nil {
			apiError(w, http.StatusBadRequest, fmt.Sprintf("event %d (id %q): %v", i, b.Events[i].ID, err))
			return
		}
	}
	added, err := s.record(r, l, b.Events)
	if err != nil {
		apiError(w, http.StatusServiceUnavailable, "could not store the events, send them again: "+err.Error())
		return
	}
	if len(added) > 0 {
		// The whole grid, even for one learner's row: #grid keeps its live
		// listener across swaps, while a row swapped in has none until htmx
		// processes it, so a second update right behind the first was lost.
		s.publishGrid(l.Class)
	}
	writeJSON(w, http.StatusOK, EventsResponse{Accepted: len(added), Duplicates: len(b.Events) - len(added)})
}

// record stores a learner's events and folds the new ones into the board,
// holding the board's lock across both so they keep one order. The lock is
// let go however this ends: a panic below (the exam verifier, say) costs its
// request, never every report after it.
func (s *Server) record(r *http.Request, l Learner, evs []Event) (added []StoredEvent, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	added, err = s.store.AddEvents(r.Context(), l.ID, evs, s.cfg.Now())
	if err != nil {
		return nil, err
	}
	for _, e := range added {
		s.board.Apply(l.Class, e, s.cfg.Exam)
	}
	return added, nil
}

// learner authenticates a learner's bearer token.
func (s *Server) learner(w http.ResponseWriter, r *http.Request) (Learner, bool) {
	tok, ok := bearer(r)
	if !ok {
		apiError(w, http.StatusUnauthorized, "this needs your class token (Authorization: Bearer TOKEN); `opslab class join` gets one")
		return Learner{}, false
	}
	l, err := s.store.LearnerByToken(r.Context(), tok)
	if errors.Is(err, ErrNotFound) {
		apiError(w, http.StatusUnauthorized, "unknown token: join the class again with `opslab class join`")
		return Learner{}, false
	}
	if err != nil {
		apiError(w, http.StatusServiceUnavailable, "could not check the token: "+err.Error())
		return Learner{}, false
	}
	return l, true
}

// handleLearnerRecord is one learner's events: for the instructor, or for
// that learner alone.
func (s *Server) handleLearnerRecord(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		apiError(w, http.StatusBadRequest, "learner id must be a number")
		return
	}
	if !s.isInstructor(r) {
		l, ok := s.learner(w, r)
		if !ok {
			return
		}
		if l.ID != id {
			apiError(w, http.StatusForbidden, "a learner's token reads only that learner's record")
			return
		}
	}
	evs, err := s.store.Events(r.Context(), id)
	if err != nil {
		apiError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	out := make([]Event, 0, len(evs))
	for _, e := range evs {
		out = append(out, e.Event)
	}
	writeJSON(w, http.StatusOK, map[string]any{"learner_id": id, "events": out})
}

func (s *Server) handleCreateClass(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string `json:"name"`
	}
	if code, err := decodeBody(w, r, 4<<10, &req); err != nil {
		apiError(w, code, err.Error())
		return
	}
	code, err := s.createClass(r, req.Name)
	if err != nil {
		apiError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"name": req.Name, "code": code})
}

func (s *Server) createClass(r *http.Request, name string) (string, error) {
	if !classNameRe.MatchString(name) {
		return "", fmt.Errorf("class name %q must be 1-64 letters, digits or ._- (starting with a letter or digit)", name)
	}
	code, err := s.store.CreateClass(r.Context(), name, s.cfg.Now())
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	s.board.AddClass(name).Code = code
	s.mu.Unlock()
	return code, nil
}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	class := r.PathValue("class")
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	s.mu.RLock()
	c := s.board.Classes[class]
	var rows []GradebookRow
	if c != nil {
		rows = Gradebook(c)
	}
	s.mu.RUnlock()
	if c == nil {
		apiError(w, http.StatusNotFound, "no class "+class)
		return
	}
	switch format {
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", class+".csv"))
		_ = WriteCSV(w, rows)
	case "json":
		writeJSON(w, http.StatusOK, rows)
	default:
		apiError(w, http.StatusBadRequest, "format must be csv or json")
	}
}
