package main

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs/spec"

	"github.com/opslab/opslab/content"
	"github.com/opslab/opslab/labs"
)

// app is what every command depends on: streams, global options, and the lazily
// created catalog and Docker runtime. Tests replace newRuntime with a fake.
type app struct {
	io     *IO
	getenv func(string) string
	dirs   localstate.Dirs // resolved once from getenv; tests point them at temporary folders

	contentDir string // --content; "" = the embedded catalog
	contentSet bool   // given on the command line: repeat it in "next steps"
	verbose    bool
	trace      bool   // --trace / OPSLAB_TRACE: time each phase of a start
	session    string // --session / OPSLAB_SESSION; "" = the login name (sessionName)
	sessionSet bool   // given on the command line: repeat it in "next steps"

	embedded   fs.FS
	newRuntime func(ctx context.Context, o labs.RuntimeOptions) (labRuntime, error)
	doctor     func(ctx context.Context, o labs.RuntimeOptions) []labs.DoctorCheck

	catalog *spec.Catalog
	rt      labRuntime
	spin    *spinner

	now  func() time.Time // the exam clock; nil = time.Now (tests move it)
	exam *examCache       // the exam running in this state dir, read once (exam_state.go)
	// spawnWatcher starts the exam's deadline keeper (exam_watch.go); tests
	// that move the clock run it themselves.
	spawnWatcher func(*app) error
}

func newDeps(streams *IO, getenv func(string) string) *app {
	return &app{
		io:       streams,
		getenv:   getenv,
		dirs:     localstate.Resolve(getenv, getenv("HOME"), os.TempDir()),
		embedded: content.FS,
		newRuntime: func(ctx context.Context, o labs.RuntimeOptions) (labRuntime, error) {
			return labs.NewRuntime(ctx, o)
		},
		doctor:       labs.Doctor,
		spawnWatcher: spawnExamWatcher,
	}
}

// loadCatalog is the active catalog: --content DIR, or the one built in.
func (d *app) loadCatalog() (*spec.Catalog, error) {
	if d.catalog != nil {
		return d.catalog, nil
	}
	c, err := d.openCatalog(d.contentDir, "--content")
	if err != nil {
		return nil, err
	}
	d.catalog = c
	return c, nil
}

// openCatalog opens the labs in dir ("" = the built-in catalog). Labs outside
// the built-in catalog build from the shared image folders beside them: those
// of their own folder of labs, of the folder around a single lab, or else the
// built-in ones. flag names the option dir came from, for messages.
func (d *app) openCatalog(dir, flag string) (*spec.Catalog, error) {
	if dir == "" {
		return spec.LoadCatalog(d.embedded, content.Source)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, usagef("%s %s: %v", flag, dir, err)
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		if flag == "lint" {
			return nil, usagef("lint: %s is not a folder", dir)
		}
		return nil, usagef("%s %s: not a folder", flag, dir)
	}
	c, err := spec.LoadCatalog(os.DirFS(abs), dir)
	if err != nil {
		return nil, err
	}
	beside := filepath.Join(filepath.Dir(abs), spec.SharedDir)
	if st, err := os.Stat(beside); err == nil && st.IsDir() {
		c.UseShared(os.DirFS(beside), filepath.Join(filepath.Dir(dir), spec.SharedDir))
	}
	if shared, err := fs.Sub(d.embedded, spec.SharedDir); err == nil {
		c.UseShared(shared, content.Source+"/"+spec.SharedDir)
	}
	return c, nil
}

// loadLab finds and parses one lab; an unknown id is a *spec.NotFoundError (exit 2).
// During an exam, the exam's labs load with the candidate's params.
func (d *app) loadLab(id string, params map[string]string) (*spec.Lab, error) {
	c, err := d.loadCatalog()
	if err != nil {
		return nil, err
	}
	return d.loadExamLab(c, id, params)
}

func (d *app) runtimeOptions() labs.RuntimeOptions {
	o := labs.RuntimeOptions{
		Session:   d.sessionName(),
		Dirs:      d.dirs,
		BaseImage: d.getenv("OPSLAB_BASE_IMAGE"),
		Getenv:    d.getenv,
		Progress:  d.progress(),
		// A switch for comparing and for ruling the agent out: not a flag,
		// learners never need it.
		EngineExecOnly: d.getenv("OPSLAB_EXEC_AGENT") == "off",
	}
	if d.verbose {
		o.Verbose = d.io.Err
	}
	if d.trace {
		o.Trace = o.Progress // each phase of a start and its duration
	}
	return o
}

// progress is where the runtime's progress lines go: stderr, with a spinner on
// a terminal (not with --verbose, whose log lines would tear it).
func (d *app) progress() io.Writer {
	if !d.io.IsErrTTY() || d.verbose || d.getenv("TERM") == "dumb" {
		return d.io.Err
	}
	if d.spin == nil {
		d.spin = newSpinner(d.io.Err)
	}
	return d.spin
}

// runtime connects to Docker on first use: list, show and lint never need it.
func (d *app) runtime(ctx context.Context) (labRuntime, error) {
	if d.rt != nil {
		return d.rt, nil
	}
	rt, err := d.newRuntime(ctx, d.runtimeOptions())
	if err != nil {
		return nil, err
	}
	d.rt = rt
	return rt, nil
}

func (d *app) close() {
	if d.rt != nil {
		_ = d.rt.Close()
	}
	d.stopProgress()
}

// stopProgress ends the spinner: commands call it before printing results.
func (d *app) stopProgress() {
	if d.spin != nil {
		d.spin.Close()
	}
}

// cmdPrefix is how to call opslab again in "next steps": with --content and
// --session when the user gave them on the command line.
func (d *app) cmdPrefix() string {
	p := "opslab"
	if d.contentSet {
		p += " --content " + shellQuote(d.contentDir)
	}
	if d.sessionSet {
		p += " --session " + shellQuote(d.session)
	}
	return p
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./@:+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
