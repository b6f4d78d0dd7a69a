package pipesolar_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

func TestErrors_decoding(t *testing.T) {
	t.Parallel()
	const id = "prj/8f3c 1d" // escaped in the path, named in the error
	getProject := func(ctx context.Context, c *pipesolar.Client) error { _, err := c.GetProject(ctx, id); return err }
	moveStage := func(ctx context.Context, c *pipesolar.Client) error {
		_, err := c.MoveStage(ctx, id, pipesolar.StageMove{StageID: "s1"})
		return err
	}
	listProjects := func(ctx context.Context, c *pipesolar.Client) error {
		_, err := c.ListProjects(ctx, pipesolar.ListFilter{})
		return err
	}
	listStages := func(ctx context.Context, c *pipesolar.Client) error { _, err := c.ListStages(ctx, ""); return err }
	me := func(ctx context.Context, c *pipesolar.Client) error { _, err := c.Me(ctx); return err }

	for _, tc := range []struct {
		name     string
		call     func(context.Context, *pipesolar.Client) error
		status   int
		header   []string
		body     string
		endpoint string
		withID   bool
		kind     transport.Kind
		code     string
		message  string
		docs     string
		text     []string // more the error's text must say
		notText  []string // what the error's text must not say
	}{
		{name: "400 invalid", call: moveStage, status: 400, body: v1Error("invalid", "stageId: no stage s1 on this project's ladder; its stages are Site Survey, Permitting"),
			endpoint: pipesolar.EndpointProjectStage, withID: true, kind: transport.KindValidation, code: "invalid",
			message: "stageId: no stage s1 on this project's ladder; its stages are Site Survey, Permitting", docs: "https://developers.pipe.solar/errors#invalid",
			text: []string{"HTTP 400", "POST"}},
		{name: "401 unauthorized", call: getProject, status: 401, body: v1Error("unauthorized", "The key is missing, wrong or revoked."),
			endpoint: pipesolar.EndpointProject, withID: true, kind: transport.KindUnauthorized, code: "unauthorized",
			message: "The key is missing, wrong or revoked.", docs: "https://developers.pipe.solar/errors#unauthorized",
			text: []string{"api_token", "PIPESOLAR_API_TOKEN", "psk_"}},
		{name: "403 forbidden (dealer key)", call: listStages, status: 403, body: v1Error("forbidden", "Only the installer's key reads its ladders."),
			endpoint: pipesolar.EndpointStages, kind: transport.KindForbidden, code: "forbidden",
			message: "Only the installer's key reads its ladders.", docs: "https://developers.pipe.solar/errors#forbidden",
			text: []string{"installer's key", "dealer's key"}},
		{name: "403 forbidden on a project read is no dealer matter", call: getProject, status: 403,
			body: v1Error("forbidden", "This key may not read this project."), endpoint: pipesolar.EndpointProject, withID: true,
			kind: transport.KindForbidden, code: "forbidden", message: "This key may not read this project.",
			docs: "https://developers.pipe.solar/errors#forbidden", text: []string{"api_token", "company that owns the record"},
			notText: []string{"dealer"}},
		{name: "403 not_open", call: me, status: 403, body: v1Error("not_open", "Pipe API v1 is not open yet."),
			endpoint: pipesolar.EndpointMe, kind: transport.KindForbidden, code: "not_open",
			message: "Pipe API v1 is not open yet.", docs: "https://developers.pipe.solar/errors#not_open",
			text: []string{"not open for this company yet", pipesolar.SandboxBaseURL}},
		{name: "404 on the record's own call", call: getProject, status: 404, body: v1Error("not_found", "No record with this id is yours."),
			endpoint: pipesolar.EndpointProject, withID: true, kind: transport.KindNotFound, code: "not_found",
			message: "No record with this id is yours.", docs: "https://developers.pipe.solar/errors#not_found"},
		{name: "404 of the project list is a wrong base_url", call: listProjects, status: 404, body: v1Error("not_found", "No such route."),
			endpoint: pipesolar.EndpointProjects, kind: transport.KindUnknown, code: "not_found", message: "No such route.",
			docs: "https://developers.pipe.solar/errors#not_found", text: []string{"base_url", pipesolar.DefaultBaseURL}},
		{name: "404 without v1's body is not gone", call: getProject, status: 404, body: "<html><title>404 Not Found</title></html>",
			endpoint: pipesolar.EndpointProject, withID: true, kind: transport.KindUnknown,
			message: "unexpected HTML page: 404 Not Found", text: []string{"base_url"}},
		{name: "410 moved (the retired API)", call: getProject, status: 410, body: movedBody,
			endpoint: pipesolar.EndpointProject, withID: true, kind: transport.KindGone, code: "moved", message: "moved",
			docs: "https://pipe.solar/api/v1",
			text: []string{"retired on 2026-10-11", "Pipe API v1", "2.x", "base_url", pipesolar.DefaultBaseURL, "remove it", pipesolar.SandboxBaseURL, "psk_"}},
		{name: "410 of another kind is not the retired API", call: getProject, status: 410,
			body: v1Error("gone", "This project was archived."), endpoint: pipesolar.EndpointProject, withID: true,
			kind: transport.KindUnknown, code: "gone", message: "This project was archived.",
			docs: "https://developers.pipe.solar/errors#gone", notText: []string{"retired", "base_url"}},
		{name: "410 with another error string is not the retired API", call: getProject, status: 410,
			body: `{"error":"archived"}`, endpoint: pipesolar.EndpointProject, withID: true,
			kind: transport.KindUnknown, message: "archived", notText: []string{"retired", "base_url"}},
		{name: "429 for longer than the call may wait", call: listProjects, status: 429, header: []string{"Retry-After", "90"},
			body: v1Error("rate_limited", "More than 100 calls in a minute from this key."), endpoint: pipesolar.EndpointProjects,
			kind: transport.KindRateLimited, code: "rate_limited", message: "More than 100 calls in a minute from this key.",
			docs: "https://developers.pipe.solar/errors#rate_limited", text: []string{"requests_per_second"}},
		{name: "500 internal", call: moveStage, status: 500, body: v1Error("internal", "Something failed on our side."),
			endpoint: pipesolar.EndpointProjectStage, withID: true, kind: transport.KindServer, code: "internal",
			message: "Something failed on our side.", docs: "https://developers.pipe.solar/errors#internal"},
		{name: "503 unavailable", call: getProject, status: 503, body: v1Error("unavailable", "Down for maintenance."),
			endpoint: pipesolar.EndpointProject, withID: true, kind: transport.KindServer, code: "unavailable",
			message: "Down for maintenance.", docs: "https://developers.pipe.solar/errors#unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				for i := 0; i+1 < len(tc.header); i += 2 {
					w.Header().Set(tc.header[i], tc.header[i+1])
				}
				writeJSON(w, tc.status, tc.body)
			})
			c, _ := newClient(t, s, func(cfg *pipesolar.Config) {
				cfg.HTTP.MaxRetries = 0
				cfg.HTTP.MaxThrottleWait = time.Minute // a Retry-After of 90 s is final
			})
			err := tc.call(t.Context(), c)
			var api *transport.APIError
			if !errors.As(err, &api) {
				t.Fatalf("error = %v (%T), want a *transport.APIError", err, err)
			}
			if api.StatusCode != tc.status || api.Kind() != tc.kind || transport.KindOf(err) != tc.kind {
				t.Errorf("status %d kind %v, want %d %v", api.StatusCode, api.Kind(), tc.status, tc.kind)
			}
			if transport.IsNotFound(err) != (tc.kind == transport.KindNotFound) {
				t.Errorf("IsNotFound = %v", transport.IsNotFound(err))
			}
			if api.Code != tc.code || api.Message != tc.message || api.Docs != tc.docs {
				t.Errorf("code %q message %q docs %q, want %q %q %q", api.Code, api.Message, api.Docs, tc.code, tc.message, tc.docs)
			}
			if api.API != pipesolar.API || api.Endpoint != tc.endpoint {
				t.Errorf("API %q endpoint %q, want %q %q", api.API, api.Endpoint, pipesolar.API, tc.endpoint)
			}
			wantID := ""
			if tc.withID {
				wantID = id
			}
			if api.ID != wantID {
				t.Errorf("ID = %q, want %q", api.ID, wantID)
			}
			text := err.Error()
			for _, part := range append([]string{tc.endpoint, tc.code, tc.message, tc.docs}, tc.text...) {
				if !strings.Contains(text, part) {
					t.Errorf("error text lacks %q:\n%s", part, text)
				}
			}
			for _, part := range tc.notText {
				if strings.Contains(text, part) {
					t.Errorf("error text says %q:\n%s", part, text)
				}
			}
			if tc.withID && !strings.Contains(text, `"`+id+`"`) {
				t.Errorf("error text does not name the id:\n%s", text)
			}
			if strings.Contains(text, testToken) || strings.Contains(text, "Bearer") {
				t.Errorf("error text carries the key:\n%s", text)
			}
			if n := s.count(); n != 1 {
				t.Errorf("server saw %d requests, want 1 (max_retries = 0)", n)
			}
		})
	}
}

func TestNew_config(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, base, token, want string
	}{
		{name: "retired API", base: "https://pipe.solar/api/1.1/wf", token: testToken, want: "retired on 2026-10-11"},
		{name: "retired API elsewhere", base: "https://app.example.com/version-test/api/1.1/wf/", token: testToken, want: pipesolar.DefaultBaseURL},
		{name: "not a URL", base: "api.pipe.solar/v1", token: testToken, want: "absolute"},
		{name: "empty key", base: "", token: "", want: "api_token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := pipesolar.New(pipesolar.Config{BaseURL: tc.base, Token: tc.token})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New(%q) = %v, want an error saying %q", tc.base, err, tc.want)
			}
		})
	}
	if _, err := pipesolar.New(pipesolar.Config{Token: testToken}); err != nil {
		t.Errorf("New with the default base URL: %v", err)
	}
}

// A failure without an answer names the endpoint template and the id, and
// never the key.
func TestErrors_requestError(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		_ = conn.Close()
	})
	c, _ := newClient(t, s, func(cfg *pipesolar.Config) { cfg.HTTP.MaxRetries = 1 })
	_, err := c.GetProject(t.Context(), "p-42")
	var re *transport.RequestError
	if !errors.As(err, &re) {
		t.Fatalf("error = %v (%T), want a *transport.RequestError", err, err)
	}
	if re.Endpoint != pipesolar.EndpointProject || re.ID != "p-42" || !strings.Contains(err.Error(), `"p-42"`) {
		t.Errorf("error = %v (endpoint %q id %q)", err, re.Endpoint, re.ID)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("error carries the key: %v", err)
	}
	if n := s.count(); n != 2 {
		t.Errorf("server saw %d requests, want 2 (a dropped connection is retried: every v1 call is safe to repeat)", n)
	}
}
