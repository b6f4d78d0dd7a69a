package pipesolar

import (
	"testing"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/testutil"
)

// Clients of one key in one process share one budget and one pace; other
// keys, and clients on a clock of their own, do not.
func TestLimitsPerKeyAndProcess(t *testing.T) {
	t.Parallel()
	const base = "https://limits.test/v1"
	a := limitsFor(base, Config{Token: "psk_a"})
	if b := limitsFor(base, Config{Token: "psk_a"}); b.budget != a.budget || b.pace != a.pace || a.budget == nil || a.pace == nil {
		t.Errorf("same key: %+v and %+v, want the same budget and pace", a, b)
	}
	if b := limitsFor(base, Config{Token: "psk_b"}); b.budget == a.budget || b.pace == a.pace {
		t.Error("another key shares the first key's limits")
	}
	if b := limitsFor("https://other.test/v1", Config{Token: "psk_a"}); b.budget == a.budget {
		t.Error("another base URL shares the first one's budget")
	}
	if b := limitsFor(base, Config{Token: "psk_a", CallsPerMinute: -1}); b.pace != nil {
		t.Error("CallsPerMinute < 0 still paces")
	}
	c := Config{Token: "psk_a"}
	c.HTTP.Clock = testutil.NewClock()
	if b := limitsFor(base, c); b.budget == a.budget {
		t.Error("a client on its own clock shares the wall clock's budget")
	}
}
