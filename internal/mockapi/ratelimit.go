package mockapi

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// RateLimit is a fixed-window limit like Bubble's calls per minute: at most
// Limit requests are processed per Window; the windows are counted from the
// first request after SetRateLimit. A request over the limit is answered
// 429 with a Bubble body and no Retry-After (Bubble documents none), and is
// not processed. The zero value (or Limit <= 0) is no limit.
type RateLimit struct {
	Limit  int           `json:"limit"`
	Window time.Duration `json:"window"`
	// Endpoints, if non-empty, restricts the limit to these endpoint keys
	// (they share one count); default: every pipe.solar endpoint.
	Endpoints []string `json:"endpoints"`
}

type rateState struct {
	rl       RateLimit
	endpoint map[string]bool

	mu      sync.Mutex
	start   time.Time // start of the current window; zero until the first request
	used    int
	refused atomic.Int64
}

func (rs *rateState) appliesTo(endpoint string) bool {
	if len(rs.endpoint) > 0 {
		return rs.endpoint[endpoint]
	}
	return strings.HasPrefix(endpoint, "GET /api/") || strings.HasPrefix(endpoint, "POST /api/")
}

// admit counts one request at now and reports whether it is within the limit.
func (rs *rateState) admit(now time.Time) bool {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.start.IsZero() {
		rs.start = now
	}
	if elapsed := now.Sub(rs.start); elapsed >= rs.rl.Window {
		rs.start = rs.start.Add(time.Duration(int64(elapsed/rs.rl.Window)) * rs.rl.Window)
		rs.used = 0
	}
	if rs.used >= rs.rl.Limit {
		rs.refused.Add(1)
		return false
	}
	rs.used++
	return true
}

// SetRateLimit replaces the fixed-window rate limit (the zero value removes
// it) and resets its window and its refusal count.
func (s *Server) SetRateLimit(rl RateLimit) {
	if rl.Limit <= 0 {
		s.rate.Store(nil)
		return
	}
	if rl.Window <= 0 {
		rl.Window = time.Minute
	}
	rl.Endpoints = append([]string(nil), rl.Endpoints...)
	rs := &rateState{rl: rl}
	if len(rl.Endpoints) > 0 {
		rs.endpoint = map[string]bool{}
		for _, e := range rl.Endpoints {
			rs.endpoint[e] = true
		}
	}
	s.rate.Store(rs)
}

// RateLimited returns how many requests the current rate limit refused.
func (s *Server) RateLimited() int {
	if rs := s.rate.Load(); rs != nil {
		return int(rs.refused.Load())
	}
	return 0
}

// rateLimited answers a request over the limit as Bubble does: HTTP 429,
// its {"statusCode","body":{"status","message"}} body, no Retry-After.
func (s *Server) rateLimited(w http.ResponseWriter, endpoint string) bool {
	rs := s.rate.Load()
	if rs == nil || !rs.appliesTo(endpoint) || rs.admit(s.now()) {
		return false
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"statusCode": http.StatusTooManyRequests,
		"body": map[string]any{
			"status":  "TOO_MANY_REQUESTS",
			"message": "Too many requests: this app has used its workflow API calls for this minute; please try again later",
		},
	})
	return true
}
