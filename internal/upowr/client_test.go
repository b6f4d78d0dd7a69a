package upowr

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/testutil"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// The mock's default credentials (mockapi.Config zero values).
const (
	mockClientID     = "upowr-client"
	mockClientSecret = "upowr-secret"
	mockStaticToken  = "upowr-static-token"
)

// fastOptions keeps retries quick: tests count attempts, they never time
// them. base is the innermost transport (a *recorder in these tests).
func fastOptions(maxRetries int, base http.RoundTripper) transport.Options {
	return transport.Options{
		UserAgent:    "upowr-client-test/1.0",
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		MaxRetries:   maxRetries,
		Base:         base,
		// Retry-After and rate-limit waits take no real time.
		Clock: testutil.NewClock(),
	}
}

// syncBuffer is a log sink that is safe for the concurrent writers tflog
// creates (every subsystem logger has its own mutex).
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// recorder is the innermost transport: it sees requests exactly as they go
// on the wire and collects every credential the client sends or receives
// (bearer tokens, client_secret, client_assertion, issued access tokens), so
// tests can assert none of them leaks into an error or a log line.
// onResponse, if set before the client is used, sees every answer.
type recorder struct {
	next       http.RoundTripper
	onResponse func(req *http.Request, resp *http.Response)

	mu      sync.Mutex
	secrets []string
	bodies  map[string][]byte // last request body per "METHOD /path"
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return &recorder{next: tr}
}

func (r *recorder) add(s ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range s {
		if v != "" && !slices.Contains(r.secrets, v) {
			r.secrets = append(r.secrets, v)
		}
	}
}

// lastBody returns the last body sent with method to path (below the mock's
// URL, e.g. "/upowr/projects/<id>").
func (r *recorder) lastBody(method, path string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return string(r.bodies[method+" "+path])
}

// seen returns the credentials recorded so far.
func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.secrets)
}

func isTokenRequest(req *http.Request) bool { return strings.HasSuffix(req.URL.Path, "/oauth/token") }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if tok, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok {
		r.add(tok)
	}
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		if isTokenRequest(req) {
			if form, err := url.ParseQuery(string(b)); err == nil {
				r.add(form.Get("client_secret"), form.Get("client_assertion"))
			}
		} else {
			r.mu.Lock()
			if r.bodies == nil {
				r.bodies = map[string][]byte{}
			}
			r.bodies[req.Method+" "+req.URL.Path] = b
			r.mu.Unlock()
		}
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if isTokenRequest(req) {
		b, rerr := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		if rerr == nil {
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			if json.Unmarshal(b, &tok) == nil {
				r.add(tok.AccessToken)
			}
		}
	}
	if r.onResponse != nil {
		r.onResponse(req, resp)
	}
	return resp, nil
}

// env is one test's mock server, wire recorder and log capture.
type env struct {
	t    *testing.T
	m    *mockapi.Server
	rec  *recorder
	logs *syncBuffer
	ctx  context.Context
	// wallClock builds clients that wait in real time (cancellation tests);
	// otherwise waits run on a virtual clock and take no time.
	wallClock bool
}

func newEnv(t *testing.T, cfg mockapi.Config) *env {
	t.Helper()
	logs := &syncBuffer{}
	return &env{
		t:    t,
		m:    mockapi.NewTest(t, cfg),
		rec:  newRecorder(t),
		logs: logs,
		ctx:  tflogtest.RootLogger(t.Context(), logs),
	}
}

// ccConfig is a client-credentials configuration the mock accepts.
func (e *env) ccConfig() Config {
	return Config{ClientID: mockClientID, ClientSecret: mockClientSecret}
}

// client builds a Client against the mock with fast retries over the
// recorder; cfg's BaseURL, TokenURL and HTTP are filled in.
func (e *env) client(cfg Config, maxRetries int) *Client {
	e.t.Helper()
	cfg.BaseURL = e.m.UPowrBaseURL()
	cfg.TokenURL = e.m.TokenURL()
	cfg.HTTP = fastOptions(maxRetries, e.rec)
	if e.wallClock {
		cfg.HTTP.Clock = nil
	}
	c, err := New(cfg)
	if err != nil {
		e.t.Fatalf("New: %v", err)
	}
	return c
}

func minimalProject() CreateProjectInput {
	return CreateProjectInput{
		ProductsOfInterest: []ProductsOfInterest{{Solar: true}},
		Customer:           json.RawMessage(`{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com"}`),
	}
}

// newProject creates a minimal project through c.
func (e *env) newProject(c *Client) string {
	e.t.Helper()
	id, err := c.CreateProject(e.ctx, minimalProject())
	if err != nil {
		e.t.Fatalf("CreateProject: %v", err)
	}
	return id
}

func (e *env) project(id string) mockapi.UPowrProject {
	e.t.Helper()
	p, ok := e.m.UPowrProjectByID(id)
	if !ok {
		e.t.Fatalf("the mock has no UPowr project %s", id)
	}
	return p
}

func validCharge() ChargeInput {
	return ChargeInput{Amount: 12345, Type: "Bank transfer", PaidBy: "Ada Lovelace", Description: "deposit"}
}

func randomUUID(t *testing.T) string {
	t.Helper()
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// pemSecretLines returns the base64 lines of PEM text: each is key material.
// The BEGIN/END lines are not secret (and ParsePrivateKey's own hint names
// them), so they are left out.
func pemSecretLines(pemText string) []string {
	var out []string
	for _, l := range strings.Split(pemText, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "-----") {
			out = append(out, l)
		}
	}
	return out
}

// assertNoSecrets fails if err's text or the captured logs contain any
// credential the recorder saw on the wire, the mock's client secret and
// static token, or one of extra. It also checks that the logs are not empty,
// so the log check cannot pass vacuously.
func (e *env) assertNoSecrets(err error, extra ...string) {
	e.t.Helper()
	secrets := append(e.rec.seen(), mockClientSecret, mockStaticToken)
	for _, s := range extra {
		if s != "" && !slices.Contains(secrets, s) {
			secrets = append(secrets, s)
		}
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "HTTP request") {
		e.t.Errorf("no HTTP log line was captured; the log check would be vacuous:\n%s", logs)
	}
	for _, s := range secrets {
		if err != nil && strings.Contains(err.Error(), s) {
			e.t.Errorf("error contains a secret (%.12s…): %v", s, err)
		}
		if strings.Contains(logs, s) {
			e.t.Errorf("logs contain a secret (%.12s…):\n%s", s, logs)
		}
	}
	if strings.Contains(logs, "Bearer ") {
		e.t.Errorf("logs contain an Authorization value:\n%s", logs)
	}
}

func asAPIError(t *testing.T, err error) *transport.APIError {
	t.Helper()
	var api *transport.APIError
	if !errors.As(err, &api) {
		t.Fatalf("want a *transport.APIError, got %T: %v", err, err)
	}
	return api
}

func assertNotAmbiguous(t *testing.T, err error) {
	t.Helper()
	var amb *AmbiguousWriteError
	if errors.As(err, &amb) || strings.Contains(err.Error(), "may have reached") {
		t.Errorf("error must not claim the write may have happened: %v", err)
	}
}

// ---------------------------------------------------------------- operations

func TestCreateProjectStoresEveryField(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(e.ccConfig(), 3)

	in := CreateProjectInput{
		Type:              "SERVICE",
		FileAssociationID: "assoc-" + randomUUID(t),
		Preferences:       &Preferences{CustomerPreferredDays: []int{0, 3, 6}},
		ProductsOfInterest: []ProductsOfInterest{
			{Solar: true, Battery: false, EVCharger: true},
			{Battery: true},
		},
		Customer:         json.RawMessage(`{ "lastName": "Lovelace",  "firstName": "Ada", "email": "ada@example.com" }`),
		Site:             json.RawMessage(`{"address": {"line1": "1 Analytical St", "postcode": "2000"}}`),
		CustomerComments: "call after 5pm",
		CustomFields:     json.RawMessage(`{"leadSource": "referral", "score": 7}`),
		TriggerProcess:   true,
	}
	id, err := c.CreateProject(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateProject: %v", err)
	}
	if len(id) != 36 || id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-' {
		t.Errorf("id %q is not a UUID", id)
	}
	p := e.project(id)

	compact := func(raw json.RawMessage) string {
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"type", p.Type, "SERVICE"},
		{"status", p.Status, mockapi.StatusOpen},
		{"fileAssociationId", p.FileAssociationID, in.FileAssociationID},
		{"preferredDays", fmt.Sprint(p.PreferredDays), "[0 3 6]"},
		{"productsOfInterest", fmt.Sprint(p.ProductsOfInterest),
			fmt.Sprint([]map[string]bool{{"solar": true, "battery": false, "ev_charger": true}, {"solar": false, "battery": true, "ev_charger": false}})},
		{"customer", string(p.Customer), compact(in.Customer)},
		{"site", string(p.Site), compact(in.Site)},
		{"customFields", string(p.CustomFields), compact(in.CustomFields)},
		{"customerComments", p.CustomerComments, "call after 5pm"},
		{"triggerProcess", p.TriggerProcess, true},
		{"customerId", p.CustomerID, ""},
	}
	for _, ch := range checks {
		if fmt.Sprint(ch.got) != fmt.Sprint(ch.want) {
			t.Errorf("%s: stored %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if n := e.m.Count(mockapi.EndpointUPowrCreateProject); n != 1 {
		t.Errorf("POST /projects requests = %d, want 1", n)
	}
}

func TestCreateProjectDefaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(Config{AccessToken: mockStaticToken}, 3)
	id := e.newProject(c)
	p := e.project(id)
	if p.Type != "SALES" || p.TriggerProcess || len(p.PreferredDays) != 0 || p.FileAssociationID != "" {
		t.Errorf("defaults: type %q triggerProcess %v preferredDays %v fileAssociationId %q; want SALES, false, none, empty",
			p.Type, p.TriggerProcess, p.PreferredDays, p.FileAssociationID)
	}
}

func TestCreateProjectWithExistingCustomerAndSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(e.ccConfig(), 3)
	customerID, siteID := randomUUID(t), randomUUID(t)
	id, err := c.CreateProject(e.ctx, CreateProjectInput{
		ProductsOfInterest: []ProductsOfInterest{{Battery: true}},
		CustomerID:         customerID,
		SiteID:             siteID,
	})
	if err != nil {
		t.Fatalf("CreateProject: %v", err)
	}
	p := e.project(id)
	if p.CustomerID != customerID || p.SiteID != siteID || len(p.Customer) != 0 || len(p.Site) != 0 {
		t.Errorf("stored customerId %q siteId %q customer %s site %s; want the ids and no objects",
			p.CustomerID, p.SiteID, p.Customer, p.Site)
	}
}

func TestCreateProjectValidationErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		mutate  func(*CreateProjectInput)
		wantMsg string
	}{
		{
			name: "customer and customerId both",
			mutate: func(in *CreateProjectInput) {
				in.CustomerID = "3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c"
			},
			wantMsg: "customerId: customer must be undefined when customerId is provided",
		},
		{
			name:    "no products of interest",
			mutate:  func(in *CreateProjectInput) { in.ProductsOfInterest = nil },
			wantMsg: "productsOfInterest: is required",
		},
		{
			name:    "preferred day out of range",
			mutate:  func(in *CreateProjectInput) { in.Preferences = &Preferences{CustomerPreferredDays: []int{1, 7}} },
			wantMsg: "preferences.customerPreferredDays[1]: must be an integer between 0 and 6",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockapi.Config{})
			c := e.client(e.ccConfig(), 3)
			in := minimalProject()
			tc.mutate(&in)
			id, err := c.CreateProject(e.ctx, in)
			if err == nil {
				t.Fatalf("want a validation error, got id %q", id)
			}
			api := asAPIError(t, err)
			if api.Kind() != transport.KindValidation || transport.KindOf(err) != transport.KindValidation {
				t.Errorf("kind = %v, want %v", api.Kind(), transport.KindValidation)
			}
			if api.StatusCode != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", api.StatusCode)
			}
			if !strings.Contains(api.Message, tc.wantMsg) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not carry the mock's message %q", err, tc.wantMsg)
			}
			assertNotAmbiguous(t, err)
			if n := e.m.Count(mockapi.EndpointUPowrCreateProject); n != 1 {
				t.Errorf("POST /projects requests = %d, want 1 (a 400 is not retried)", n)
			}
			if n := len(e.m.UPowrProjects()); n != 0 {
				t.Errorf("%d projects stored, want 0", n)
			}
			e.assertNoSecrets(err)
		})
	}
}

func TestUpdateProject(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(e.ccConfig(), 3)
	id := e.newProject(c)
	ptr := func(s string) *string { return &s }

	steps := []struct {
		name      string
		in        UpdateProjectInput
		wantClass string
		wantXref  string
	}{
		{"set both", UpdateProjectInput{Class: ptr("residential"), Xref: ptr("CRM-42")}, "residential", "CRM-42"},
		{"class only keeps xref", UpdateProjectInput{Class: ptr("commercial")}, "commercial", "CRM-42"},
		{"xref only keeps class", UpdateProjectInput{Xref: ptr("CRM-43")}, "commercial", "CRM-43"},
		{"empty string clears xref", UpdateProjectInput{Xref: ptr("")}, "commercial", ""},
		{"nothing set changes nothing", UpdateProjectInput{}, "commercial", ""},
	}
	// Sequential by design: each step builds on the previous state.
	for _, st := range steps {
		if err := c.UpdateProject(e.ctx, id, st.in); err != nil {
			t.Fatalf("%s: UpdateProject: %v", st.name, err)
		}
		p := e.project(id)
		if p.Class != st.wantClass || p.Xref != st.wantXref {
			t.Errorf("%s: class %q xref %q, want %q %q", st.name, p.Class, p.Xref, st.wantClass, st.wantXref)
		}
		// nil fields are not sent at all (not even as null, which a real
		// API may read as "clear").
		var sent map[string]any
		body := e.rec.lastBody(http.MethodPatch, "/upowr/projects/"+id)
		if err := json.Unmarshal([]byte(body), &sent); err != nil {
			t.Fatalf("%s: PATCH body %q: %v", st.name, body, err)
		}
		for key, ptr := range map[string]*string{"class": st.in.Class, "xref": st.in.Xref} {
			if _, present := sent[key]; present != (ptr != nil) {
				t.Errorf("%s: PATCH body %s: %q present = %v, want %v", st.name, body, key, present, ptr != nil)
			}
		}
	}

	err := c.UpdateProject(e.ctx, randomUUID(t), UpdateProjectInput{Class: ptr("x")})
	if !transport.IsNotFound(err) {
		t.Errorf("unknown project: want a not-found error, got %v", err)
	}
}

func TestSetInstallationPreferences(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(e.ccConfig(), 3)
	id := e.newProject(c)

	if err := c.SetInstallationPreferences(e.ctx, id, []int{1, 2, 5}); err != nil {
		t.Fatalf("SetInstallationPreferences: %v", err)
	}
	if got := e.project(id).PreferredDays; !slices.Equal(got, []int{1, 2, 5}) {
		t.Errorf("preferred days = %v, want [1 2 5]", got)
	}
	// nil clears the preferences (sent as [], which the mock accepts; null
	// would be a 400).
	if err := c.SetInstallationPreferences(e.ctx, id, nil); err != nil {
		t.Fatalf("SetInstallationPreferences(nil): %v", err)
	}
	if got := e.project(id).PreferredDays; len(got) != 0 {
		t.Errorf("preferred days after clearing = %v, want none", got)
	}

	err := c.SetInstallationPreferences(e.ctx, id, []int{7})
	if transport.KindOf(err) != transport.KindValidation {
		t.Errorf("day 7: want a validation error, got %v", err)
	}
	if err := c.SetInstallationPreferences(e.ctx, randomUUID(t), []int{1}); !transport.IsNotFound(err) {
		t.Errorf("unknown project: want not found, got %v", err)
	}
}

func TestAcceptContract(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(e.ccConfig(), 3)
	id := e.newProject(c)

	if err := c.AcceptContract(e.ctx, id, false); err != nil {
		t.Fatalf("AcceptContract: %v", err)
	}
	p := e.project(id)
	if !p.ContractAccepted || p.Status != mockapi.StatusAccepted || p.AcceptCount != 1 || p.ReAcceptCount != 0 {
		t.Errorf("after accept: accepted %v status %s accepts %d re-accepts %d", p.ContractAccepted, p.Status, p.AcceptCount, p.ReAcceptCount)
	}

	err := c.AcceptContract(e.ctx, id, false)
	if err == nil {
		t.Fatal("accepting again without re_accept: want a conflict")
	}
	if api := asAPIError(t, err); api.Kind() != transport.KindConflict || api.StatusCode != http.StatusConflict {
		t.Errorf("want HTTP 409 KindConflict, got %v", err)
	}
	if !strings.Contains(err.Error(), "Contract already accepted") {
		t.Errorf("error does not carry the mock's message: %v", err)
	}
	assertNotAmbiguous(t, err)
	if n := e.m.Count(mockapi.EndpointUPowrAccept); n != 2 {
		t.Errorf("accept requests = %d, want 2 (a 409 is not retried)", n)
	}

	if err := c.AcceptContract(e.ctx, id, true); err != nil {
		t.Fatalf("AcceptContract(reAccept): %v", err)
	}
	p = e.project(id)
	if p.ReAcceptCount != 1 || p.AcceptCount != 2 {
		t.Errorf("after re-accept: re-accepts %d accepts %d, want 1 and 2", p.ReAcceptCount, p.AcceptCount)
	}
	e.assertNoSecrets(err)
}

func TestRejectProject(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(e.ccConfig(), 3)
	id := e.newProject(c)

	if err := c.RejectProject(e.ctx, id, "roof unsuitable"); err != nil {
		t.Fatalf("RejectProject: %v", err)
	}
	p := e.project(id)
	if p.Status != mockapi.StatusRejected || p.RejectReason != "roof unsuitable" {
		t.Errorf("status %s reason %q, want REJECTED and the reason", p.Status, p.RejectReason)
	}
	err := c.AcceptContract(e.ctx, id, false)
	if transport.KindOf(err) != transport.KindConflict {
		t.Errorf("accepting a rejected project: want a conflict, got %v", err)
	}
	err = c.RejectProject(e.ctx, id, "  ")
	if transport.KindOf(err) != transport.KindValidation || !strings.Contains(err.Error(), "rejectReason") {
		t.Errorf("blank reason: want a validation error naming rejectReason, got %v", err)
	}
}

func TestCloseProjectIsIdempotent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(e.ccConfig(), 3)
	id := e.newProject(c)

	if err := c.CloseProject(e.ctx, id, "ops-0@example.com"); err != nil {
		t.Fatalf("CloseProject #1: %v", err)
	}
	// UPowr answers 409 for a project that is already closed (SPEC §1.2):
	// an *AlreadyDoneError that keeps UPowr's own words.
	err := c.CloseProject(e.ctx, id, "ops-1@example.com")
	var done *AlreadyDoneError
	if !errors.As(err, &done) || !IsAlreadyDone(err) || done.State != "already closed" ||
		transport.KindOf(err) != transport.KindConflict || !strings.Contains(err.Error(), "already closed") {
		t.Fatalf("CloseProject #2: want an AlreadyDoneError from the 409, got %v", err)
	}
	if err := c.RejectProject(e.ctx, e.newProject(c), "Roof unsuitable"); err != nil {
		t.Fatal(err)
	}
	rejected := e.m.UPowrProjects()[1].ID
	if err := c.CloseProject(e.ctx, rejected, ""); !IsAlreadyDone(err) {
		t.Errorf("closing a rejected project: want IsAlreadyDone, got %v", err)
	}
	p := e.project(id)
	if p.Status != mockapi.StatusClosed || p.ClosedBy != "ops-0@example.com" {
		t.Errorf("status %s closedBy %q, want CLOSED by the first closer", p.Status, p.ClosedBy)
	}
	if n := e.m.Count(mockapi.EndpointUPowrClose); n != 3 {
		t.Errorf("close requests = %d, want 3 (each 409 is final, not retried)", n)
	}

	ptr := "x"
	err = c.UpdateProject(e.ctx, id, UpdateProjectInput{Class: &ptr})
	if transport.KindOf(err) != transport.KindConflict {
		t.Errorf("updating a closed project: want a conflict, got %v", err)
	}

	// An empty closedBy is not sent at all.
	id2 := e.newProject(c)
	if err := c.CloseProject(e.ctx, id2, ""); err != nil {
		t.Fatalf("CloseProject without closedBy: %v", err)
	}
	if p := e.project(id2); p.Status != mockapi.StatusClosed || p.ClosedBy != "" {
		t.Errorf("status %s closedBy %q, want CLOSED with no closer", p.Status, p.ClosedBy)
	}
}

func TestCreateCharge(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		in            ChargeInput
		wantProcessed string // "" = defaulted by the server to about now
	}{
		{
			name: "every field",
			in: ChargeInput{
				Amount: 250000, Type: "Financing", Description: "loan drawdown", PaidBy: "Ada Lovelace",
				ExternalLinks: []string{"https://bank.example/tx/1", "https://crm.example/deal/9"},
				ProcessedAt:   "2024-03-05T10:15:00+11:00",
			},
			wantProcessed: "2024-03-04T23:15:00Z",
		},
		{
			name: "processed_at defaults to now",
			in:   ChargeInput{Amount: 1, Type: "Cash", PaidBy: "Charles Babbage"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockapi.Config{})
			c := e.client(e.ccConfig(), 3)
			pid := e.newProject(c)

			before := time.Now().UTC().Truncate(time.Second)
			id, err := c.CreateCharge(e.ctx, pid, tc.in)
			after := time.Now().UTC()
			if err != nil {
				t.Fatalf("CreateCharge: %v", err)
			}
			charges := e.m.UPowrCharges(pid)
			if len(charges) != 1 {
				t.Fatalf("stored charges = %d, want 1", len(charges))
			}
			ch := charges[0]
			if ch.ID != id || ch.ProjectID != pid || ch.Amount != tc.in.Amount || ch.Type != tc.in.Type ||
				ch.Description != tc.in.Description || ch.PaidBy != tc.in.PaidBy {
				t.Errorf("stored %+v, sent %+v (id %s, project %s)", ch, tc.in, id, pid)
			}
			if !slices.Equal(ch.ExternalLinks, tc.in.ExternalLinks) {
				t.Errorf("external links = %q, want %q", ch.ExternalLinks, tc.in.ExternalLinks)
			}
			if tc.wantProcessed != "" {
				if ch.ProcessedAt != tc.wantProcessed {
					t.Errorf("processed_at = %s, want %s", ch.ProcessedAt, tc.wantProcessed)
				}
				return
			}
			// Not a timing assertion: the default must lie between the
			// moments just before and just after the call.
			got, err := time.Parse(time.RFC3339, ch.ProcessedAt)
			if err != nil {
				t.Fatalf("processed_at %q: %v", ch.ProcessedAt, err)
			}
			if got.Before(before) || got.After(after) {
				t.Errorf("defaulted processed_at %s is outside the call [%s, %s]", got, before, after)
			}
		})
	}
}

func TestCreateChargeErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(e.ccConfig(), 3)
	pid := e.newProject(c)

	cases := []struct {
		name     string
		project  string
		in       ChargeInput
		wantKind transport.Kind
		wantMsg  string
	}{
		{"zero amount", pid, ChargeInput{Amount: 0, Type: "Cash", PaidBy: "x"}, transport.KindValidation, "amount: must be an integer >= 1"},
		{"unknown type", pid, ChargeInput{Amount: 5, Type: "Cheque", PaidBy: "x"}, transport.KindValidation, "type: must be one of"},
		{"missing paid_by", pid, ChargeInput{Amount: 5, Type: "Cash"}, transport.KindValidation, "paid_by"},
		{"bad processed_at", pid, ChargeInput{Amount: 5, Type: "Cash", PaidBy: "x", ProcessedAt: "yesterday"}, transport.KindValidation, "processed_at"},
		{"unknown project", randomUUID(t), validCharge(), transport.KindNotFound, "Project not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, err := c.CreateCharge(e.ctx, tc.project, tc.in)
			if err == nil {
				t.Fatalf("want an error, got id %s", id)
			}
			if k := transport.KindOf(err); k != tc.wantKind {
				t.Errorf("kind = %v, want %v (%v)", k, tc.wantKind, err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tc.wantMsg)
			}
			assertNotAmbiguous(t, err)
		})
	}
	if n := len(e.m.UPowrCharges("")); n != 0 {
		t.Errorf("%d charges stored, want 0", n)
	}
}

func TestDeleteCharge(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(e.ccConfig(), 3)
	pid := e.newProject(c)
	keep, err := c.CreateCharge(e.ctx, pid, validCharge())
	if err != nil {
		t.Fatal(err)
	}
	drop, err := c.CreateCharge(e.ctx, pid, validCharge())
	if err != nil {
		t.Fatal(err)
	}

	if err := c.DeleteCharge(e.ctx, pid, drop); err != nil {
		t.Fatalf("DeleteCharge: %v", err)
	}
	charges := e.m.UPowrCharges(pid)
	if len(charges) != 1 || charges[0].ID != keep {
		t.Errorf("charges after delete = %+v, want only %s", charges, keep)
	}

	cases := []struct{ name, project, charge string }{
		{"already deleted", pid, drop},
		{"never existed", pid, randomUUID(t)},
		{"unknown project", randomUUID(t), keep},
	}
	for _, tc := range cases {
		err := c.DeleteCharge(e.ctx, tc.project, tc.charge)
		if !transport.IsNotFound(err) {
			t.Errorf("%s: want transport.IsNotFound, got %v", tc.name, err)
		}
	}
	if n := e.m.Count(mockapi.EndpointUPowrDeleteCharge); n != 4 {
		t.Errorf("delete requests = %d, want 4 (a 404 is not retried)", n)
	}
	if len(e.m.UPowrCharges(pid)) != 1 {
		t.Error("the remaining charge was deleted")
	}
}

func TestUploadTempFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(e.ccConfig(), 3)
	assoc := "assoc-" + randomUUID(t)
	first := []byte("\x89PNG first switchboard photo \x00\x01\x02")
	second := bytes.Repeat([]byte("second photo "), 1000)
	hash := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

	err := c.UploadTempFile(e.ctx, TempFileInput{FileAssociationID: assoc, FileCode: "switchboard_photo", Filename: "board.png", Content: first})
	if err != nil {
		t.Fatalf("UploadTempFile: %v", err)
	}
	files := e.m.TempFiles(assoc)
	if len(files) != 1 {
		t.Fatalf("temp files = %d, want 1", len(files))
	}
	if f := files[0]; f.SHA256 != hash(first) || f.Size != len(first) || f.FileCode != "switchboard_photo" ||
		f.Filename != "board.png" || f.FileAssociationID != assoc {
		t.Errorf("stored %+v, want sha %s size %d", f, hash(first), len(first))
	}

	// The same fileCode again without replace: conflict, nothing changes.
	err = c.UploadTempFile(e.ctx, TempFileInput{FileAssociationID: assoc, FileCode: "switchboard_photo", Content: second})
	if api := asAPIError(t, err); api.Kind() != transport.KindConflict || api.StatusCode != http.StatusConflict {
		t.Errorf("duplicate upload: want 409 KindConflict, got %v", err)
	}
	assertNotAmbiguous(t, err)
	if f := e.m.TempFiles(assoc); len(f) != 1 || f[0].SHA256 != hash(first) {
		t.Errorf("a rejected duplicate changed the stored file: %+v", f)
	}

	// With Replace it succeeds and replaces in place.
	if err := c.UploadTempFile(e.ctx, TempFileInput{FileAssociationID: assoc, FileCode: "switchboard_photo", Content: second, Replace: true}); err != nil {
		t.Fatalf("UploadTempFile(replace): %v", err)
	}
	files = e.m.TempFiles(assoc)
	if len(files) != 1 || files[0].SHA256 != hash(second) || files[0].Size != len(second) {
		t.Errorf("after replace: %+v, want one file with sha %s", files, hash(second))
	}
	if files[0].Filename != "switchboard_photo" {
		t.Errorf("filename without Filename = %q, want the file code", files[0].Filename)
	}

	// A second file code under the same association.
	if err := c.UploadTempFile(e.ctx, TempFileInput{FileAssociationID: assoc, FileCode: "site_access_photo", Filename: "gate.jpg", Content: []byte("gate")}); err != nil {
		t.Fatalf("UploadTempFile(site_access_photo): %v", err)
	}

	// A project created with the association gets both files attached.
	in := minimalProject()
	in.FileAssociationID = assoc
	pid, err := c.CreateProject(e.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	p := e.project(pid)
	var codes []string
	for _, f := range p.Files {
		codes = append(codes, f.FileCode+"="+f.SHA256)
	}
	want := []string{"switchboard_photo=" + hash(second), "site_access_photo=" + hash([]byte("gate"))}
	if !slices.Equal(codes, want) {
		t.Errorf("project files = %q, want %q", codes, want)
	}

	// Validation: an unknown file code.
	err = c.UploadTempFile(e.ctx, TempFileInput{FileAssociationID: assoc, FileCode: "roof_photo", Content: []byte("x")})
	if transport.KindOf(err) != transport.KindValidation || !strings.Contains(err.Error(), "fileCode") {
		t.Errorf("unknown file code: want a validation error naming fileCode, got %v", err)
	}
}

// ---------------------------------------------------------------- retries

// fixture is the state a retry case works on, created before faults start.
type fixture struct{ projectID, chargeID, assoc string }

func newFixture(t *testing.T, e *env, c *Client) fixture {
	t.Helper()
	pid := e.newProject(c)
	cid, err := c.CreateCharge(e.ctx, pid, validCharge())
	if err != nil {
		t.Fatal(err)
	}
	return fixture{projectID: pid, chargeID: cid, assoc: "assoc-" + randomUUID(t)}
}

// snapshot is the mock state a failed, unprocessed write must leave alone.
func snapshot(e *env, f fixture) string {
	p := e.project(f.projectID)
	return fmt.Sprintf("projects=%d charges=%d temp=%d status=%s class=%s days=%v accepted=%v",
		len(e.m.UPowrProjects()), len(e.m.UPowrCharges("")), len(e.m.TempFiles(f.assoc)),
		p.Status, p.Class, p.PreferredDays, p.ContractAccepted)
}

type retryCase struct {
	name     string
	endpoint string
	// idempotent operations are retried on 500; the others are sent once
	// and fail with an AmbiguousWriteError naming wantEndpoint.
	idempotent   bool
	wantEndpoint func(f fixture) string
	op           func(ctx context.Context, c *Client, f fixture) error
}

func retryCases() []retryCase {
	class := "commercial"
	return []retryCase{
		{
			name: "CreateProject", endpoint: mockapi.EndpointUPowrCreateProject,
			wantEndpoint: func(fixture) string { return "POST /projects" },
			op: func(ctx context.Context, c *Client, _ fixture) error {
				_, err := c.CreateProject(ctx, minimalProject())
				return err
			},
		},
		{
			name: "CreateCharge", endpoint: mockapi.EndpointUPowrCreateCharge,
			wantEndpoint: func(f fixture) string { return "POST /projects/" + f.projectID + "/charges" },
			op: func(ctx context.Context, c *Client, f fixture) error {
				_, err := c.CreateCharge(ctx, f.projectID, validCharge())
				return err
			},
		},
		{
			name: "UploadTempFile", endpoint: mockapi.EndpointUPowrTempFile,
			wantEndpoint: func(fixture) string { return "POST /files/temp" },
			op: func(ctx context.Context, c *Client, f fixture) error {
				return c.UploadTempFile(ctx, TempFileInput{FileAssociationID: f.assoc, FileCode: "site_access_photo", Content: []byte("gate")})
			},
		},
		{
			name: "AcceptContract", endpoint: mockapi.EndpointUPowrAccept,
			wantEndpoint: func(f fixture) string { return "POST /projects/" + f.projectID + "/contract/accept" },
			op: func(ctx context.Context, c *Client, f fixture) error {
				return c.AcceptContract(ctx, f.projectID, false)
			},
		},
		{
			name: "RejectProject", endpoint: mockapi.EndpointUPowrReject,
			wantEndpoint: func(f fixture) string { return "POST /projects/" + f.projectID + "/reject" },
			op: func(ctx context.Context, c *Client, f fixture) error {
				return c.RejectProject(ctx, f.projectID, "no longer interested")
			},
		},
		{
			name: "UpdateProject", endpoint: mockapi.EndpointUPowrPatchProject, idempotent: true,
			op: func(ctx context.Context, c *Client, f fixture) error {
				return c.UpdateProject(ctx, f.projectID, UpdateProjectInput{Class: &class})
			},
		},
		{
			name: "SetInstallationPreferences", endpoint: mockapi.EndpointUPowrPreferences, idempotent: true,
			op: func(ctx context.Context, c *Client, f fixture) error {
				return c.SetInstallationPreferences(ctx, f.projectID, []int{2, 4})
			},
		},
		{
			name: "CloseProject", endpoint: mockapi.EndpointUPowrClose, idempotent: true,
			op: func(ctx context.Context, c *Client, f fixture) error {
				return c.CloseProject(ctx, f.projectID, "ops@example.com")
			},
		},
		{
			name: "DeleteCharge", endpoint: mockapi.EndpointUPowrDeleteCharge, idempotent: true,
			op: func(ctx context.Context, c *Client, f fixture) error {
				return c.DeleteCharge(ctx, f.projectID, f.chargeID)
			},
		},
	}
}

// TestServerErrorRetryPolicy: on HTTP 500 (SPEC §4) the operations that are
// safe to repeat are retried MaxRetries times; creates and other writes that
// cannot be reconciled are sent exactly once and fail loudly, saying the
// write may have happened.
func TestServerErrorRetryPolicy(t *testing.T) {
	t.Parallel()
	const maxRetries = 3
	for _, tc := range retryCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockapi.Config{})
			c := e.client(e.ccConfig(), maxRetries)
			f := newFixture(t, e, c)
			before := snapshot(e, f)
			e.m.ResetCounts()
			e.m.SetFaults(mockapi.Faults{Seed: 1, Rate500: 1, Endpoints: []string{tc.endpoint}})

			err := tc.op(e.ctx, c, f)
			if err == nil {
				t.Fatal("want an error under 100% HTTP 500")
			}
			wantAttempts := 1
			if tc.idempotent {
				wantAttempts = maxRetries + 1
			}
			if n := e.m.Count(tc.endpoint); n != wantAttempts {
				t.Errorf("%s requests = %d, want %d", tc.endpoint, n, wantAttempts)
			}
			if n := e.m.Count(mockapi.EndpointToken); n != 0 {
				t.Errorf("token requests = %d, want 0 (the cached token is reused across retries)", n)
			}
			if api := asAPIError(t, err); api.StatusCode != http.StatusInternalServerError || api.Kind() != transport.KindServer {
				t.Errorf("want the HTTP 500 APIError in the chain, got %v", err)
			}

			var amb *AmbiguousWriteError
			if tc.idempotent {
				assertNotAmbiguous(t, err)
			} else {
				if !errors.As(err, &amb) {
					t.Fatalf("want an *AmbiguousWriteError, got %T: %v", err, err)
				}
				msg := err.Error()
				for _, want := range []string{"may have reached UPowr", tc.wantEndpoint(f), "HTTP 500"} {
					if !strings.Contains(msg, want) {
						t.Errorf("error does not contain %q:\n%s", want, msg)
					}
				}
				if amb.Check == "" {
					t.Error("the error does not say how to check")
				}
			}
			if after := snapshot(e, f); after != before {
				t.Errorf("an injected 500 is not processed, but the state changed:\n before %s\n after  %s", before, after)
			}
			e.assertNoSecrets(err)
		})
	}
}

// TestCreatesSucceedAfterThrottling: 429 and 503 say the server did not
// process the request, so even creates are retried (SPEC §4: "under 429/503
// they must succeed"). The fault is cleared as soon as the first throttled
// answer is seen, so the retry (after the mock's 1 s Retry-After) succeeds.
func TestCreatesSucceedAfterThrottling(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		endpoint string
		status   int
		op       func(ctx context.Context, c *Client, f fixture) error
		stored   func(e *env, f fixture) int
	}{
		{
			name: "CreateProject 503", endpoint: mockapi.EndpointUPowrCreateProject, status: http.StatusServiceUnavailable,
			op: func(ctx context.Context, c *Client, _ fixture) error {
				_, err := c.CreateProject(ctx, minimalProject())
				return err
			},
			stored: func(e *env, _ fixture) int { return len(e.m.UPowrProjects()) - 1 },
		},
		{
			name: "CreateCharge 429", endpoint: mockapi.EndpointUPowrCreateCharge, status: http.StatusTooManyRequests,
			op: func(ctx context.Context, c *Client, f fixture) error {
				_, err := c.CreateCharge(ctx, f.projectID, validCharge())
				return err
			},
			stored: func(e *env, f fixture) int { return len(e.m.UPowrCharges(f.projectID)) - 1 },
		},
		{
			name: "UploadTempFile 503", endpoint: mockapi.EndpointUPowrTempFile, status: http.StatusServiceUnavailable,
			op: func(ctx context.Context, c *Client, f fixture) error {
				return c.UploadTempFile(ctx, TempFileInput{FileAssociationID: f.assoc, FileCode: "switchboard_photo", Content: []byte("x")})
			},
			stored: func(e *env, f fixture) int { return len(e.m.TempFiles(f.assoc)) },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockapi.Config{})
			var once sync.Once
			e.rec.onResponse = func(_ *http.Request, resp *http.Response) {
				if resp.StatusCode == tc.status {
					once.Do(func() { e.m.SetFaults(mockapi.Faults{}) })
				}
			}
			c := e.client(e.ccConfig(), 1)
			f := newFixture(t, e, c)
			e.m.ResetCounts()
			faults := mockapi.Faults{Seed: 1, Endpoints: []string{tc.endpoint}}
			if tc.status == http.StatusTooManyRequests {
				faults.Rate429 = 1
			} else {
				faults.Rate503 = 1
			}
			e.m.SetFaults(faults)

			if err := tc.op(e.ctx, c, f); err != nil {
				t.Fatalf("want success after one throttled answer, got %v", err)
			}
			if n := e.m.Count(tc.endpoint); n != 2 {
				t.Errorf("%s requests = %d, want 2", tc.endpoint, n)
			}
			if n := tc.stored(e, f); n != 1 {
				t.Errorf("stored %d new objects, want exactly 1", n)
			}
		})
	}
}

// TestCreateChargeKeepsWaitingOut429: a 429 was not processed, so a create
// is sent again after each one without using up max_retries (1 here), for
// as long as MaxThrottleWait allows (10 s of virtual time at Retry-After 1 s:
// 11 attempts); then it fails as rate limited, naming the setting to change,
// and not as "may have happened".
func TestCreateChargeKeepsWaitingOut429(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	cfg := e.ccConfig()
	cfg.BaseURL, cfg.TokenURL = e.m.UPowrBaseURL(), e.m.TokenURL()
	cfg.HTTP = fastOptions(1, e.rec)
	clock := testutil.NewClock()
	cfg.HTTP.Clock, cfg.HTTP.MaxThrottleWait = clock, 10*time.Second
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, e, c)
	e.m.ResetCounts()
	e.m.SetFaults(mockapi.Faults{Seed: 1, Rate429: 1, RetryAfter: time.Second, Endpoints: []string{mockapi.EndpointUPowrCreateCharge}})

	_, err = c.CreateCharge(e.ctx, f.projectID, validCharge())
	if err == nil {
		t.Fatal("want an error under a permanent 429")
	}
	if n := e.m.Count(mockapi.EndpointUPowrCreateCharge); n != 11 {
		t.Errorf("charge requests = %d, want 11 (one per Retry-After second for 10 s, max_retries not used up)", n)
	}
	if slept, _ := clock.Slept(); slept != 10*time.Second {
		t.Errorf("waited %s of virtual time, want 10s (ten Retry-After: 1)", slept)
	}
	if api := asAPIError(t, err); api.Kind() != transport.KindRateLimited || api.StatusCode != http.StatusTooManyRequests {
		t.Errorf("want a 429 KindRateLimited error, got %v", err)
	}
	if !strings.Contains(err.Error(), "requests_per_second") {
		t.Errorf("error %q does not name requests_per_second", err)
	}
	assertNotAmbiguous(t, err)
	if n := len(e.m.UPowrCharges(f.projectID)); n != 1 {
		t.Errorf("charges = %d, want only the fixture's 1", n)
	}
	e.assertNoSecrets(err)
}

// TestDropAfterCommit: the server stores the object and then drops the
// connection. A create must not be repeated (that would duplicate it): one
// request, one stored object, and an error saying the write may have
// happened.
func TestDropAfterCommit(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		endpoint  string
		op        func(ctx context.Context, c *Client, f fixture) error
		stored    func(e *env, f fixture) int
		wantInMsg string
	}{
		{
			name: "CreateCharge", endpoint: mockapi.EndpointUPowrCreateCharge,
			op: func(ctx context.Context, c *Client, f fixture) error {
				_, err := c.CreateCharge(ctx, f.projectID, ChargeInput{Amount: 777, Type: "Cash", PaidBy: "drop test"})
				return err
			},
			stored: func(e *env, f fixture) int {
				n := 0
				for _, ch := range e.m.UPowrCharges(f.projectID) {
					if ch.Amount == 777 {
						n++
					}
				}
				return n
			},
			wantInMsg: "check the project's charges in UPowr",
		},
		{
			name: "CreateProject", endpoint: mockapi.EndpointUPowrCreateProject,
			op: func(ctx context.Context, c *Client, _ fixture) error {
				_, err := c.CreateProject(ctx, minimalProject())
				return err
			},
			stored:    func(e *env, _ fixture) int { return len(e.m.UPowrProjects()) - 1 },
			wantInMsg: "look for the customer's new project in UPowr",
		},
		{
			name: "UploadTempFile", endpoint: mockapi.EndpointUPowrTempFile,
			op: func(ctx context.Context, c *Client, f fixture) error {
				return c.UploadTempFile(ctx, TempFileInput{FileAssociationID: f.assoc, FileCode: "switchboard_photo", Content: []byte("x")})
			},
			stored:    func(e *env, f fixture) int { return len(e.m.TempFiles(f.assoc)) },
			wantInMsg: "replace = true",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockapi.Config{})
			c := e.client(e.ccConfig(), 3)
			f := newFixture(t, e, c)
			e.m.ResetCounts()
			e.m.SetFaults(mockapi.Faults{DropAfterCommit: 1, Endpoints: []string{tc.endpoint}})

			err := tc.op(e.ctx, c, f)
			if err == nil {
				t.Fatal("want an error when the connection is dropped")
			}
			var amb *AmbiguousWriteError
			if !errors.As(err, &amb) {
				t.Fatalf("want an *AmbiguousWriteError, got %T: %v", err, err)
			}
			var re *transport.RequestError
			if !errors.As(err, &re) || !re.Sent {
				t.Errorf("want a sent *transport.RequestError in the chain, got %v", err)
			}
			for _, want := range []string{"may have reached UPowr", tc.wantInMsg} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not contain %q:\n%v", want, err)
				}
			}
			if n := e.m.Count(tc.endpoint); n != 1 {
				t.Errorf("%s requests = %d, want 1 (no automatic repeat)", tc.endpoint, n)
			}
			if n := tc.stored(e, f); n != 1 {
				t.Errorf("stored %d objects, want exactly 1 (committed once, not duplicated)", n)
			}
			if d := e.m.CurrentFaults().DropAfterCommit; d != 0 {
				t.Errorf("drops still pending = %d, want 0", d)
			}
			e.assertNoSecrets(err)
		})
	}
}

// TestDeleteChargeTwice: a charge that is already gone is "already done",
// with UPowr's own words, so destroy can succeed with a warning.
func TestDeleteChargeTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockapi.Config{})
	c := e.client(e.ccConfig(), 3)
	pid := e.newProject(c)
	cid, err := c.CreateCharge(e.ctx, pid, validCharge())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteCharge(e.ctx, pid, cid); err != nil {
		t.Fatalf("first delete: %v", err)
	}
	err = c.DeleteCharge(e.ctx, pid, cid)
	var done *AlreadyDoneError
	if !errors.As(err, &done) || done.State != "already deleted" || !transport.IsNotFound(err) || !strings.Contains(err.Error(), "Charge not found") {
		t.Fatalf("second delete: want an AlreadyDoneError carrying the 404, got %v", err)
	}
	if err := c.DeleteCharge(e.ctx, randomUUID(t), cid); !IsAlreadyDone(err) {
		t.Errorf("delete on an unknown project: want IsAlreadyDone, got %v", err)
	}
}
