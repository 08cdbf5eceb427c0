package grader

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// grace is how long the grader waits beyond a probe's own timeout for the
// Target to report it, before abandoning the call.
const grace = 5 * time.Second

// attemptTimeout is the time one probe may take.
func attemptTimeout(s CheckSpec) time.Duration {
	if t, ok := s.(interface{ attemptTimeout() time.Duration }); ok && t.attemptTimeout() > 0 {
		return t.attemptTimeout()
	}
	return DefaultAttemptTimeout
}

// runCheck applies the check's timing: one attempt, eventually (retry until
// pass) or consistently (must hold throughout). The last attempt decides.
func (g *grading) runCheck(ctx context.Context, c *Check) (res CheckResult) {
	res = CheckResult{ID: c.ID, Kind: c.Kind()}
	if c.Skip {
		res.Status, res.Message = StatusSkipped, skippedByAuthor
		return res
	}
	start := g.e.now()
	defer func() { res.DurationMS = g.e.now().Sub(start).Milliseconds() }()

	var (
		until    time.Time
		interval time.Duration
	)
	switch {
	case c.Eventually != nil:
		until, interval = start.Add(c.Eventually.Timeout), c.Eventually.Interval
	case c.Consistently != nil:
		until, interval = start.Add(c.Consistently.For), c.Consistently.Interval
	}
	for {
		if g.expired(ctx) {
			if res.Attempts == 0 {
				res.Status = StatusSkipped
				res.Message = fmt.Sprintf("not run: the grading deadline of %s was reached", fmtSeconds(g.opt.Deadline))
			}
			return res
		}
		v, status, msg := g.attempt(ctx, c)
		res.Attempts++
		res.Status, res.Message, res.Expected, res.Actual = status, msg, v.expected, v.actual
		now := g.e.now()
		switch {
		case c.Consistently != nil:
			if status != StatusPass {
				res.Message = fmt.Sprintf("after %s (attempt %d): %s", fmtSeconds(now.Sub(start)), res.Attempts, msg)
				return res
			}
			if !now.Before(until) {
				return res
			}
		case c.Eventually != nil:
			if status == StatusPass {
				return res
			}
			if !now.Add(interval).Before(until) {
				if status == StatusFail {
					res.Message = fmt.Sprintf("%s (still failing after %s, %d attempts)", msg, fmtSeconds(now.Sub(start)), res.Attempts)
				}
				return res
			}
		default:
			return res
		}
		if err := g.e.sleep(ctx, interval); err != nil {
			return res // deadline during the wait: the last attempt stands
		}
	}
}

func (g *grading) expired(ctx context.Context) bool {
	return ctx.Err() != nil || !g.e.now().Before(g.deadline)
}

// attempt runs one probe within its timeout, holding a concurrency slot, and
// maps Go errors to the error outcome.
func (g *grading) attempt(ctx context.Context, c *Check) (verdict, Status, string) {
	select {
	case g.sem <- struct{}{}:
		defer func() { <-g.sem }()
	case <-ctx.Done():
		return verdict{}, StatusError, "grading was stopped: " + ctx.Err().Error()
	}
	limit := attemptTimeout(c.Spec)
	actx, cancel := context.WithTimeout(ctx, limit+grace)
	defer cancel()
	v, err := c.Spec.probe(actx, g.e)
	switch {
	case err == nil && v.pass:
		return v, StatusPass, ""
	case err == nil:
		return v, StatusFail, v.message
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		if ctx.Err() != nil {
			return v, StatusError, "timed out: the grading deadline of " + fmtSeconds(g.opt.Deadline) + " was reached"
		}
		return v, StatusError, "timed out after " + fmtSeconds(limit)
	case ctx.Err() != nil:
		return v, StatusError, "grading was stopped: " + ctx.Err().Error()
	}
	return v, StatusError, "environment error: " + err.Error()
}

const skippedByAuthor = "skipped by the lab author"
