package main

import (
	"strings"
	"testing"
	"time"
)

// TestBatchSection: (d), (e) and (f) in the guide, with the cheaper way of
// the large company named from the calls, not assumed.
func TestBatchSection(t *testing.T) {
	t.Parallel()
	run := func(name string, batch bool, company, lists, reads int, free, limited, minimum time.Duration, refused int) batchRun {
		return batchRun{Name: name, Batch: batch, Managed: 1000, Company: company, Lists: lists, Reads: reads,
			Free: result{Wall: free}, Limited: result{Wall: limited}, Minimum: minimum, LimitedCalls: lists + reads, Refused: refused}
	}
	f := batchFigures{Managed: 1000, Company: 5000, Window: 5 * time.Second, Runs: []batchRun{
		run("1000 of 1000, none changed, batch_refresh = true", true, 1000, 10, 0, 10*time.Second, 10*time.Second, 10*time.Second, 0),
		run("1000 of 1000, none changed, batch_refresh = false", false, 1000, 0, 1000, 12*time.Second, 50*time.Second, 48*time.Second, 2),
		run("1000 of 5000, none changed, batch_refresh = true", true, 5000, 50, 0, 11*time.Second, 11*time.Second, 11*time.Second, 0),
		run("1000 of 5000, none changed, batch_refresh = false", false, 5000, 0, 1000, 12*time.Second, 0, 0, 0),
	}, Leads: leadRun{N: 1000, On: result{Wall: 9 * time.Second, Calls: 10}, Off: result{Wall: 11 * time.Second, Calls: 1000}}}
	var b strings.Builder
	batchSection(&b, f)
	s := b.String()
	for _, want := range []string{
		"| 1000 of 1000, none changed, batch_refresh = false | 0 | 1000 | 12s | 50s | 48s | 1.04× | 2 of 1002 (0.2 %) |",
		"| 1000 of 5000, none changed, batch_refresh = false | 0 | 1000 | 12s | - | - | - | - |",
		"1000 managed projects in a company of 5000: 50 calls with the listing, 1000 with one read each; the listing is cheaper",
		"The two ways cost the same at 50 managed projects in that company.",
		"a refresh of 1000 managed leads costs 10 calls with `batch_refresh`",
		"every refresh took at most **1.04×** its budget's minimum",
		"at most 0.2 % of its calls were refused",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("section lacks %q:\n%s", want, s)
		}
	}
	var none strings.Builder
	batchSection(&none, batchFigures{})
	if none.Len() != 0 {
		t.Errorf("a run without (d) writes %q, want nothing", none.String())
	}
}
