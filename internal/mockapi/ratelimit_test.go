package mockapi

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// virtualNow is a settable clock for the mock.
type virtualNow struct {
	mu sync.Mutex
	t  time.Time
}

func (v *virtualNow) Now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.t
}

func (v *virtualNow) Add(d time.Duration) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.t = v.t.Add(d)
}

func TestRateLimitFixedWindow(t *testing.T) {
	clock := &virtualNow{t: time.Date(2026, 11, 30, 12, 0, 30, 0, time.UTC)}
	s := NewTest(t, Config{Now: clock.Now})
	id, _ := s.SeedProject("o", "", validBody())
	s.SetRateLimit(RateLimit{Limit: 3, Window: time.Minute})
	fetch := func() result { return pipe(t, s, "GET", "/fetch_project"+q("id", id), nil) }

	for i := range 3 {
		if r := fetch(); r.status != 200 {
			t.Fatalf("call %d within the limit: %d %s", i+1, r.status, r.body)
		}
	}
	// Over the limit: 429, Bubble's body, no Retry-After, not processed.
	r := fetch()
	if r.status != 429 || r.header.Get("Retry-After") != "" {
		t.Fatalf("over the limit: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	m := r.obj(t)
	body, _ := m["body"].(map[string]any)
	if m["statusCode"] != 429.0 || body["status"] == nil || !strings.Contains(fmt.Sprint(body["message"]), "Too many requests") {
		t.Fatalf("429 body %s, want Bubble's {statusCode, body:{status, message}}", r.body)
	}
	// Every pipe.solar endpoint shares the count; UPowr is not limited.
	if r := pipe(t, s, "POST", "/create_project", validBody()); r.status != 429 {
		t.Fatalf("create over the limit: %d", r.status)
	}
	if n := len(s.ProjectIDs("")); n != 1 {
		t.Fatalf("a refused create was processed: %d projects", n)
	}
	if r := up(t, s, "POST", "/projects", map[string]any{"productsOfInterest": []any{map[string]any{"solar": true}}}); r.status != 201 {
		t.Fatalf("UPowr under a pipe.solar limit: %d %s", r.status, r.body)
	}
	// Still the same window one second before it ends; a new one after.
	clock.Add(time.Minute - time.Second)
	if r := fetch(); r.status != 429 {
		t.Fatalf("59 s into the window: %d", r.status)
	}
	clock.Add(time.Second)
	for i := range 3 {
		if r := fetch(); r.status != 200 {
			t.Fatalf("call %d in the next window: %d", i+1, r.status)
		}
	}
	if r := fetch(); r.status != 429 {
		t.Fatalf("over the limit in the next window: %d", r.status)
	}
	if n := s.RateLimited(); n != 4 {
		t.Errorf("RateLimited() = %d, want 4", n)
	}
	// Several windows later: a fresh window, counted from the first request.
	clock.Add(5*time.Minute + 10*time.Second)
	if r := fetch(); r.status != 200 {
		t.Fatalf("after idle windows: %d", r.status)
	}
	s.SetRateLimit(RateLimit{})
	for range 5 {
		if r := fetch(); r.status != 200 {
			t.Fatalf("without a limit: %d", r.status)
		}
	}
}
