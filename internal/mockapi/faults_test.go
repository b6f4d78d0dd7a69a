package mockapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestFaultRates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		faults     Faults
		status     int
		code       string
		retryAfter string
	}{
		{"500", Faults{Seed: 1, Rate500: 1}, 500, "internal", ""},
		{"429", Faults{Seed: 1, Rate429: 1}, 429, "rate_limited", "1"},
		{"503", Faults{Seed: 1, Rate503: 1}, 503, "unavailable", "1"},
		{"429 retry-after rounds up", Faults{Seed: 1, Rate429: 1, RetryAfter: 2500 * time.Millisecond}, 429, "rate_limited", "3"},
		{"503 without retry-after", Faults{Seed: 1, Rate503: 1, NoRetryAfter: true}, 503, "unavailable", ""},
		{"any status", Faults{Status: 504}, 504, "unavailable", ""},
		{"not_open", Faults{Status: 403, Code: "not_open"}, 403, "not_open", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := NewTest(t, Config{})
			id := seedP(t, s, ProjectSeed{})
			s.SetFaults(tc.faults)
			r := v1(t, s, "GET", "/projects/"+id, nil)
			if r.status != tc.status || r.header.Get("Retry-After") != tc.retryAfter || r.errCode(t) != tc.code {
				t.Fatalf("%d %q Retry-After %q", r.status, r.errCode(t), r.header.Get("Retry-After"))
			}
			// writes are not processed
			r = v1(t, s, "POST", "/leads", leadBody())
			if r.status != tc.status || len(s.LeadIDs()) != 1 {
				t.Fatalf("create under fault: %d, %d leads", r.status, len(s.LeadIDs()))
			}
			r = up(t, s, "POST", "/projects", validUPowrProject())
			if r.status != tc.status || len(s.UPowrProjects()) != 0 {
				t.Fatalf("upowr create under fault: %d", r.status)
			}
			// the token endpoint is exempt unless listed
			status, _ := tokenRequest(t, s, url.Values{"grant_type": {"client_credentials"}}, "upowr-client", "upowr-secret")
			if status != 200 {
				t.Fatalf("token endpoint faulted: %d", status)
			}
			if s.Count(EndpointGetProject) != 1 || s.Count(EndpointCreateLead) != 1 || s.Count(EndpointUPowrCreateProject) != 1 {
				t.Fatalf("faulted requests not counted: %v", s.Counts())
			}
			s.SetFaults(Faults{})
			if r := v1(t, s, "GET", "/projects/"+id, nil); r.status != 200 {
				t.Fatalf("after clearing faults: %d", r.status)
			}
		})
	}
}

func TestFaultStatusCount(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	s.SetFaults(Faults{Status: 502, Count: 2, Endpoints: []string{EndpointMe}})
	var got []int
	for range 4 {
		got = append(got, v1(t, s, "GET", "/me", nil).status)
	}
	if !slices.Equal(got, []int{502, 502, 200, 200}) {
		t.Fatalf("statuses %v", got)
	}
	if f := s.CurrentFaults(); f.Count != 0 || f.Status != 0 {
		t.Fatalf("pending %+v", f)
	}
}

func statusSequence(t *testing.T, f Faults, n int) []int {
	s := NewTest(t, Config{})
	s.SetFaults(f)
	var out []int
	for range n {
		out = append(out, v1(t, s, "GET", "/me", nil).status)
	}
	return out
}

func TestFaultDeterminism(t *testing.T) {
	t.Parallel()
	f := Faults{Seed: 42, Rate500: 0.3, Rate429: 0.2, Rate503: 0.1}
	a := statusSequence(t, f, 200)
	b := statusSequence(t, f, 200)
	if !slices.Equal(a, b) {
		t.Fatal("same seed, different sequence")
	}
	counts := map[int]int{}
	for _, st := range a {
		counts[st]++
	}
	for _, st := range []int{200, 500, 429, 503} {
		if counts[st] == 0 {
			t.Fatalf("no %d in %v", st, counts)
		}
	}
	if counts[500] < 30 || counts[500] > 90 {
		t.Fatalf("rate 0.3 gave %d/200", counts[500])
	}
	c := statusSequence(t, Faults{Seed: 7, Rate500: 0.3, Rate429: 0.2, Rate503: 0.1}, 200)
	if slices.Equal(a, c) {
		t.Fatal("different seeds, same sequence")
	}
}

func TestFaultEndpointsFilter(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	id := seedP(t, s, ProjectSeed{})
	s.SetFaults(Faults{Seed: 1, Rate500: 1, Endpoints: []string{EndpointMoveStage, EndpointToken}})
	if r := v1(t, s, "GET", "/projects/"+id, nil); r.status != 200 {
		t.Fatalf("unlisted endpoint faulted: %d", r.status)
	}
	if r := v1(t, s, "POST", "/projects/"+id+"/stage", map[string]any{"stage": "NTP"}); r.status != 500 {
		t.Fatalf("listed endpoint not faulted: %d", r.status)
	}
	if p, _ := s.Project(id); at(p, "stage.name") == "NTP" {
		t.Fatal("a faulted move was applied")
	}
	if status, _ := tokenRequest(t, s, url.Values{"grant_type": {"client_credentials"}}, "upowr-client", "upowr-secret"); status != 500 {
		t.Fatalf("listed token endpoint not faulted: %d", status)
	}
	if r := up(t, s, "POST", "/projects", validUPowrProject()); r.status != 201 {
		t.Fatalf("unlisted upowr endpoint faulted: %d", r.status)
	}
	// admin routes are never faulted or counted
	s.SetFaults(Faults{Seed: 1, Rate500: 1})
	if r := send(t, "GET", s.URL()+"/_mock/counts", "", nil); r.status != 200 {
		t.Fatalf("admin faulted: %d", r.status)
	}
}

func isDropError(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		strings.Contains(err.Error(), "EOF") || strings.Contains(err.Error(), "connection reset")
}

// TestWritesAppliedThenFailed: DropAfterCommit and AfterCommit apply each
// v1 write, then drop the connection or answer an error.
func TestWritesAppliedThenFailed(t *testing.T) {
	t.Parallel()
	writes := []struct {
		name    string
		do      func(s *Server, id string) (result, error)
		applied func(s *Server, id string) bool
	}{
		{"create lead", func(s *Server, id string) (result, error) {
			return trySend(context.Background(), "POST", s.PipeBaseURL()+"/leads", ikey, leadBody())
		}, func(s *Server, id string) bool { return len(s.LeadIDs()) == 2 }},
		{"patch lead", func(s *Server, id string) (result, error) {
			p, _ := s.Project(id)
			return trySend(context.Background(), "PATCH", s.PipeBaseURL()+"/leads/"+p["leadId"].(string), ikey, map[string]any{"notes": "n"})
		}, func(s *Server, id string) bool {
			p, _ := s.Project(id)
			return len(s.Activities(p["leadId"].(string))) == 1
		}},
		{"patch project", func(s *Server, id string) (result, error) {
			return trySend(context.Background(), "PATCH", s.PipeBaseURL()+"/projects/"+id, ikey, map[string]any{"ntpGranted": true})
		}, func(s *Server, id string) bool { p, _ := s.Project(id); return p["ntpGranted"] == true }},
		{"move stage", func(s *Server, id string) (result, error) {
			return trySend(context.Background(), "POST", s.PipeBaseURL()+"/projects/"+id+"/stage", ikey, map[string]any{"stage": "PTO"})
		}, func(s *Server, id string) bool { p, _ := s.Project(id); return at(p, "stage.name") == "PTO" }},
		{"add files", func(s *Server, id string) (result, error) {
			return trySend(context.Background(), "POST", s.PipeBaseURL()+"/projects/"+id+"/files", ikey,
				map[string]any{"folder": "permit", "files": []any{map[string]any{"url": "https://files.example.com/p.pdf"}}})
		}, func(s *Server, id string) bool { return len(s.Files(id, "permit")) == 1 }},
	}
	for _, w := range writes {
		for _, mode := range []string{"drop", "after"} {
			t.Run(w.name+"/"+mode, func(t *testing.T) {
				t.Parallel()
				s := NewTest(t, Config{})
				id := seedP(t, s, ProjectSeed{})
				// A refused write does not use up the fault; reads never see it.
				if mode == "drop" {
					s.SetFaults(Faults{DropAfterCommit: 1})
				} else {
					s.SetFaults(Faults{AfterCommit: 1, AfterCommitStatus: 502})
				}
				if r := v1(t, s, "POST", "/leads", map[string]any{"firstName": "x"}); r.status != 400 {
					t.Fatalf("invalid write: %d", r.status)
				}
				if r := v1(t, s, "GET", "/projects/"+id, nil); r.status != 200 {
					t.Fatalf("read: %d", r.status)
				}
				r, err := w.do(s, id)
				if mode == "drop" {
					if err == nil || !isDropError(err) {
						t.Fatalf("want a dropped connection, got %v (%d %s)", err, r.status, r.body)
					}
				} else if err != nil || r.status != 502 || r.errCode(t) != "unavailable" {
					t.Fatalf("want 502 unavailable, got %v %d %s", err, r.status, r.body)
				}
				if !w.applied(s, id) {
					t.Fatal("the write was not applied")
				}
				if f := s.CurrentFaults(); f.DropAfterCommit != 0 || f.AfterCommit != 0 {
					t.Fatalf("pending %+v", f)
				}
			})
		}
	}
}

func TestDropBeforeProcessing(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	s.SetFaults(Faults{Drop: 1})
	if _, err := trySend(context.Background(), "POST", s.PipeBaseURL()+"/leads", ikey, leadBody()); err == nil || !isDropError(err) {
		t.Fatalf("want a dropped connection, got %v", err)
	}
	if len(s.LeadIDs()) != 0 {
		t.Fatal("a dropped request was processed")
	}
	if r := v1(t, s, "POST", "/leads", leadBody()); r.status != 201 {
		t.Fatalf("after the drop: %d", r.status)
	}
}

func TestUPowrDropAfterCommit(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	s.SetFaults(Faults{DropAfterCommit: 1})
	_, err := trySend(context.Background(), "POST", s.UPowrBaseURL()+"/projects", upowrToken, validUPowrProject())
	if err == nil || !isDropError(err) || len(s.UPowrProjects()) != 1 {
		t.Fatalf("upowr create: %v, %d projects", err, len(s.UPowrProjects()))
	}
}

// TestLatency drives the latency through Config.Wait: no sleep and no
// wall-clock limit.
func TestLatency(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var waits []time.Duration
	waiting := make(chan struct{}, 64)
	release := make(chan struct{})
	block := false
	finished := make(chan string, 64)
	s := NewTest(t, Config{
		Wait: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waits = append(waits, d)
			b := block
			mu.Unlock()
			if !b {
				return nil
			}
			waiting <- struct{}{}
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
		Logf: func(format string, args ...any) { finished <- fmt.Sprintf(format, args...) },
	})
	id := seedP(t, s, ProjectSeed{})
	s.SetFaults(Faults{Latency: 60 * time.Millisecond})
	if r := v1(t, s, "GET", "/projects/"+id, nil); r.status != 200 {
		t.Fatal(r.status)
	}
	<-finished
	mu.Lock()
	if len(waits) != 1 || waits[0] != 60*time.Millisecond {
		t.Fatalf("latency waits %v, want [60ms]", waits)
	}
	block = true
	mu.Unlock()

	// Concurrent requests wait in parallel (no global lock while waiting).
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = trySend(context.Background(), "GET", s.PipeBaseURL()+"/projects/"+id, ikey, nil)
		}()
	}
	for range 10 {
		<-waiting
	}
	close(release)
	wg.Wait()
	for range 10 {
		<-finished
	}

	// A request whose client goes away ends its wait and is not processed.
	release = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := trySend(ctx, "POST", s.PipeBaseURL()+"/leads", ikey, leadBody())
		done <- err
	}()
	<-waiting
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if line := <-finished; !strings.Contains(line, "/v1/leads") {
		t.Fatalf("request log %q, want the cancelled create", line)
	}
	if n := len(s.LeadIDs()); n != 1 { // the seeded project's
		t.Fatalf("cancelled create was processed: %d leads", n)
	}
	s.SetFaults(Faults{}) // let Cleanup close quickly
}

func TestCounters(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	if len(PipeEndpoints) != 14 || len(AllEndpoints) != 14+2+9 {
		t.Fatalf("%d/%d endpoints", len(PipeEndpoints), len(AllEndpoints))
	}
	id := seedP(t, s, ProjectSeed{Reference: "1696COUNT1"})
	v1(t, s, "GET", "/projects/"+id, nil)
	v1(t, s, "GET", "/projects/1696COUNT1", nil)
	v1(t, s, "GET", "/projects/nope", nil)
	send(t, "GET", s.PipeBaseURL()+"/projects/"+id, "bad-token", nil) // unauthorized still counted
	v1(t, s, "PATCH", "/projects/"+id, map[string]any{"ntpGranted": true})
	send(t, "GET", s.RetiredBaseURL()+"/fetch_project", "", nil)
	pid := createUPowrProject(t, s, validUPowrProject())
	up(t, s, "PATCH", "/projects/"+pid, map[string]any{"class": "a"})
	send(t, "GET", s.URL()+"/_mock/state", "", nil) // admin: not counted
	send(t, "GET", s.URL()+"/nowhere", "", nil)     // no route: not counted
	v1(t, s, "GET", "/nowhere", nil)                // no v1 call: not counted
	want := map[string]int{
		EndpointGetProject:         4,
		EndpointPatchProject:       1,
		EndpointRetired:            1,
		EndpointUPowrCreateProject: 1,
		EndpointUPowrPatchProject:  1,
	}
	got := s.Counts()
	if len(got) != len(want) {
		t.Fatalf("Counts %v", got)
	}
	for k, v := range want {
		if got[k] != v || s.Count(k) != v {
			t.Fatalf("%s: %d/%d want %d", k, got[k], s.Count(k), v)
		}
	}
	s.ResetCounts()
	if len(s.Counts()) != 0 || s.Count(EndpointGetProject) != 0 {
		t.Fatal("ResetCounts")
	}
}

func TestRequestLogNeverShowsAKey(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var lines []string
	s := NewTest(t, Config{Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}})
	s.SetFaults(Faults{DropAfterCommit: 1})
	if _, err := trySend(context.Background(), "POST", s.PipeBaseURL()+"/leads", ikey, leadBody()); err == nil || !isDropError(err) {
		t.Fatalf("want drop, got %v", err)
	}
	v1(t, s, "GET", "/projects/"+url.PathEscape(`we"ird`), nil)
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 2 || !strings.Contains(lines[0], "POST /v1/leads -> dropped") || !strings.Contains(lines[1], "-> 404") {
		t.Fatalf("log %q", lines)
	}
	for _, l := range lines {
		if strings.Contains(l, ikey) || strings.Contains(l, "psk_") {
			t.Fatalf("key in log: %s", l)
		}
	}
}

func TestRateLimitPerKey(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)}
	s := NewTest(t, Config{Now: clock.now})
	s.SetRateLimit(RateLimit{Calls: 3, Window: time.Minute})
	for i := range 3 {
		if r := v1(t, s, "GET", "/me", nil); r.status != 200 {
			t.Fatalf("call %d: %d", i, r.status)
		}
	}
	clock.add(20 * time.Second)
	r := v1(t, s, "GET", "/projects", nil)
	if r.status != 429 || r.header.Get("Retry-After") != "40" || r.errCode(t) != "rate_limited" {
		t.Fatalf("over the limit: %d Retry-After %q %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	// A refused write is not applied.
	if r := v1(t, s, "POST", "/leads", leadBody()); r.status != 429 || len(s.LeadIDs()) != 0 {
		t.Fatalf("write over the limit: %d", r.status)
	}
	// The dealer's key has its own budget; UPowr has none.
	if r := v1As(t, s, dkey, "GET", "/me", nil); r.status != 200 {
		t.Fatalf("dealer: %d", r.status)
	}
	if r := up(t, s, "POST", "/projects", validUPowrProject()); r.status != 201 {
		t.Fatalf("upowr limited: %d", r.status)
	}
	if s.RateLimited() != 2 || s.Count(EndpointListProjects) != 1 {
		t.Fatalf("RateLimited %d, counted %d", s.RateLimited(), s.Count(EndpointListProjects))
	}
	clock.add(40 * time.Second)
	if r := v1(t, s, "GET", "/me", nil); r.status != 200 {
		t.Fatalf("next window: %d", r.status)
	}
	s.SetRateLimit(RateLimit{Calls: 1, RetryAfter: 7 * time.Second})
	v1(t, s, "GET", "/me", nil)
	if r := v1(t, s, "GET", "/me", nil); r.header.Get("Retry-After") != "7" {
		t.Fatalf("fixed Retry-After %q", r.header.Get("Retry-After"))
	}
	s.SetRateLimit(RateLimit{})
	if r := v1(t, s, "GET", "/me", nil); r.status != 200 || s.RateLimited() != 0 {
		t.Fatalf("no limit: %d", r.status)
	}
}
