package classroom

import (
	"strings"
	"testing"
)

// parseSSE splits a stream as EventSource does: a line ends at \r\n, \n or
// \r alone; a blank line ends an event.
func parseSSE(stream string) (names []string) {
	stream = strings.ReplaceAll(stream, "\r\n", "\n")
	stream = strings.ReplaceAll(stream, "\r", "\n")
	name, data := "", false
	for _, line := range strings.Split(stream, "\n") {
		switch {
		case line == "":
			if data {
				if name == "" {
					name = "message"
				}
				names = append(names, name)
			}
			name, data = "", false
		case strings.HasPrefix(line, "event:"):
			name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			data = true
		}
	}
	return names
}

// A check message or task title is the learner's text: a carriage return in
// it must not end the event and start one of the learner's choosing (one
// that redraws another learner's row, or the whole grid).
func TestSSEMessageKeepsLearnerTextInOneEvent(t *testing.T) {
	html := "<td title=\"x\r\revent: grid\rdata: owned\r\r\">a\r\nb\rc</td>"
	got := parseSSE(string(sseMessage("row-1", []byte(html))))
	if len(got) != 1 || got[0] != "row-1" {
		t.Fatalf("events %q, want one row-1 event", got)
	}
}

// A dashboard that connects while the server shuts down (after its streams
// were ended) must not hold the shutdown up until its browser goes away.
func TestStreamOpenedAfterCloseAllEndsAtOnce(t *testing.T) {
	h := newHub()
	h.closeAll()
	ch := h.subscribe("monday")
	select {
	case _, ok := <-ch:
		if ok {
			t.Fatal("a message on a stream of a closed hub")
		}
	default:
		t.Fatal("a stream opened after closeAll stays open: shutdown waits for it")
	}
	h.unsubscribe("monday", ch) // the handler's deferred call: no double close
	h.publish("monday", "grid", []byte("x"))
}
