package pipesolar

import (
	"testing"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/testutil"
)

// Clients of one key in one process share one budget (and its pace); other
// keys, and clients on a clock of their own, do not.
func TestLimitsPerKeyAndProcess(t *testing.T) {
	t.Parallel()
	const base = "https://limits.test/v1"
	a := budgetFor(base, Config{Token: "psk_a"})
	if b := budgetFor(base, Config{Token: "psk_a"}); b != a || a == nil {
		t.Errorf("same key: %p and %p, want the same budget", a, b)
	}
	if b := budgetFor(base, Config{Token: "psk_b"}); b == a {
		t.Error("another key shares the first key's budget")
	}
	if b := budgetFor("https://other.test/v1", Config{Token: "psk_a"}); b == a {
		t.Error("another base URL shares the first one's budget")
	}
	c := Config{Token: "psk_a"}
	c.HTTP.Clock = testutil.NewClock()
	if b := budgetFor(base, c); b == a {
		t.Error("a client on its own clock shares the wall clock's budget")
	}
}
