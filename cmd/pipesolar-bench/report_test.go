package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestReportTemplateMatchesTheGuide guards the prose of the performance
// guide: make bench rewrites templates/guides/performance.md.tmpl from
// perfTemplate, so text edited only in the guide's template would be undone
// by the next bench run, and text removed only there would come back.
func TestReportTemplateMatchesTheGuide(t *testing.T) {
	committed, err := os.ReadFile("../../templates/guides/performance.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	// The rate-limit and batch_refresh sections are written by make bench
	// -only ratelimit and -only batch between their markers; they are not
	// perfTemplate's prose.
	text := string(committed)
	for _, m := range [][2]string{{rateBegin, rateEnd}, {batchBegin, batchEnd}} {
		if i, j := strings.Index(text, m[0]), strings.Index(text, m[1]); i >= 0 && j > i {
			text = text[:i] + text[j+len(m[1]):]
		}
	}
	guide := strings.Split(text, "\n")

	// Every line of perfTemplate without template actions is in the guide,
	// in the same order.
	i := 0
	for _, want := range strings.Split(perfTemplate, "\n") {
		if strings.Contains(want, "[[") {
			continue
		}
		for i < len(guide) && guide[i] != want {
			i++
		}
		if i == len(guide) {
			t.Fatalf("perfTemplate line %q is not in the guide's template (in this order): edit both, or run make bench", want)
		}
		i++
	}
	// And the guide has no section perfTemplate lacks.
	for _, line := range guide {
		if strings.HasPrefix(line, "#") && !strings.Contains(perfTemplate, "\n"+line+"\n") {
			t.Errorf("the guide's template has a section %q that perfTemplate lacks: make bench would remove it", line)
		}
	}
}

// TestSpliceReplacesOnlyItsSection: -only ratelimit and -only batch each
// rewrite their own marked section and leave the rest of the guide alone;
// a section the guide lacks goes before "## More".
func TestSpliceReplacesOnlyItsSection(t *testing.T) {
	rate := func(v string) string { return rateBegin + "\n## Under a rate limit\n\n" + v + "\n" + rateEnd + "\n" }
	batch := func(v string) string {
		return batchBegin + "\n## Refresh from org listings (batch_refresh)\n\n" + v + "\n" + batchEnd + "\n"
	}
	head, more := "# Performance\n\nprose\n\n", "## More\n\nend\n"

	// Inserted before ## More when missing, then replaced in place.
	got := splice(head+rate("old rate")+"\n"+more, batchBegin, batchEnd, batch("first"))
	if want := head + rate("old rate") + "\n" + batch("first") + "\n" + more; got != want {
		t.Fatalf("insert:\n%s\nwant:\n%s", got, want)
	}
	got = splice(got, batchBegin, batchEnd, batch("second"))
	if want := head + rate("old rate") + "\n" + batch("second") + "\n" + more; got != want {
		t.Fatalf("replace batch:\n%s\nwant:\n%s", got, want)
	}
	got = splice(got, rateBegin, rateEnd, rate("new rate"))
	if want := head + rate("new rate") + "\n" + batch("second") + "\n" + more; got != want {
		t.Fatalf("replace rate:\n%s\nwant:\n%s", got, want)
	}
}

// TestBatchSection: the section is marked, has its heading, one row per
// condition and setting, the comparison and the rule of thumb.
func TestBatchSection(t *testing.T) {
	results := []batchResult{
		{Condition: "no latency", Wall: 12 * time.Second, FetchProject: 1000, Runs: 3},
		{Condition: "no latency", Batch: true, Wall: 8 * time.Second, ListOrg: 20, Runs: 3},
		{Condition: "rate limit of 100 calls per 10s", Wall: 95 * time.Second, FetchProject: 1040, Refused: 40,
			Minimum: 90 * time.Second, Runs: 1},
		{Condition: "rate limit of 100 calls per 10s", Batch: true, Wall: 9 * time.Second, ListOrg: 20, Runs: 1},
	}
	s := batchSection(results, 1000, 3, 100, 10*time.Second, "2026-12-01")
	if !strings.HasPrefix(s, batchBegin+"\n## Refresh from org listings (batch_refresh)\n") || !strings.HasSuffix(s, batchEnd+"\n") {
		t.Fatalf("section not between its markers with its heading:\n%s", s)
	}
	if strings.Count(s, "\n## ") != 1 {
		t.Errorf("section has more than one heading:\n%s", s)
	}
	for _, want := range []string{
		"| no latency | false | 1000 | 0 | 0 | 12s |",
		"| no latency | true | 0 | 20 | 0 | 8s |",
		"| rate limit of 100 calls per 10s | false | 1040 | 0 | 40 | 1m35s |",
		"- **no latency:** 20 calls instead of 1000; 8s instead of 12s (0.67× the time).",
		"window allows the 1000 calls no less than 1m30s.",
		"median of 3 runs",
		"one listing of every org it touches",
		"⌈org size ÷ 50⌉ calls (pages of 50) plus up to 2",
		"does not pay for a handful of projects in a huge org",
		"about 1000 × 50 ms ÷ 10 = 5s of reads spread over the plan (`-parallelism=10`); with it, a read waits for the page its project is on, and the 20 pages take about 350ms",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("section lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "\n| "); n != 1+len(results) {
		t.Errorf("table has %d rows, want a header and %d:\n%s", n, len(results), s)
	}
}
