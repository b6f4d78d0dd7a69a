package pipesolar

// Cancellation (issue 5): when Terraform is interrupted, the context of
// every call in flight is cancelled, and the client must stop at once:
// abandon the request on the wire, stop waiting out a Retry-After, and not
// send anything more. The mock's latency lasts an hour and Retry-After is
// capped at two minutes, so a client that ignored cancellation would hang
// the test until `go test -timeout`, which is the only time bound here: no
// test measures how long anything took.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/testutil"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

const cancelToken = "ps_cancel_token"

// cancelForever outlasts any test run; only cancellation ends the wait.
const cancelForever = time.Hour

// statusWatch is the innermost transport: it records whether an answer
// with status came back, so a test can cancel once the client is waiting
// to retry.
type statusWatch struct {
	next   http.RoundTripper
	status int
	seen   atomic.Bool
}

func (s *statusWatch) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(req)
	if err == nil && resp.StatusCode == s.status {
		s.seen.Store(true)
	}
	return resp, err
}

func cancelTestClient(t *testing.T, m *mockapi.Server, base http.RoundTripper) *Client {
	t.Helper()
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	c, err := New(Config{BaseURL: m.PipeBaseURL(), Token: cancelToken, HTTP: transport.Options{
		MaxRetries: 4, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, Base: base,
	}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A read waiting for its answer stops when its context is cancelled, and is
// not retried although reads are retried on every transport failure.
func TestCancel_getProjectInFlight(t *testing.T) {
	t.Parallel()
	m := mockapi.NewTest(t, mockapi.Config{PipeToken: cancelToken})
	id, err := m.SeedProject("org-1", "", mockapi.DemoProjectBody("org-1", 1))
	if err != nil {
		t.Fatal(err)
	}
	m.SetFaults(mockapi.Faults{Latency: cancelForever, Endpoints: []string{mockapi.EndpointFetchProject}})
	c := cancelTestClient(t, m, nil)
	err = testutil.CancelWhen(t, t.Context(), func() bool { return m.Count(mockapi.EndpointFetchProject) == 1 }, func(ctx context.Context) error {
		_, err := c.GetProject(ctx, id)
		return err
	})
	testutil.WantCanceled(t, err)
	var re *transport.RequestError
	if !errors.As(err, &re) || re.Endpoint != EndpointFetchProject {
		t.Errorf("error = %v, want a *transport.RequestError naming %s", err, EndpointFetchProject)
	}
	if n := m.Count(mockapi.EndpointFetchProject); n != 1 {
		t.Errorf("fetch_project sent %d times, want 1 (nothing after the cancellation)", n)
	}
}

// A create waiting for its answer stops when cancelled. The client cannot
// know whether the project was created, and with its context gone it cannot
// look; it must neither send the create again nor hide that.
func TestCancel_createProjectInFlight(t *testing.T) {
	t.Parallel()
	m := mockapi.NewTest(t, mockapi.Config{PipeToken: cancelToken})
	m.SetFaults(mockapi.Faults{Latency: cancelForever, Endpoints: []string{mockapi.EndpointCreateProject}})
	c := cancelTestClient(t, m, nil)
	in := createFields{Address: "1 Main St", FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com",
		PhoneNumber: "555", OrgID: "org-1", SalesRep: "r", Setter: "s"}.input()
	err := testutil.CancelWhen(t, t.Context(), func() bool { return m.Count(mockapi.EndpointCreateProject) == 1 }, func(ctx context.Context) error {
		_, err := c.CreateProject(ctx, in)
		return err
	})
	testutil.WantCanceled(t, err)
	if !strings.Contains(err.Error(), "may have been created") {
		t.Errorf("error %q does not say the project may have been created", err)
	}
	if n := m.Count(mockapi.EndpointCreateProject); n != 1 {
		t.Errorf("create_project sent %d times, want 1", n)
	}
	if n := m.Count(mockapi.EndpointListOrg); n != 0 {
		t.Errorf("the org was listed %d times with a cancelled context", n)
	}
}

// Cancelled while waiting out Retry-After after a 429: the wait ends and
// no second request is sent. (Retry-After is one hour, capped by the client
// at two minutes.)
func TestCancel_duringRetryAfter(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			m := mockapi.NewTest(t, mockapi.Config{PipeToken: cancelToken})
			id, err := m.SeedProject("org-1", "", mockapi.DemoProjectBody("org-1", 1))
			if err != nil {
				t.Fatal(err)
			}
			f := mockapi.Faults{Seed: 1, RetryAfter: cancelForever, Endpoints: []string{mockapi.EndpointCreateActivity}}
			if status == http.StatusTooManyRequests {
				f.Rate429 = 1
			} else {
				f.Rate503 = 1
			}
			m.SetFaults(f)
			watch := &statusWatch{next: http.DefaultTransport.(*http.Transport).Clone(), status: status}
			c := cancelTestClient(t, m, watch)
			err = testutil.CancelWhen(t, t.Context(), watch.seen.Load, func(ctx context.Context) error {
				_, err := c.CreateActivity(ctx, ActivityInput{ProjectID: id, InstallerID: "i", Notes: "n"})
				return err
			})
			testutil.WantCanceled(t, err)
			if n := m.Count(mockapi.EndpointCreateActivity); n != 1 {
				t.Errorf("create_activity sent %d times, want 1 (the wait for the retry was cancelled)", n)
			}
			if a := m.Activities(id); len(a) != 0 {
				t.Errorf("activities %+v stored, want none", a)
			}
		})
	}
}
