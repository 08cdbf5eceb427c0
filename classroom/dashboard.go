package classroom

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

func (s *Server) dashboardRoutes(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(http.FileServerFS(static))))
	mux.HandleFunc("GET /login", s.handleLoginPage)
	mux.HandleFunc("POST /login", s.handleLogin)
	mux.HandleFunc("POST /logout", s.handleLogout)
	mux.HandleFunc("GET /{$}", s.page(s.handleIndex))
	mux.HandleFunc("POST /classes", s.page(s.handleCreateClassForm))
	mux.HandleFunc("GET /c/{class}", s.page(s.handleClass))
	mux.HandleFunc("GET /c/{class}/stream", s.page(s.handleStream))
	mux.HandleFunc("GET /c/{class}/learners/{id}", s.page(s.handleLearnerPage))
	mux.HandleFunc("GET /c/{class}/labs/{lab}", s.page(s.handleLabPage))
	mux.HandleFunc("GET /c/{class}/export", s.page(s.handleExport))
}

func cacheFor(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// page sends people without the instructor's cookie to the login page.
func (s *Server) page(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.isInstructor(r) {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "login", map[string]any{"Next": r.URL.Query().Get("next"), "Failed": false})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	next := localPath(r.FormValue("next"))
	if !tokenEqual(r.FormValue("token"), s.cfg.InstructorToken) {
		s.render(w, http.StatusUnauthorized, "login", map[string]any{"Next": next, "Failed": true})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.sessionValue(), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https", MaxAge: 7 * 24 * 3600})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// localPath is next if it is a path on this site, else "/": no open
// redirect. A browser drops tabs and newlines from a Location and reads a
// backslash as a slash, so "/\t/evil.example" and "/\\evil.example" lead
// away as surely as "//evil.example" does; url.Parse refuses control
// characters.
func localPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	return next
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	var classes []map[string]any
	for _, c := range s.board.Classes {
		classes = append(classes, map[string]any{"Name": c.Name, "Code": c.Code, "Learners": len(c.Learners), "Labs": len(c.Labs)})
	}
	s.mu.RUnlock()
	sortByName(classes)
	s.render(w, http.StatusOK, "index", map[string]any{"Classes": classes, "Error": r.URL.Query().Get("error")})
}

func (s *Server) handleCreateClassForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	name := r.FormValue("name")
	if _, err := s.createClass(r, name); err != nil {
		http.Redirect(w, r, "/?error="+url.QueryEscape(err.Error()), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/c/"+url.PathEscape(name), http.StatusSeeOther)
}

func (s *Server) handleClass(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	c := s.board.Classes[r.PathValue("class")]
	var g gridView
	if c != nil {
		g = s.gridView(c)
	}
	s.mu.RUnlock()
	if c == nil {
		s.render(w, http.StatusNotFound, "notfound", map[string]any{"What": "class " + r.PathValue("class")})
		return
	}
	g.JoinURL = "http://" + r.Host
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		g.JoinURL = "https://" + r.Host
	}
	s.render(w, http.StatusOK, "class", g)
}

// handleStream is the dashboard's live feed: each "grid" event replaces the
// whole grid, the stream's one event (see handleEvents for why).
func (s *Server) handleStream(w http.ResponseWriter, r *http.Request) {
	class := r.PathValue("class")
	s.mu.RLock()
	known := s.board.Classes[class] != nil
	s.mu.RUnlock()
	fl, ok := w.(http.Flusher)
	if !known || !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx in front: do not buffer the stream
	ch := s.hub.subscribe(class)
	defer s.hub.unsubscribe(class, ch)
	_, _ = w.Write([]byte("retry: 2000\n: live\n\n"))
	// A reconnecting dashboard missed what happened meanwhile: redraw it first.
	s.mu.RLock()
	g := s.gridView(s.board.Classes[class])
	s.mu.RUnlock()
	var b bytes.Buffer
	if err := s.pages.fragment(&b, "grid", g); err == nil {
		_, _ = w.Write(sseMessage("grid", b.Bytes()))
	}
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg, ok := <-ch:
			if !ok {
				return
			}
			if _, err := w.Write(msg); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

func (s *Server) publishGrid(class string) {
	if !s.hub.watching(class) {
		return
	}
	s.mu.RLock()
	c := s.board.Classes[class]
	var g gridView
	if c != nil {
		g = s.gridView(c)
	}
	s.mu.RUnlock()
	var b bytes.Buffer
	if err := s.pages.fragment(&b, "grid", g); err == nil {
		s.hub.publish(class, "grid", b.Bytes())
	}
}

// tokenEqual compares in constant time; digests first, as ConstantTimeCompare
// returns early on inputs of different lengths.
func tokenEqual(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return short(now.Sub(t)) + " ago"
}

func short(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + "m"
	default:
		return strconv.Itoa(int(d.Hours())) + "h" + strconv.Itoa(int(d.Minutes())%60) + "m"
	}
}
