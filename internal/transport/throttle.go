package transport

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// DefaultMaxThrottleWait bounds how long one call keeps waiting for the
// server's rate limit when neither the request's context nor a resource
// timeout ends it sooner: five one-minute windows.
const DefaultMaxThrottleWait = 5 * time.Minute

// throttle sits below the retry layer. It waits for the pace (Options.Pace
// or RequestsPerSecond) and for the shared budget, sends the call, and on
// 429 waits and sends it again: until the Retry-After the server gives
// (every call of the budget waits with it), otherwise for the budget the
// 429s teach. 429s therefore never use up max_retries, which stay for
// failures; they end only with the call's context or MaxThrottleWait. A 503
// with Retry-After pauses the budget too; the retry layer repeats the call.
type throttle struct {
	next         http.RoundTripper
	budget       *Budget
	static       *rate.Limiter // the pace; nil = none
	staticReason string        // WaitEvent.Reason of a wait for static
	rps          float64
	clock        Clock
	maxWait      time.Duration
	onWait       func(WaitEvent)
	log          *logging
}

func (t *throttle) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var firstRefusal time.Time
	var asked askedToWait
	refusals := 0
	for {
		// The pace first: the budget is the last gate, so a pause that
		// began while this call waited for its turn still holds it.
		if err := t.waitStatic(ctx); err != nil {
			return nil, t.gaveUp(err, refusals, firstRefusal, asked)
		}
		tk, err := t.budget.acquire(ctx, t.onWait)
		if err != nil {
			return nil, t.gaveUp(err, refusals, firstRefusal, asked)
		}
		resp, err := t.next.RoundTrip(req)
		if err != nil {
			t.budget.release(tk, outcomeNeutral)
			return nil, err
		}
		now := t.clock.Now()
		ra, hasRA := retryAfter(resp.Header.Get("Retry-After"), now)
		// "Retry-After: 0" says nothing about how long to wait: the
		// budget learns it, as without the header.
		hasRA = hasRA && ra > 0
		if resp.StatusCode != http.StatusTooManyRequests {
			t.budget.release(tk, outcomeAccepted)
			if resp.StatusCode == http.StatusServiceUnavailable && hasRA {
				t.budget.pause(now.Add(ra))
			}
			return resp, nil
		}
		if hasRA {
			// Every call of the budget waits with this one (acquire),
			// also when this one gives up now. The pause comes first, so
			// that no call slips out between this answer and the pause.
			t.budget.pause(now.Add(ra))
			t.budget.release(tk, outcomeNeutral)
			asked.times++
			asked.last = ra
		} else {
			t.budget.release(tk, outcomeThrottled)
		}
		refusals++
		if firstRefusal.IsZero() {
			firstRefusal = now
		}
		if now.Add(ra).Sub(firstRefusal) > t.maxWait || (req.Body != nil && req.Body != http.NoBody && req.GetBody == nil) {
			// Waited long enough (or the body cannot be sent again): the
			// 429 is the answer, and it names the limit (see NewAPIError).
			return resp, nil
		}
		drain(resp)
		t.log.logThrottle(req, refusals, ra, hasRA)
		if req, err = rewind(req); err != nil {
			return nil, err
		}
	}
}

// waitStatic waits for the pace limiter on the clock.
func (t *throttle) waitStatic(ctx context.Context) error {
	if t.static == nil {
		return nil
	}
	now := t.clock.Now()
	r := t.static.ReserveN(now, 1)
	if !r.OK() {
		return fmt.Errorf("the %s limiter refused the call", t.staticReason)
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if t.onWait != nil {
		t.onWait(WaitEvent{Reason: t.staticReason, Until: now.Add(d)})
	}
	if err := t.clock.SleepUntil(ctx, now.Add(d), nil); err != nil {
		r.CancelAt(t.clock.Now())
		return err
	}
	return nil
}

// gaveUp is the error of a call whose context ended while it waited. Before
// any 429 it is a plain cancellation or deadline; after 429s it says what
// the server's limit was doing.
func (t *throttle) gaveUp(err error, refusals int, first time.Time, asked askedToWait) error {
	if refusals == 0 {
		return &NotSentError{Err: err}
	}
	return &NotSentError{Err: &ThrottledError{
		Refusals:       refusals,
		Waited:         t.clock.Now().Sub(first),
		RetryAfters:    asked.times,
		LastRetryAfter: asked.last,
		Stats:          t.budget.Stats(),
		RPS:            t.rps,
		Err:            err,
	}}
}

// askedToWait counts the 429s of one call that came with a Retry-After.
type askedToWait struct {
	times int
	last  time.Duration
}

// ThrottledError reports a call that the server kept refusing with HTTP 429
// until the call's time ran out.
type ThrottledError struct {
	Refusals int
	Waited   time.Duration
	// RetryAfters is how many of the 429s asked the provider to wait (a
	// Retry-After), LastRetryAfter how long the last one asked.
	RetryAfters    int
	LastRetryAfter time.Duration
	Stats          BudgetStats
	RPS            float64
	Err            error
}

func (e *ThrottledError) Error() string {
	if e.RetryAfters > 0 {
		return fmt.Sprintf("rate limited: the API refused this call %d times with HTTP 429 over %s; %d of them asked the provider "+
			"to wait (Retry-After, the last %d s), and it waited each time until the call's time ran out (%v). Raise the "+
			"resource's timeouts (create, read, update) so that the waits the service asks for fit, run terraform with a "+
			"lower -parallelism, and check what else uses the same key (its limit is shared): set requests_per_second "+
			"(PIPESOLAR_REQUESTS_PER_SECOND) to this run's share.",
			e.Refusals, e.Waited.Round(100*time.Millisecond), e.RetryAfters, int(math.Ceil(e.LastRetryAfter.Seconds())), e.Err)
	}
	learned := "no Retry-After and no rate-limit headers were sent"
	if e.Stats.Limit > 0 && e.Stats.Window > 0 {
		learned = fmt.Sprintf("from its refusals the service accepts about %d calls per %s", e.Stats.Limit, e.Stats.Window.Round(100*time.Millisecond))
	}
	return fmt.Sprintf("rate limited: the API refused this call %d times with HTTP 429 over %s (%s), and the call's time ran out (%v). %s",
		e.Refusals, e.Waited.Round(100*time.Millisecond), learned, e.Err, rateLimitAdvice(e.RPS))
}

func (e *ThrottledError) Unwrap() error { return e.Err }

// rateLimitAdvice says what to do about a rate limit.
func rateLimitAdvice(rps float64) string {
	now := "it is not set"
	if rps > 0 {
		now = fmt.Sprintf("it is %g now", rps)
	}
	return "The provider already waits whenever the service asks it to and paces all its calls by default; " +
		"when other systems use the same key (its limit is shared), set requests_per_second in the provider block " +
		"(PIPESOLAR_REQUESTS_PER_SECOND) to your share (pipe.solar allows 100 calls a minute per key: at most 1.6; " + now + "), " +
		"raise the resource's timeouts, or run terraform with a lower -parallelism."
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// rewind returns req ready to be sent again.
func rewind(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	r := *req
	r.Body = body
	return &r, nil
}
