package main

import (
	"bytes"
	"io"
	"os"

	"github.com/fatih/color"
	"golang.org/x/term"
)

// IO is the three standard streams plus what we know about them. Colour is
// decided once per stream (on only for a terminal) and never through the global
// color.NoColor, which several goroutines would race on.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer

	inTTY, outTTY, errTTY bool
	colorOut, colorErr    bool
}

// systemIO wraps the process's streams. NO_COLOR (any value) and TERM=dumb turn colour off.
func systemIO(getenv func(string) string) *IO {
	s := &IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		inTTY: isTerminal(os.Stdin), outTTY: isTerminal(os.Stdout), errTTY: isTerminal(os.Stderr)}
	noColor := getenv("NO_COLOR") != "" || getenv("TERM") == "dumb"
	s.colorOut, s.colorErr = s.outTTY && !noColor, s.errTTY && !noColor
	return s
}

// testIO is IO over buffers: no terminal, no colour.
func testIO() (*IO, *bytes.Buffer, *bytes.Buffer) {
	out, errb := &bytes.Buffer{}, &bytes.Buffer{}
	return &IO{In: &bytes.Buffer{}, Out: out, Err: errb}, out, errb
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// DisableColor is --no-color.
func (s *IO) DisableColor() { s.colorOut, s.colorErr = false, false }

// IsOutTTY says whether stdout is a terminal (rich rendering, tables with colour).
func (s *IO) IsOutTTY() bool { return s.outTTY }

// IsErrTTY says whether stderr is a terminal (spinners, progress bars).
func (s *IO) IsErrTTY() bool { return s.errTTY }

// OutColors and ErrColors are the colour schemes of stdout and stderr.
func (s *IO) OutColors() *Colors { return newColors(s.colorOut) }
func (s *IO) ErrColors() *Colors { return newColors(s.colorErr) }

// Colors returns text unchanged when colour is off.
type Colors struct{ red, green, yellow, bold, faint *color.Color }

func newColors(on bool) *Colors {
	c := &Colors{
		red:    color.New(color.FgRed),
		green:  color.New(color.FgGreen),
		yellow: color.New(color.FgYellow),
		bold:   color.New(color.Bold),
		faint:  color.New(color.Faint),
	}
	for _, col := range []*color.Color{c.red, c.green, c.yellow, c.bold, c.faint} {
		if on {
			col.EnableColor()
		} else {
			col.DisableColor()
		}
	}
	return c
}

func (c *Colors) Red(s string) string    { return c.red.Sprint(s) }
func (c *Colors) Green(s string) string  { return c.green.Sprint(s) }
func (c *Colors) Yellow(s string) string { return c.yellow.Sprint(s) }
func (c *Colors) Bold(s string) string   { return c.bold.Sprint(s) }
func (c *Colors) Faint(s string) string  { return c.faint.Sprint(s) }
