package classroom

import (
	"bytes"
	"sync"
)

// hub fans Server-Sent Events out to the dashboards watching a class. A
// message is rendered once and written to every subscriber; a dashboard that
// cannot keep up is dropped (its browser reconnects and redraws the grid)
// rather than slowing the learners' reports.
type hub struct {
	mu     sync.Mutex
	subs   map[string]map[chan []byte]struct{}
	closed bool // the server is shutting down: new streams end at once
}

func newHub() *hub { return &hub{subs: map[string]map[chan []byte]struct{}{}} }

func (h *hub) subscribe(class string) chan []byte {
	ch := make(chan []byte, 64)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(ch)
		return ch
	}
	if h.subs[class] == nil {
		h.subs[class] = map[chan []byte]struct{}{}
	}
	h.subs[class][ch] = struct{}{}
	return ch
}

func (h *hub) unsubscribe(class string, ch chan []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[class][ch]; ok {
		delete(h.subs[class], ch)
		close(ch)
	}
}

func (h *hub) watching(class string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[class]) > 0
}

// publish sends one SSE message (event name, HTML data) to a class's dashboards.
func (h *hub) publish(class, event string, html []byte) {
	msg := sseMessage(event, html)
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[class] {
		select {
		case ch <- msg:
		default: // too slow: drop it, its browser reconnects and redraws
			delete(h.subs[class], ch)
			close(ch)
		}
	}
}

// closeAll ends every stream (server shutdown).
func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for class, set := range h.subs {
		for ch := range set {
			close(ch)
		}
		delete(h.subs, class)
	}
}

// sseMessage frames data as one event: every line gets its own "data:".
// EventSource ends a line at \r\n, \n or a lone \r, and html/template
// leaves \r as it is: a learner's text (a task title, a check message) with
// a \r in it would otherwise end this event and start one of its own.
func sseMessage(event string, data []byte) []byte {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	var b bytes.Buffer
	b.WriteString("event: ")
	b.WriteString(event)
	b.WriteByte('\n')
	for _, line := range bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n")) {
		b.WriteString("data: ")
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return b.Bytes()
}
