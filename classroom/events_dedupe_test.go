package classroom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// A sender that timed out and a second one may send the same event at once:
// it is stored once, and the others hear it was a duplicate.
func TestSameEventSentConcurrentlyIsStoredOnce(t *testing.T) {
	ts := newTestServer(t, "")
	a := ts.join(ts.createClass("c"), "Ada")
	body, _ := json.Marshal(batch(gradeEvent("same", "alpha", 1, false, "no"), gradeEvent("same", "alpha", 1, false, "no")))
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted, failed := 0, 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", ts.web.URL+"/api/events", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+a.Token)
			resp, err := http.DefaultClient.Do(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil || resp.StatusCode != 200 {
				failed++
				return
			}
			defer resp.Body.Close()
			var r EventsResponse
			_ = json.NewDecoder(resp.Body).Decode(&r)
			accepted += r.Accepted
		}()
	}
	wg.Wait()
	if failed != 0 || accepted != 1 {
		t.Errorf("%d failed, %d accepted: want every send answered and the event accepted once", failed, accepted)
	}
	_, rec := ts.do("GET", fmt.Sprintf("/api/learners/%d", a.LearnerID), testToken, nil)
	if n := strings.Count(rec, `"id":"same"`); n != 1 {
		t.Errorf("the event is stored %d times, want once: %s", n, rec)
	}
}
