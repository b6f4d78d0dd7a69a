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
	"testing"
	"time"
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
// hours. The attempt timeout is longer still: the limiter waits inside the
// attempt, and a wait beyond the attempt's deadline fails at once
// ("would exceed context deadline") instead of waiting.
func slowLimiterOptions() Options {
	opts := fastOptions()
	opts.RequestsPerSecond = 0.0001
	opts.Timeout = 24 * time.Hour
	return opts
}

// A call waiting for the client-side rate limiter stops when cancelled and
// sends nothing.
func TestCancel_rateLimiterWait(t *testing.T) {
	t.Parallel()
	srv, count := countingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusOK) })
	client := NewClient(slowLimiterOptions(), nil)
	if _, err := send(t, client, t.Context(), http.MethodGet, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	// Nothing tells when the call is waiting in the limiter; give it a
	// moment to get there (it is cancelled either way, and waits for
	// hours if cancelling does not reach it).
	waiting := make(chan struct{})
	time.AfterFunc(20*time.Millisecond, func() { close(waiting) })
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
			answered := make(chan struct{})
			srv, count := countingServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				w.Header().Set("Retry-After", "3600") // capped at two minutes by the client
				w.WriteHeader(status)
				if n == 1 {
					http.NewResponseController(w).Flush() //nolint:errcheck // best effort: the answer is complete anyway
					close(answered)
				}
			})
			err := cancelAfter(t, answered, func(ctx context.Context) error {
				_, err := send(t, NewClient(fastOptions(), nil), ctx, http.MethodPost, srv.URL, map[string]string{"a": "b"})
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
		client := NewClient(slowLimiterOptions(), nil)
		if _, err := send(t, client, t.Context(), http.MethodGet, srv.URL, nil); err != nil {
			t.Fatal(err)
		}
		waiting := make(chan struct{})
		time.AfterFunc(20*time.Millisecond, func() { close(waiting) })
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
		answered := make(chan struct{})
		srv, _ := countingServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			if n == 1 {
				http.NewResponseController(w).Flush() //nolint:errcheck // best effort
				// Give the client time to read the 429 before cancelling: a
				// cancel that beats the answer is rightly "may have acted".
				time.AfterFunc(200*time.Millisecond, func() { close(answered) })
			}
		})
		err := cancelAfter(t, answered, func(ctx context.Context) error {
			_, err := send(t, NewClient(fastOptions(), nil), ctx, http.MethodPost, srv.URL, map[string]string{"a": "b"})
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
// turn, not fail.
func TestRateLimit_waitNotBoundByRequestTimeout(t *testing.T) {
	t.Parallel()
	srv, count := countingServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusOK) })
	opts := fastOptions()
	opts.RequestsPerSecond = 2 // a burst of 2, then a request every 500 ms
	opts.Timeout = 100 * time.Millisecond
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
}
