package pipesolar_test

import (
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// SPEC §4: every v1 call is safe to repeat, so a write answered 500 (or
// 502, 504) is retried within max_retries.
func TestRetry_writeAfter5xx(t *testing.T) {
	t.Parallel()
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					writeJSON(w, status, v1Error("internal", "try again"))
					return
				}
				writeJSON(w, 200, `{"changed":true,"stage":"Permitting","stageId":"s2"}`)
			})
			c, _ := newClient(t, s, func(cfg *pipesolar.Config) { cfg.HTTP.MaxRetries = 1 })
			moved, err := c.MoveStage(t.Context(), "p1", pipesolar.StageMove{StageID: "s2"})
			if err != nil || !moved.Changed {
				t.Fatalf("MoveStage = %+v, %v", moved, err)
			}
			reqs := s.requests()
			if len(reqs) != 2 || reqs[1].Body != `{"stageId":"s2"}` {
				t.Errorf("requests: %d, second body %q; want the same call twice", len(reqs), reqs[len(reqs)-1].Body)
			}
		})
	}
}

func TestRetry_neverOnClientErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		body   string
	}{
		{400, v1Error("invalid", "installDate: want YYYY-MM-DD")},
		{401, v1Error("unauthorized", "revoked")},
		{403, v1Error("forbidden", "dealer key")},
		{404, v1Error("not_found", "No record with this id is yours.")},
		{410, movedBody},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			t.Parallel()
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, tc.status, tc.body) })
			c, _ := newClient(t, s, func(cfg *pipesolar.Config) { cfg.HTTP.MaxRetries = 4 })
			_, err := c.UpdateProject(t.Context(), "p1", pipesolar.ProjectUpdate{InstallDate: ptr("2026-13-01")})
			var api *transport.APIError
			if !errors.As(err, &api) || api.StatusCode != tc.status {
				t.Fatalf("error = %v, want HTTP %d", err, tc.status)
			}
			if n := s.count(); n != 1 {
				t.Errorf("server saw %d requests, want 1 (never retried)", n)
			}
		})
	}
}

// A 429 with Retry-After is waited out and does not use up max_retries:
// with max_retries = 0 the call still succeeds.
func TestRetry_429DoesNotUseMaxRetries(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n <= 2 {
			w.Header().Set("Retry-After", "7")
			writeJSON(w, 429, v1Error("rate_limited", "More than 100 calls in a minute from this key."))
			return
		}
		writeJSON(w, 201, `{"files":[{"id":"f1","name":"a.pdf","folder":"permit","added":true}]}`)
	})
	c, clock := newClient(t, s, func(cfg *pipesolar.Config) { cfg.HTTP.MaxRetries = 0 })
	files, err := c.AddFiles(t.Context(), "p1", pipesolar.AddFilesInput{Folder: "permit", Files: []pipesolar.FileInput{{URL: "https://f.example/a.pdf"}}})
	if err != nil || len(files) != 1 {
		t.Fatalf("AddFiles = %v, %v", files, err)
	}
	if n := s.count(); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
	if slept, _ := clock.Slept(); slept != 14*time.Second {
		t.Errorf("waited %s, want the two Retry-Afters (14s)", slept)
	}
}

// When one call is told to wait, every call of the client waits with it
// instead of being refused too (one budget per key and process).
func TestRetry_concurrentCallsShareOnePause(t *testing.T) {
	t.Parallel()
	var pausedUntil atomic.Pointer[time.Time]
	var clockNow func() time.Time
	var refused atomic.Int32
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		now := clockNow()
		if n == 1 {
			until := now.Add(30 * time.Second)
			pausedUntil.Store(&until)
		}
		if until := pausedUntil.Load(); until != nil && now.Before(*until) {
			refused.Add(1)
			w.Header().Set("Retry-After", "30")
			writeJSON(w, 429, v1Error("rate_limited", "wait"))
			return
		}
		writeJSON(w, 200, `{"key":{"name":"k","prefix":"psk_01"},"company":{"name":"c"}}`)
	})
	var (
		mu      sync.Mutex
		waits   []transport.WaitEvent
		second  atomic.Bool
		c       *pipesolar.Client
		secondE = make(chan error, 1)
	)
	c, clock := newClient(t, s, func(cfg *pipesolar.Config) {
		cfg.HTTP.MaxRetries = 0
		cfg.HTTP.OnWait = func(ev transport.WaitEvent) {
			mu.Lock()
			waits = append(waits, ev)
			mu.Unlock()
			// The first call has its 429 and is about to wait: the second
			// call starts now, while the pause holds.
			if ev.Reason == "retry-after" && second.CompareAndSwap(false, true) {
				_, err := c.Me(t.Context())
				secondE <- err
			}
		}
	})
	clockNow = clock.Now
	start := clock.Now()
	if _, err := c.Me(t.Context()); err != nil {
		t.Fatalf("first call: %v", err)
	}
	if err := <-secondE; err != nil {
		t.Fatalf("second call: %v", err)
	}
	if n := refused.Load(); n != 1 {
		t.Errorf("server refused %d calls, want 1: the second call must wait for the first one's Retry-After instead of being refused", n)
	}
	if n := s.count(); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
	mu.Lock()
	defer mu.Unlock()
	want := start.Add(30 * time.Second)
	for _, ev := range waits {
		if ev.Reason != "retry-after" || !ev.Until.Equal(want) {
			t.Errorf("wait %+v, want retry-after until %s", ev, want)
		}
	}
	if len(waits) < 2 {
		t.Errorf("%d waits, want both calls to wait", len(waits))
	}
}

// A call whose context ends while it waits out a 429 sends nothing more.
func TestRetry_429WaitEndsWithContext(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Retry-After", "60")
		writeJSON(w, 429, v1Error("rate_limited", "wait"))
	})
	ctx, cancel := contextWithCancel(t)
	c, _ := newClient(t, s, func(cfg *pipesolar.Config) {
		cfg.HTTP.OnWait = func(ev transport.WaitEvent) {
			if ev.Reason == "retry-after" {
				cancel()
			}
		}
	})
	_, err := c.GetProject(ctx, "p1")
	if err == nil || transport.KindOf(err) != transport.KindRateLimited {
		t.Errorf("error = %v (kind %v), want rate limited", err, transport.KindOf(err))
	}
	if n := s.count(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}
