package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/testutil"
)

// simClock is a discrete-event clock: a call takes no virtual time, and the
// time moves forward (to the earliest wake-up asked for) only while no call
// is on the wire, so a window cannot end under a request in flight — as on
// the real service, where a call takes milliseconds of a one-minute window.
type simClock struct {
	mu       sync.Mutex
	cond     *sync.Cond
	now      time.Time
	inflight int
}

func newSimClock() *simClock {
	c := &simClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	c.cond = sync.NewCond(&c.mu)
	return c
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *simClock) SleepUntil(ctx context.Context, t time.Time, wake <-chan struct{}) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		select {
		case <-wake:
			return nil
		default:
		}
		if c.inflight == 0 {
			if t.After(c.now) {
				c.now = t
			}
			return nil
		}
		c.cond.Wait()
	}
}

// track counts r as on the wire until its answer's body is closed (after
// the throttle layer has recorded the answer) or it fails.
func (c *simClock) track(next http.RoundTripper, r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.inflight++
	c.mu.Unlock()
	resp, err := next.RoundTrip(r)
	if err != nil {
		c.done()
		return nil, err
	}
	resp.Body = &trackedBody{ReadCloser: resp.Body, done: c.done}
	return resp, nil
}

func (c *simClock) done() {
	c.mu.Lock()
	c.inflight--
	c.mu.Unlock()
	c.cond.Broadcast()
}

type trackedBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *trackedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}

// fixedWindow is a server with a fixed-window limit that answers 429
// without Retry-After, on the test's virtual clock.
type fixedWindow struct {
	clock  *simClock
	start  time.Time
	limit  int
	window time.Duration

	mu            sync.Mutex
	current       int64 // index of the current window
	used          int
	seen, refused int
}

func (f *fixedWindow) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen++
	if idx := int64(f.clock.Now().Sub(f.start) / f.window); idx != f.current {
		f.current, f.used = idx, 0
	}
	if f.used >= f.limit {
		f.refused++
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error":{"code":"rate_limited","message":"too many calls","docs":"https://example.test"}}`)
		return
	}
	f.used++
	fmt.Fprint(w, `{"ok":true}`)
}

// TestBudgetUnderFixedWindow: a fixed-window limit without Retry-After, on
// the same virtual clock as the client. N calls from Terraform-like
// parallel workers all succeed with max_retries = 0 (429s do not use
// retries up), finish within 1.2x of the window-limited minimum, and at
// most 10% of the calls the server saw were refused.
func TestBudgetUnderFixedWindow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name           string
		limit, calls   int
		window         time.Duration
		workers        int
		maxRatio       float64
		maxRefusedRate float64
	}{
		{name: "1000 a minute", limit: 1000, window: time.Minute, calls: 6000, workers: 10, maxRatio: 1.2, maxRefusedRate: 0.10},
		{name: "small window", limit: 100, window: 3 * time.Second, calls: 1200, workers: 10, maxRatio: 1.2, maxRefusedRate: 0.10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := newSimClock()
			srv := &fixedWindow{clock: clock, start: clock.Now(), limit: tc.limit, window: tc.window}
			ts := httptest.NewServer(srv)
			t.Cleanup(ts.Close)
			opts := fastOptions()
			opts.Clock = clock
			opts.MaxRetries = 0
			opts.MaxThrottleWait = time.Hour
			budget := NewBudget(clock)
			opts.Budget = budget
			// A client that stops waiting on 429s would refuse-and-resend in a
			// loop that takes no virtual time; past three requests a call it
			// fails, so the test ends with an error instead of never ending.
			var sent atomic.Int64
			client := NewClient(opts, func(next http.RoundTripper) http.RoundTripper {
				return roundTripFunc(func(r *http.Request) (*http.Response, error) {
					if n := sent.Add(1); n > 3*int64(tc.calls) {
						return nil, fmt.Errorf("runaway client: %d requests for %d calls", n, tc.calls)
					}
					return clock.track(next, r)
				})
			})
			start := clock.Now()
			jobs := make(chan int)
			var wg sync.WaitGroup
			var mu sync.Mutex
			var failures []error
			for range tc.workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range jobs {
						resp, err := send(t, client, context.Background(), http.MethodGet, ts.URL+"/projects/p1", nil)
						if err == nil && resp.StatusCode != http.StatusOK {
							err = fmt.Errorf("HTTP %d", resp.StatusCode)
						}
						if err != nil {
							mu.Lock()
							failures = append(failures, err)
							mu.Unlock()
						}
					}
				}()
			}
			for i := range tc.calls {
				jobs <- i
			}
			close(jobs)
			wg.Wait()
			if len(failures) > 0 {
				t.Fatalf("%d calls failed, first: %v", len(failures), failures[0])
			}
			elapsed := clock.Now().Sub(start)
			minimum := time.Duration((tc.calls-1)/tc.limit) * tc.window
			srv.mu.Lock()
			refused, seen := srv.refused, srv.seen
			srv.mu.Unlock()
			ratio := float64(elapsed) / float64(minimum)
			t.Logf("budget learned %+v", budget.Stats())
			t.Logf("%d calls: %s of virtual time, window-limited minimum %s (%.2fx); %d of %d requests refused (%.1f%%)",
				tc.calls, elapsed.Round(time.Millisecond), minimum, ratio, refused, seen, 100*float64(refused)/float64(seen))
			if ratio > tc.maxRatio {
				t.Errorf("took %.2fx the window-limited minimum, want at most %.1fx", ratio, tc.maxRatio)
			}
			if rate := float64(refused) / float64(seen); rate > tc.maxRefusedRate {
				t.Errorf("%.1f%% of requests refused, want at most %.0f%%", 100*rate, 100*tc.maxRefusedRate)
			}
			if seen-refused != tc.calls {
				t.Errorf("server processed %d calls, want %d", seen-refused, tc.calls)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestRetryAfterPausesEveryCall: a 429 or 503 with Retry-After holds the
// next call of the same budget until that time, also a call that was not
// refused itself (and a client sharing the Budget).
func TestRetryAfterPausesEveryCall(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			clock := testutil.NewClock()
			start := clock.Now()
			var mu sync.Mutex
			var arrivals []time.Duration
			srv, _ := countingServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				mu.Lock()
				arrivals = append(arrivals, clock.Now().Sub(start))
				mu.Unlock()
				if n == 1 {
					w.Header().Set("Retry-After", "20")
					w.WriteHeader(status)
					return
				}
				w.WriteHeader(http.StatusOK)
			})
			opts := fastOptions()
			opts.Clock = clock
			opts.MaxRetries = 0
			opts.MaxThrottleWait = time.Second // the 429 is final for the first call
			opts.Budget = NewBudget(clock)
			first, other := NewClient(opts, nil), NewClient(opts, nil)
			if resp, err := send(t, first, t.Context(), http.MethodGet, srv.URL, nil); err != nil || resp.StatusCode != status {
				t.Fatalf("first call: %v %v", resp, err)
			}
			if resp, err := send(t, other, t.Context(), http.MethodGet, srv.URL, nil); err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("second call: %v %v", resp, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(arrivals) != 2 || arrivals[1] < 20*time.Second {
				t.Errorf("arrivals %v, want the second call held until 20s", arrivals)
			}
		})
	}
}

// TestThrottledWithRetryAfterSaysSo: a call the service kept refusing with
// 429 and Retry-After gives up saying that the service asked to wait (how
// often, the last wait) and what to do, not that no header was sent.
func TestThrottledWithRetryAfterSaysSo(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	srv, hits := countingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	opts := fastOptions()
	opts.MaxRetries = 0
	opts.OnWait = func(WaitEvent) {
		if hits.Load() == 3 {
			cancel() // the call's time runs out while it waits after the third 429
		}
	}
	_, err := send(t, NewClient(opts, nil), ctx, http.MethodGet, srv.URL, nil)
	var th *ThrottledError
	if !errors.As(err, &th) {
		t.Fatalf("err = %v, want a ThrottledError", err)
	}
	if hits.Load() != 3 || th.Refusals != 3 || th.RetryAfters != 3 || th.LastRetryAfter != 7*time.Second {
		t.Errorf("hits %d, ThrottledError %+v; want 3 refusals, all with Retry-After 7s", hits.Load(), th)
	}
	msg := th.Error()
	for _, want := range []string{"3 of them asked the provider to wait (Retry-After, the last 7 s)", "Raise the resource's timeouts",
		"lower -parallelism", "what else uses the same key"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, "no Retry-After") {
		t.Errorf("message says no Retry-After was sent: %s", msg)
	}
}
