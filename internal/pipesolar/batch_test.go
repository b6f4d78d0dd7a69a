package pipesolar

// batch_refresh (issue 12): reads of an org's projects come from one
// listing of the org per client. These tests count the mock's calls; none
// waits on a clock.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

const batchToken = "ps_batch_token"

// batchClient is a client of m with batch_refresh on (or off), sending
// through base when it is not nil.
func batchClient(t *testing.T, m *mockapi.Server, batch bool, maxRetries int, base http.RoundTripper) *Client {
	t.Helper()
	c, err := New(Config{BaseURL: m.PipeBaseURL(), Token: batchToken, BatchRefresh: batch, HTTP: transport.Options{
		MaxRetries: maxRetries, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, Base: base,
	}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// batchMock is a mock holding n projects of org, and their ids.
func batchMock(t *testing.T, org string, n int) (*mockapi.Server, []string) {
	t.Helper()
	m := mockapi.NewTest(t, mockapi.Config{PipeToken: batchToken})
	return m, seedOrg(t, m, org, n)
}

func seedOrg(t *testing.T, m *mockapi.Server, org string, n int) []string {
	t.Helper()
	ids, err := m.SeedRandomProjects(org, "inst-"+org, n)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// readAll reads every id of org in parallel, as Terraform's refresh does.
func readAll(t *testing.T, c *Client, org string, ids []string) map[string]*Project {
	t.Helper()
	var mu sync.Mutex
	got := make(map[string]*Project, len(ids))
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := c.GetProjectInOrg(context.Background(), org, id)
			if err != nil {
				t.Errorf("GetProjectInOrg(%s, %s): %v", org, id, err)
				return
			}
			mu.Lock()
			got[id] = p
			mu.Unlock()
		}()
	}
	wg.Wait()
	return got
}

// A refresh of 120 projects of one org (3 pages of 50) and 7 of another
// makes one listing per org, at most pages + 2 list calls each, and no
// fetch_project; each project is what fetch_project returns.
func TestGetProjectInOrg_oneListingPerOrg(t *testing.T) {
	for _, shape := range []struct {
		name string
		b    mockapi.PipeBehaviour
	}{
		{"paging reported", mockapi.PipeBehaviour{}},
		{"no paging fields", mockapi.PipeBehaviour{ListPaging: "none", ListShape: "results"}},
		{"envelope, _id", mockapi.PipeBehaviour{ListShape: "response", ListIDKey: "_id"}},
	} {
		t.Run(shape.name, func(t *testing.T) {
			t.Parallel()
			m := mockapi.NewTest(t, mockapi.Config{PipeToken: batchToken})
			m.SetPipeBehaviour(shape.b)
			big, small := seedOrg(t, m, "org-big", 120), seedOrg(t, m, "org-small", 7)
			seedOrg(t, m, "org-other", 60) // never read: never listed
			c := batchClient(t, m, true, 2, nil)

			var wg sync.WaitGroup
			var gotBig, gotSmall map[string]*Project
			wg.Add(2)
			go func() { defer wg.Done(); gotBig = readAll(t, c, "org-big", big) }()
			go func() { defer wg.Done(); gotSmall = readAll(t, c, "org-small", small) }()
			wg.Wait()

			if n := m.Count(mockapi.EndpointFetchProject); n != 0 {
				t.Errorf("fetch_project called %d times, want 0", n)
			}
			// org-big: 3 pages, org-small: 1 page; each may take one more
			// call to see the end.
			if n := m.Count(mockapi.EndpointListOrg); n < 4 || n > 3+2+1+2 {
				t.Errorf("fetch_all_project called %d times, want 4 to 8 (pages + at most 2 per org)", n)
			}
			plain := batchClient(t, m, false, 2, nil)
			for org, got := range map[string]map[string]*Project{"org-big": gotBig, "org-small": gotSmall} {
				for id, p := range got {
					want, err := plain.GetProject(context.Background(), id)
					if err != nil {
						t.Fatal(err)
					}
					if p.ID != want.ID {
						t.Errorf("%s/%s: the listing gives id %q", org, id, p.ID)
					}
					if diff := fieldDiff(p.Fields, want.Fields); diff != "" {
						t.Errorf("%s/%s: the listing and fetch_project differ: %s", org, id, diff)
					}
				}
			}
			if len(gotBig) != len(big) || len(gotSmall) != len(small) {
				t.Errorf("read %d and %d projects, want %d and %d", len(gotBig), len(gotSmall), len(big), len(small))
			}
		})
	}
}

// fieldDiff names the fields in which a listed project differs from
// fetch_project's, other than the member carrying a list item's id.
func fieldDiff(listed, fetched map[string]Value) string {
	var diff []string
	for k := range maps.Keys(listed) {
		if k != "id" && k != "_id" && k != "project_id" && fmt.Sprint(listed[k]) != fmt.Sprint(fetched[k]) {
			diff = append(diff, fmt.Sprintf("%s: %v vs %v", k, listed[k], fetched[k]))
		}
	}
	for k := range maps.Keys(fetched) {
		if _, ok := listed[k]; !ok {
			diff = append(diff, k+" missing from the listing")
		}
	}
	return strings.Join(diff, "; ")
}

// A project the listing does not hold is read with fetch_project: gone
// when fetch_project says so, found when it moved to another org or the
// listing ignores paging.
func TestGetProjectInOrg_missingIsConfirmed(t *testing.T) {
	t.Parallel()
	m := mockapi.NewTest(t, mockapi.Config{PipeToken: batchToken})
	m.SetPipeBehaviour(mockapi.PipeBehaviour{IgnorePage: true, NotFound: "null"})
	ids := seedOrg(t, m, "org-a", 60) // one is deleted; page 1 holds 50 of the other 59
	elsewhere := seedOrg(t, m, "org-b", 1)[0]
	gone := ids[0]
	m.DeleteProject(gone)
	c := batchClient(t, m, true, 0, nil)

	got := readAll(t, c, "org-a", ids[1:])
	if len(got) != 59 {
		t.Fatalf("read %d projects, want 59", len(got))
	}
	if _, err := c.GetProjectInOrg(context.Background(), "org-a", gone); !transport.IsNotFound(err) {
		t.Errorf("deleted project: err = %v, want not found", err)
	}
	if p, err := c.GetProjectInOrg(context.Background(), "org-a", elsewhere); err != nil || p.ID != elsewhere {
		t.Errorf("project of another org: %v, %v", p, err)
	}
	// Page 2 repeats page 1, so the listing stops after two calls; the 9
	// projects past page 1, the deleted one and the other org's are read
	// one by one.
	if n := m.Count(mockapi.EndpointListOrg); n != 2 {
		t.Errorf("fetch_all_project called %d times, want 2", n)
	}
	if n := m.Count(mockapi.EndpointFetchProject); n != 11 {
		t.Errorf("fetch_project called %d times, want 11 (9 unlisted, 1 deleted, 1 in another org)", n)
	}
}

// gateTransport holds every request for a page ≥ 2 until release is
// closed.
type gateTransport struct {
	next    http.RoundTripper
	release chan struct{}
}

func (g *gateTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if p := req.URL.Query().Get("page"); p != "" && p != "1" {
		select {
		case <-g.release:
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
	}
	return g.next.RoundTrip(req)
}

// A read waits for its project's page, not for the whole listing.
func TestGetProjectInOrg_servedPageByPage(t *testing.T) {
	t.Parallel()
	m, ids := batchMock(t, "org-a", 80)
	gate := &gateTransport{next: http.DefaultTransport.(*http.Transport).Clone(), release: make(chan struct{})}
	c := batchClient(t, m, true, 0, gate)

	// The first project is on page 1; page 2 is held until it was read.
	if p, err := c.GetProjectInOrg(context.Background(), "org-a", ids[0]); err != nil || p.ID != ids[0] {
		t.Fatalf("first project: %v, %v", p, err)
	}
	late := make(chan error, 1)
	go func() {
		_, err := c.GetProjectInOrg(context.Background(), "org-a", ids[79])
		late <- err
	}()
	close(gate.release)
	if err := <-late; err != nil {
		t.Fatalf("project on page 2: %v", err)
	}
	if n := m.Count(mockapi.EndpointFetchProject); n != 0 {
		t.Errorf("fetch_project called %d times, want 0", n)
	}
}

// A failed listing is an error for the reads that need it, never "gone".
func TestGetProjectInOrg_listingFails(t *testing.T) {
	t.Parallel()
	m, ids := batchMock(t, "org-a", 3)
	m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{mockapi.EndpointListOrg}})
	c := batchClient(t, m, true, 0, nil)
	for _, id := range ids {
		_, err := c.GetProjectInOrg(context.Background(), "org-a", id)
		var le *ListingError
		if !errors.As(err, &le) || le.Org != "org-a" || transport.IsNotFound(err) {
			t.Errorf("%s: err = %v, want a ListingError for org-a that is not 'not found'", id, err)
		}
	}
	if n := m.Count(mockapi.EndpointListOrg); n != 1 {
		t.Errorf("fetch_all_project called %d times, want 1 (one listing per org, even a failed one)", n)
	}
}

// Without batch_refresh, an unknown org, a second read of a project and a
// read after the client changed the project ask fetch_project.
func TestGetProjectInOrg_fetchProjectCases(t *testing.T) {
	t.Parallel()
	m, ids := batchMock(t, "org-a", 3)
	ctx := context.Background()

	off := batchClient(t, m, false, 0, nil)
	if _, err := off.GetProjectInOrg(ctx, "org-a", ids[0]); err != nil {
		t.Fatal(err)
	}
	on := batchClient(t, m, true, 0, nil)
	if _, err := on.GetProjectInOrg(ctx, "", ids[0]); err != nil {
		t.Fatal(err)
	}
	if got := m.Counts(); got[mockapi.EndpointFetchProject] != 2 || got[mockapi.EndpointListOrg] != 0 {
		t.Fatalf("batch off and unknown org: counts %v, want 2 fetch_project and no listing", got)
	}

	if _, err := on.GetProjectInOrg(ctx, "org-a", ids[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := on.GetProjectInOrg(ctx, "org-a", ids[1]); err != nil { // taken already
		t.Fatal(err)
	}
	if _, err := on.UpdateStage(ctx, ids[2], "NTP"); err != nil {
		t.Fatal(err)
	}
	p, err := on.GetProjectInOrg(ctx, "org-a", ids[2])
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Text("projectStatus"); got != "NTP" {
		t.Errorf("after update_stage the read gives stage %q, want NTP", got)
	}
	if got := m.Counts(); got[mockapi.EndpointFetchProject] != 4 || got[mockapi.EndpointListOrg] != 1 {
		t.Errorf("counts %v, want 4 fetch_project (2 earlier, the second read, the changed project) and 1 listing", got)
	}
}
