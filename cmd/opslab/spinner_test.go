package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestSpinnerLeavesEveryLine(t *testing.T) {
	var buf bytes.Buffer
	s := newSpinner(&buf)
	s.Write([]byte("building image 1/2 …\nbuilding"))
	s.Write([]byte(" image 2/2 …\n"))
	s.Close()
	s.Write([]byte("after close\n"))
	// What a terminal shows: the last text after each carriage return / erase.
	var lines []string
	for _, l := range strings.Split(buf.String(), "\n") {
		if i := strings.LastIndex(l, "\r\x1b[K"); i >= 0 {
			l = l[i+len("\r\x1b[K"):]
		}
		lines = append(lines, l)
	}
	want := []string{"  building image 1/2 …", "  building image 2/2 …", "after close", ""}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("screen %q, want %q", lines, want)
	}
}
