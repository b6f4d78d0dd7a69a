package upowr

// Cancellation (issue 5): an interrupted Terraform cancels the context of
// every call in flight, and the UPowr client must stop at once, whether it
// is waiting for an API answer, waiting out Retry-After, or fetching the
// access token. The mock's latency lasts an hour and Retry-After is capped
// at two minutes, so a client that ignored cancellation would hang the test
// until `go test -timeout`, the only time bound here.

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/testutil"
)

const cancelForever = time.Hour

// A PATCH waiting for its answer stops when cancelled and, although PATCH is
// retried on every transport failure, is not sent again.
func TestCancel_updateProjectInFlight(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(Config{AccessToken: mockStaticToken}, 4)
	pid := e.newProject(c)
	e.m.SetFaults(mockapi.Faults{Latency: cancelForever, Endpoints: []string{mockapi.EndpointUPowrPatchProject}})
	class := "commercial"
	err := testutil.CancelWhen(t, e.ctx, func() bool { return e.m.Count(mockapi.EndpointUPowrPatchProject) == 1 }, func(ctx context.Context) error {
		return c.UpdateProject(ctx, pid, UpdateProjectInput{Class: &class})
	})
	testutil.WantCanceled(t, err)
	if n := e.m.Count(mockapi.EndpointUPowrPatchProject); n != 1 {
		t.Errorf("PATCH sent %d times, want 1", n)
	}
	if p := e.project(pid); p.Class == class {
		t.Error("the cancelled PATCH was carried out")
	}
}

// A charge create waiting out Retry-After after a 429 or 503 stops when
// cancelled; no second request is sent and no charge exists.
func TestCancel_createChargeDuringRetryAfter(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockapi.Config{})
			e.wallClock = true // the wait must really block for the cancellation to end it
			var answered atomic.Bool
			e.rec.onResponse = func(req *http.Request, resp *http.Response) {
				if resp.StatusCode == status {
					answered.Store(true)
				}
			}
			c := e.client(Config{AccessToken: mockStaticToken}, 4)
			pid := e.newProject(c)
			f := mockapi.Faults{Seed: 1, RetryAfter: cancelForever, Endpoints: []string{mockapi.EndpointUPowrCreateCharge}}
			if status == http.StatusTooManyRequests {
				f.Rate429 = 1
			} else {
				f.Rate503 = 1
			}
			e.m.SetFaults(f)
			err := testutil.CancelWhen(t, e.ctx, answered.Load, func(ctx context.Context) error {
				_, err := c.CreateCharge(ctx, pid, validCharge())
				return err
			})
			testutil.WantCanceled(t, err)
			if n := e.m.Count(mockapi.EndpointUPowrCreateCharge); n != 1 {
				t.Errorf("POST charges sent %d times, want 1", n)
			}
			if cs := e.m.UPowrCharges(pid); len(cs) != 0 {
				t.Errorf("charges %+v stored, want none", cs)
			}
		})
	}
}

// The access token request waiting for its answer stops when the call that
// needs it is cancelled: the token endpoint is asked once, the API never.
// (TestTokenFetchHonoursCallerCancellation covers the Retry-After wait of a
// token request.)
func TestCancel_tokenFetchInFlight(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	pid := e.newProject(e.client(Config{AccessToken: mockStaticToken}, 0))
	c := e.client(e.ccConfig(), 4)
	e.m.ResetCounts()
	e.m.SetFaults(mockapi.Faults{Latency: cancelForever, Endpoints: []string{mockapi.EndpointToken}})
	err := testutil.CancelWhen(t, e.ctx, func() bool { return e.m.Count(mockapi.EndpointToken) == 1 }, func(ctx context.Context) error {
		return c.CloseProject(ctx, pid, "terraform")
	})
	testutil.WantCanceled(t, err)
	if n := e.m.Count(mockapi.EndpointToken); n != 1 {
		t.Errorf("token endpoint asked %d times, want 1", n)
	}
	if n := e.m.Count(mockapi.EndpointUPowrClose); n != 0 {
		t.Errorf("close sent %d times without a token", n)
	}
	if e.m.IssuedTokens() != 0 {
		t.Errorf("%d tokens issued, want none", e.m.IssuedTokens())
	}
	// The cache holds no half-fetched token: once the token endpoint
	// answers again, the next call gets a token and succeeds.
	e.m.SetFaults(mockapi.Faults{})
	if err := c.CloseProject(e.ctx, pid, "terraform"); err != nil {
		t.Fatalf("CloseProject after the cancelled token fetch: %v", err)
	}
	if p := e.project(pid); p.Status != mockapi.StatusClosed {
		t.Errorf("project status %s, want %s", p.Status, mockapi.StatusClosed)
	}
}
