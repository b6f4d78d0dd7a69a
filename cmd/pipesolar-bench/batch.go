package main

import (
	"fmt"
	"log"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// batchOrg holds the projects of the batch benchmark (f) and nothing else,
// so its listing is exactly their pages.
const batchOrg = "bench-batch"

// batchLatency is the latency of (f)'s second condition, on every response.
const batchLatency = 50 * time.Millisecond

// batchResult is (f) in one condition, with batch_refresh off or on.
type batchResult struct {
	Condition    string
	Batch        bool
	Wall         time.Duration
	ProviderCPU  time.Duration
	FetchProject int // fetch_project requests, refused ones included
	ListOrg      int // fetch_all_project requests, refused ones included
	Refused      int // requests the rate limit answered 429
	Runs         int // the median of this many runs
	// Minimum is the window-limited minimum of the calls processed under
	// the rate limit; zero in the other conditions.
	Minimum time.Duration
}

func (r batchResult) calls() int { return r.FetchProject + r.ListOrg }

// batchCondition is one of (f)'s conditions: set arranges the mock before
// each run, reset undoes it.
type batchCondition struct {
	name       string
	set, reset func()
	runs       int
	rateLimit  bool
}

// batchProviderBlock is providerBlock with batch_refresh set to on.
func batchProviderBlock(on bool) string {
	return strings.Replace(providerBlock, `provider "pipesolar" {}`,
		fmt.Sprintf("provider \"pipesolar\" {\n  batch_refresh = %t\n}", on), 1)
}

// batchRefresh measures (f): terraform plan (refresh and plan of an
// unchanged configuration) of n projects of one org with batch_refresh off
// and on, with no latency, with batchLatency on every response, and under
// the mock's fixed window of limit calls per window (one run: a run without
// batch_refresh waits for the windows).
func (b *bench) batchRefresh(n, limit int, window time.Duration) []batchResult {
	a := b.applyProjectsOf("batch", batchOrg, n)
	log.Printf("  applied %d projects of org %s in %s", n, batchOrg, a.Wall.Round(time.Millisecond))
	d := filepath.Join(b.work, "batch")

	none := func() {}
	conditions := []batchCondition{
		{name: "no latency", set: none, reset: none, runs: b.runs},
		{name: fmt.Sprintf("%d ms latency on every response", batchLatency.Milliseconds()),
			set:   func() { b.mock.SetFaults(mockapi.Faults{Latency: batchLatency}) },
			reset: func() { b.mock.SetFaults(mockapi.Faults{}) }, runs: b.runs},
		{name: fmt.Sprintf("rate limit of %d calls per %s", limit, window),
			set:   func() { b.mock.SetRateLimit(mockapi.RateLimit{Limit: limit, Window: window}) },
			reset: func() { b.mock.SetRateLimit(mockapi.RateLimit{}) }, runs: 1, rateLimit: true},
	}
	var results []batchResult
	for _, c := range conditions {
		for _, on := range []bool{false, true} {
			b.dir("batch", projectsConfig(batchProviderBlock(on), batchOrg, n))
			var runs []batchResult
			for range c.runs {
				c.set() // a fresh rate-limit window and refusal count per run
				b.mock.ResetCounts()
				r := b.terraform(d, "plan", "-detailed-exitcode", "-lock=false")
				br := batchResult{Condition: c.name, Batch: on, Wall: r.Wall, ProviderCPU: r.ProviderCPU,
					FetchProject: b.mock.Count(mockapi.EndpointFetchProject), ListOrg: b.mock.Count(mockapi.EndpointListOrg),
					Refused: b.mock.RateLimited()}
				c.reset()
				if c.rateLimit {
					br.Minimum = windowMinimum(total(b.mock.Counts())-br.Refused, limit, window)
				}
				if on && br.ListOrg == 0 {
					fatalf("(f) batch_refresh = true made no fetch_all_project request (%d fetch_project): the provider's Read does not use the org listing", br.FetchProject)
				}
				runs = append(runs, br)
			}
			r := medianBatch(runs)
			log.Printf("  %-44s batch_refresh=%-5t %9s  fetch_project=%-5d fetch_all_project=%-3d refused=%-4d provider cpu %s (median of %d)",
				r.Condition, r.Batch, r.Wall.Round(time.Millisecond), r.FetchProject, r.ListOrg, r.Refused,
				r.ProviderCPU.Round(10*time.Millisecond), r.Runs)
			results = append(results, r)
		}
	}
	return results
}

// medianBatch returns the run with the median wall time.
func medianBatch(runs []batchResult) batchResult {
	sort.Slice(runs, func(i, j int) bool { return runs[i].Wall < runs[j].Wall })
	r := runs[len(runs)/2]
	r.Runs = len(runs)
	return r
}

const (
	batchBegin = "<!-- batch-refresh:begin (written by make bench) -->"
	batchEnd   = "<!-- batch-refresh:end -->"
)

// batchSection is the performance guide's batch_refresh section. results
// come in pairs, off then on, per condition.
func batchSection(results []batchResult, n, runs, limit int, window time.Duration, date string) string {
	round := func(d time.Duration) string { return d.Round(10 * time.Millisecond).String() }
	var b strings.Builder
	b.WriteString(batchBegin + "\n## Refresh from org listings (batch_refresh)\n\n")
	fmt.Fprintf(&b, "Measured on %s: `terraform plan` (refresh, then a plan of the unchanged configuration: no changes) "+
		"of %d `pipesolar_project` of one org, `-parallelism=10`, with `batch_refresh = false` and then `true` in the provider "+
		"block. The calls are counted by the mock, refused ones included. Three conditions: the mock answering in microseconds; "+
		"%d ms of latency on every response; and the mock's fixed window of %d pipe.solar calls per %s "+
		"(Bubble's per-minute budget, 1,000 a minute on the default plan, scaled down as in [Under a rate limit](#under-a-rate-limit) "+
		"to keep the run short). Wall times are the median of %d runs, except under the rate limit (one run).\n\n",
		date, n, batchLatency.Milliseconds(), limit, window, runs)
	if la := loadAverage(); la != "" {
		fmt.Fprintf(&b, "Load average when the run ended: %s (on %d cores): other work on the machine slows every run "+
			"alike, so compare the rows with each other, not with the figures above.\n\n", la, runtime.NumCPU())
	}
	b.WriteString("| condition | batch_refresh | fetch_project | fetch_all_project | refused (429) | wall time | provider CPU |\n" +
		"|---|---|---:|---:|---:|---:|---:|\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %t | %d | %d | %d | %s | %s |\n", r.Condition, r.Batch, r.FetchProject, r.ListOrg, r.Refused,
			round(r.Wall), round(r.ProviderCPU))
	}
	b.WriteString("\n")
	for i := 0; i+1 < len(results); i += 2 {
		off, on := results[i], results[i+1]
		fmt.Fprintf(&b, "- **%s:** %d calls instead of %d; %s instead of %s (%.2f× the time)", on.Condition,
			on.calls(), off.calls(), round(on.Wall), round(off.Wall), float64(on.Wall)/float64(off.Wall))
		if off.Minimum > 0 {
			fmt.Fprintf(&b, ". Without batch_refresh the window allows the %d calls no less than %s",
				off.calls()-off.Refused, off.Minimum)
		}
		b.WriteString(".\n")
	}
	pages := (n + 49) / 50
	fmt.Fprintf(&b, "\nWithout a rate limit, most of the plan's time on this machine is CPU work (Terraform's and the "+
		"provider's; see (a) and (b)). Latency adds waiting: without batch_refresh about %d × %d ms ÷ 10 = %s of reads "+
		"spread over the plan (`-parallelism=10`); with it, a read waits for the page its project is on, and the %d pages "+
		"take about %s (from the third page on, up to 4 are requested at a time). With no latency at all the two ways "+
		"take the same time within this machine's noise. So batch_refresh saves calls everywhere, and saves time wherever "+
		"calls cost time: a per-minute budget, or real network latency.\n",
		n, batchLatency.Milliseconds(), round(time.Duration(n)*batchLatency/10),
		pages, round(time.Duration(2+(max(pages-2, 0)+3)/4)*batchLatency))
	fmt.Fprintf(&b, "\nAt Bubble's real 1,000 calls a minute, a refresh of %d projects without batch_refresh needs %d calls of "+
		"the budget on its own; with it, about %d.\n\n", n, n, (n+49)/50)
	b.WriteString("**Rule of thumb.** With `batch_refresh`, a refresh costs one listing of every org it touches, however " +
		"few of that org's projects the configuration holds: ⌈org size ÷ 50⌉ calls (pages of 50) plus up to 2, and one " +
		"`fetch_project` more for each project the listing lacks (deleted or moved to another org). Without it, a refresh " +
		"costs one `fetch_project` per project. So it pays when a configuration manages a good share of its orgs' projects, " +
		"and it does not pay for a handful of projects in a huge org: 5 projects of an org of 10,000 cost at least 200 listing " +
		"calls instead of 5. Turn it on when, for the orgs in the configuration, " +
		"the projects refreshed outnumber ⌈org size ÷ 50⌉ + 2. Plans are the same either way.\n" + batchEnd + "\n")
	return b.String()
}
