package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// Every failed pipe.solar call's diagnostic shows the call, the API's
// error.code, error.message and docs link, and what to do.
func TestPipeErrorDetail(t *testing.T) {
	t.Parallel()
	body := func(code, msg string) []byte {
		return fmt.Appendf(nil, `{"error": {"code": %q, "message": %q, "docs": "https://developers.pipe.solar/errors#%s"}}`, code, msg, code)
	}
	for _, tc := range []struct {
		method string
		status int
		code   string
		advice string
	}{
		{"POST", 400, "invalid", "correct the value its message names"},
		{"GET", 401, "unauthorized", "Set api_token (or PIPESOLAR_API_TOKEN)"},
		{"GET", 403, "forbidden", "installer company's key"},
		{"GET", 403, "not_open", "not open at this address yet"},
		{"GET", 404, "not_found", "Check the id"},
		{"GET", 429, "rate_limited", "100 calls a minute"},
		{"PATCH", 500, "internal", "safe to repeat"},
		{"GET", 503, "unavailable", "Try again later"},
	} {
		e := transport.NewAPIErrorFromBody("pipe.solar", tc.method, "/projects/{id}", tc.status, body(tc.code, "the API's words"))
		e.ID = "D4YR1VSK7K"
		d := pipeErrorDiag("Summary", fmt.Errorf("wrapped: %w", e))
		for _, want := range []string{
			tc.method + " /projects/{id} (id \"D4YR1VSK7K\") answered HTTP " + fmt.Sprint(tc.status),
			"error.code: " + tc.code, "error.message: the API's words", "docs: https://developers.pipe.solar/errors#" + tc.code,
			tc.advice,
		} {
			if !strings.Contains(d.Detail(), want) {
				t.Errorf("HTTP %d %s: the detail lacks %q:\n%s", tc.status, tc.code, want, d.Detail())
			}
		}
	}
}

// A 410 (the retired API) says it was retired and how to set base_url.
func TestPipeErrorDetail_gone(t *testing.T) {
	t.Parallel()
	e := transport.NewAPIErrorFromBody("pipe.solar", "GET", "/projects/{id}", 410,
		[]byte(`{"error": "moved", "docs": "https://pipe.solar/api/v1"}`))
	d := pipeErrorDetail(e)
	for _, want := range []string{"HTTP 410", "retired on 2026-10-11", "base_url", "https://api.pipe.solar/v1", "https://pipe.solar/api/v1"} {
		if !strings.Contains(d, want) {
			t.Errorf("the detail lacks %q:\n%s", want, d)
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
