// Package pipesolar is a client for the pipe.solar RPC-style API: projects,
// their stage, activity notes, file uploads and project lists.
//
// The service is loosely specified; the client decodes every response shape
// the provider has to survive (ids in several places, lists under several
// keys, numbers as formatted strings, three ways of saying "not found") and
// returns typed errors from the transport package.
package pipesolar

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// API is the name errors and logs use for this service.
const API = "pipe.solar"

// DefaultBaseURL is the production endpoint.
const DefaultBaseURL = "https://pipe.solar/api/1.1/wf"

// Endpoints, relative to the base URL.
const (
	EndpointFetchProject    = "/fetch_project"
	EndpointCreateProject   = "/create_project"
	EndpointUpdateStage     = "/update_stage"
	EndpointUploadFile      = "/project_upload_file"
	EndpointListByInstaller = "/fetch_all_project_installer"
	EndpointListByOrg       = "/fetch_all_project"
	EndpointCreateActivity  = "/create_activity"
)

// Config configures a Client.
type Config struct {
	// BaseURL defaults to DefaultBaseURL.
	BaseURL string
	// Token is the API token sent as a bearer token.
	Token string
	// HTTP configures retries, timeouts, rate limits and logging.
	HTTP transport.Options
	// MaxCreateAttempts bounds how often CreateProject tries again after a
	// failure it reconciled as "not created"; 0 uses HTTP.MaxRetries+1.
	MaxCreateAttempts int
	// BatchRefresh serves GetProjectInOrg from one listing of each org per
	// client instead of one fetch_project per project.
	BatchRefresh bool
}

// Client calls the pipe.solar API. It is safe for concurrent use.
type Client struct {
	base           string
	http           *http.Client
	maxBody        int64
	createAttempts int
	batch          *orgBatch // nil unless Config.BatchRefresh
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid pipe.solar base URL %q: want an absolute http(s) URL", base)
	}
	if cfg.Token == "" {
		return nil, fmt.Errorf("pipe.solar API token is empty")
	}
	opts := cfg.HTTP
	opts.Secrets = append(append([]string(nil), opts.Secrets...), cfg.Token)
	attempts := cfg.MaxCreateAttempts
	if attempts <= 0 {
		attempts = max(opts.MaxRetries, 0) + 1
	}
	c := &Client{
		base:           strings.TrimRight(base, "/"),
		http:           transport.NewClient(opts, bearer(cfg.Token)),
		maxBody:        transport.DefaultMaxBodyBytes,
		createAttempts: attempts,
	}
	if cfg.BatchRefresh {
		c.batch = newOrgBatch(c)
	}
	return c, nil
}

func bearer(token string) transport.Auth {
	value := "Bearer " + token
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
			req = req.Clone(req.Context())
			req.Header.Set("Authorization", value)
			return next.RoundTrip(req)
		})
	}
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// call performs one API call that is not about one existing project (a
// create, a listing): a 404 there means the endpoint is missing, never that
// a project is gone.
func (c *Client) call(ctx context.Context, method, endpoint string, query url.Values, body any) (*transport.Response, error) {
	return c.callAbout(ctx, "", method, endpoint, query, body)
}

// callAbout performs one API call about the project with id subject ("" for
// none) and returns the answer when it reports success: HTTP 2xx and no
// {"success": false}. Everything else is an *APIError or a *RequestError
// from the transport package; the error is "not found" only on evidence
// about subject (transport.ResolveNotFound): a 404, or a 400 / success:false
// whose message says this project was not found.
func (c *Client) callAbout(ctx context.Context, subject, method, endpoint string, query url.Values, body any) (*transport.Response, error) {
	u := c.base + endpoint
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := transport.NewRequest(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	resp, err := transport.Send(c.http, req, transport.Call{API: API, Endpoint: endpoint, MaxBodyBytes: c.maxBody})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, transport.ResolveNotFound(transport.NewAPIErrorFromBody(API, method, endpoint, resp.StatusCode, resp.Body), subject)
	}
	if failed, msg := reportsFailure(resp.Body); failed {
		e := transport.NewAPIErrorFromBody(API, method, endpoint, resp.StatusCode, resp.Body)
		if msg == "" {
			e.Message = "the API answered success=false without a message"
		}
		return nil, transport.ResolveNotFound(e, subject)
	}
	return resp, nil
}

// reportsFailure detects {"success": false, "message": ...} (also inside a
// {"response": ...} envelope, and with "false" as a string) and Bubble's
// {"status": "error"...} answers sent with HTTP 200.
func reportsFailure(body []byte) (bool, string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return false, ""
	}
	var probe struct {
		Success  json.RawMessage `json:"success"`
		Status   any             `json:"status"`
		Response *struct {
			Success json.RawMessage `json:"success"`
		} `json:"response"`
	}
	if json.Unmarshal(body, &probe) != nil {
		return false, ""
	}
	isFalse := func(raw json.RawMessage) bool {
		s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
		return strings.EqualFold(s, "false")
	}
	status, _ := probe.Status.(string)
	if isFalse(probe.Success) || (probe.Response != nil && isFalse(probe.Response.Success)) ||
		strings.EqualFold(status, "error") || strings.EqualFold(status, "failure") {
		return true, transport.Message(body)
	}
	return false, ""
}
