package classroom

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const testToken = "instructor-token-for-tests-0123456789"

type testServer struct {
	t   *testing.T
	srv *Server
	web *httptest.Server
}

func newTestServer(t *testing.T, db string) *testServer {
	t.Helper()
	if db == "" {
		db = filepath.Join(t.TempDir(), "class.db")
	}
	srv, err := NewServer(context.Background(), Config{DBPath: db, InstructorToken: testToken,
		Stuck: StuckRules{After: 10 * time.Minute, Fails: 3}, RefreshEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, srv)
}

// serve puts srv behind a test HTTP server; both close after the test.
func serve(t *testing.T, srv *Server) *testServer {
	web := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { web.Close(); srv.Close() })
	return &testServer{t: t, srv: srv, web: web}
}

// do sends a request and returns the status and body.
func (ts *testServer) do(method, path, token string, body any) (int, string) {
	ts.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, ts.web.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func (ts *testServer) createClass(name string) string {
	code, body := ts.do("POST", "/api/classes", testToken, map[string]string{"name": name})
	if code != 200 {
		ts.t.Fatalf("create class: %d %s", code, body)
	}
	var r struct{ Code string }
	_ = json.Unmarshal([]byte(body), &r)
	return r.Code
}

func (ts *testServer) join(code, name string) JoinResponse {
	st, body := ts.do("POST", "/api/join", "", JoinRequest{Code: code, Name: name})
	if st != 200 {
		ts.t.Fatalf("join %s: %d %s", name, st, body)
	}
	var r JoinResponse
	_ = json.Unmarshal([]byte(body), &r)
	return r
}

func gradeEvent(id, lab string, score float64, passed bool, failMsg string) Event {
	status := "pass"
	if failMsg != "" {
		status = "fail"
	}
	return Event{ID: id, Kind: KindGraded, Lab: lab, At: time.Now().UTC(), Grade: &Grade{Score: score, MaxScore: 4, Passed: passed,
		Tasks: []Task{{ID: "up", Title: "Up", Status: "pass", Points: 2, Earned: 2, Checks: []Check{{ID: "c1", Status: "pass"}}},
			{ID: "tuned", Title: "Tuned", Status: status, Points: 2, Checks: []Check{{ID: "c1", Status: status, Message: failMsg}}}}}}
}

func batch(evs ...Event) Batch { return Batch{Schema: EventSchema, Events: evs} }

func TestJoinReportExport(t *testing.T) {
	ts := newTestServer(t, "")
	code := ts.createClass("monday")
	if again := ts.createClass("monday"); again != code {
		t.Errorf("creating a class twice gave a new code %q, want %q", again, code)
	}
	a := ts.join(strings.ToLower(strings.ReplaceAll(code, "-", "")), "Ada")
	if st, body := ts.do("POST", "/api/join", "", JoinRequest{Code: code, Name: "Ada"}); st != http.StatusConflict {
		t.Errorf("joining twice as Ada: %d %s, want 409", st, body)
	}
	st, body := ts.do("POST", "/api/events", a.Token, batch(
		Event{ID: "e1", Kind: KindLabStarted, Lab: "alpha", At: time.Now()},
		gradeEvent("e2", "alpha", 2, false, "expected level info, got debug"),
		Event{ID: "e3", Kind: KindHint, Lab: "alpha", At: time.Now(), Hint: &Hint{Task: "tuned", Tier: 1}},
		gradeEvent("e4", "alpha", 4, true, "")))
	if st != 200 || !strings.Contains(body, `"accepted":4`) {
		t.Fatalf("events: %d %s", st, body)
	}
	// A resend (the spool after a lost answer) is recognised, not counted twice.
	st, body = ts.do("POST", "/api/events", a.Token, batch(gradeEvent("e4", "alpha", 4, true, "")))
	if st != 200 || !strings.Contains(body, `"accepted":0,"duplicates":1`) {
		t.Fatalf("resend: %d %s", st, body)
	}
	st, body = ts.do("GET", "/api/classes/monday/export?format=csv", testToken, nil)
	if st != 200 || !strings.Contains(body, "learner,lab,best_score,max_score,passed,hints_used,last_seen\nAda,alpha,4,4,true,1,") {
		t.Fatalf("export csv: %d %q", st, body)
	}
	st, body = ts.do("GET", "/api/classes/monday/export?format=json", testToken, nil)
	if st != 200 || !strings.Contains(body, `"learner":"Ada","lab":"alpha","best_score":4,"max_score":4,"passed":true,"hints_used":1`) {
		t.Fatalf("export json: %d %s", st, body)
	}
}

func TestLearnerCannotWriteOrReadAnother(t *testing.T) {
	ts := newTestServer(t, "")
	code := ts.createClass("c")
	a, b := ts.join(code, "A"), ts.join(code, "B")
	// The learner is the token's: A's token posting "for B" still writes A's record.
	if st, body := ts.do("POST", "/api/events", a.Token, batch(gradeEvent("x1", "alpha", 1, false, "no"))); st != 200 {
		t.Fatalf("A reports: %d %s", st, body)
	}
	if st, body := ts.do("GET", fmt.Sprintf("/api/learners/%d", b.LearnerID), a.Token, nil); st != http.StatusForbidden {
		t.Errorf("A reading B's record: %d %s, want 403", st, body)
	}
	st, body := ts.do("GET", fmt.Sprintf("/api/learners/%d", b.LearnerID), b.Token, nil)
	if st != 200 || strings.Contains(body, "x1") {
		t.Errorf("B's record holds A's event or is unreadable: %d %s", st, body)
	}
	if st, body := ts.do("GET", fmt.Sprintf("/api/learners/%d", a.LearnerID), a.Token, nil); st != 200 || !strings.Contains(body, "x1") {
		t.Errorf("A reading A's record: %d %s", st, body)
	}
	if st, _ := ts.do("GET", fmt.Sprintf("/api/learners/%d", a.LearnerID), "", nil); st != http.StatusUnauthorized {
		t.Errorf("reading without a token: %d, want 401", st)
	}
	if st, _ := ts.do("GET", "/api/classes/c/export", a.Token, nil); st != http.StatusUnauthorized {
		t.Errorf("a learner exporting the gradebook: %d, want 401", st)
	}
	if st, _ := ts.do("POST", "/api/classes", a.Token, map[string]string{"name": "mine"}); st != http.StatusUnauthorized {
		t.Errorf("a learner creating a class: %d, want 401", st)
	}
	if st, _ := ts.do("POST", "/api/events", "ol_forged", batch(gradeEvent("x2", "alpha", 1, false, "no"))); st != http.StatusUnauthorized {
		t.Errorf("a forged token: %d, want 401", st)
	}
}

func TestMalformedEventsAre400WithAReason(t *testing.T) {
	ts := newTestServer(t, "")
	a := ts.join(ts.createClass("c"), "A")
	bad := gradeEvent("g", "alpha", 9, false, "x") // score above max
	cases := []struct {
		name, want string
		body       any
	}{
		{"not JSON", "malformed JSON", "{nope"},
		{"two values", "more than one value", `{"schema":"opslab/class-event/v1","events":[]} {}`},
		{"wrong schema", "schema must be", Batch{Schema: "v0"}},
		{"unknown kind", "kind \\\"dance\\\"", batch(Event{ID: "a", Kind: "dance", Lab: "l", At: time.Now()})},
		{"no id", "id must be", batch(Event{Kind: KindLabStarted, Lab: "l", At: time.Now()})},
		{"no time", "at is missing", batch(Event{ID: "a", Kind: KindLabStarted, Lab: "l"})},
		{"grade without grade", "needs a grade", batch(Event{ID: "a", Kind: KindGraded, Lab: "l", At: time.Now()})},
		{"score above max", "must be between", batch(bad)},
		{"wrong types", "malformed JSON", `{"schema":"opslab/class-event/v1","events":[{"id":5}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, body := ts.do("POST", "/api/events", a.Token, tc.body)
			if st != http.StatusBadRequest || !strings.Contains(body, tc.want) {
				t.Errorf("got %d %s, want 400 containing %q", st, body, tc.want)
			}
		})
	}
	big := `{"schema":"opslab/class-event/v1","events":[` + strings.Repeat(" ", MaxBatchBytes) + `]}`
	if st, body := ts.do("POST", "/api/events", a.Token, big); st != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the limit: %d %s, want 413", st, body)
	}
	if st, body := ts.do("POST", "/api/join", "", strings.Repeat("x", 10000)); st != http.StatusRequestEntityTooLarge && st != http.StatusBadRequest {
		t.Errorf("a huge join: %d %s", st, body)
	}
}

func TestDashboardNeedsInstructor(t *testing.T) {
	ts := newTestServer(t, "")
	ts.createClass("c")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(ts.web.URL + "/c/c")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("dashboard without login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = client.PostForm(ts.web.URL+"/login", map[string][]string{"token": {"wrong"}, "next": {"/c/c"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", resp.StatusCode)
	}
	resp, err = client.PostForm(ts.web.URL+"/login", map[string][]string{"token": {testToken}, "next": {"//evil.example/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" || len(resp.Cookies()) != 1 {
		t.Fatalf("login: %d %q %v", resp.StatusCode, resp.Header.Get("Location"), resp.Cookies())
	}
	req, _ := http.NewRequest("GET", ts.web.URL+"/c/c", nil)
	req.AddCookie(resp.Cookies()[0])
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Nobody has joined yet") {
		t.Errorf("dashboard with the cookie: %d %s", resp.StatusCode, body)
	}
}

// The database is the truth: a restarted server shows what the last one had.
func TestRestartKeepsTheBoard(t *testing.T) {
	db := filepath.Join(t.TempDir(), "class.db")
	ts := newTestServer(t, db)
	a := ts.join(ts.createClass("c"), "A")
	ts.do("POST", "/api/events", a.Token, batch(gradeEvent("e1", "alpha", 2, false, "boom")))
	ts.web.Close()
	ts.srv.Close()

	ts2 := newTestServer(t, db)
	st, body := ts2.do("GET", "/api/classes/c/export?format=csv", testToken, nil)
	if st != 200 || !strings.Contains(body, "A,alpha,2,4,false,0,") {
		t.Fatalf("after restart: %d %s", st, body)
	}
	if st, body := ts2.do("POST", "/api/events", a.Token, batch(gradeEvent("e1", "alpha", 2, false, "boom"))); !strings.Contains(body, `"duplicates":1`) {
		t.Errorf("resend after restart: %d %s", st, body)
	}
}

// The learner's page shows the failure as the learner saw it; the lab's page
// puts the check most learners fail first.
func TestLearnerAndLabPages(t *testing.T) {
	ts := newTestServer(t, "")
	code := ts.createClass("c")
	a, b := ts.join(code, "Ada"), ts.join(code, "Bob")
	ts.do("POST", "/api/events", a.Token, batch(gradeEvent("1", "alpha", 2, false, "expected level info, got debug")))
	ts.do("POST", "/api/events", b.Token, batch(gradeEvent("1", "alpha", 2, false, "expected level info, got debug")))
	st, page := ts.do("GET", fmt.Sprintf("/c/c/learners/%d", a.LearnerID), testToken, nil)
	if st != 200 || !strings.Contains(page, "expected level info, got debug") || !strings.Contains(page, "tuned/c1") {
		t.Errorf("learner page: %d\n%s", st, page)
	}
	st, page = ts.do("GET", "/c/c/labs/alpha", testToken, nil)
	if st != 200 || !strings.Contains(page, "tuned/c1") || !strings.Contains(page, "2/2") || !strings.Contains(page, "Ada, Bob") {
		t.Errorf("lab page: %d\n%s", st, page)
	}
	if i, j := strings.Index(page, "tuned/c1"), strings.Index(page, "up/c1"); i < 0 || j < 0 || i > j {
		t.Errorf("the failing check is not listed first")
	}
	// A learner's token is sent to the login page (the client follows the redirect).
	if _, page := ts.do("GET", fmt.Sprintf("/c/c/learners/%d", b.LearnerID), a.Token, nil); !strings.Contains(page, "Instructor sign-in") {
		t.Errorf("a learner's token opened the instructor's page")
	}
}

func TestExamResultOnTheDashboard(t *testing.T) {
	srv, err := NewServer(context.Background(), Config{DBPath: filepath.Join(t.TempDir(), "c.db"), InstructorToken: testToken,
		Exam: verifierFunc(func(b []byte) (ExamVerdict, error) { return ExamVerdict{Candidate: "ada", Score: 7, MaxScore: 10}, nil })})
	if err != nil {
		t.Fatal(err)
	}
	ts := serve(t, srv)
	a := ts.join(ts.createClass("c"), "Ada")
	ev := Event{ID: "x", Kind: KindExamSubmitted, Lab: "exam-cka", At: time.Now(), Exam: []byte(`{"payload":"e30="}`), Grade: &Grade{Score: 10, MaxScore: 10}}
	if st, body := ts.do("POST", "/api/events", a.Token, batch(ev)); st != 200 {
		t.Fatalf("%d %s", st, body)
	}
	_, page := ts.do("GET", "/c/c", testToken, nil)
	if !strings.Contains(page, "✓ exam verified") || !strings.Contains(page, `<span class="n">7</span>`) {
		t.Errorf("the dashboard does not show the verified exam at 7/10:\n%s", page)
	}
	bad := ev
	bad.ID, bad.Exam = "y", []byte(`not json`)
	if st, body := ts.do("POST", "/api/events", a.Token, batch(bad)); st != 400 {
		t.Errorf("an envelope that is not JSON: %d %s", st, body)
	}
}
