package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// The performance guide's template (templates/guides/performance.md.tmpl)
// is prose written by hand, except for the lines between these markers,
// which make bench rewrites.
const (
	sectionBegin = "<!-- bench:begin (written by make bench) -->"
	sectionEnd   = "<!-- bench:end -->"
)

// figures is everything one bench run measured.
type figures struct {
	Date, Machine, LoadAverage string
	Cores, N, ListN, Runs      int
	Results                    []result
	// Off and On are (a) with batch_refresh off and on, Base its
	// terraform_data floor; B10 and B30 are (b) at -parallelism=10 and 30;
	// C is (c).
	Off, On, Base, B10, B30, C result
	// Batch is (d) to (f).
	Batch batchFigures
	// Stage is (g); N 0 when not run.
	Stage stageRun
}

// section is the text make bench writes between the markers, markers
// included.
func section(f figures) string {
	round := func(d time.Duration) string { return d.Round(10 * time.Millisecond).String() }
	dash := func(s string) string {
		if s == "" || s == "0s" {
			return "-"
		}
		return s
	}
	var b strings.Builder
	b.WriteString(sectionBegin + "\n")
	fmt.Fprintf(&b, "Measured on %s: %s. Wall times are the median of %s.", f.Date, f.Machine, plural(f.Runs, "run"))
	if f.LoadAverage != "" {
		fmt.Fprintf(&b, " Load average when the run ended: %s (on %d cores).", f.LoadAverage, f.Cores)
	}
	b.WriteString("\n\n| benchmark | wall time | API calls | provider CPU | Terraform CPU | provider peak memory | largest process peak memory |\n" +
		"|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range f.Results {
		calls := "-"
		if r.Calls > 0 {
			calls = fmt.Sprint(r.Calls)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", r.Name, round(r.Wall), calls, dash(round(r.ProviderCPU)),
			round(r.TerraformCPU), mib(r.PeakRSS), mib(r.MaxRSS))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "- **(a)** refreshing %d adopted projects takes **%.2f×** the time Terraform needs to plan %d "+
		"`terraform_data` resources of 60 attributes each, with exactly one `GET /projects/{id}` per project (%s). "+
		"With `batch_refresh = true` the same plan takes %s and %s: the company's listing in pages of %d, and no "+
		"project read (no project changed since the last refresh).\n",
		f.N, ratio(f.Off.Wall, f.Base.Wall), f.N, plural(f.Off.Calls, "call"), round(f.On.Wall), plural(f.On.Calls, "call"), pageSize)
	fmt.Fprintf(&b, "- **(b)** %d ms of latency on each of the %d reads would cost %s if the reads ran one after another. "+
		"The plan takes %s at `-parallelism=10` and %s at `-parallelism=30`, against %s without latency.\n",
		latency.Milliseconds(), f.N, round(time.Duration(f.N)*latency), round(f.B10.Wall), round(f.B30.Wall), round(f.Off.Wall))
	fmt.Fprintf(&b, "- **(c)** the data source reads %d projects in %s (pages of %d); the provider needs %s of CPU "+
		"and %s of memory, Terraform %s of CPU and %s at its peak.\n",
		f.ListN, plural(f.C.Calls, "call"), pageSize, round(f.C.ProviderCPU), mib(f.C.PeakRSS), round(f.C.TerraformCPU), mib(f.C.MaxRSS))
	minutes := (f.Off.Calls + 99) / 100
	fmt.Fprintf(&b, "- At Pipe API v1's 100 calls a minute per key, the refresh of (a) spends %s of the company's budget "+
		"(about %s of it) without `batch_refresh`, and %s with it.\n",
		plural(f.Off.Calls, "call"), plural(minutes, "minute"), plural(f.On.Calls, "call"))
	batchSection(&b, f.Batch)
	stageSection(&b, f.Stage)
	b.WriteString(sectionEnd + "\n")
	return b.String()
}

// batchSection writes (d) and (e): a table and the derived figures.
func batchSection(b *strings.Builder, f batchFigures) {
	if len(f.Runs) == 0 {
		return
	}
	round := func(d time.Duration) string { return d.Round(10 * time.Millisecond).String() }
	fmt.Fprintf(b, "\n**(d) to (f): `batch_refresh` at a company's scale, under the limit, and for leads** (%d calls per %s, scaled down "+
		"from v1's minute; the provider at its default pace, told the window by `PIPESOLAR_RATE_WINDOW`):\n\n", limitCalls, f.Window)
	b.WriteString("| refresh (managed of company) | listing calls | project reads | wall time | under the limit | budget's minimum | ratio | calls refused |\n" +
		"|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range f.Runs {
		limited, minimum, rat, refused := "-", "-", "-", "-"
		if r.Limited.Wall > 0 {
			limited, minimum = round(r.Limited.Wall), round(r.Minimum)
			rat = fmt.Sprintf("%.2f×", r.Ratio())
			refused = fmt.Sprintf("%d of %d (%.1f %%)", r.Refused, r.LimitedCalls+r.Refused, pct(r.Refused, r.LimitedCalls+r.Refused))
		}
		fmt.Fprintf(b, "| %s | %d | %d | %s | %s | %s | %s | %s |\n", r.Name, r.Lists, r.Reads, round(r.Free.Wall), limited, minimum, rat, refused)
	}
	b.WriteString("\n")
	var big, bigOff *batchRun
	worst, worstRefused := 0.0, 0.0
	for i := range f.Runs {
		r := &f.Runs[i]
		if r.Company == f.Company && f.Company != f.Managed {
			if r.Batch {
				big = r
			} else {
				bigOff = r
			}
		}
		if r.Limited.Wall > 0 {
			worst = max(worst, r.Ratio())
			worstRefused = max(worstRefused, pct(r.Refused, r.LimitedCalls+r.Refused))
		}
	}
	fmt.Fprintf(b, "- **(d)** the listing costs ⌈company / %d⌉ calls plus one read per changed or missing project; without "+
		"`batch_refresh` a refresh costs one read per managed project. It is cheaper whenever the managed projects "+
		"outnumber ⌈company / %d⌉ plus the changed ones: about 1 %% of the company.\n", pageSize, pageSize)
	if big != nil && bigOff != nil {
		cheaper := "the listing"
		if bigOff.Lists+bigOff.Reads < big.Lists+big.Reads {
			cheaper = "one read each"
		}
		fmt.Fprintf(b, "- %d managed projects in a company of %d: %d calls with the listing, %d with one read each; %s is cheaper "+
			"in calls (against the local mock, where a call costs microseconds, the plans took %s and %s). The two ways cost the same "+
			"at %d managed projects in that company.\n",
			big.Managed, big.Company, big.Lists+big.Reads, bigOff.Lists+bigOff.Reads, cheaper,
			round(big.Free.Wall), round(bigOff.Free.Wall), big.Lists)
	}
	fmt.Fprintf(b, "- **(e)** under the limit every refresh took at most **%.2f×** its budget's minimum (the unlimited run's time "+
		"before its first call and after its last, and between them the windows its calls need plus the unlimited run's time "+
		"for the last window's share of its calls), and at most %.1f %% of its calls were refused. At v1's real window of a minute, "+
		"the refresh of %d projects one by one needs about %s of the company's budget; with `batch_refresh` it fits in one window.\n",
		worst, worstRefused, f.Managed, plural((f.Managed+limitCalls-1)/limitCalls, "minute"))
	if l := f.Leads; l.N > 0 {
		fmt.Fprintf(b, "- **(f)** a refresh of %d managed leads costs %s with `batch_refresh` (the lead listing's rows are full "+
			"leads: no lead is read by id, changed or not), %s; %s without it, %s.\n",
			l.N, plural(l.On.Calls, "call"), round(l.On.Wall), plural(l.Off.Calls, "call"), round(l.Off.Wall))
	}
}

// stageSection writes (g): one row and what it shows.
func stageSection(b *strings.Builder, r stageRun) {
	if r.N == 0 {
		return
	}
	round := func(d time.Duration) string { return d.Round(10 * time.Millisecond).String() }
	fmt.Fprintf(b, "\n**(g) changing the stage of %d projects in one `terraform apply`** (%d calls per %s, as for (e)):\n\n",
		r.N, limitCalls, r.Window)
	b.WriteString("| apply | project reads | stage moves | wall time | under the limit | budget's minimum | ratio | calls refused |\n" +
		"|---|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| %d projects to stage %q | %d | %d | %s | %s | %s | %.2f× | %d of %d (%.1f %%) |\n\n",
		r.N, r.Stage, r.Reads, r.Moves, round(r.Free.Wall), round(r.Limited.Wall), round(r.Minimum), r.Ratio(),
		r.Refused, r.LimitedCalls+r.Refused, r.RefusedPct())
	fmt.Fprintf(b, "- **(g)** each project costs %s: the refresh's read, the move (`POST /projects/{id}/stage`) and a read back "+
		"(the move changes `updated_at` and `stage_entered_at`). Under the limit the apply took **%.2f×** its budget's minimum "+
		"(computed as for (e)) and %.1f %% of its calls were refused; the target is at most 1.1× and 5 %%. At v1's real window "+
		"of a minute, its %s need about %s of the company's budget.\n",
		plural(r.Calls()/max(r.N, 1), "call"), r.Ratio(), r.RefusedPct(), plural(r.Calls(), "call"),
		plural((r.Calls()+limitCalls-1)/limitCalls, "minute"))
}

func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// plural is n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// loadAverage is the 1, 5 and 15 minute load averages, "" when unknown.
func loadAverage() string {
	la, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(la)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return ""
}

// spliceSection replaces the bench section of the template at path with
// section, leaving every other byte as it is.
func spliceSection(path, section string) {
	raw, err := os.ReadFile(path)
	check(err)
	out, err := splice(string(raw), section)
	if err != nil {
		fatalf("%s: %v", path, err)
	}
	check(os.WriteFile(path, []byte(out), 0o644))
}

// splice replaces the lines from sectionBegin to sectionEnd (markers
// included) with section, or inserts section before the line "## More"
// (else at the end) when s has no markers. Markers out of order, or more
// than one of either, are an error: the guide's prose is not guessed at.
func splice(s, section string) (string, error) {
	nb, ne := strings.Count(s, sectionBegin), strings.Count(s, sectionEnd)
	switch {
	case nb == 1 && ne == 1:
		i, j := strings.Index(s, sectionBegin), strings.Index(s, sectionEnd)
		if j < i {
			return "", fmt.Errorf("%q comes before %q", sectionEnd, sectionBegin)
		}
		rest := strings.TrimPrefix(s[j+len(sectionEnd):], "\n")
		return s[:i] + section + rest, nil
	case nb == 0 && ne == 0:
		if k := strings.Index(s, "\n## More\n"); k >= 0 {
			return s[:k+1] + section + "\n" + s[k+1:], nil
		}
		return strings.TrimSuffix(s, "\n") + "\n\n" + section, nil
	}
	return "", fmt.Errorf("want %q and %q once each, found %d and %d", sectionBegin, sectionEnd, nb, ne)
}
