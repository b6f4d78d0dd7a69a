package testutil

import (
	"context"
	"sync"
	"time"
)

// Clock is a virtual clock for the HTTP stack's waits (it satisfies
// transport.Clock): SleepUntil moves the time forward at once instead of
// sleeping, so a test that waits out a two-minute Retry-After or a
// rate-limit window takes no real time, and can still assert how long the
// client would have waited.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	slept  time.Duration
	sleeps int
}

// NewClock returns a Clock set to a fixed date.
func NewClock() *Clock {
	return &Clock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
}

// Now returns the virtual time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// SleepUntil advances the virtual time to t (if it is later) and returns;
// it returns the context's cause instead when ctx is already done.
func (c *Clock) SleepUntil(ctx context.Context, t time.Time, _ <-chan struct{}) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps++
	if t.After(c.now) {
		c.slept += t.Sub(c.now)
		c.now = t
	}
	return nil
}

// Advance moves the virtual time forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Slept reports the virtual time spent in SleepUntil and how many calls
// waited.
func (c *Clock) Slept() (time.Duration, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept, c.sleeps
}
