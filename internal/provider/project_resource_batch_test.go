package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// pagedListing is a listing whose pages the test hands over one at a time.
type pagedListing struct {
	pages   []map[string]string
	failAt  int // page index whose turn fails the listing; -1 = none
	release chan struct{}
	calls   int
	mu      sync.Mutex
}

func newPagedListing(failAt int, pages ...map[string]string) (*pagedListing, *listing[string]) {
	p := &pagedListing{pages: pages, failAt: failAt, release: make(chan struct{})}
	return p, newListing(func(ctx context.Context, page func(map[string]string) error) error {
		p.mu.Lock()
		p.calls++
		p.mu.Unlock()
		for i, rows := range p.pages {
			select {
			case <-p.release:
			case <-ctx.Done():
				return ctx.Err()
			}
			if i == p.failAt {
				return errors.New("HTTP 503 on page " + fmt.Sprint(i+1))
			}
			if err := page(rows); err != nil {
				return err
			}
		}
		return nil
	})
}

// next lets the listing fetch its next page.
func (p *pagedListing) next() { p.release <- struct{}{} }

type lookupResult struct {
	at    string
	found bool
	err   error
}

func lookupAsync(l *listing[string], ctx context.Context, id string) <-chan lookupResult {
	ch := make(chan lookupResult, 1)
	go func() {
		at, found, err := l.lookup(ctx, id)
		ch <- lookupResult{at, found, err}
	}()
	return ch
}

// waitPages waits until l has received n pages (polling the listing's own
// counter through its signal channel, no sleep).
func waitPages(t *testing.T, l *listing[string], n int) {
	t.Helper()
	for {
		l.mu.Lock()
		pages, arrived := l.pages, l.arrived
		l.mu.Unlock()
		if pages >= n {
			return
		}
		select {
		case <-arrived:
		case <-t.Context().Done():
			t.Fatalf("listing stopped at %d pages, want %d", pages, n)
		}
	}
}

func TestBatchListingWaitsOnlyForItsPage(t *testing.T) {
	t.Parallel()
	p, l := newPagedListing(-1,
		map[string]string{"a": "t1", "b": "t2"},
		map[string]string{"c": "t3"},
		map[string]string{"d": "t4"})
	ctx := t.Context()
	ra, rc, rx := lookupAsync(l, ctx, "a"), lookupAsync(l, ctx, "c"), lookupAsync(l, ctx, "missing")

	p.next() // page 1
	if r := <-ra; !r.found || r.at != "t1" || r.err != nil {
		t.Fatalf("a after page 1: %+v, want t1", r)
	}
	select {
	case r := <-rc:
		t.Fatalf("c answered before its page arrived: %+v", r)
	case r := <-rx:
		t.Fatalf("a missing id answered before the listing ended: %+v", r)
	default:
	}
	// An id in a page already fetched answers at once.
	if at, found, err := l.lookup(ctx, "b"); !found || at != "t2" || err != nil {
		t.Errorf("b after page 1: %q %v %v, want t2 at once", at, found, err)
	}

	p.next() // page 2
	if r := <-rc; !r.found || r.at != "t3" {
		t.Fatalf("c after page 2: %+v, want t3", r)
	}
	select {
	case r := <-rx:
		t.Fatalf("a missing id answered before the listing ended: %+v", r)
	default:
	}
	p.next() // page 3, the last
	if r := <-rx; r.found || r.err != nil {
		t.Fatalf("missing id after the last page: %+v, want not found and no error", r)
	}
	if pages, done := l.stats(); pages != 3 || !done || p.calls != 1 {
		t.Errorf("pages %d, done %v, listings %d; want 3 pages of one listing", pages, done, p.calls)
	}
	// A later lookup starts no second listing.
	if _, found, _ := l.lookup(ctx, "d"); !found || p.calls != 1 {
		t.Errorf("d found %v after %d listings, want found from the one listing", found, p.calls)
	}
}

func TestBatchListingFailure(t *testing.T) {
	t.Parallel()
	p, l := newPagedListing(1,
		map[string]string{"a": "t1"},
		map[string]string{"c": "t3"})
	ctx := t.Context()
	rc := lookupAsync(l, ctx, "c")
	p.next() // page 1
	waitPages(t, l, 1)
	p.next() // page 2 fails
	if r := <-rc; r.found || r.err == nil {
		t.Fatalf("c after a failed page: %+v, want the listing's error (the caller reads by id)", r)
	}
	// What the listing got before it failed still answers.
	if at, found, err := l.lookup(ctx, "a"); !found || at != "t1" || err != nil {
		t.Errorf("a after the failure: %q %v %v, want t1 from page 1", at, found, err)
	}
}

func TestBatchListingWaitEndsWithItsContext(t *testing.T) {
	t.Parallel()
	p, l := newPagedListing(-1, map[string]string{"a": "t1"})
	ctx, cancel := context.WithCancel(t.Context())
	r := lookupAsync(l, ctx, "a")
	cancel()
	if got := <-r; got.err == nil || !errors.Is(got.err, context.Canceled) {
		t.Fatalf("lookup after its context ended: %+v, want context.Canceled", got)
	}
	// The listing goes on for the others (it does not run on the first
	// reader's deadline).
	r2 := lookupAsync(l, t.Context(), "a")
	p.next()
	if got := <-r2; !got.found {
		t.Errorf("a after the first reader gave up: %+v, want found", got)
	}
}

// batchCompany seeds three projects to manage and 120 others (the listing
// has two pages) and returns the managed ones' ids and a configuration that
// manages them (stage set) with batch_refresh as given.
func batchCompany(t *testing.T, m *mockapi.Server, batch bool) ([]string, string) {
	t.Helper()
	ids := []string{seedProject(t, m), seedProject(t, m), seedProject(t, m)}
	m.SeedRandomProjects(120)
	var b strings.Builder
	b.WriteString(testProvider{token: testPipeToken, baseURL: m.PipeBaseURL(), batchRefresh: batch}.String())
	for i, id := range ids {
		fmt.Fprintf(&b, "resource \"pipesolar_project\" \"p%d\" {\n  project_id = %q\n  stage = \"Proposal\"\n}\n", i, id)
	}
	return ids, b.String()
}

// refreshCalls are the calls of one refresh of the three managed projects
// of batchCompany, of which changed are changed or gone: one read each
// without batch_refresh; with it, the listing's two pages and one read per
// changed or gone project.
func refreshCalls(batch bool, changed int) map[string]int {
	if !batch {
		return map[string]int{mockapi.EndpointListProjects: 0, getProject: 3}
	}
	return map[string]int{mockapi.EndpointListProjects: 2, getProject: changed}
}

// The drift, out-of-band change and deletion cases, each with
// batch_refresh off and on: the same plans, and the calls each way.
func TestAccProjectBatch_bothWays(t *testing.T) {
	p := func(i int) string { return fmt.Sprintf("pipesolar_project.p%d", i) }
	scenarios := []struct {
		name string
		// step changes the company (in the app) and plans; changed is how
		// many managed projects it changed or deleted.
		step    func(t *testing.T, m *mockapi.Server, ids []string, before func(), cfg string) resource.TestStep
		changed int
	}{
		{
			name: "drift", changed: 1,
			step: func(t *testing.T, m *mockapi.Server, ids []string, before func(), cfg string) resource.TestStep {
				return resource.TestStep{
					PreConfig:          func() { before(); inApp(t, m, ids[1], stageInApp("Permitting"))() },
					Config:             cfg,
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(p(1), plancheck.ResourceActionUpdate),
						expectPlannedAttr(p(1), "stage", knownvalue.StringExact("Proposal")),
						plancheck.ExpectResourceAction(p(0), plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(p(2), plancheck.ResourceActionNoop),
					}},
				}
			},
		},
		{
			name: "out-of-band change", changed: 1,
			step: func(t *testing.T, m *mockapi.Server, ids []string, before func(), cfg string) resource.TestStep {
				return resource.TestStep{
					PreConfig: func() {
						before()
						inApp(t, m, ids[2], func(p map[string]any) {
							p["ntpGranted"] = true
							p["customer"].(map[string]any)["email"] = "ada.new@example.com"
						})()
					},
					Config:   cfg,
					PlanOnly: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectEmptyPlan(),
						expectPlannedAttr(p(2), "ntp_granted", knownvalue.Bool(true)),
						plancheck.ExpectKnownValue(p(2), tfjsonpath.New("customer").AtMapKey("email"), knownvalue.StringExact("ada.new@example.com")),
					}},
				}
			},
		},
		{
			name: "deletion", changed: 1,
			step: func(t *testing.T, m *mockapi.Server, ids []string, before func(), cfg string) resource.TestStep {
				return stepPlansCreate(func() {
					before()
					if !m.DeleteProject(ids[0]) {
						t.Fatalf("project %s not in the mock", ids[0])
					}
				}, cfg, p(0))
			},
		},
	}
	for _, sc := range scenarios {
		for _, batch := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/batch_refresh=%t", sc.name, batch), func(t *testing.T) {
				m := newTestMock(t)
				ids, cfg := batchCompany(t, m, batch)
				step := sc.step(t, m, ids, countsNow(t, m, refreshCalls(batch, 0)), cfg)
				again := step
				again.PreConfig = countsNow(t, m, refreshCalls(batch, sc.changed))
				testAccParallel(t, []resource.TestStep{
					{Config: cfg},
					stepPlansNothing(m.ResetCounts, cfg),
					step,
					// The same plan again: the calls of the step before.
					again,
				})
			})
		}
	}
}

// Under the API's limit (here scaled down to 5 calls a second, so that the
// provider's default pace of 100 a minute does not keep under it), with
// default settings: the 429s' Retry-After pauses every call and no
// resource fails; adopting and refreshing eight projects, each way.
func TestAccBudget_rateLimitedDefaults(t *testing.T) {
	for _, batch := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch_refresh=%t", batch), func(t *testing.T) {
			m := newTestMock(t)
			var b strings.Builder
			b.WriteString(testProvider{token: testPipeToken, baseURL: m.PipeBaseURL(), batchRefresh: batch}.String())
			for i := range 8 {
				fmt.Fprintf(&b, "resource \"pipesolar_project\" \"p%d\" {\n  project_id = %q\n}\n", i, seedProject(t, m))
			}
			cfg := b.String()
			m.SetRateLimit(mockapi.RateLimit{Calls: 5, Window: time.Second})
			testAccParallel(t, []resource.TestStep{
				{Config: cfg},
				stepPlansNothing(nil, cfg),
				{
					PreConfig: func() {
						if m.RateLimited() == 0 {
							t.Error("the mock refused no call: the test did not reach the limit")
						}
					},
					Config:   cfg,
					PlanOnly: true,
				},
			})
		})
	}
}

// A listing that fails (here a 403 on GET /projects) leaves every read to
// GET /projects/{id}: the same empty plan, no error.
func TestAccProjectBatch_listingFails(t *testing.T) {
	m := newTestMock(t)
	_, cfg := batchCompany(t, m, true)
	testAccParallel(t, []resource.TestStep{
		{Config: cfg},
		stepPlansNothing(func() {
			m.SetFaults(mockapi.Faults{Status: 403, Code: "forbidden", Endpoints: []string{mockapi.EndpointListProjects}})
			m.ResetCounts()
		}, cfg),
		{
			PreConfig: countsNow(t, m, map[string]int{mockapi.EndpointListProjects: 1, getProject: 3}),
			Config:    cfg,
			PlanOnly:  true,
		},
	})
}
