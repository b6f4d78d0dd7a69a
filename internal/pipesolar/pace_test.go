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

// The default pace sends at most 100 calls in any span of 61.2 s (v1's 100
// calls a minute, with a fiftieth to spare): 100 calls at once, the 101st
// 61.2 s after the first.
func TestPace_default(t *testing.T) {
	t.Parallel()
	t.Run("a hundred calls are not slowed", func(t *testing.T) {
		t.Parallel()
		waits, slept := paceWaits(t, 100, nil)
		if len(waits) != 0 || slept != 0 {
			t.Errorf("100 calls waited %d times (%s), want no wait", len(waits), slept)
		}
	})
	t.Run("the 101st waits for the first to leave the window", func(t *testing.T) {
		t.Parallel()
		waits, slept := paceWaits(t, 101, nil)
		if len(waits) != 1 || slept != 61200*time.Millisecond {
			t.Errorf("101 calls waited %d times (%s), want one wait of 61.2s", len(waits), slept)
		}
		for _, ev := range waits {
			if ev.Reason != "pace" {
				t.Errorf("wait reason %q, want pace", ev.Reason)
			}
		}
	})
	t.Run("never more than 100 calls in a minute", func(t *testing.T) {
		t.Parallel()
		// 250 calls: three windows' worth, the last batch 2 × 61.2 s after the first.
		_, slept := paceWaits(t, 250, nil)
		if slept != 2*61200*time.Millisecond {
			t.Errorf("250 calls took %s, want 2m2.4s", slept)
		}
	})
	t.Run("a scaled-down window", func(t *testing.T) {
		t.Parallel()
		waits, slept := paceWaits(t, 101, func(cfg *pipesolar.Config) { cfg.CallsPerMinute, cfg.PaceWindow = 100, 2*time.Second })
		if len(waits) != 1 || slept != 2040*time.Millisecond {
			t.Errorf("101 calls waited %d times (%s), want one wait of 2.04s", len(waits), slept)
		}
	})
	t.Run("requests_per_second replaces it", func(t *testing.T) {
		t.Parallel()
		waits, slept := paceWaits(t, 120, func(cfg *pipesolar.Config) { cfg.HTTP.RequestsPerSecond = 1000 })
		for _, ev := range waits {
			if ev.Reason == "pace" {
				t.Errorf("paced by default although requests_per_second is set (%s)", slept)
				break
			}
		}
	})
}
