package mockapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestFaultRates(t *testing.T) {
	tests := []struct {
		name       string
		faults     Faults
		status     int
		retryAfter string
	}{
		{"500", Faults{Seed: 1, Rate500: 1}, 500, ""},
		{"429", Faults{Seed: 1, Rate429: 1}, 429, "1"},
		{"503", Faults{Seed: 1, Rate503: 1}, 503, "1"},
		{"429 retry-after rounds up", Faults{Seed: 1, Rate429: 1, RetryAfter: 2500 * time.Millisecond}, 429, "3"},
		{"503 retry-after minimum 1", Faults{Seed: 1, Rate503: 1, RetryAfter: time.Millisecond}, 503, "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewTest(t, Config{})
			id, _ := s.SeedProject("o", "", validBody())
			s.SetFaults(tc.faults)
			r := pipe(t, s, "GET", "/fetch_project"+q("id", id), nil)
			if r.status != tc.status || r.header.Get("Retry-After") != tc.retryAfter {
				t.Fatalf("%d Retry-After %q", r.status, r.header.Get("Retry-After"))
			}
			// creates are not processed
			r = pipe(t, s, "POST", "/create_project", validBody())
			if r.status != tc.status || len(s.ProjectIDs("")) != 1 {
				t.Fatalf("create under fault: %d, %d projects", r.status, len(s.ProjectIDs("")))
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
			if s.Count(EndpointFetchProject) != 1 || s.Count(EndpointCreateProject) != 1 || s.Count(EndpointUPowrCreateProject) != 1 {
				t.Fatalf("faulted requests not counted: %v", s.Counts())
			}
			s.SetFaults(Faults{})
			if r := pipe(t, s, "GET", "/fetch_project"+q("id", id), nil); r.status != 200 {
				t.Fatalf("after clearing faults: %d", r.status)
			}
		})
	}
}

func statusSequence(t *testing.T, f Faults, n int) []int {
	s := NewTest(t, Config{})
	id, _ := s.SeedProject("o", "", validBody())
	s.SetFaults(f)
	var out []int
	for range n {
		out = append(out, pipe(t, s, "GET", "/fetch_project"+q("id", id), nil).status)
	}
	return out
}

func TestFaultDeterminism(t *testing.T) {
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
	s := NewTest(t, Config{})
	id, _ := s.SeedProject("o", "", validBody())
	s.SetFaults(Faults{Seed: 1, Rate500: 1, Endpoints: []string{EndpointCreateProject, EndpointToken}})
	if r := pipe(t, s, "GET", "/fetch_project"+q("id", id), nil); r.status != 200 {
		t.Fatalf("unlisted endpoint faulted: %d", r.status)
	}
	if r := pipe(t, s, "POST", "/create_project", validBody()); r.status != 500 {
		t.Fatalf("listed endpoint not faulted: %d", r.status)
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

func TestDropAfterCommit(t *testing.T) {
	s := NewTest(t, Config{})
	s.SetFaults(Faults{DropAfterCommit: 2})
	// A failing create does not use up a drop.
	bad := validBody()
	delete(bad, "email")
	if r := pipe(t, s, "POST", "/create_project", bad); r.status != 400 {
		t.Fatalf("invalid create: %d", r.status)
	}
	// Reads are never dropped.
	if r := pipe(t, s, "GET", "/fetch_all_project"+q("org_id", "org1"), nil); r.status != 200 {
		t.Fatalf("list: %d", r.status)
	}
	_, err := trySend(context.Background(), "POST", s.PipeBaseURL()+"/create_project", pipeToken, validBody())
	if err == nil || !isDropError(err) {
		t.Fatalf("create_project: want a dropped connection, got %v", err)
	}
	ids := s.ProjectIDs("org1")
	if len(ids) != 1 {
		t.Fatalf("dropped create not stored: %d", len(ids))
	}
	_, err = trySend(context.Background(), "POST", s.UPowrBaseURL()+"/projects", upowrToken, validUPowrProject())
	if err == nil || !isDropError(err) {
		t.Fatalf("upowr create: want a dropped connection, got %v", err)
	}
	if len(s.UPowrProjects()) != 1 {
		t.Fatal("dropped upowr create not stored")
	}
	if f := s.CurrentFaults(); f.DropAfterCommit != 0 {
		t.Fatalf("pending drops %d", f.DropAfterCommit)
	}
	// next create is answered normally
	id := createProject(t, s, validBody())
	if len(s.ProjectIDs("org1")) != 2 || id == ids[0] {
		t.Fatal("after drops")
	}
	// other create endpoints
	pid := s.UPowrProjects()[0].ID
	cases := []struct {
		name string
		do   func() error
		ok   func() bool
	}{
		{"create_activity", func() error {
			_, err := trySend(context.Background(), "POST", s.PipeBaseURL()+"/create_activity", pipeToken, map[string]any{"project_id": id, "installer_id": "i", "notes": "n"})
			return err
		}, func() bool { return len(s.Activities(id)) == 1 }},
		{"project_upload_file", func() error {
			_, err := trySend(context.Background(), "POST", s.PipeBaseURL()+"/project_upload_file", pipeToken, map[string]any{"project_id": id, "folder_id": "permits", "fileurl": []string{"https://x.test/p.pdf"}})
			return err
		}, func() bool { return len(s.Uploads(id)) == 1 }},
		{"charge", func() error {
			_, err := trySend(context.Background(), "POST", s.UPowrBaseURL()+"/projects/"+pid+"/charges", upowrToken, map[string]any{"amount": 5, "type": "Cash", "paid_by": "me"})
			return err
		}, func() bool { return len(s.UPowrCharges(pid)) == 1 }},
	}
	for _, c := range cases {
		s.SetFaults(Faults{DropAfterCommit: 1})
		if err := c.do(); err == nil || !isDropError(err) {
			t.Fatalf("%s: want drop, got %v", c.name, err)
		}
		if !c.ok() {
			t.Fatalf("%s: not stored", c.name)
		}
	}
	// temp file upload
	s.SetFaults(Faults{DropAfterCommit: 1, Endpoints: []string{EndpointUPowrTempFile}})
	if r := pipe(t, s, "POST", "/create_project", validBody()); r.status != 200 {
		t.Fatal("unlisted create dropped")
	}
	body, ct := multipartBody(t, "fz", "switchboard_photo", "a.jpg", []byte("a"), nil)
	_, err = func() (result, error) {
		req, _ := http.NewRequest("POST", s.UPowrBaseURL()+"/files/temp", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+upowrToken)
		resp, err := testClient.Do(req)
		if err != nil {
			return result{}, err
		}
		resp.Body.Close()
		return result{status: resp.StatusCode}, nil
	}()
	if err == nil || !isDropError(err) || len(s.TempFiles("fz")) != 1 {
		t.Fatalf("temp upload: %v, %d files", err, len(s.TempFiles("fz")))
	}
}

// TestLatency drives the latency through Config.Wait: no sleep and no
// wall-clock limit. A server that held a lock while waiting, or that went on
// to process a request whose client went away, hangs the test until
// go test -timeout or fails it.
func TestLatency(t *testing.T) {
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
	id, _ := s.SeedProject("o", "", validBody())
	s.SetFaults(Faults{Latency: 60 * time.Millisecond})
	if r := pipe(t, s, "GET", "/fetch_project"+q("id", id), nil); r.status != 200 {
		t.Fatal(r.status)
	}
	<-finished
	mu.Lock()
	if len(waits) != 1 || waits[0] != 60*time.Millisecond {
		t.Fatalf("latency waits %v, want [60ms]", waits)
	}
	block = true
	mu.Unlock()

	// Concurrent requests wait in parallel (no global lock while waiting):
	// all ten are waiting at once before any is released.
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = trySend(context.Background(), "GET", s.PipeBaseURL()+"/fetch_project"+q("id", id), pipeToken, nil)
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
		_, err := trySend(ctx, "POST", s.PipeBaseURL()+"/create_project", pipeToken, validBody())
		done <- err
	}()
	<-waiting
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if line := <-finished; !strings.Contains(line, "/create_project") {
		t.Fatalf("request log %q, want the cancelled create", line)
	}
	if n := len(s.ProjectIDs("")); n != 1 {
		t.Fatalf("cancelled create was processed: %d projects", n)
	}
	if s.Count(EndpointCreateProject) != 1 {
		t.Fatalf("cancelled request not counted: %d", s.Count(EndpointCreateProject))
	}
	s.SetFaults(Faults{}) // let Cleanup close quickly
}

func TestCounters(t *testing.T) {
	s := NewTest(t, Config{})
	if len(AllEndpoints) != 17 {
		t.Fatalf("%d endpoints", len(AllEndpoints))
	}
	id := createProject(t, s, validBody())
	pipe(t, s, "GET", "/fetch_project"+q("id", id), nil)
	pipe(t, s, "GET", "/fetch_project"+q("id", "nope"), nil)
	send(t, "GET", s.PipeBaseURL()+"/fetch_project?id="+id, "bad-token", nil) // unauthorized still counted
	pid := createUPowrProject(t, s, validUPowrProject())
	up(t, s, "PATCH", "/projects/"+pid, map[string]any{"class": "a"})
	up(t, s, "DELETE", "/projects/"+pid+"/charges/"+newUUID(), nil)
	send(t, "GET", s.URL()+"/_mock/state", "", nil)                   // admin: not counted
	send(t, "GET", s.URL()+"/nowhere", "", nil)                       // no route: not counted
	send(t, "GET", s.PipeBaseURL()+"/create_project", pipeToken, nil) // wrong method: not counted
	want := map[string]int{
		EndpointCreateProject:      1,
		EndpointFetchProject:       3,
		EndpointUPowrCreateProject: 1,
		EndpointUPowrPatchProject:  1,
		EndpointUPowrDeleteCharge:  1,
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
	if s.Count("GET /nope") != 0 {
		t.Fatal("unknown key")
	}
	s.ResetCounts()
	if len(s.Counts()) != 0 || s.Count(EndpointFetchProject) != 0 {
		t.Fatal("ResetCounts")
	}
}

func TestDropWithRequestLog(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	s := NewTest(t, Config{Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}})
	s.SetFaults(Faults{DropAfterCommit: 1})
	if _, err := trySend(context.Background(), "POST", s.PipeBaseURL()+"/create_project", pipeToken, validBody()); err == nil || !isDropError(err) {
		t.Fatalf("want drop, got %v", err)
	}
	pipe(t, s, "GET", "/fetch_project"+q("id", `we"ird`), nil)
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 2 || !strings.Contains(lines[0], "POST /api/1.1/wf/create_project -> dropped") || !strings.Contains(lines[1], "-> 404") {
		t.Fatalf("log %q", lines)
	}
	for _, l := range lines {
		if strings.Contains(l, pipeToken) {
			t.Fatalf("token in log: %s", l)
		}
	}
}
