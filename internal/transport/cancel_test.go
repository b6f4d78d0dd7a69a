package transport

// Cancellation (issue 5) at the level of the shared HTTP stack: a caller's
// cancelled context stops whatever the stack is doing for the call: reading
// a slow body, waiting for the rate limiter, waiting out Retry-After. A
// stack that ignored cancellation would hang the test until
// `go test -timeout`; no test here measures time.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/testutil"
)

// cancelAfter runs call in the background, cancels its context once ready
// is closed, and returns call's error.
func cancelAfter(t *testing.T, ready <-chan struct{}, call func(ctx context.Context) error) error {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- call(ctx) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("the call returned before the test could cancel it: %v", err)
	}
	cancel()
	return <-done
}

// The answer's headers arrived, its body stalls: cancelling ends the read.
func TestCancel_stalledBody(t *testing.T) {
	t.Parallel()
	flushed := make(chan struct{})
	srv, count := countingServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"data": {"customerFirstName": "Ada", `)
		http.NewResponseController(w).Flush() //nolint:errcheck // a test server that cannot flush fails below
		close(flushed)
		<-r.Context().Done()
	})
	err := cancelAfter(t, flushed, func(ctx context.Context) error {
		_, err := send(t, NewClient(fastOptions(), nil), WithIdempotent(ctx), http.MethodGet, srv.URL, nil)
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Send() error = %v, want context.Canceled in the chain", err)
	}
	var re *RequestError
	if !errors.As(err, &re) || !re.Sent {
		t.Errorf("Send() error = %v, want a *RequestError with Sent (the server answered)", err)
	}
	if n := count.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1: an idempotent call was retried after its caller gave up", n)
	}
}

// slowLimiterOptions allow one request now and the next in about three
// hours, on the wall clock (the wait must really block for a cancellation
// to end it), and close waiting when a call starts waiting for its turn.
func slowLimiterOptions(waiting chan struct{}) Options {
	opts := fastOptions()
	opts.Clock = nil
	opts.RequestsPerSecond = 0.0001
	opts.OnWait = closeOn("requests-per-second", waiting)
	return opts
}

// closeOn returns an OnWait hook that closes ch at the first wait for reason.
func closeOn(reason string, ch chan struct{}) func(WaitEvent) {
	var once sync.Once
	return func(ev WaitEvent) {
		if ev.Reason == reason {
			once.Do(func() { close(ch) })
		}
	}
}

// A call waiting for the client-side rate limiter stops when cancelled and
// sends nothing.
func TestCancel_rateLimiterWait(t *testing.T) {
	t.Parallel()
	srv, count := countingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusOK) })
	waiting := make(chan struct{})
	client := NewClient(slowLimiterOptions(waiting), nil)
	if _, err := send(t, client, t.Context(), http.MethodGet, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	err := cancelAfter(t, waiting, func(ctx context.Context) error {
		_, err := send(t, client, ctx, http.MethodPost, srv.URL, map[string]string{"a": "b"})
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Send() error = %v, want context.Canceled in the chain", err)
	}
	if n := count.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1 (the second was cancelled in the rate limiter)", n)
	}
}

// A call cancelled while it waits out Retry-After after a 429 or 503 sends
// nothing more.
func TestCancel_retryAfterWait(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			srv, count := countingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Retry-After", "3600") // capped at two minutes by the client
				w.WriteHeader(status)
			})
			// The wall clock: the wait must really block. The 429 is waited
			// out by the throttle layer, the 503 by the retry layer.
			waiting := make(chan struct{})
			opts := fastOptions()
			opts.Clock = nil
			reason := "backoff"
			if status == http.StatusTooManyRequests {
				reason = "retry-after"
			}
			opts.OnWait = closeOn(reason, waiting)
			err := cancelAfter(t, waiting, func(ctx context.Context) error {
				_, err := send(t, NewClient(opts, nil), ctx, http.MethodPost, srv.URL, map[string]string{"a": "b"})
				return err
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Send() error = %v, want context.Canceled in the chain", err)
			}
			if n := count.Load(); n != 1 {
				t.Errorf("server saw %d requests, want 1", n)
			}
		})
	}
}

// TestCancel_unsentWriteIsNotAmbiguous: a write cancelled before any byte
// of it was sent (in the rate limiter), or while waiting out Retry-After
// after the server said 429/503 (SPEC §4: it did not process the request),
// provably did not happen. MayHaveReachedServer must say so, or the
// clients tell a user who pressed Ctrl-C that an activity note, a charge or
// a UPowr project "may have been created" and to go and check.
func TestCancel_unsentWriteIsNotAmbiguous(t *testing.T) {
	t.Parallel()
	t.Run("rate limiter", func(t *testing.T) {
		t.Parallel()
		srv, _ := countingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusOK) })
		waiting := make(chan struct{})
		client := NewClient(slowLimiterOptions(waiting), nil)
		if _, err := send(t, client, t.Context(), http.MethodGet, srv.URL, nil); err != nil {
			t.Fatal(err)
		}
		err := cancelAfter(t, waiting, func(ctx context.Context) error {
			_, err := send(t, client, ctx, http.MethodPost, srv.URL, map[string]string{"a": "b"})
			return err
		})
		if !errors.Is(err, context.Canceled) || MayHaveReachedServer(err) {
			t.Errorf("Send() error = %v, MayHaveReachedServer = %v; want context.Canceled and false", err, MayHaveReachedServer(err))
		}
	})
	t.Run("Retry-After after 429", func(t *testing.T) {
		t.Parallel()
		srv, _ := countingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
		})
		// Cancel once the client has read the 429 and waits it out (a
		// cancel that beats the answer is rightly "may have acted").
		waiting := make(chan struct{})
		opts := fastOptions()
		opts.Clock = nil
		opts.OnWait = closeOn("retry-after", waiting)
		err := cancelAfter(t, waiting, func(ctx context.Context) error {
			_, err := send(t, NewClient(opts, nil), ctx, http.MethodPost, srv.URL, map[string]string{"a": "b"})
			return err
		})
		if !errors.Is(err, context.Canceled) || MayHaveReachedServer(err) {
			t.Errorf("Send() error = %v, MayHaveReachedServer = %v; want context.Canceled and false", err, MayHaveReachedServer(err))
		}
	})
}

// TestRateLimit_waitNotBoundByRequestTimeout: requests_per_second queues
// requests; request_timeout bounds one attempt on the wire. A request that
// waits in the queue longer than request_timeout (say 10 parallel requests
// at requests_per_second = 0.2 with the default 30 s timeout) must wait its
// turn, not fail. The waits run on a virtual clock: an hour each, against a
// request timeout of a minute.
func TestRateLimit_waitNotBoundByRequestTimeout(t *testing.T) {
	t.Parallel()
	srv, count := countingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusOK) })
	opts := fastOptions()
	clock := testutil.NewClock()
	opts.Clock = clock
	opts.RequestsPerSecond = 1.0 / 3600 // a burst of 1, then a request an hour
	opts.Timeout = time.Minute
	opts.MaxRetries = 0
	client := NewClient(opts, nil)
	for i := range 3 {
		if _, err := send(t, client, t.Context(), http.MethodGet, srv.URL, nil); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	if n := count.Load(); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
	if slept, _ := clock.Slept(); slept < 2*time.Hour-time.Second {
		t.Errorf("waited %s for requests_per_second, want about 2h", slept)
	}
}
