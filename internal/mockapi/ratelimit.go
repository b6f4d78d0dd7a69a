package mockapi

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// RateLimit is Pipe API v1's budget: at most Calls calls per Window for each
// key (v1: 100 a minute), counted in fixed windows from a key's first call
// after SetRateLimit. A call over it is answered 429 rate_limited with
// Retry-After (the seconds until the key's window ends, or RetryAfter when
// set) and is not processed. The installer's and the dealer's keys have
// budgets of their own; calls without a valid key share one. Only /v1
// routes are limited. The zero value (Calls <= 0) is no limit.
type RateLimit struct {
	Calls  int           `json:"calls"`
	Window time.Duration `json:"window"`
	// RetryAfter, if set, is the Retry-After sent instead of the time left
	// in the window.
	RetryAfter time.Duration `json:"retry_after"`
}

type rateState struct {
	rl      RateLimit
	mu      sync.Mutex
	windows map[string]*rateWindow
	refused atomic.Int64
}

type rateWindow struct {
	start time.Time
	used  int
}

// admit counts one call of key at now; it returns the wait to announce when
// the call is over the budget.
func (rs *rateState) admit(key string, now time.Time) (time.Duration, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	w := rs.windows[key]
	if w == nil {
		w = &rateWindow{start: now}
		rs.windows[key] = w
	}
	if elapsed := now.Sub(w.start); elapsed >= rs.rl.Window {
		w.start = w.start.Add(time.Duration(int64(elapsed/rs.rl.Window)) * rs.rl.Window)
		w.used = 0
	}
	if w.used >= rs.rl.Calls {
		rs.refused.Add(1)
		if rs.rl.RetryAfter > 0 {
			return rs.rl.RetryAfter, false
		}
		return w.start.Add(rs.rl.Window).Sub(now), false
	}
	w.used++
	return 0, true
}

// SetRateLimit replaces the rate limit (the zero value removes it) and
// resets every key's window and the refusal count.
func (s *Server) SetRateLimit(rl RateLimit) {
	if rl.Calls <= 0 {
		s.rate.Store(nil)
		return
	}
	if rl.Window <= 0 {
		rl.Window = time.Minute
	}
	s.rate.Store(&rateState{rl: rl, windows: map[string]*rateWindow{}})
}

// CurrentRateLimit returns the rate limit in effect.
func (s *Server) CurrentRateLimit() RateLimit {
	if rs := s.rate.Load(); rs != nil {
		return rs.rl
	}
	return RateLimit{}
}

// RateLimited returns how many calls the current rate limit refused.
func (s *Server) RateLimited() int {
	if rs := s.rate.Load(); rs != nil {
		return int(rs.refused.Load())
	}
	return 0
}

// rateLimited answers a call over its key's budget: 429 rate_limited with
// Retry-After.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request) bool {
	rs := s.rate.Load()
	if rs == nil {
		return false
	}
	tok, _ := bearer(r)
	s.pipe.mu.RLock()
	if s.pipe.keyFor(tok) == nil {
		tok = ""
	}
	s.pipe.mu.RUnlock()
	wait, ok := rs.admit(tok, s.now())
	if ok {
		return false
	}
	secs := int64(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	v1Error(w, http.StatusTooManyRequests, "rate_limited",
		fmt.Sprintf("More than %d calls in %s from this key; wait the seconds Retry-After names (%d).", rs.rl.Calls, rs.rl.Window, secs))
	return true
}
