package main

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"time"
)

// spinner shows the runtime's progress lines on a terminal: the current step
// with a spinning mark, earlier steps as plain lines. Off a terminal the lines
// go through unchanged (see app.progress).
type spinner struct {
	mu      sync.Mutex
	w       io.Writer
	partial []byte
	current string // the step in progress, "" = none
	frame   int
	closed  bool
	stop    chan struct{}
	done    sync.WaitGroup
}

var spinFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func newSpinner(w io.Writer) *spinner {
	s := &spinner{w: w, stop: make(chan struct{})}
	s.done.Add(1)
	go s.spin()
	return s
}

func (s *spinner) spin() {
	defer s.done.Done()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			s.frame++
			s.draw()
			s.mu.Unlock()
		}
	}
}

// draw rewrites the terminal's last line; call with mu held.
func (s *spinner) draw() {
	if s.current != "" {
		fmt.Fprintf(s.w, "\r\x1b[K%s %s", spinFrames[s.frame%len(spinFrames)], s.current)
	}
}

func (s *spinner) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return s.w.Write(p)
	}
	s.partial = append(s.partial, p...)
	for {
		i := bytes.IndexByte(s.partial, '\n')
		if i < 0 {
			break
		}
		line := string(s.partial[:i])
		s.partial = s.partial[i+1:]
		s.flushCurrent()
		s.current = line
		s.draw()
	}
	return len(p), nil
}

// flushCurrent leaves the current step as a plain line; call with mu held.
func (s *spinner) flushCurrent() {
	if s.current != "" {
		fmt.Fprintf(s.w, "\r\x1b[K  %s\n", s.current)
		s.current = ""
	}
}

// Close stops the spinner and leaves every line on screen; later writes pass through.
func (s *spinner) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	close(s.stop)
	s.done.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushCurrent()
	if len(s.partial) > 0 {
		fmt.Fprintf(s.w, "%s\n", s.partial)
		s.partial = nil
	}
}
