package classroom

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type panicVerifier struct{}

func (panicVerifier) Verify([]byte) (ExamVerdict, error) { panic("verifier bug") }

// A bug below the events handler (here, the exam verifier) costs the
// request that met it, never the server: the board's lock is let go.
func TestPanicInReportDoesNotWedgeTheServer(t *testing.T) {
	srv, err := NewServer(context.Background(), Config{DBPath: filepath.Join(t.TempDir(), "class.db"), InstructorToken: testToken,
		Stuck: StuckRules{After: 10 * time.Minute, Fails: 3}, RefreshEvery: time.Hour, Exam: panicVerifier{}})
	if err != nil {
		t.Fatal(err)
	}
	ts := serve(t, srv)
	learner := ts.join(ts.createClass("monday"), "ada")
	ex := Event{ID: "exam-1", Kind: KindExamSubmitted, Lab: "exam:final", At: time.Now(), Exam: json.RawMessage(`{}`)}
	body, _ := json.Marshal(batch(ex))
	req, _ := http.NewRequest("POST", ts.web.URL+"/api/events", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+learner.Token)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	done := make(chan int, 1)
	body, _ = json.Marshal(batch(gradeEvent("g-1", "lab-a", 1, false, "")))
	req, _ = http.NewRequest("POST", ts.web.URL+"/api/events", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+learner.Token)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	select {
	case code := <-done:
		if code != http.StatusOK {
			t.Fatalf("a report after the panic: %d, want 200", code)
		}
	case <-time.After(5 * time.Second):
		srv.mu.Unlock() // let the hung handler go, or the test server's Close waits for it forever
		t.Fatal("a report after the panic hangs: the board's lock was never let go")
	}
}
