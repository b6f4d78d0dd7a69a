package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// rateResult is one run against the mock's fixed-window rate limit.
type rateResult struct {
	Name      string
	Wall      time.Duration
	Processed int // calls the mock processed
	Refused   int // calls it answered 429
	Minimum   time.Duration
}

func (r rateResult) ratio() float64 { return float64(r.Wall) / float64(r.Minimum) }

func (r rateResult) refusedShare() float64 {
	return float64(r.Refused) / float64(r.Processed+r.Refused)
}

// windowMinimum is the least time n calls need under limit calls per
// window when the first window opens with the first call: the last call
// can go at the start of window ceil(n/limit).
func windowMinimum(n, limit int, window time.Duration) time.Duration {
	return time.Duration((n-1)/limit) * window
}

// rateLimited measures (e): creating and then refreshing n projects under a
// fixed window of limit calls per window (Bubble's calls per minute, scaled
// down so the benchmark stays short), with the provider's default settings.
func (b *bench) rateLimited(n, limit int, window time.Duration) []rateResult {
	run := func(name string, f func() result) rateResult {
		b.mock.SetRateLimit(mockapi.RateLimit{Limit: limit, Window: window})
		r := f()
		refused := b.mock.RateLimited()
		b.mock.SetRateLimit(mockapi.RateLimit{})
		processed := r.Calls - refused
		rr := rateResult{Name: name, Wall: r.Wall, Processed: processed, Refused: refused,
			Minimum: windowMinimum(processed, limit, window)}
		log.Printf("  %-58s %9s  window-limited minimum %s (%.2fx); %d calls processed, %d refused (%.1f%%)",
			rr.Name, rr.Wall.Round(time.Millisecond), rr.Minimum, rr.ratio(), rr.Processed, rr.Refused, 100*rr.refusedShare())
		return rr
	}
	create := run(fmt.Sprintf("(e) apply of %d pipesolar_project", n), func() result { return b.applyProjects("ratelimit", n) })
	refresh := run(fmt.Sprintf("(e) plan (refresh) of %d pipesolar_project", n), func() result {
		b.mock.ResetCounts()
		r := b.terraform(filepath.Join(b.work, "ratelimit"), "plan", "-detailed-exitcode", "-lock=false")
		r.Calls = total(b.mock.Counts())
		return r
	})
	return []rateResult{create, refresh}
}

const (
	rateBegin = "<!-- rate-limit:begin (written by make bench) -->"
	rateEnd   = "<!-- rate-limit:end -->"
)

// rateSection is the performance guide's rate-limit section.
func rateSection(results []rateResult, limit int, window time.Duration) string {
	var b strings.Builder
	b.WriteString(rateBegin + "\n## Under a rate limit\n\n")
	fmt.Fprintf(&b, "Measured on %s: the mock's fixed window of %d pipe.solar calls per %s "+
		"(Bubble's 1,000 a minute, scaled down to keep the benchmark short; 429 with a Bubble body and no `Retry-After`), "+
		"default provider settings, `-parallelism=10`. The window-limited minimum is the time the calls need "+
		"if every window is used to the last call: (calls − 1) ÷ %d windows of %s.\n\n", time.Now().UTC().Format("2006-01-02"), limit, window, limit, window)
	if la := loadAverage(); la != "" {
		fmt.Fprintf(&b, "Load average when the run ended: %s (on %d cores). A wall time far above the minimum with no refused "+
			"calls means the provider and Terraform could not keep up with the limit on this machine, not that the client waited.\n\n",
			la, runtime.NumCPU())
	}
	b.WriteString("| benchmark | wall time | window-limited minimum | ratio | calls processed | calls refused (429) |\n|---|---:|---:|---:|---:|---:|\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %s | %s | %.2f× | %d | %d (%.1f %%) |\n", r.Name, r.Wall.Round(10*time.Millisecond), r.Minimum,
			r.ratio(), r.Processed, r.Refused, 100*r.refusedShare())
	}
	b.WriteString("\nThe target is at most 1.2× the minimum with at most 10 % of the calls refused. Each Terraform run " +
		"starts a new provider process, which learns the limit afresh: most refusals are the calls in flight when " +
		"the first two windows run out, plus the single probe calls that find each window's reset. " +
		"See the [reliability guide](reliability.md#rate-limits) for how the budget works and what to set.\n" + rateEnd + "\n")
	return b.String()
}

// loadAverage is the 1, 5 and 15 minute load averages, "" when unknown.
func loadAverage() string {
	la, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(la)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return ""
}

// spliceSection replaces the part of the template at path between begin
// and end (markers included) with section, or inserts section before
// "## More" when the template has no such part, leaving the rest as it is.
func spliceSection(path, begin, end, section string) {
	raw, err := os.ReadFile(path)
	check(err)
	check(os.WriteFile(path, []byte(splice(string(raw), begin, end, section)), 0o644))
}

func splice(s, begin, end, section string) string {
	if i, j := strings.Index(s, begin), strings.Index(s, end); i >= 0 && j > i {
		return s[:i] + strings.TrimSuffix(section, "\n") + s[j+len(end):]
	}
	if k := strings.Index(s, "## More"); k >= 0 {
		return s[:k] + section + "\n" + s[k:]
	}
	return s + "\n" + section
}
