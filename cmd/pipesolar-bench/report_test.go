package main

import (
	"os"
	"strings"
	"testing"
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
	// The rate-limit section is written by make bench -only ratelimit
	// between its markers; it is not perfTemplate's prose.
	text := string(committed)
	if i, j := strings.Index(text, rateBegin), strings.Index(text, rateEnd); i >= 0 && j > i {
		text = text[:i] + text[j+len(rateEnd):]
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
