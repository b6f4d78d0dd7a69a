package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// (d) and (e): batch_refresh at a company's scale, and under the API's own
// limit.
//
//	(d) terraform plan (refresh) of M managed projects in a company of M:
//	    none changed, then 10 changed; and M managed in a company of C
//	    (-batch-company); each with batch_refresh on and off. The listing
//	    costs ceil(company/100) calls plus one read per changed project;
//	    without it, one read per managed project.
//	(e) the same refreshes, and the one with batch_refresh off, under the
//	    mock's limit of 100 calls per -window with Retry-After, the
//	    provider at its default pace (told the window through
//	    PIPESOLAR_RATE_WINDOW): the time against the budget's minimum, and
//	    the calls refused.

// limitCalls is v1's limit per window.
const limitCalls = pipesolar.DefaultCallsPerMinute

// changedN is how many managed projects (d)'s second refresh finds changed.
const changedN = 10

// batchRun is one refresh of (d), and the same under the limit (e).
type batchRun struct {
	Name                     string
	Batch                    bool
	Managed, Company, Change int
	Free                     result        // (d): no limit, requests_per_second = 100000
	Lists, Reads             int           // (d)'s calls
	wantLists, wantReads     int           // what they must be
	Limited                  result        // (e): under the limit, default pace; zero when not run
	LimitedCalls, Refused    int           // (e)'s calls answered and refused
	Minimum                  time.Duration // (e)'s least possible time
	// Span is (e)'s time from its first call to its last: at least
	// (ceil(calls/100) - 1) windows, whatever the machine's load.
	Span time.Duration
}

// MinSpan is the least span of (e)'s calls: the windows they need.
func (r batchRun) MinSpan(window time.Duration) time.Duration {
	return time.Duration((r.Lists+r.Reads+limitCalls-1)/limitCalls-1) * window
}

// Ratio is (e)'s time against the budget's minimum.
func (r batchRun) Ratio() float64 { return ratio(r.Limited.Wall, r.Minimum) }

// batchFigures is (d) and (e).
type batchFigures struct {
	Managed, Company int
	Window           time.Duration
	Runs             []batchRun
	Leads            leadRun
}

// limitedBlock is the provider block of (e): the default pace.
func limitedBlock(batch bool) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    pipesolar = { source = "pipesolar/pipesolar" }
  }
}
provider "pipesolar" {
  batch_refresh = %t
}
`, batch)
}

// batchTarget is a company in a mock of its own with managed of its
// projects adopted in working directory dir.
type batchTarget struct {
	target
	dir     string
	managed []string
	calls   *callSpan
}

// callSpan records when the first and the last call of a run reached the
// mock.
type callSpan struct {
	mu          sync.Mutex
	first, last time.Time
}

func (c *callSpan) logf(string, ...any) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.first.IsZero() {
		c.first = now
	}
	c.last = now
}

func (c *callSpan) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.first, c.last = time.Time{}, time.Time{}
}

func (c *callSpan) span() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last.Sub(c.first)
}

// batchCompany seeds company projects and adopts managed of them, spread
// over the whole listing.
func (b *bench) batchCompany(dir string, managed, company int) batchTarget {
	calls := &callSpan{}
	t := b.newTargetWith(mockapi.Config{Logf: calls.logf})
	ids := t.mock.SeedRandomProjects(company)
	if len(ids) != company {
		fatalf("the mock seeded %d projects, want %d", len(ids), company)
	}
	picked := make([]string, 0, managed)
	for i := range managed {
		picked = append(picked, ids[i*company/managed])
	}
	d := b.writeConfig(dir, adoptedConfig(providerBlock(false), managed))
	check(os.WriteFile(filepath.Join(d, "ids.json"), []byte(`["`+strings.Join(picked, `","`)+`"]`), 0o600))
	t.mock.ResetCounts()
	r := b.terraform(t, d, nil, "apply", "-auto-approve", "-parallelism=10")
	log.Printf("  adopted %d of %d projects in %s (%d calls)", managed, company, r.Wall.Round(time.Millisecond), r.Calls)
	return batchTarget{target: t, dir: dir, managed: picked, calls: calls}
}

// limitedRun is one run under the mock's limit: its result, the calls
// answered and refused, the time from its first call to its last and the
// budget's minimum for them.
type limitedRun struct {
	r                 result
	answered, refused int
	span, minimum     time.Duration
}

// refresh runs (d)'s plan in t's directory with batch_refresh as given and
// checks its calls: lists listing pages and reads project reads, exactly.
// With limited it runs (e) too, each run right after one of (d), so that
// the machine's load weighs on both alike. Each is run b.runs times; the
// medians are kept.
func (b *bench) refresh(br *batchRun, t batchTarget, limited bool, window time.Duration) {
	dir := filepath.Join(b.work, t.dir)
	env := []string{pipesolar.EnvRateWindow + "=" + window.String()}
	calls := br.wantLists + br.wantReads
	var free []result
	var lim []limitedRun
	for range b.runs {
		b.writeConfig(t.dir, adoptedConfig(providerBlock(br.Batch), len(t.managed)))
		t.mock.SetRateLimit(mockapi.RateLimit{})
		t.mock.ResetCounts()
		t.calls.reset()
		began := time.Now()
		r := b.terraform(t.target, dir, nil, "plan", "-detailed-exitcode", "-lock=false")
		counts := t.mock.Counts()
		if w := writes(counts); w != "" {
			fatalf("terraform plan in %s wrote to the API: %s", t.dir, w)
		}
		br.Lists, br.Reads = counts[mockapi.EndpointListProjects], counts[mockapi.EndpointGetProject]
		if br.Lists != br.wantLists || br.Reads != br.wantReads || r.Calls != calls {
			fatalf("refresh in %s (batch_refresh = %t) made %d listing calls and %d project reads (%d calls in all), want %d and %d",
				t.dir, br.Batch, br.Lists, br.Reads, r.Calls, br.wantLists, br.wantReads)
		}
		free = append(free, r)
		if !limited {
			continue
		}
		// The least time the same run can take under the limit: its
		// time before the first call and after the last, and between
		// them the windows its calls need plus its own time for the last
		// window's share of them (or its own span, when longer).
		t.calls.mu.Lock()
		before, span, after := t.calls.first.Sub(began), t.calls.last.Sub(t.calls.first), began.Add(r.Wall).Sub(t.calls.last)
		t.calls.mu.Unlock()
		minimum := budgetMinimum(before, span, after, calls, window)

		// A new limit: every key's window starts afresh, as for a
		// nightly job whose key nobody else used for a while.
		b.writeConfig(t.dir, adoptedConfig(limitedBlock(br.Batch), len(t.managed)))
		t.mock.SetRateLimit(mockapi.RateLimit{Calls: limitCalls, Window: window})
		t.mock.ResetCounts()
		t.calls.reset()
		r = b.terraform(t.target, dir, env, "plan", "-detailed-exitcode", "-lock=false")
		if w := writes(t.mock.Counts()); w != "" {
			fatalf("terraform plan in %s wrote to the API: %s", t.dir, w)
		}
		refused := t.mock.RateLimited()
		if r.Calls-refused != calls {
			fatalf("refresh in %s (batch_refresh = %t) under the limit made %d calls (%d refused), want %d answered",
				t.dir, br.Batch, r.Calls, refused, calls)
		}
		lim = append(lim, limitedRun{r, r.Calls - refused, refused, t.calls.span(), minimum})
	}
	t.mock.SetRateLimit(mockapi.RateLimit{})
	br.Free = median(free)
	if !limited {
		return
	}
	// The run of the median ratio.
	sort.Slice(lim, func(i, j int) bool {
		return ratio(lim[i].r.Wall, lim[i].minimum) < ratio(lim[j].r.Wall, lim[j].minimum)
	})
	m := lim[len(lim)/2]
	br.Limited, br.LimitedCalls, br.Refused, br.Span, br.Minimum = m.r, m.answered, m.refused, m.span, m.minimum
	br.Limited.Runs = len(lim)
}

// runBatch runs (d) and (e).
func (b *bench) runBatch(managed, company int, window time.Duration) batchFigures {
	f := batchFigures{Managed: managed, Company: company, Window: window}
	pages := func(n int) int { return (n + pageSize - 1) / pageSize }
	run := func(t batchTarget, batch bool, company, changed int, limited bool) {
		br := batchRun{Batch: batch, Managed: managed, Company: company, Change: changed, wantReads: managed}
		br.Name = fmt.Sprintf("%d of %d, %s, batch_refresh = %t", managed, company, "none changed", batch)
		if changed > 0 {
			br.Name = fmt.Sprintf("%d of %d, %d changed, batch_refresh = %t", managed, company, changed, batch)
		}
		if batch {
			br.wantLists, br.wantReads = pages(company), changed
		}
		b.refresh(&br, t, limited, window)
		log.Printf("  %-52s %9s  lists=%-3d reads=%-5d  limited: %9s (%.2fx of %s), calls over %s (least %s), %d answered, %d refused",
			br.Name, br.Free.Wall.Round(time.Millisecond), br.Lists, br.Reads, br.Limited.Wall.Round(time.Millisecond),
			br.Ratio(), br.Minimum.Round(time.Millisecond), br.Span.Round(time.Millisecond), br.MinSpan(window), br.LimitedCalls, br.Refused)
		f.Runs = append(f.Runs, br)
	}

	log.Printf("==> (d)/(e) refresh of %d managed projects in a company of %d, and under %d calls per %s", managed, managed, limitCalls, window)
	a := b.batchCompany("batch-a", managed, managed)
	defer a.mock.Close()
	run(a, true, managed, 0, true)
	run(a, false, managed, 0, true)
	for i := range changedN {
		// Changed in the app, in a value the configuration does not
		// manage: the plan stays empty, the state takes the new value.
		a.mock.EditProject(a.managed[i*len(a.managed)/changedN], func(p map[string]any) { p["ntpGranted"] = true })
	}
	run(a, true, managed, changedN, true)

	log.Printf("==> (d)/(e) refresh of %d managed projects in a company of %d", managed, company)
	c := b.batchCompany("batch-c", managed, company)
	run(c, true, company, 0, true)
	run(c, false, company, 0, false)
	c.mock.Close()

	f.Leads = b.runLeads(managed)
	return f
}

// leadsConfig manages n leads (made by the first apply) after provider.
func leadsConfig(provider string, n int) string {
	return provider + fmt.Sprintf(`
resource "pipesolar_lead" "l" {
  count       = %d
  first_name  = "Lead"
  last_name   = "Number ${count.index}"
  external_id = "bench-${count.index}"
  address = {
    line1       = "${count.index + 1} Main St"
    city        = "Sunville"
    state       = "CA"
    postal_code = "90210"
  }
}
`, n)
}

// leadRun is (f): a refresh of n managed leads, the company's only ones.
type leadRun struct {
	N            int
	On, Off      result
	Lists, Reads int // calls of On
}

// runLeads runs (f): n leads made by one apply, then the refresh plan with
// batch_refresh on (the lead listing: ceil(n/100) calls, no read) and off
// (one GET /leads/{id} each).
func (b *bench) runLeads(n int) leadRun {
	log.Printf("==> (f) refresh of %d managed leads", n)
	t := b.newTarget()
	defer t.mock.Close()
	d := b.writeConfig("leads", leadsConfig(providerBlock(false), n))
	r := b.terraform(t, d, nil, "apply", "-auto-approve", "-parallelism=10")
	log.Printf("  made %d leads in %s (%d calls)", n, r.Wall.Round(time.Millisecond), r.Calls)
	lr := leadRun{N: n}
	plan := func(batch bool, lists, reads int) result {
		b.writeConfig("leads", leadsConfig(providerBlock(batch), n))
		var runs []result
		for range b.runs {
			t.mock.ResetCounts()
			r := b.terraform(t, d, nil, "plan", "-detailed-exitcode", "-lock=false")
			counts := t.mock.Counts()
			gotLists, gotReads := counts[mockapi.EndpointListLeads], counts[mockapi.EndpointGetLead]
			if gotLists != lists || gotReads != reads || r.Calls != lists+reads {
				fatalf("refresh of %d leads (batch_refresh = %t) made %d listing calls and %d lead reads (%d calls in all), want %d and %d",
					n, batch, gotLists, gotReads, r.Calls, lists, reads)
			}
			runs = append(runs, r)
		}
		return median(runs)
	}
	lr.Lists = (n + pageSize - 1) / pageSize
	lr.On = plan(true, lr.Lists, 0)
	lr.Off = plan(false, 0, n)
	log.Printf("  %d leads: batch_refresh = true %s, %d calls; false %s, %d calls", n,
		lr.On.Wall.Round(time.Millisecond), lr.On.Calls, lr.Off.Wall.Round(time.Millisecond), lr.Off.Calls)
	return lr
}
