package pipesolar_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

func meServer(t *testing.T) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 200, `{"key":{"name":"k","prefix":"psk_01"},"company":{"name":"c"}}`)
	})
}

// paceWaits runs calls sequential calls and returns the pace waits.
func paceWaits(t *testing.T, calls int, mod func(*pipesolar.Config)) ([]transport.WaitEvent, time.Duration) {
	t.Helper()
	s := meServer(t)
	var mu sync.Mutex
	var waits []transport.WaitEvent
	c, clock := newClient(t, s, func(cfg *pipesolar.Config) {
		cfg.CallsPerMinute = 0 // the default: 100
		cfg.HTTP.OnWait = func(ev transport.WaitEvent) {
			mu.Lock()
			waits = append(waits, ev)
			mu.Unlock()
		}
		if mod != nil {
			mod(cfg)
		}
	})
	for i := range calls {
		if _, err := c.Me(t.Context()); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	slept, _ := clock.Slept()
	return waits, slept
}

// The default pace lets a burst of 36 calls through at once, then one call
// a second: at most 96 calls in any minute, under v1's 100.
func TestPace_default(t *testing.T) {
	t.Parallel()
	t.Run("a few dozen calls are not slowed", func(t *testing.T) {
		t.Parallel()
		waits, slept := paceWaits(t, 36, nil)
		if len(waits) != 0 || slept != 0 {
			t.Errorf("36 calls waited %d times (%s), want no wait", len(waits), slept)
		}
	})
	t.Run("a burst beyond is paced", func(t *testing.T) {
		t.Parallel()
		waits, slept := paceWaits(t, 40, nil)
		if len(waits) != 4 || slept != 4*time.Second {
			t.Errorf("40 calls waited %d times (%s), want 4 waits of a second", len(waits), slept)
		}
		for _, ev := range waits {
			if ev.Reason != "pace" {
				t.Errorf("wait reason %q, want pace", ev.Reason)
			}
		}
	})
	t.Run("never more than 96 calls in a minute", func(t *testing.T) {
		t.Parallel()
		// 36 at once, then one a second: call 97 goes out 61 s after the first.
		_, slept := paceWaits(t, 97, nil)
		if slept <= time.Minute {
			t.Errorf("97 calls took %s, want more than a minute", slept)
		}
	})
	t.Run("a scaled-down window", func(t *testing.T) {
		t.Parallel()
		waits, slept := paceWaits(t, 40, func(cfg *pipesolar.Config) { cfg.CallsPerMinute, cfg.PaceWindow = 100, 6*time.Second })
		if len(waits) != 4 || slept != 400*time.Millisecond {
			t.Errorf("40 calls waited %d times (%s), want 4 waits of 100ms", len(waits), slept)
		}
	})
	t.Run("requests_per_second replaces it", func(t *testing.T) {
		t.Parallel()
		waits, slept := paceWaits(t, 40, func(cfg *pipesolar.Config) { cfg.HTTP.RequestsPerSecond = 1000 })
		for _, ev := range waits {
			if ev.Reason == "pace" {
				t.Errorf("paced by default although requests_per_second is set (%s)", slept)
				break
			}
		}
	})
}
