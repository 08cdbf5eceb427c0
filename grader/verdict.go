package grader

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// env is what a probe may use: the target and the injected clock.
type env struct {
	t       Target
	started time.Time // when this grading began: log checks read output since then
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
}

// verdict is one attempt's outcome: a failed check is data, not an error.
type verdict struct {
	pass             bool
	message          string
	expected, actual string
}

// assertions collects subject/matcher/actual triples of one attempt.
type assertions struct {
	exp, act, fails []string
	failExp         []string
	failAct         []string
}

// check records whether actual meets m; a nil matcher is "not asked".
func (a *assertions) check(subject string, m *Matcher, actual any) bool {
	if m == nil {
		return true
	}
	return a.record(subject, m.String(), actual, m.Match(actual))
}

// record adds an assertion whose expectation is already a phrase.
func (a *assertions) record(subject, expected string, actual any, ok bool) bool {
	exp := strings.TrimSpace(subject + " " + expected)
	act := strings.TrimSpace(subject + " " + formatActual(actual))
	a.exp = append(a.exp, exp)
	a.act = append(a.act, act)
	if !ok {
		a.failExp = append(a.failExp, exp)
		a.failAct = append(a.failAct, act)
		a.fails = append(a.fails, fmt.Sprintf("expected %s, got %s", exp, formatActual(actual)))
	}
	return ok
}

// fail records a failure whose explanation does not fit expected/actual.
func (a *assertions) fail(expected, actual, msg string) {
	a.exp = append(a.exp, expected)
	a.act = append(a.act, actual)
	a.failExp = append(a.failExp, expected)
	a.failAct = append(a.failAct, actual)
	a.fails = append(a.fails, msg)
}

func (a *assertions) verdict() verdict {
	if len(a.fails) > 0 {
		return verdict{
			message:  strings.Join(a.fails, "; "),
			expected: strings.Join(a.failExp, "; "),
			actual:   strings.Join(a.failAct, "; "),
		}
	}
	return verdict{pass: true, expected: strings.Join(a.exp, "; "), actual: strings.Join(a.act, "; ")}
}

func failed(expected, actual, msg string) verdict {
	return verdict{message: msg, expected: expected, actual: actual}
}
