package transport

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/testutil"
)

// tooShortRetryAfter refuses every call before openAt with a Retry-After of
// five seconds (too short: the second refusal comes at 5 s), on clock.
type tooShortRetryAfter struct {
	clock  *simClock
	openAt time.Time

	mu              sync.Mutex
	refused, served int
}

func (s *tooShortRetryAfter) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.clock.Now().Before(s.openAt) {
		s.refused++
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error":{"code":"rate_limited","message":"too many calls","docs":"https://example.test"}}`)
		return
	}
	s.served++
	fmt.Fprint(w, `{"ok":true}`)
}

// TestResumeAfterPauseIsGentle: when a Retry-After pause ends, one call goes
// first and the waiting others follow only once it is accepted; so a
// Retry-After that was too short costs one refusal, not one per waiting call.
func TestResumeAfterPauseIsGentle(t *testing.T) {
	t.Parallel()
	clock := newSimClock()
	srv := &tooShortRetryAfter{clock: clock, openAt: clock.Now().Add(10 * time.Second)}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	opts := fastOptions()
	opts.Clock = clock
	opts.MaxRetries = 0
	opts.MaxThrottleWait = time.Hour
	budget := NewBudget(clock)
	opts.Budget = budget
	client := NewClient(opts, func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) { return clock.track(next, r) })
	})
	// Another call was told to wait 5 s: every call of the budget waits.
	budget.pause(clock.Now().Add(5 * time.Second))

	const calls = 10
	errs := make(chan error, calls)
	for range calls {
		go func() {
			resp, err := send(t, client, context.Background(), http.MethodGet, ts.URL, nil)
			if err == nil && resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("HTTP %d", resp.StatusCode)
			}
			errs <- err
		}()
	}
	for range calls {
		if err := <-errs; err != nil {
			t.Fatalf("a call failed: %v", err)
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	// At 5 s one call goes and is refused (pause to 10 s); at 10 s one goes
	// and is accepted; then the other nine.
	if srv.refused != 1 || srv.served != calls {
		t.Errorf("server refused %d and served %d calls, want 1 refusal and %d served", srv.refused, srv.served, calls)
	}
	if got := clock.Now().Sub(srv.openAt); got < 0 {
		t.Errorf("calls done %s before the server opened", -got)
	}
}

// TestResumeProbeGivenUp: when the call that was to go first after a pause
// gives up (its context ends), another waiting call goes first instead of
// every call waiting forever.
func TestResumeProbeGivenUp(t *testing.T) {
	t.Parallel()
	clock := newSimClock()
	b := NewBudget(clock)
	b.pause(clock.Now().Add(time.Second))
	ctx, cancel := context.WithCancel(context.Background())
	b.mu.Lock()
	b.pauseUntil = time.Time{} // the pause is over; the resume call is still to go
	b.mu.Unlock()
	first, err := b.acquire(ctx, nil)
	if err != nil || !first.resume {
		t.Fatalf("first acquire after the pause: %+v, %v; want the resume call", first, err)
	}
	// A second caller waits for the first call's answer...
	done := make(chan ticket, 1)
	go func() {
		tk, err := b.acquire(context.Background(), nil)
		if err != nil {
			t.Errorf("second acquire: %v", err)
		}
		done <- tk
	}()
	cancel()
	// ...which never comes: the first call was lost on the way.
	b.release(first, outcomeNeutral)
	if tk := <-done; !tk.resume {
		t.Errorf("second call after a lost resume call: %+v, want it to go first", tk)
	}
}

// TestBudgetLimitPacesAtTheLimit: a budget made with the limit's own figures
// (as the pipe.solar client makes it: 100 calls in any 1.02 windows) sends
// no more than the limit in any span of the window, so no window of that
// limit refuses a call, and finishes within 1.03x of the window-limited
// minimum time.
func TestBudgetLimitPacesAtTheLimit(t *testing.T) {
	t.Parallel()
	const limit, calls = 100, 1000
	const window = 2 * time.Second
	clock := testutil.NewClock()
	b := NewBudgetLimit(clock, limit, window+window/50)
	start := clock.Now()
	sent := make([]time.Time, 0, calls)
	for i := range calls {
		tk, err := b.acquire(t.Context(), nil)
		if err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
		sent = append(sent, tk.sent)
		b.release(tk, outcomeAccepted)
	}
	for i := limit; i < calls; i++ {
		if d := sent[i].Sub(sent[i-limit]); d < window {
			t.Fatalf("calls %d and %d went %s apart: %d calls in less than a window", i-limit+1, i+1, d, limit+1)
		}
	}
	elapsed := sent[calls-1].Sub(start)
	minimum := time.Duration((calls-1)/limit) * window
	if ratio := float64(elapsed) / float64(minimum); ratio > 1.03 {
		t.Errorf("took %s, %.3fx the minimum %s, want at most 1.03x", elapsed, ratio, minimum)
	}
	if got := sent[limit-1].Sub(start); got != 0 {
		t.Errorf("the first %d calls waited %s, want none", limit, got)
	}
}
