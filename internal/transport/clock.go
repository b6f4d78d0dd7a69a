package transport

import (
	"context"
	"time"
)

// Clock is the time source of every wait in the HTTP stack: Retry-After,
// the adaptive rate-limit budget, requests_per_second and the backoff
// between retries. Production uses the wall clock; tests inject a virtual
// clock so that a two-minute Retry-After costs no real time.
type Clock interface {
	Now() time.Time
	// SleepUntil returns nil at time t or as soon as wake is closed
	// (whichever comes first; wake may be nil), or context.Cause(ctx) when
	// ctx is done first.
	SleepUntil(ctx context.Context, t time.Time, wake <-chan struct{}) error
}

// wallClock is the real time.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) SleepUntil(ctx context.Context, t time.Time, wake <-chan struct{}) error {
	d := time.Until(t)
	if d <= 0 {
		return ctxCause(ctx)
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-timer.C:
		return nil
	case <-wake:
		return nil
	}
}

func ctxCause(ctx context.Context) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return nil
}

// WaitEvent describes one wait of the HTTP stack, for Options.OnWait.
type WaitEvent struct {
	// Reason is "retry-after" (a 429 with Retry-After), "rate-budget" (the
	// adaptive budget learned from 429s without Retry-After),
	// "requests-per-second" (the configured limit) or "backoff" (between
	// retries of a failure).
	Reason string
	// Until is when the wait ends at the latest (zero: until the budget
	// changes).
	Until time.Time
}
