package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestGuideTemplateHasTheBenchSection: make bench rewrites only the lines
// between the markers of the committed guide template; without them (or
// with two of either) it would insert a second section or stop.
func TestGuideTemplateHasTheBenchSection(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../templates/guides/performance.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(raw)
	if strings.Count(guide, sectionBegin) != 1 || strings.Count(guide, sectionEnd) != 1 ||
		strings.Index(guide, sectionBegin) > strings.Index(guide, sectionEnd) {
		t.Fatalf("templates/guides/performance.md.tmpl must hold %q and then %q, each once, on lines of their own", sectionBegin, sectionEnd)
	}
	out, err := splice(guide, section(sampleFigures()))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(guide, sectionBegin)
	j := strings.Index(guide, sectionEnd) + len(sectionEnd)
	if !strings.HasPrefix(out, guide[:i]) || !strings.HasSuffix(out, guide[j:]) {
		t.Errorf("splicing changed the guide outside its bench section")
	}
}

// TestSplice: the section replaces exactly the marked lines; a template
// without markers gets it before "## More" (or at the end); duplicated or
// reversed markers are refused rather than guessed at.
func TestSplice(t *testing.T) {
	t.Parallel()
	sec := func(v string) string { return sectionBegin + "\n" + v + "\n" + sectionEnd + "\n" }
	head, more := "# Performance\n\nprose\n\n", "\n## More\n\nend\n"

	cases := map[string]struct{ in, want string }{
		"replaced in place":       {head + sec("old figures") + more, head + sec("new") + more},
		"placeholder replaced":    {head + sec("_Not measured yet._") + more, head + sec("new") + more},
		"inserted before ## More": {head + "text\n" + more, head + "text\n\n" + sec("new") + "\n## More\n\nend\n"},
		"appended without More":   {head + "text\n", head + "text\n\n" + sec("new")},
	}
	for name, c := range cases {
		got, err := splice(c.in, sec("new"))
		if err != nil || got != c.want {
			t.Errorf("%s: got (%v)\n%q\nwant\n%q", name, err, got, c.want)
		}
	}
	for name, in := range map[string]string{
		"two begins":     head + sec("a") + sectionBegin + "\n" + more,
		"reversed":       head + sectionEnd + "\nx\n" + sectionBegin + "\n" + more,
		"begin, no end":  head + sectionBegin + "\n" + more,
		"two sections":   head + sec("a") + sec("b") + more,
		"end, no begin:": head + sectionEnd + "\n" + more,
	} {
		if got, err := splice(in, sec("new")); err == nil {
			t.Errorf("%s: accepted:\n%s", name, got)
		}
	}
}

func sampleFigures() figures {
	off := result{Name: "(a) plan (refresh) of 1000 pipesolar_project", Wall: 3 * time.Second, Calls: 1000, ProviderCPU: 1500 * time.Millisecond, TerraformCPU: 2 * time.Second, Runs: 3}
	on := result{Name: "(a) same, batch_refresh = true", Wall: 2500 * time.Millisecond, Calls: 10, Runs: 3}
	base := result{Name: "(a) plan of 1000 terraform_data (60 attributes)", Wall: 2 * time.Second, TerraformCPU: 2 * time.Second, Runs: 3}
	b10 := result{Name: "(b) (a) with 50 ms latency, -parallelism=10", Wall: 6 * time.Second, Calls: 1000, Runs: 3}
	b30 := result{Name: "(b) (a) with 50 ms latency, -parallelism=30", Wall: 3200 * time.Millisecond, Calls: 1000, Runs: 3}
	c := result{Name: "(c) data.pipesolar_projects, 5000 projects", Wall: 9 * time.Second, Calls: 50, PeakRSS: 80 << 20, MaxRSS: 400 << 20, Runs: 3}
	return figures{Date: "2026-12-06", Machine: "Test CPU, 2 cores", LoadAverage: "1.00 0.50 0.20", Cores: 2, N: 1000, ListN: 5000, Runs: 3,
		Results: []result{off, on, base, b10, b30, c}, Off: off, On: on, Base: base, B10: b10, B30: b30, C: c}
}

// TestSection: the section is marked, has no heading of its own, one row
// per benchmark with its counted calls, and the figures derived from them.
func TestSection(t *testing.T) {
	t.Parallel()
	s := section(sampleFigures())
	if !strings.HasPrefix(s, sectionBegin+"\n") || !strings.HasSuffix(s, "\n"+sectionEnd+"\n") {
		t.Fatalf("section not between its markers:\n%s", s)
	}
	if strings.Contains(s, "\n# ") || strings.Contains(s, "\n## ") {
		t.Errorf("section has a heading of level 1 or 2 (the guide's prose owns those):\n%s", s)
	}
	for _, want := range []string{
		"Measured on 2026-12-06: Test CPU, 2 cores. Wall times are the median of 3 runs. Load average when the run ended: 1.00 0.50 0.20 (on 2 cores).",
		"| (a) plan (refresh) of 1000 pipesolar_project | 3s | 1000 | 1.5s | 2s | - | - |",
		"| (a) same, batch_refresh = true | 2.5s | 10 | - |",
		"| (a) plan of 1000 terraform_data (60 attributes) | 2s | - | - | 2s |",
		"| (c) data.pipesolar_projects, 5000 projects | 9s | 50 | - | 0s | 80 MiB | 400 MiB |",
		"takes **1.50×** the time Terraform needs to plan 1000 `terraform_data`",
		"exactly one `GET /projects/{id}` per project (1000 calls)",
		"With `batch_refresh = true` the same plan takes 2.5s and 10 calls: the company's listing in pages of 100",
		"would cost 50s if the reads ran one after another. The plan takes 6s at `-parallelism=10` and 3.2s at `-parallelism=30`, against 3s without latency.",
		"reads 5000 projects in 50 calls (pages of 100)",
		"the refresh of (a) spends 1000 calls of the company's budget (about 10 minutes of it) without `batch_refresh`, and 10 calls with it.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("section lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "\n| "); n != 1+len(sampleFigures().Results) {
		t.Errorf("table has %d rows, want a header and %d:\n%s", n, len(sampleFigures().Results), s)
	}
}
