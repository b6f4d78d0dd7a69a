package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// (g): changing the stage of N adopted projects in one terraform apply,
// free and under the mock's limit of 100 calls per -window with
// Retry-After, the provider at its default pace (told the window through
// PIPESOLAR_RATE_WINDOW). The apply refreshes each project (one GET
// /projects/{id}), moves it (one POST /projects/{id}/stage) and reads it
// back (one GET /projects/{id}: the move changes updated_at and
// stage_entered_at, planned unknown): 3 calls a project. Between runs the
// projects are put back at their own stages through the mock's Go API, so
// that every run moves all N.

// stageDir is (g)'s working directory.
const stageDir = "stage"

// stageRun is (g).
type stageRun struct {
	N      int
	Stage  string // the stage every project is moved to
	Window time.Duration
	Free   result // no limit, requests_per_second = 100000
	// Reads and Moves are the free apply's project reads and stage moves.
	Reads, Moves          int
	Limited               result // under the limit, default pace
	LimitedCalls, Refused int    // calls answered and refused under the limit
	Minimum               time.Duration
	// Span is the limited run's time from its first call to its last.
	Span time.Duration
}

// Calls is what the apply costs: every call answered.
func (r stageRun) Calls() int { return r.Reads + r.Moves }

// Ratio is the limited run's time against the budget's minimum.
func (r stageRun) Ratio() float64 { return ratio(r.Limited.Wall, r.Minimum) }

// RefusedPct is the share of the limited run's calls refused, in percent.
func (r stageRun) RefusedPct() float64 { return pct(r.Refused, r.LimitedCalls+r.Refused) }

// budgetMinimum is the least time a run of calls calls can take under a
// limit of limitCalls per window, from the unlimited run of the same work:
// its time before the first call and after the last, and between them the
// windows the calls need plus the unlimited run's own time for the last
// window's share of them (or its whole span, when longer).
func budgetMinimum(before, span, after time.Duration, calls int, window time.Duration) time.Duration {
	if calls <= 0 {
		return before + span + after
	}
	windows := (calls + limitCalls - 1) / limitCalls
	last := calls - (windows-1)*limitCalls // the calls of the last window
	return before + max(span, time.Duration(windows-1)*window+span*time.Duration(last)/time.Duration(calls)) + after
}

// stageConfig adopts the projects of ids.json (as adoptedConfig) with
// stage set to stage.
func stageConfig(provider string, n int, stage string) string {
	return projectsConfig(provider, n, fmt.Sprintf("  stage      = %q\n", stage))
}

// stageOf is the id of project id's stage in t's mock.
func stageOf(t target, id string) string {
	p, ok := t.mock.Project(id)
	if !ok {
		fatalf("the mock has no project %s", id)
	}
	st, _ := p["stage"].(map[string]any)
	s, _ := st["id"].(string)
	return s
}

// targetStage is the name of the first stage of the solar ladder that
// none of the projects (ids of their stages: current) is at, so that
// moving them all there moves every one.
func targetStage(ladder []mockapi.StageDef, current map[string]string) (string, bool) {
	at := map[string]bool{}
	for _, s := range current {
		at[s] = true
	}
	for _, st := range ladder {
		if !at[st.ID] {
			return st.Name, true
		}
	}
	return "", false
}

// runStage runs (g) over n projects.
func (b *bench) runStage(n int, window time.Duration) stageRun {
	log.Printf("==> (g) changing the stage of %d projects in one apply, free and under %d calls per %s", n, limitCalls, window)
	calls := &callSpan{}
	t := b.newTargetWith(mockapi.Config{Logf: calls.logf})
	defer t.mock.Close()
	ids := t.mock.SeedRandomProjects(n)
	if len(ids) != n {
		fatalf("the mock seeded %d projects, want %d", len(ids), n)
	}
	orig := make(map[string]string, n)
	for _, id := range ids {
		orig[id] = stageOf(t, id)
	}
	stage, ok := targetStage(t.mock.Stages("solar"), orig)
	if !ok {
		fatalf("the seeded projects are at every stage of the solar ladder: no stage moves them all")
	}

	d := b.writeConfig(stageDir, adoptedConfig(providerBlock(false), n))
	check(os.WriteFile(filepath.Join(d, "ids.json"), []byte(`["`+strings.Join(ids, `","`)+`"]`), 0o600))
	t.mock.ResetCounts()
	r := b.terraform(t, d, nil, "apply", "-auto-approve")
	log.Printf("  adopted %d projects in %s (%d calls)", n, r.Wall.Round(time.Millisecond), r.Calls)
	if w := writes(t.mock.Counts()); w != "" {
		fatalf("adopting projects with no setting wrote to the API: %s", w)
	}

	sr := stageRun{N: n, Stage: stage, Window: window}
	wantReads, wantMoves := 2*n, n // a refresh read and a read back each; one move each
	want := wantReads + wantMoves
	// moved checks that every project is at the target stage, then puts
	// each back at its own (no API call), so that the next run moves all n.
	moved := func(what string) {
		for _, id := range ids {
			p, _ := t.mock.Project(id)
			if st, _ := p["stage"].(map[string]any); st["name"] != stage {
				fatalf("%s: project %s is at stage %v, want %q", what, id, st["name"], stage)
			}
			if !t.mock.EditProject(id, func(p map[string]any) {
				st, _ := p["stage"].(map[string]any)
				st["id"] = orig[id] // its name and enteredAt follow
			}) || stageOf(t, id) != orig[id] {
				fatalf("could not put project %s back at stage %s", id, orig[id])
			}
		}
	}
	var free []result
	var lim []limitedRun
	env := []string{pipesolar.EnvRateWindow + "=" + window.String()}
	for range b.runs {
		b.writeConfig(stageDir, stageConfig(providerBlock(false), n, stage))
		t.mock.SetRateLimit(mockapi.RateLimit{})
		t.mock.ResetCounts()
		calls.reset()
		began := time.Now()
		r := b.terraform(t, d, nil, "apply", "-auto-approve")
		counts := t.mock.Counts()
		sr.Reads, sr.Moves = counts[mockapi.EndpointGetProject], counts[mockapi.EndpointMoveStage]
		if sr.Reads != wantReads || sr.Moves != wantMoves || r.Calls != want {
			fatalf("moving %d projects to %q made %d project reads and %d stage moves (%d calls in all: %v), want %d and %d "+
				"(a refresh read, the move and a read back each)", n, stage, sr.Reads, sr.Moves, r.Calls, nonzero(counts), wantReads, wantMoves)
		}
		moved("the unlimited apply")
		calls.mu.Lock()
		before, span, after := calls.first.Sub(began), calls.last.Sub(calls.first), began.Add(r.Wall).Sub(calls.last)
		calls.mu.Unlock()
		minimum := budgetMinimum(before, span, after, want, window)
		free = append(free, r)

		// A new limit: the key's window starts afresh.
		b.writeConfig(stageDir, stageConfig(limitedBlock(false), n, stage))
		t.mock.SetRateLimit(mockapi.RateLimit{Calls: limitCalls, Window: window})
		t.mock.ResetCounts()
		calls.reset()
		r = b.terraform(t, d, env, "apply", "-auto-approve")
		refused := t.mock.RateLimited()
		if r.Calls-refused != want {
			fatalf("moving %d projects to %q under the limit made %d calls (%d refused: %v), want %d answered",
				n, stage, r.Calls, refused, nonzero(t.mock.Counts()), want)
		}
		moved("the apply under the limit")
		lim = append(lim, limitedRun{r, r.Calls - refused, refused, calls.span(), minimum})
		log.Printf("  run: free %s, limited %s (%.2fx of %s), %d answered, %d refused",
			free[len(free)-1].Wall.Round(time.Millisecond), r.Wall.Round(time.Millisecond), ratio(r.Wall, minimum),
			minimum.Round(time.Millisecond), r.Calls-refused, refused)
	}
	t.mock.SetRateLimit(mockapi.RateLimit{})
	sr.Free = median(free)
	// The run of the median ratio.
	sort.Slice(lim, func(i, j int) bool {
		return ratio(lim[i].r.Wall, lim[i].minimum) < ratio(lim[j].r.Wall, lim[j].minimum)
	})
	m := lim[len(lim)/2]
	sr.Limited, sr.LimitedCalls, sr.Refused, sr.Span, sr.Minimum = m.r, m.answered, m.refused, m.span, m.minimum
	sr.Limited.Runs = len(lim)
	log.Printf("  (g) %d projects to %q: %d reads + %d moves; free %s; limited %s against a minimum of %s (%.2fx), "+
		"calls over %s, %d answered, %d refused (%.1f %%) (median of %d)",
		n, stage, sr.Reads, sr.Moves, sr.Free.Wall.Round(time.Millisecond), sr.Limited.Wall.Round(time.Millisecond),
		sr.Minimum.Round(time.Millisecond), sr.Ratio(), sr.Span.Round(time.Millisecond), sr.LimitedCalls, sr.Refused,
		sr.RefusedPct(), sr.Limited.Runs)
	return sr
}

// nonzero is counts without the endpoints never called, for messages.
func nonzero(counts map[string]int) string {
	var out []string
	for k, v := range counts {
		if v > 0 {
			out = append(out, fmt.Sprintf("%s: %d", k, v))
		}
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}
