// Package mockapi is an in-memory, stateful mock of the two HTTP APIs the
// pipesolar Terraform provider talks to: Pipe API v1 (under /v1; the
// retired pipe.solar API under /api/1.1/ answers 410 moved) and the UPowr
// REST API (under /upowr, with an OAuth 2.0 token endpoint at /oauth/token).
//
// The v1 half is written from Pipe's published OpenAPI specification and
// migration guide alone and shares no code with the provider's clients, so
// a wrong field name on either side shows up as a test failure. Every
// answer carries every key the specification marks required (null where
// empty). PipeBehaviour switches reproduce what the specification leaves
// open; Faults inject latency, error statuses and dropped connections;
// RateLimit enforces a per-key budget with Retry-After.
package mockapi

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Endpoint keys: the names of the per-endpoint request counters (Count,
// Counts) and of Faults.Endpoints.
const (
	// EndpointMe is Pipe API v1 GET /v1/me.
	EndpointMe = "GET /v1/me"
	// EndpointListProjects is GET /v1/projects.
	EndpointListProjects = "GET /v1/projects"
	// EndpointGetProject is GET /v1/projects/{id}.
	EndpointGetProject = "GET /v1/projects/{id}"
	// EndpointPatchProject is PATCH /v1/projects/{id}.
	EndpointPatchProject = "PATCH /v1/projects/{id}"
	// EndpointMoveStage is POST /v1/projects/{id}/stage.
	EndpointMoveStage = "POST /v1/projects/{id}/stage"
	// EndpointAddFiles is POST /v1/projects/{id}/files.
	EndpointAddFiles = "POST /v1/projects/{id}/files"
	// EndpointListStages is GET /v1/stages.
	EndpointListStages = "GET /v1/stages"
	// EndpointListLeads is GET /v1/leads.
	EndpointListLeads = "GET /v1/leads"
	// EndpointCreateLead is POST /v1/leads.
	EndpointCreateLead = "POST /v1/leads"
	// EndpointGetLead is GET /v1/leads/{id}.
	EndpointGetLead = "GET /v1/leads/{id}"
	// EndpointPatchLead is PATCH /v1/leads/{id}.
	EndpointPatchLead = "PATCH /v1/leads/{id}"
	// EndpointLeadActivities is GET /v1/leads/{id}/activities.
	EndpointLeadActivities = "GET /v1/leads/{id}/activities"
	// EndpointAdders is GET /v1/adders.
	EndpointAdders = "GET /v1/adders"
	// EndpointEquipment is GET /v1/equipment.
	EndpointEquipment = "GET /v1/equipment"
	// EndpointRetired is every call to the retired API under /api/1.1/
	// (answered 410 moved).
	EndpointRetired = "ANY /api/1.1/"
	// EndpointToken is the OAuth 2.0 token endpoint.
	EndpointToken = "POST /oauth/token"
	// EndpointUPowrCreateProject is UPowr POST /projects.
	EndpointUPowrCreateProject = "POST /upowr/projects"
	// EndpointUPowrPatchProject is UPowr PATCH /projects/{projectId}.
	EndpointUPowrPatchProject = "PATCH /upowr/projects/{projectId}"
	// EndpointUPowrPreferences is UPowr PUT /projects/{projectId}/preferences/installation.
	EndpointUPowrPreferences = "PUT /upowr/projects/{projectId}/preferences/installation"
	// EndpointUPowrAccept is UPowr POST /projects/{projectId}/contract/accept.
	EndpointUPowrAccept = "POST /upowr/projects/{projectId}/contract/accept"
	// EndpointUPowrReject is UPowr POST /projects/{projectId}/reject.
	EndpointUPowrReject = "POST /upowr/projects/{projectId}/reject"
	// EndpointUPowrClose is UPowr POST /projects/{projectId}/close.
	EndpointUPowrClose = "POST /upowr/projects/{projectId}/close"
	// EndpointUPowrCreateCharge is UPowr POST /projects/{projectId}/charges.
	EndpointUPowrCreateCharge = "POST /upowr/projects/{projectId}/charges"
	// EndpointUPowrDeleteCharge is UPowr DELETE /projects/{projectId}/charges/{chargeId}.
	EndpointUPowrDeleteCharge = "DELETE /upowr/projects/{projectId}/charges/{chargeId}"
	// EndpointUPowrTempFile is UPowr POST /files/temp.
	EndpointUPowrTempFile = "POST /upowr/files/temp"
)

// PipeEndpoints lists the Pipe API v1 endpoint keys.
var PipeEndpoints = []string{
	EndpointMe, EndpointListProjects, EndpointGetProject, EndpointPatchProject, EndpointMoveStage,
	EndpointAddFiles, EndpointListStages, EndpointListLeads, EndpointCreateLead, EndpointGetLead,
	EndpointPatchLead, EndpointLeadActivities, EndpointAdders, EndpointEquipment,
}

// AllEndpoints lists every counted endpoint key.
var AllEndpoints = append(append(slices.Clone(PipeEndpoints), EndpointRetired, EndpointToken),
	EndpointUPowrCreateProject, EndpointUPowrPatchProject, EndpointUPowrPreferences,
	EndpointUPowrAccept, EndpointUPowrReject, EndpointUPowrClose, EndpointUPowrCreateCharge,
	EndpointUPowrDeleteCharge, EndpointUPowrTempFile,
)

// Config configures a Server. Zero fields take the documented defaults.
type Config struct {
	// InstallerKey is the installer company's v1 key; default
	// DefaultInstallerKey.
	InstallerKey string
	// DealerKey is a dealer company's key (it reads its own projects and
	// leads, gets 403 on the ladders and the catalogue and 400 on project
	// writes); default DefaultDealerKey; "-" means no dealer key.
	DealerKey string
	// CompanyName is the installer company's name; default
	// DefaultCompanyName. DealerName is the dealer's; default
	// DefaultDealerName. KeyName is the installer key's name (GET /v1/me);
	// default DefaultKeyName.
	CompanyName, DealerName, KeyName string
	// Stages are the stage ladders of both product lines; default
	// DefaultStages.
	Stages []StageDef
	// Members are the company's active members (sales reps and setters by
	// e-mail); nil means DefaultMembers.
	Members []Member
	// UPowrClientID is the OAuth client id; default "upowr-client".
	UPowrClientID string
	// UPowrClientSecret is the OAuth client secret; default "upowr-secret".
	UPowrClientSecret string
	// UPowrAudience, if non-empty, must equal the token request's `audience`
	// form field; default "" (not checked).
	UPowrAudience string
	// UPowrKeys maps a JWT `kid` to the RSA public key accepted for
	// private_key_jwt client assertions.
	UPowrKeys map[string]crypto.PublicKey
	// UPowrStaticTokens are bearer tokens the UPowr endpoints accept without
	// going through the token endpoint. nil means
	// []string{"upowr-static-token"}; an empty non-nil slice means none.
	UPowrStaticTokens []string
	// TokenTTL is the lifetime of issued access tokens; default 1h.
	TokenTTL time.Duration
	// Now is the mock's clock (dates it writes, rate-limit windows); nil is
	// time.Now. Tests set it to a fixed or virtual time.
	Now func() time.Time
	// Wait is how Faults.Latency waits: it returns nil after d, or an error
	// as soon as ctx is done. nil uses a timer; tests inject their own.
	Wait func(ctx context.Context, d time.Duration) error
	// Logf, if set, receives one line per request (method, path, status,
	// duration). Authorization values are never logged.
	Logf func(format string, args ...any)
}

func (c *Config) applyDefaults() {
	if c.InstallerKey == "" {
		c.InstallerKey = DefaultInstallerKey
	}
	if c.DealerKey == "" {
		c.DealerKey = DefaultDealerKey
	}
	if c.CompanyName == "" {
		c.CompanyName = DefaultCompanyName
	}
	if c.DealerName == "" {
		c.DealerName = DefaultDealerName
	}
	if c.KeyName == "" {
		c.KeyName = DefaultKeyName
	}
	if c.Members == nil {
		c.Members = DefaultMembers
	}
	if c.UPowrClientID == "" {
		c.UPowrClientID = "upowr-client"
	}
	if c.UPowrClientSecret == "" {
		c.UPowrClientSecret = "upowr-secret"
	}
	if c.UPowrStaticTokens == nil {
		c.UPowrStaticTokens = []string{"upowr-static-token"}
	}
	if c.TokenTTL <= 0 {
		c.TokenTTL = time.Hour
	}
	if len(c.Stages) == 0 {
		c.Stages = DefaultStages
	}
	for i, st := range c.Stages {
		if st.Kind == "" {
			c.Stages = slices.Clone(c.Stages)
			c.Stages[i].Kind = "normal"
		}
	}
}

// Server is the mock API server. It implements http.Handler and is safe for
// concurrent use.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	counters map[string]*atomic.Int64

	behaviour atomic.Pointer[PipeBehaviour]
	faults    atomic.Pointer[faultState]
	rate      atomic.Pointer[rateState]

	baseURL atomic.Pointer[string]

	pipe  pipeState
	upowr upowrState
	oauth oauthState

	lifeMu sync.Mutex
	ts     *httptest.Server
	srv    *http.Server
	ln     net.Listener
}

// New returns a Server with cfg (defaults applied). It serves nothing until
// it is mounted (it is an http.Handler), or Start or NewTest is used. It
// panics on a Config it cannot serve (stage ladders with an empty product
// line, duplicate stage ids or names): a programming error in a test.
func New(cfg Config) *Server {
	cfg.applyDefaults()
	if err := checkStages(cfg.Stages); err != nil {
		panic("mockapi: Config.Stages: " + err.Error())
	}
	cfg.UPowrStaticTokens = append([]string(nil), cfg.UPowrStaticTokens...)
	cfg.Stages = slices.Clone(cfg.Stages)
	cfg.Members = slices.Clone(cfg.Members)
	s := &Server{
		cfg:      cfg,
		mux:      http.NewServeMux(),
		counters: make(map[string]*atomic.Int64, len(AllEndpoints)),
	}
	for _, e := range AllEndpoints {
		s.counters[e] = new(atomic.Int64)
	}
	empty := ""
	s.baseURL.Store(&empty)
	s.behaviour.Store(&PipeBehaviour{})
	s.pipe.init(&s.cfg)
	s.upowr.init()
	s.oauth.init()
	s.routes()
	return s
}

// NewTest starts the server on a loopback httptest server, registers its
// shutdown with t.Cleanup and returns it.
func NewTest(t testing.TB, cfg Config) *Server {
	t.Helper()
	s := New(cfg)
	ts := httptest.NewServer(s)
	s.lifeMu.Lock()
	s.ts = ts
	s.lifeMu.Unlock()
	s.setURL(ts.URL)
	t.Cleanup(s.Close)
	return s
}

// Start listens on addr (which must be a loopback address such as
// "127.0.0.1:0" or "localhost:8080") and serves in the background. It returns
// the base URL, e.g. "http://127.0.0.1:40123".
func (s *Server) Start(addr string) (string, error) {
	if err := CheckLoopback(addr); err != nil {
		return "", err
	}
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.srv != nil || s.ts != nil {
		return "", errors.New("mockapi: server already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.srv, s.ln = srv, ln
	u := "http://" + ln.Addr().String()
	s.setURL(u)
	go func() { _ = srv.Serve(ln) }()
	return u, nil
}

// CheckLoopback returns an error unless addr's host is a loopback IP address
// or "localhost".
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("mockapi: invalid listen address %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("mockapi: refusing to listen on non-loopback address %q (use 127.0.0.1, ::1 or localhost)", addr)
	}
	return nil
}

// Shutdown gracefully stops a server started with Start, waiting for
// in-flight requests until ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	s.lifeMu.Lock()
	srv, ts := s.srv, s.ts
	s.srv, s.ts = nil, nil
	s.lifeMu.Unlock()
	if ts != nil {
		ts.Close()
	}
	if srv != nil {
		return srv.Shutdown(ctx)
	}
	return nil
}

// Close stops the server (started with Start or NewTest) immediately. It is
// safe to call more than once.
func (s *Server) Close() {
	s.lifeMu.Lock()
	srv, ts := s.srv, s.ts
	s.srv, s.ts = nil, nil
	s.lifeMu.Unlock()
	if ts != nil {
		ts.CloseClientConnections()
		ts.Close()
	}
	if srv != nil {
		_ = srv.Close()
	}
}

func (s *Server) setURL(u string) {
	u = strings.TrimRight(u, "/")
	s.baseURL.Store(&u)
}

// now is the mock's clock.
func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// wait sleeps d or until ctx is done (see Config.Wait).
func (s *Server) wait(ctx context.Context, d time.Duration) error {
	if s.cfg.Wait != nil {
		return s.cfg.Wait(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Config returns the effective configuration (defaults filled in).
func (s *Server) Config() Config {
	c := s.cfg
	c.UPowrStaticTokens = append([]string(nil), c.UPowrStaticTokens...)
	c.Stages = slices.Clone(c.Stages)
	c.Members = slices.Clone(c.Members)
	return c
}

// URL is the server's base URL, e.g. "http://127.0.0.1:40123"; "" before
// Start or NewTest.
func (s *Server) URL() string { return *s.baseURL.Load() }

// PipeBaseURL is URL()+"/v1", the provider's base_url for Pipe API v1.
func (s *Server) PipeBaseURL() string { return s.URL() + "/v1" }

// RetiredBaseURL is URL()+"/api/1.1/wf", where the retired API lived: every
// call there answers 410 {"error":"moved","docs":"https://pipe.solar/api/v1"}.
func (s *Server) RetiredBaseURL() string { return s.URL() + "/api/1.1/wf" }

// UPowrBaseURL is URL()+"/upowr", the UPowr base URL.
func (s *Server) UPowrBaseURL() string { return s.URL() + "/upowr" }

// TokenURL is URL()+"/oauth/token", the OAuth 2.0 token URL.
func (s *Server) TokenURL() string { return s.URL() + "/oauth/token" }

// Count returns the number of requests that reached the endpoint (see the
// Endpoint* constants), including ones answered with an injected fault.
func (s *Server) Count(endpoint string) int {
	if c, ok := s.counters[endpoint]; ok {
		return int(c.Load())
	}
	return 0
}

// Counts returns the non-zero request counters keyed by endpoint.
func (s *Server) Counts() map[string]int {
	m := make(map[string]int)
	for k, c := range s.counters {
		if n := c.Load(); n != 0 {
			m[k] = int(n)
		}
	}
	return m
}

// ResetCounts sets every request counter to zero.
func (s *Server) ResetCounts() {
	for _, c := range s.counters {
		c.Store(0)
	}
}

func (s *Server) routes() {
	m := s.mux
	// Pipe API v1
	s.handle(EndpointMe, "", false, s.handleMe)
	s.handle(EndpointListProjects, "", false, s.handleListProjects)
	s.handle(EndpointGetProject, "", false, s.handleGetProject)
	s.handle(EndpointPatchProject, "", true, s.handlePatchProject)
	s.handle(EndpointMoveStage, "", true, s.handleMoveStage)
	s.handle(EndpointAddFiles, "", true, s.handleAddFiles)
	s.handle(EndpointListStages, "", false, s.handleListStages)
	s.handle(EndpointListLeads, "", false, s.handleListLeads)
	s.handle(EndpointCreateLead, "", true, s.handleCreateLead)
	s.handle(EndpointGetLead, "", false, s.handleGetLead)
	s.handle(EndpointPatchLead, "", true, s.handlePatchLead)
	s.handle(EndpointLeadActivities, "", false, s.handleLeadActivities)
	s.handle(EndpointAdders, "", false, s.handleAdders)
	s.handle(EndpointEquipment, "", false, s.handleEquipment)
	m.HandleFunc("/v1/", s.handleV1Unknown)
	// the retired API
	s.handle(EndpointRetired, "/api/1.1/", false, s.handleRetired)
	// OAuth
	s.handle(EndpointToken, "", false, s.handleToken)
	// UPowr
	s.handle(EndpointUPowrCreateProject, "", true, s.upowrAuth(s.handleUPowrCreateProject))
	s.handle(EndpointUPowrPatchProject, "", false, s.upowrAuth(s.handleUPowrPatchProject))
	s.handle(EndpointUPowrPreferences, "", false, s.upowrAuth(s.handleUPowrPreferences))
	s.handle(EndpointUPowrAccept, "", false, s.upowrAuth(s.handleUPowrAccept))
	s.handle(EndpointUPowrReject, "", false, s.upowrAuth(s.handleUPowrReject))
	s.handle(EndpointUPowrClose, "", false, s.upowrAuth(s.handleUPowrClose))
	s.handle(EndpointUPowrCreateCharge, "", true, s.upowrAuth(s.handleUPowrCreateCharge))
	s.handle(EndpointUPowrDeleteCharge, "", false, s.upowrAuth(s.handleUPowrDeleteCharge))
	s.handle(EndpointUPowrTempFile, "", true, s.upowrAuth(s.handleUPowrTempFile))
	// admin (never counted, no faults, no auth)
	s.adminRoutes(m)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]any{
			"message": fmt.Sprintf("no route for %s %s (Pipe API v1 is under /v1, UPowr under /upowr)", r.Method, r.URL.Path),
		})
	})
}

// handle registers h under the endpoint key (or under pattern, when the key
// is not a mux pattern), wrapped with counting, the rate limit and faults.
// write marks the writes DropAfterCommit and AfterCommit act on.
func (s *Server) handle(key, pattern string, write bool, h http.HandlerFunc) {
	if pattern == "" {
		pattern = key
	}
	s.mux.Handle(pattern, s.instrument(key, write, h))
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	logf := s.cfg.Logf
	if logf == nil {
		s.mux.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	s.mux.ServeHTTP(sw, r)
	var status string
	switch {
	case sw.hijacked:
		status = "dropped (connection closed after commit)"
	case sw.status != 0:
		status = fmt.Sprint(sw.status)
	case sw.wrote:
		status = "200"
	default:
		status = "no response"
	}
	logf("mockapi: %s %s -> %s (%s)", r.Method, r.URL.Path, status, time.Since(start).Round(time.Microsecond))
	if sw.conn != nil {
		_ = sw.conn.Close()
	}
}

// statusWriter records the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	conn     net.Conn // a dropped connection, closed once logged
	status   int
	wrote    bool
	hijacked bool
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
