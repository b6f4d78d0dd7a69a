package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/testutil"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// pipeCallError is the error of call against a server that answers every
// request with status and body, through the real client (so with its
// hints), with no retries.
func pipeCallError(t *testing.T, status int, body string, call func(context.Context, *pipesolar.Client) error) error {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := pipesolar.New(pipesolar.Config{BaseURL: srv.URL + "/v1", Token: "psk_" + strings.Repeat("a", 40),
		CallsPerMinute: -1, HTTP: transport.Options{MaxRetries: 0, MaxThrottleWait: time.Nanosecond, Clock: testutil.NewClock()}})
	if err != nil {
		t.Fatal(err)
	}
	err = call(t.Context(), c)
	if err == nil {
		t.Fatalf("HTTP %d: no error", status)
	}
	return err
}

// Every failed pipe.solar call's diagnostic shows the call, the API's
// error.code, error.message and docs link, and what to do: one advice, right
// for the call (a 403 on a project read is no dealer matter; a lead write's
// 400 says nothing of project writes).
func TestPipeErrorDetail(t *testing.T) {
	t.Parallel()
	body := func(code string) string {
		return fmt.Sprintf(`{"error": {"code": %q, "message": "the API's words", "docs": "https://developers.pipe.solar/errors#%s"}}`, code, code)
	}
	const id = "D4YR1VSK7K"
	getProject := func(ctx context.Context, c *pipesolar.Client) error { _, err := c.GetProject(ctx, id); return err }
	moveStage := func(ctx context.Context, c *pipesolar.Client) error {
		_, err := c.MoveStage(ctx, id, pipesolar.StageMove{StageID: "s1"})
		return err
	}
	patchProject := func(ctx context.Context, c *pipesolar.Client) error {
		day := "2027-01-02"
		_, err := c.UpdateProject(ctx, id, pipesolar.ProjectUpdate{InstallDate: &day})
		return err
	}
	patchLead := func(ctx context.Context, c *pipesolar.Client) error {
		name := "Ada"
		_, err := c.UpdateLead(ctx, id, pipesolar.LeadUpdate{FirstName: &name})
		return err
	}
	listStages := func(ctx context.Context, c *pipesolar.Client) error { _, err := c.ListStages(ctx, ""); return err }
	for _, tc := range []struct {
		name, call string
		fn         func(context.Context, *pipesolar.Client) error
		status     int
		code       string
		advice     []string
		not        []string
	}{
		{"stage move 400", "POST /projects/{id}/stage (id", moveStage, 400, "invalid",
			[]string{"correct the value its message names", "A dealer's key gets this 400 too"}, nil},
		{"project PATCH 400", "PATCH /projects/{id} (id", patchProject, 400, "invalid",
			[]string{"correct the value its message names", "A dealer's key gets this 400 too"}, nil},
		{"lead PATCH 400", "PATCH /leads/{id} (id", patchLead, 400, "invalid",
			[]string{"correct the value its message names"}, []string{"dealer", "stage moves", "file adds"}},
		{"401", "GET /projects/{id} (id", getProject, 401, "unauthorized", []string{"Set api_token (or PIPESOLAR_API_TOKEN)", "psk_"}, nil},
		{"403 on a project read", "GET /projects/{id} (id", getProject, 403, "forbidden",
			[]string{"company that owns the record"}, []string{"dealer"}},
		{"403 on the stage ladders", "GET /stages", listStages, 403, "forbidden",
			[]string{"A dealer's key may not read stage ladders", "need the installer's key"}, nil},
		{"403 not_open", "GET /projects/{id} (id", getProject, 403, "not_open",
			[]string{"not open for this company yet", pipesolar.SandboxBaseURL}, []string{"not open at this address"}},
		{"404", "GET /projects/{id} (id", getProject, 404, "not_found", []string{"Check the id"}, nil},
		{"429", "GET /projects/{id} (id", getProject, 429, "rate_limited", []string{"100 calls a minute"}, nil},
		{"500 on a write", "PATCH /projects/{id} (id", patchProject, 500, "internal", []string{"safe to repeat"}, nil},
		{"503", "GET /projects/{id} (id", getProject, 503, "unavailable", []string{"Try again later"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := pipeErrorDiag("Summary", fmt.Errorf("wrapped: %w", pipeCallError(t, tc.status, body(tc.code), tc.fn))).Detail()
			for _, want := range append([]string{
				tc.call, fmt.Sprintf("answered HTTP %d", tc.status),
				"error.code: " + tc.code, "error.message: the API's words", "docs: https://developers.pipe.solar/errors#" + tc.code,
			}, tc.advice...) {
				if !strings.Contains(d, want) {
					t.Errorf("the detail lacks %q:\n%s", want, d)
				}
			}
			for _, bad := range tc.not {
				if strings.Contains(d, bad) {
					t.Errorf("the detail says %q:\n%s", bad, d)
				}
			}
			// One advice: its text after the API's own lines is one paragraph
			// without a sentence repeated.
			advice := d[strings.LastIndex(d, "\n")+1:]
			seen := map[string]bool{}
			for _, sentence := range strings.Split(advice, ". ") {
				for _, key := range []string{"api_token", "dealer", "not open", "base_url"} {
					if strings.Contains(sentence, key) {
						if seen[key] {
							t.Errorf("the advice says %q twice:\n%s", key, advice)
						}
						seen[key] = true
					}
				}
			}
		})
	}
}

// Only the retired API's 410 {"error": "moved"} says the API was retired
// and how to set base_url; another 410 is an error of its own.
func TestPipeErrorDetail_gone(t *testing.T) {
	t.Parallel()
	getProject := func(ctx context.Context, c *pipesolar.Client) error { _, err := c.GetProject(ctx, "p1"); return err }
	d := pipeErrorDetail(pipeCallError(t, 410, `{"error": "moved", "docs": "https://pipe.solar/api/v1"}`, getProject))
	for _, want := range []string{"HTTP 410", "retired on 2026-10-11", "base_url", "https://api.pipe.solar/v1", "https://pipe.solar/api/v1"} {
		if !strings.Contains(d, want) {
			t.Errorf("the detail lacks %q:\n%s", want, d)
		}
	}
	for _, body := range []string{`{"error": {"code": "gone", "message": "This project was archived."}}`, `{"error": "archived"}`} {
		d := pipeErrorDetail(pipeCallError(t, 410, body, getProject))
		if !strings.Contains(d, "HTTP 410") || strings.Contains(d, "retired") {
			t.Errorf("410 %s: the detail must show the 410 and not call the API retired:\n%s", body, d)
		}
	}
}

// A call that got no answer says so and what to check.
func TestPipeErrorDetail_noAnswer(t *testing.T) {
	t.Parallel()
	e := &transport.RequestError{API: "pipe.solar", Method: "GET", Endpoint: "/projects/{id}", Err: context.DeadlineExceeded, Sent: true}
	d := pipeErrorDetail(e)
	for _, want := range []string{"GET /projects/{id}", "timed out", "no answer", "base_url"} {
		if !strings.Contains(d, want) {
			t.Errorf("the detail lacks %q:\n%s", want, d)
		}
	}
	if got := pipeErrorDetail(errors.New("plain")); got != "plain" {
		t.Errorf("another error: %q", got)
	}
}

// TestUPowrErrorDetail: every UPowr resource explains a failed call the same
// way: UPowr's own error first, then what to do, naming the setting to check.
func TestUPowrErrorDetail(t *testing.T) {
	t.Parallel()
	apiErr := func(status int) error {
		return transport.NewAPIError("UPowr", http.MethodPost, "/projects", status, "refused")
	}
	for name, c := range map[string]struct {
		err    error
		advice string // "" for none
	}{
		"token endpoint": {&transport.AuthError{Method: "client credentials", TokenURL: "https://id.example/oauth/token", StatusCode: 401}, "upowr.client_id"},
		"HTTP 401":       {apiErr(http.StatusUnauthorized), "upowr.access_token"},
		"HTTP 403":       {apiErr(http.StatusForbidden), "permissions in UPowr"},
		"HTTP 500":       {apiErr(http.StatusInternalServerError), "raise max_retries"},
		"HTTP 429":       {apiErr(http.StatusTooManyRequests), "requests_per_second"},
		"HTTP 400":       {apiErr(http.StatusBadRequest), ""},
		"other":          {errors.New("boom"), ""},
	} {
		got := upowrErrorDetail(c.err)
		if !strings.HasPrefix(got, c.err.Error()) {
			t.Errorf("%s: %q does not start with UPowr's error %q", name, got, c.err.Error())
		}
		if advice := strings.TrimPrefix(got, c.err.Error()); (c.advice == "") != (advice == "") || !strings.Contains(advice, c.advice) {
			t.Errorf("%s: advice %q, want one mentioning %q", name, advice, c.advice)
		}
	}
}
