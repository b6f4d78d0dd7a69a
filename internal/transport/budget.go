package transport

import (
	"context"
	"sync"
	"time"
)

// Budget is the call budget one API client shares between all the resources
// of a provider process. It does two things:
//
//   - A 429 (or 503) with Retry-After pauses every call of the budget until
//     that time, not only the refused one: the server has said the key's
//     budget is spent, so the other calls would only be refused too.
//
//   - A 429 without Retry-After engages an adaptive budget that learns the
//     server's limit from the refusals, in the spirit of the AWS SDKs'
//     adaptive retry mode:
//
//   - A 429 empties the bucket: every caller of the client waits, not only
//     the refused one, and the calls the server accepted in the current
//     window become the budget per window (the rate drops on throttle).
//
//   - While the bucket is empty, a single probe call goes out at a time, at
//     growing intervals, until one is accepted: that is a window reset. The
//     time between two resets is the window length.
//
//   - Once limit and window are known, each window releases the learned
//     number of calls at once and then waits for the next reset, probing
//     shortly before it is due; the probe lead shrinks when probes show the
//     reset precisely and grows when they were late. After three windows in
//     a row that used the whole budget without a refusal, the budget grows by
//     2% (it recovers carefully and re-learns when the server disagrees).
//
// Two more rules hold in every mode:
//
//   - After a pause, one call goes first (a probe); the others follow only
//     once the server has accepted it, so a Retry-After that was too short
//     (or a window shared with other processes) costs one refusal, not one
//     per waiting call.
//
//   - A budget made with NewBudgetLimit paces itself: at most its calls in
//     any span of its window (v1: 100 calls a minute), which no fixed or
//     sliding window of that limit refuses, at the limit's full speed.
//
// This is what a fixed-window limit (so many calls a minute) needs: the
// fewest refusals for the shortest total time. Any other limit (a
// sliding window, a token bucket) shows as short windows and small budgets,
// and the client paces itself accordingly.
type Budget struct {
	clock Clock

	mu   sync.Mutex
	wake chan struct{} // closed and replaced on every change waiters care about

	pauseUntil time.Time // a Retry-After holds every call until then
	paused     int64     // answers that paused the budget
	resuming   bool      // a pause ended: one call goes first
	resumeOut  bool      // that call is on the wire

	// The pace of NewBudgetLimit: the send times of the last paceCalls
	// calls, oldest at paceNext once the ring is full.
	paceCalls int
	paceSpan  time.Duration
	paceSent  []time.Time
	paceNext  int

	engaged bool          // a 429 without Retry-After has been seen
	limit   int           // calls accepted per window; 0 = not learned yet
	window  time.Duration // window length; 0 = not learned yet

	epoch         int       // incremented on every new window
	anchor        time.Time // start of the current window (first accepted probe)
	anchorPrecise bool      // the reset is known within one small probe gap
	used          int       // calls released in the current window
	accepted      int       // of those, answered with anything but 429

	blocked         bool // waiting for the next window: only probes go out
	probing         bool
	probeAt         time.Time
	gap             time.Duration // interval between failed probes
	lead            time.Duration // how long before the predicted reset to start probing
	lastFailedProbe time.Time
	cleanFull       int  // windows in a row that spent the budget without a 429
	learn           bool // the current window ended in a 429: its accepted calls are the limit

	throttled, probes int64
}

const (
	firstProbeGap = 50 * time.Millisecond
	maxProbeGap   = time.Second
)

// NewBudget returns an unengaged budget on clock (nil: the wall clock).
func NewBudget(clock Clock) *Budget {
	if clock == nil {
		clock = wallClock{}
	}
	return &Budget{clock: clock, wake: make(chan struct{}), gap: firstProbeGap}
}

// NewBudgetLimit returns a budget on clock (nil: the wall clock) that sends
// at most calls calls in any span of window (see Budget); calls < 1 or
// window <= 0 is NewBudget's, which does not pace.
func NewBudgetLimit(clock Clock, calls int, window time.Duration) *Budget {
	b := NewBudget(clock)
	if calls >= 1 && window > 0 {
		b.paceCalls, b.paceSpan = calls, window
		b.paceSent = make([]time.Time, 0, calls)
	}
	return b
}

// paceAt returns when the pace lets the next call go (zero: now).
func (b *Budget) paceAt() time.Time {
	if b.paceCalls == 0 || len(b.paceSent) < b.paceCalls {
		return time.Time{}
	}
	return b.paceSent[b.paceNext].Add(b.paceSpan)
}

// paced records a call sent at now.
func (b *Budget) paced(now time.Time) {
	if b.paceCalls == 0 {
		return
	}
	if len(b.paceSent) < b.paceCalls {
		b.paceSent = append(b.paceSent, now)
		return
	}
	b.paceSent[b.paceNext] = now
	b.paceNext = (b.paceNext + 1) % b.paceCalls
}

// BudgetStats is what the budget has learned so far.
type BudgetStats struct {
	// Limit is the number of calls the server accepts per Window; zero
	// until learned.
	Limit  int
	Window time.Duration
	// Throttled counts 429 answers without Retry-After; Probes counts the
	// probe calls sent while the budget was empty; Paused counts the
	// answers with Retry-After that paused every call.
	Throttled, Probes, Paused int64
}

// Stats reports what the budget has learned.
func (b *Budget) Stats() BudgetStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return BudgetStats{Limit: b.limit, Window: b.window, Throttled: b.throttled, Probes: b.probes, Paused: b.paused}
}

// pause holds every call of the budget until until (a Retry-After).
func (b *Budget) pause(until time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.paused++
	b.resuming = true
	if until.After(b.pauseUntil) {
		b.pauseUntil = until
		b.broadcast()
	}
}

// ticket is one released call.
type ticket struct {
	probe  bool
	resume bool // the first call after a pause
	epoch  int
	sent   time.Time
}

func (b *Budget) broadcast() {
	close(b.wake)
	b.wake = make(chan struct{})
}

// smallGap is the probe interval once the window is known.
func (b *Budget) smallGap() time.Duration {
	return min(max(b.window/64, 5*time.Millisecond), maxProbeGap)
}

// acquire waits until a call may be sent. onWait, if set, is told about
// each wait before it starts.
func (b *Budget) acquire(ctx context.Context, onWait func(WaitEvent)) (ticket, error) {
	claimed := false // this call is the one that goes first after a pause
	t, err := b.acquireLoop(ctx, onWait, &claimed)
	if err != nil && claimed {
		b.mu.Lock()
		b.resumeOut = false
		b.broadcast()
		b.mu.Unlock()
	}
	return t, err
}

func (b *Budget) acquireLoop(ctx context.Context, onWait func(WaitEvent), claimed *bool) (ticket, error) {
	for {
		b.mu.Lock()
		now := b.clock.Now()
		if now.Before(b.pauseUntil) {
			until, wake := b.pauseUntil, b.wake
			b.mu.Unlock()
			if onWait != nil {
				onWait(WaitEvent{Reason: "retry-after", Until: until})
			}
			if err := b.clock.SleepUntil(ctx, until, wake); err != nil {
				return ticket{}, err
			}
			continue
		}
		if b.resuming && !*claimed {
			if b.resumeOut {
				// Another call went first after the pause: wait for its
				// answer.
				wake := b.wake
				b.mu.Unlock()
				if onWait != nil {
					onWait(WaitEvent{Reason: "retry-after"})
				}
				select {
				case <-ctx.Done():
					return ticket{}, context.Cause(ctx)
				case <-wake:
				}
				continue
			}
			b.resumeOut, *claimed = true, true
		}
		if at := b.paceAt(); now.Before(at) {
			wake := b.wake
			b.mu.Unlock()
			if onWait != nil {
				onWait(WaitEvent{Reason: "pace", Until: at})
			}
			if err := b.clock.SleepUntil(ctx, at, wake); err != nil {
				return ticket{}, err
			}
			continue
		}
		if !b.engaged {
			b.paced(now)
			b.mu.Unlock()
			return ticket{sent: now, resume: *claimed}, nil
		}
		if !b.blocked {
			if b.window > 0 && !b.anchor.IsZero() && !now.Before(b.anchor.Add(b.window)) {
				// The window passed without using the budget up: the
				// server's window has reset too.
				windows := int64(now.Sub(b.anchor) / b.window)
				b.anchor = b.anchor.Add(time.Duration(windows) * b.window)
				b.anchorPrecise = false
				b.epoch++
				b.used, b.accepted, b.cleanFull = 0, 0, 0
			}
			if b.window == 0 || b.limit == 0 || b.used < b.limit {
				b.used++
				b.paced(now)
				t := ticket{epoch: b.epoch, sent: now, resume: *claimed}
				b.mu.Unlock()
				return t, nil
			}
			// Budget spent: wait for the next window, probing just before
			// it is due.
			b.cleanFull++
			if b.cleanFull >= 3 {
				b.limit += max(1, b.limit/50)
				b.cleanFull = 0
			}
			b.blocked = true
			b.gap = b.smallGap()
			b.probeAt = b.anchor.Add(b.window - b.lead)
			b.lastFailedProbe = time.Time{}
		}
		if !b.probing && !now.Before(b.probeAt) {
			b.probing = true
			b.probes++
			b.paced(now)
			t := ticket{probe: true, epoch: b.epoch, sent: now, resume: *claimed}
			b.mu.Unlock()
			return t, nil
		}
		wake, probing, until := b.wake, b.probing, b.probeAt
		b.mu.Unlock()
		var err error
		if probing {
			if onWait != nil {
				onWait(WaitEvent{Reason: "rate-budget"})
			}
			select {
			case <-ctx.Done():
				err = context.Cause(ctx)
			case <-wake:
			}
		} else {
			if onWait != nil {
				onWait(WaitEvent{Reason: "rate-budget", Until: until})
			}
			err = b.clock.SleepUntil(ctx, until, wake)
		}
		if err != nil {
			return ticket{}, err
		}
	}
}

// outcome of a released call, for release.
type outcome int

const (
	outcomeNeutral   outcome = iota // no answer, or a 429 with Retry-After
	outcomeAccepted                 // any answer but 429
	outcomeThrottled                // 429 without Retry-After
)

// release records how the server answered a call released by acquire.
func (b *Budget) release(t ticket, o outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if t.probe {
		b.probing = false
		defer b.broadcast()
	}
	if t.resume {
		// The first call after a pause is answered: accepted, the others
		// follow; refused or lost, the next one goes first.
		b.resumeOut = false
		if o == outcomeAccepted {
			b.resuming = false
		}
		if !t.probe {
			defer b.broadcast()
		}
	}
	switch o {
	case outcomeAccepted:
		if t.probe && b.blocked {
			b.reset(t.sent)
			return
		}
		if t.epoch == b.epoch {
			b.accepted++
		}
	case outcomeThrottled:
		b.throttled++
		now := b.clock.Now()
		if t.probe {
			b.lastFailedProbe = t.sent
			b.probeAt = now.Add(b.gap)
			if b.window == 0 {
				b.gap = min(b.gap*2, maxProbeGap)
			}
			return
		}
		if b.blocked {
			return // a call that was already under way when the budget ran out
		}
		b.engaged, b.blocked, b.cleanFull = true, true, 0
		b.lastFailedProbe = time.Time{}
		// The calls accepted in this window (some of them may still be
		// on their way back) are what the server allows per window; the
		// count is final when the next window starts.
		b.learn = t.epoch == b.epoch && !b.anchor.IsZero()
		if b.window > 0 {
			b.gap = b.smallGap()
			b.probeAt = later(now.Add(b.gap), b.anchor.Add(b.window-b.lead))
		} else {
			b.gap = firstProbeGap
			b.probeAt = now.Add(b.gap)
		}
		b.broadcast()
	}
}

// reset records a window reset seen by a probe sent at sent.
func (b *Budget) reset(sent time.Time) {
	precise := !b.lastFailedProbe.IsZero() && b.window > 0 && sent.Sub(b.lastFailedProbe) <= 2*b.smallGap()
	learned := false
	if b.learn {
		b.learn = false
		switch {
		case b.limit == 0 || b.window == 0:
			b.limit, learned = max(b.accepted, 1), true
		case b.accepted > 1:
			// The rate drops on throttle, but by at most 30% a window
			// (the AWS SDKs' multiplicative decrease), so one odd window
			// cannot collapse the budget.
			b.limit, learned = max(b.accepted, b.limit*7/10), true
		default:
			// Refused right after a reset that was only the old window's
			// last spare call: the reset was not real, the budget stands.
		}
	}
	if learned || (b.window > 0 && !b.anchor.IsZero()) {
		interval := sent.Sub(b.anchor)
		switch {
		case b.window == 0:
			b.window = interval
			// The first estimate is as uncertain as the probe gaps
			// that found the two resets.
			b.lead = min(2*b.gap, b.window/4)
		case precise && b.anchorPrecise:
			b.window = interval
		}
		if b.window > 0 {
			if precise {
				b.lead = max(b.lead/2, b.smallGap())
			} else if b.lastFailedProbe.IsZero() {
				// The first probe was accepted: the reset may have come
				// much earlier. Probe earlier next time.
				b.lead = min(b.lead*2+b.smallGap(), b.window/4)
			}
		}
	}
	b.anchor, b.anchorPrecise = sent, precise
	b.epoch++
	b.used, b.accepted = 1, 1
	b.blocked = false
	b.lastFailedProbe = time.Time{}
	if b.window == 0 {
		b.gap = firstProbeGap
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
