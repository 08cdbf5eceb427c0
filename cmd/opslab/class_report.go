package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/opslab/opslab/classroom"
	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/internal/localstate"
)

// The reporting hooks. Each is called by one line in a shared command file
// (start, stop, grade, hint; exam mode calls reportExamSubmitted). When the
// learner is in no class they cost one failed file open. In a class, the
// event goes to the spool (one small file) and a detached `opslab class
// send` delivers it: the command never waits for the network.

func (d *app) reportLabStarted(labID string) {
	d.classReport(classroom.Event{Kind: classroom.KindLabStarted, Lab: labID})
}

func (d *app) reportLabStopped(labID string) {
	d.classReport(classroom.Event{Kind: classroom.KindLabStopped, Lab: labID})
}

// reportGrade shares a grade: scores, statuses and each failing check's
// message as the learner read it — never the learner's files.
func (d *app) reportGrade(res *grader.Result) {
	d.classReport(classroom.Event{Kind: classroom.KindGraded, Lab: res.Lab.ID, Grade: classGrade(res, false)})
}

func (d *app) reportHint(labID, task string, tier int) {
	d.classReport(classroom.Event{Kind: classroom.KindHint, Lab: labID, Hint: &classroom.Hint{Task: task, Tier: tier}})
}

// classReport spools an event for the class server, if the learner is in a
// class, and starts a background sender. Reporting never fails a command.
func (d *app) classReport(e classroom.Event) {
	if d.spoolEvent(e) {
		d.startSender()
	}
}

// spoolEvent keeps an event for the class server; false when the learner is
// in no class (or it could not be kept: a warning says so).
func (d *app) spoolEvent(e classroom.Event) bool {
	dir := d.dirs.Class()
	m, err := localstate.LoadMembership(dir)
	if m == nil || err != nil {
		return false
	}
	e.ID, e.At = newEventID(), time.Now().UTC()
	b, err := json.Marshal(e)
	if err == nil {
		err = localstate.NewSpool(dir).Add(e.ID, b)
	}
	if err != nil {
		fmt.Fprintf(d.io.Err, "warning: could not keep the report for your class (%v)\n", err)
		return false
	}
	return true
}

func newEventID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// classGrade is the part of a result a class sees.
func classGrade(res *grader.Result, auto bool) *classroom.Grade {
	g := &classroom.Grade{Score: res.Score, MaxScore: res.MaxScore, Passed: res.Passed, Auto: auto, Tasks: []classroom.Task{}}
	for _, t := range res.Tasks {
		ct := classroom.Task{ID: t.ID, Title: t.Title, Status: string(t.Status), Points: t.Points, Earned: t.Earned}
		for _, c := range t.Checks {
			ct.Checks = append(ct.Checks, classroom.Check{ID: c.ID, Status: string(c.Status), Message: seenMessage(c)})
		}
		g.Tasks = append(g.Tasks, ct)
	}
	return g
}

// seenMessage is a check's failure as the text report showed it. A file
// check's "actual" would be the learner's file: it stays on their machine.
func seenMessage(c grader.CheckResult) string {
	if c.Status == grader.StatusPass {
		return ""
	}
	msg := c.Message
	if c.Expected != "" && c.Status == grader.StatusFail && !strings.HasPrefix(msg, "expected ") && c.Kind != "file" {
		msg += "\nexpected: " + clip(c.Expected, 300) + "\nactual:   " + clip(c.Actual, 300)
	}
	return clip(msg, 1900)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 { // do not cut a UTF-8 character
		n--
	}
	return s[:n] + "…"
}
