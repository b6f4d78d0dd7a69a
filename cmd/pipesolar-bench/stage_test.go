package main

import (
	"strings"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

func sampleStage() stageRun {
	return stageRun{N: 300, Stage: "On Hold", Window: 5 * time.Second, Reads: 600, Moves: 300,
		Free: result{Wall: 4 * time.Second}, Limited: result{Wall: 46 * time.Second, Runs: 3},
		LimitedCalls: 900, Refused: 9, Minimum: 44 * time.Second, Span: 41 * time.Second}
}

// TestStageSection: (g) in the guide, a row of counted calls and the
// figures against issue 20's target, derived from them.
func TestStageSection(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	stageSection(&b, sampleStage())
	s := b.String()
	for _, want := range []string{
		"**(g) changing the stage of 300 projects in one `terraform apply`** (100 calls per 5s, as for (e)):",
		"| apply | project reads | stage moves | wall time | under the limit | budget's minimum | ratio | calls refused |",
		`| 300 projects to stage "On Hold" | 600 | 300 | 4s | 46s | 44s | 1.05× | 9 of 909 (1.0 %) |`,
		"each project costs 3 calls: the refresh's read, the move (`POST /projects/{id}/stage`) and a read back",
		"the apply took **1.05×** its budget's minimum",
		"and 1.0 % of its calls were refused; the target is at most 1.1× and 5 %.",
		"its 900 calls need about 9 minutes of the company's budget.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("(g) lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "\n| "); n != 2 {
		t.Errorf("(g)'s table has %d rows after the first line, want a separator and one run:\n%s", n, s)
	}

	var none strings.Builder
	stageSection(&none, stageRun{})
	if none.Len() != 0 {
		t.Errorf("a run without (g) writes %q, want nothing", none.String())
	}

	// In the whole section, after (d) to (f) and before the end marker.
	f := sampleFigures()
	f.Stage = sampleStage()
	whole := section(f)
	i, j := strings.Index(whole, "**(g)"), strings.Index(whole, sectionEnd)
	if i < 0 || j < i {
		t.Errorf("(g) not in the section before its end marker:\n%s", whole)
	}
	if strings.Contains(section(sampleFigures()), "(g)") {
		t.Errorf("a section without (g)'s figures mentions (g)")
	}
}

// TestBudgetMinimum: the least time under the limit is the unlimited
// run's time outside its calls, plus the whole windows its calls need and
// its own time for the last window's share of them, never less than its
// own span.
func TestBudgetMinimum(t *testing.T) {
	t.Parallel()
	w := 5 * time.Second
	for name, c := range map[string]struct {
		before, span, after time.Duration
		calls               int
		want                time.Duration
	}{
		"900 calls: 8 windows and a ninth's share": {time.Second, 9 * time.Second, 500 * time.Millisecond, 900, time.Second + 40*time.Second + time.Second + 500*time.Millisecond},
		"950 calls: the last window holds 50":      {0, 19 * time.Second, 0, 950, 45*time.Second + 19*time.Second*50/950},
		"within one window: the run itself":        {time.Second, 2 * time.Second, time.Second, 100, 4 * time.Second},
		"span longer than the windows":             {0, 60 * time.Second, 0, 300, 60 * time.Second},
		"no call":                                  {time.Second, 0, time.Second, 0, 2 * time.Second},
	} {
		if got := budgetMinimum(c.before, c.span, c.after, c.calls, w); got != c.want {
			t.Errorf("%s: budgetMinimum = %s, want %s", name, got, c.want)
		}
	}
}

// TestTargetStage: the stage (g) moves every project to is one none of
// them is at; there is none when they cover the ladder.
func TestTargetStage(t *testing.T) {
	t.Parallel()
	ladder := []mockapi.StageDef{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}, {ID: "c", Name: "C"}}
	if got, ok := targetStage(ladder, map[string]string{"p1": "a", "p2": "c"}); !ok || got != "B" {
		t.Errorf("targetStage = %q, %t; want B", got, ok)
	}
	if got, ok := targetStage(ladder, map[string]string{"p1": "a", "p2": "b", "p3": "c"}); ok {
		t.Errorf("targetStage of projects at every stage = %q, want none", got)
	}
	// The mock's seeded projects sit on normal stages only: the solar
	// ladder keeps a stage none of them is at.
	m := mockapi.New(mockapi.Config{})
	cur := map[string]string{}
	for _, id := range m.SeedRandomProjects(40) {
		p, _ := m.Project(id)
		st, _ := p["stage"].(map[string]any)
		cur[id], _ = st["id"].(string)
	}
	if _, ok := targetStage(m.Stages("solar"), cur); !ok {
		t.Errorf("the mock's seeded projects cover the solar ladder: (g) has no stage to move them all to")
	}
}

// TestStageConfig: (g) manages the stage by name, every project the same.
func TestStageConfig(t *testing.T) {
	t.Parallel()
	c := stageConfig(limitedBlock(false), 300, "On Hold")
	for _, want := range []string{"count      = 300", `stage      = "On Hold"`, "batch_refresh = false", "project_id = local.ids[count.index]"} {
		if !strings.Contains(c, want) {
			t.Errorf("config lacks %q:\n%s", want, c)
		}
	}
	if strings.Contains(c, "requests_per_second") {
		t.Errorf("the limited run's config lifts the default pace:\n%s", c)
	}
}
