// Package pipesolar is the client of Pipe API v1 (https://api.pipe.solar/v1,
// specified by openapi.json in pipesolar/pipe-api-migration): the key check,
// projects, their stage, install date, NTP and files, the stage ladders,
// leads and their activity, and the installer's catalogue (adders and
// equipment).
//
// Every call sends the company key as a bearer token, marks itself safe to
// repeat (every v1 call is: a stage move or PATCH sets values, a file url
// already in its folder adds nothing, a lead sent again with its externalId
// answers the lead already made; only a lead created without an externalId
// is not repeated once it may have reached the API), and returns a
// *transport.APIError with v1's error.code, error.message and docs link, or
// a transport request error.
// Waiting for the API's limit of 100 calls a minute per key is shared by all
// clients of one key in the process (see New).
package pipesolar

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// API is the name errors and logs use for this service.
const API = "pipe.solar"

// Base URLs of Pipe API v1.
const (
	DefaultBaseURL = "https://api.pipe.solar/v1"
	SandboxBaseURL = "https://staging-api.pipe.solar/v1"
)

// Endpoints, relative to the base URL, as errors report them: a path that
// names a record is reported as its template, with the id beside it.
const (
	EndpointProjects     = "/projects"
	EndpointStages       = "/stages"
	EndpointMe           = "/me"
	EndpointProject      = "/projects/{id}"
	EndpointProjectStage = "/projects/{id}/stage"
	EndpointProjectFiles = "/projects/{id}/files"
)

// DefaultCallsPerMinute is v1's limit per key, and the default pace's.
const DefaultCallsPerMinute = 100

// maxPages bounds one listing: 10,000 pages of 100 rows is a million
// projects; more means the cursors go round in a circle.
const maxPages = 10000

// Config configures a Client.
type Config struct {
	// BaseURL defaults to DefaultBaseURL; a trailing slash is ignored.
	BaseURL string
	// Token is the company key (psk_...), sent as a bearer token.
	Token string
	// HTTP configures retries, timeouts, rate limits and logging.
	// HTTP.RequestsPerSecond above 0 replaces the default pace.
	HTTP transport.Options
	// CallsPerMinute is the default pace's limit, used when
	// HTTP.RequestsPerSecond is 0: 0 means DefaultCallsPerMinute, a
	// negative value turns the default pace off.
	CallsPerMinute int
	// PaceWindow is the span CallsPerMinute counts in; 0 means the
	// environment's PIPESOLAR_RATE_WINDOW (a Go duration, for a sandbox or
	// mock whose window is not v1's), else a minute.
	PaceWindow time.Duration
}

// Client calls Pipe API v1. It is safe for concurrent use.
type Client struct {
	base    string
	http    *http.Client
	maxBody int64
}

// New returns a Client for cfg. It makes no call.
//
// Clients of the same base URL and key in one process share one
// transport.Budget, which holds the default pace (unless cfg.HTTP brings a
// Budget or a Clock of its own): v1 counts calls per key, so a Retry-After
// told to one call holds them all, and the pace is the process's.
func New(cfg Config) (*Client, error) {
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("invalid pipe.solar base URL %q: want an absolute https URL such as %s (sandbox: %s)",
			base, DefaultBaseURL, SandboxBaseURL)
	}
	if strings.Contains(u.Path, "/api/1.1") {
		return nil, fmt.Errorf("pipe.solar base URL %q is %s", base, retiredAdvice)
	}
	if cfg.Token == "" {
		return nil, errors.New("the pipe.solar API key is empty: set api_token (or PIPESOLAR_API_TOKEN) to a Pipe API v1 company key, psk_ followed by 40 hex characters")
	}
	opts := cfg.HTTP
	opts.Secrets = append(append([]string(nil), opts.Secrets...), cfg.Token)
	if opts.Budget == nil {
		opts.Budget = budgetFor(base, cfg)
	}
	return &Client{
		base:    base,
		http:    transport.NewClient(opts, bearer(cfg.Token)),
		maxBody: transport.DefaultMaxBodyBytes,
	}, nil
}

// EnvRateWindow names the environment variable that sets the span of the
// default pace's CallsPerMinute (default: a minute).
const EnvRateWindow = "PIPESOLAR_RATE_WINDOW"

var process = struct {
	sync.Mutex
	byKey map[string]*transport.Budget
}{byKey: map[string]*transport.Budget{}}

// budgetFor returns the budget of cfg's key in this process: its waits
// (a Retry-After told to one call holds them all) and, unless
// requests_per_second replaces it or CallsPerMinute is negative, its pace.
// A client with an injected clock (tests) gets its own: a budget runs on
// one clock.
//
// The pace sends at most CallsPerMinute calls in any span of the window
// and a fiftieth (v1: 100 calls in any 61.2 s), the most no window of v1's
// limit refuses, with 1.2 s a minute to spare for the clock skew and the
// network delays between the two ends. So a long refresh runs at the
// limit's own speed, and nothing is slowed below 100 calls. Other
// processes with the same key share the limit too; their excess comes back
// as 429s with Retry-After, which pause every call of the budget.
func budgetFor(base string, cfg Config) *transport.Budget {
	calls, window := cfg.CallsPerMinute, cfg.PaceWindow
	if calls == 0 {
		calls = DefaultCallsPerMinute
	}
	if window <= 0 {
		window = envRateWindow()
	}
	if cfg.HTTP.RequestsPerSecond > 0 {
		calls = -1
	}
	span := window + window/50
	if cfg.HTTP.Clock != nil {
		return transport.NewBudgetLimit(cfg.HTTP.Clock, calls, span)
	}
	sum := sha256.Sum256([]byte(cfg.Token))
	key := base + "\n" + hex.EncodeToString(sum[:]) + "\n" + strconv.Itoa(calls) + "/" + span.String()
	process.Lock()
	defer process.Unlock()
	b, ok := process.byKey[key]
	if !ok {
		b = transport.NewBudgetLimit(nil, calls, span)
		process.byKey[key] = b
	}
	return b
}

// envRateWindow is PIPESOLAR_RATE_WINDOW, or a minute when it is unset or
// not a positive duration.
func envRateWindow() time.Duration {
	if d, err := time.ParseDuration(strings.TrimSpace(os.Getenv(EnvRateWindow))); err == nil && d > 0 {
		return d
	}
	return time.Minute
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

// target is what one call addresses: the endpoint's template for errors,
// the path to request, and the record's id ("" for a collection).
type target struct {
	endpoint, path, id string
}

func collection(endpoint string) target { return target{endpoint: endpoint, path: endpoint} }

// record addresses endpoint (a template with "{id}") for the record id.
func record(endpoint, id string) (target, error) {
	if strings.TrimSpace(id) == "" {
		return target{}, fmt.Errorf("%s %s: the id is empty", API, endpoint)
	}
	return target{endpoint: endpoint, path: strings.Replace(endpoint, "{id}", url.PathEscape(id), 1), id: id}, nil
}

// call performs one v1 call, safe to repeat, and decodes a 2xx answer's
// JSON into out (when not nil). Every other status is a
// *transport.APIError (see apiError).
func (c *Client) call(ctx context.Context, method string, t target, query url.Values, body, out any) error {
	return c.send(transport.WithIdempotent(ctx), method, t, query, body, out)
}

// send is call without marking the call safe to repeat: unless ctx says so
// (transport.WithIdempotent), it is retried only when it provably never
// reached the API, or on 429 and 503.
func (c *Client) send(ctx context.Context, method string, t target, query url.Values, body, out any) error {
	u := c.base + t.path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := transport.NewRequest(ctx, method, u, body)
	if err != nil {
		return fmt.Errorf("%s %s %s: %w", API, method, t.endpoint, err)
	}
	resp, err := transport.Send(c.http, req, transport.Call{API: API, Endpoint: t.endpoint, ID: t.id, MaxBodyBytes: c.maxBody})
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiError(method, t, resp)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return malformed(method, t, resp, err.Error())
	}
	return nil
}

// malformed reports a 2xx answer that is not what v1 documents.
func malformed(method string, t target, resp *transport.Response, why string) error {
	id := ""
	if t.id != "" {
		id = fmt.Sprintf(" (id %q)", t.id)
	}
	return fmt.Errorf("%s %s %s%s: HTTP %d with an answer that is not Pipe API v1's (%s): %s. Check that base_url points at Pipe API v1 (%s)",
		API, method, t.endpoint, id, resp.StatusCode, why, transport.Message(resp.Body), DefaultBaseURL)
}

// lacks reports a 2xx answer without something v1 always sends.
func lacks(method string, t target, what string) error {
	id := ""
	if t.id != "" {
		id = fmt.Sprintf(" (id %q)", t.id)
	}
	return fmt.Errorf("%s %s %s%s: the answer has no %s. Check that base_url points at Pipe API v1 (%s)",
		API, method, t.endpoint, id, what, DefaultBaseURL)
}

// retiredAdvice is what to do when an address answers for the retired API.
const retiredAdvice = "the old pipe.solar API, retired on 2026-10-11. Provider 2.x speaks Pipe API v1: " +
	"set base_url to " + DefaultBaseURL + " (or remove it: that is the default; the sandbox is " + SandboxBaseURL + ") " +
	"and api_token to a psk_ company key (made by an owner or admin in pipe.solar, Settings → API Keys)"

// v1Error is the body of every v1 error.
type v1Error struct {
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Docs    string `json:"docs"`
	} `json:"error"`
}

// isV1Error reports whether body is {"error": {"code": ...}}.
func isV1Error(body []byte) bool {
	var e v1Error
	return json.Unmarshal(body, &e) == nil && e.Error != nil && e.Error.Code != ""
}

// apiError turns an error status into a *transport.APIError with v1's
// code, message and docs link, and says what to do.
func apiError(method string, t target, resp *transport.Response) error {
	e := transport.NewAPIErrorFromBody(API, method, t.endpoint, resp.StatusCode, resp.Body)
	e.ID = t.id
	switch resp.StatusCode {
	case http.StatusNotFound:
		switch {
		case t.id == "":
			// A collection always exists: the address is not Pipe API v1.
			e = e.WithKind(transport.KindUnknown)
			e.Hint = fmt.Sprintf("Pipe API v1 always answers %s, so base_url does not point at it: set it to %s (or remove it; sandbox: %s)",
				t.endpoint, DefaultBaseURL, SandboxBaseURL)
		case !isV1Error(resp.Body):
			// Gone is only what v1 itself says is gone: a 404 without
			// its error body comes from something else at that address.
			e = e.WithKind(transport.KindUnknown)
			e.Hint = fmt.Sprintf("The answer is not Pipe API v1's (no error.code), so it does not say whether the record exists: check that base_url points at %s", DefaultBaseURL)
		}
	case http.StatusGone:
		// Only the retired API's {"error": "moved", ...} says that: any
		// other 410 is an error of its own.
		var moved struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(resp.Body, &moved) != nil || moved.Error != "moved" {
			e = e.WithKind(transport.KindUnknown)
			break
		}
		e = e.WithKind(transport.KindGone)
		if e.Code == "" {
			e.Code = moved.Error
		}
		e.Hint = "This address answers for " + retiredAdvice
	case http.StatusUnauthorized:
		e.Hint = "Set api_token (or PIPESOLAR_API_TOKEN) to a live Pipe API v1 company key: psk_ followed by 40 hex characters, " +
			"made by an owner or admin in Settings → API Keys; keys of the retired API do not work, and a sandbox key works only with the sandbox base_url"
	case http.StatusForbidden:
		if e.Code == "not_open" {
			e.Hint = "Pipe API v1 is not open for this company yet. Until it is, use the sandbox (base_url = " + SandboxBaseURL +
				" with a sandbox key), or ask pipe.solar when v1 opens for your company"
		} else if dealerRefused(t.endpoint) {
			e.Hint = "A dealer's key may not read stage ladders or the catalogue (adders and equipment): those " +
				"need the installer's key (a key of the installer company, made by an owner or admin there) in api_token"
		} else {
			e.Hint = "The key is valid but may not make this call (error.message says why): check that api_token is a key of " +
				"the company that owns the record, or ask an owner or admin of that company for access"
		}
	}
	return e
}

// dealerRefused reports whether endpoint is one a dealer's key gets 403 on:
// the stage ladders and the catalogue.
func dealerRefused(endpoint string) bool {
	switch endpoint {
	case EndpointStages, EndpointAdders, EndpointEquipment:
		return true
	}
	return false
}

// Me is GET /me: the key's name and company.
func (c *Client) Me(ctx context.Context) (*Me, error) {
	var out Me
	if err := c.call(ctx, http.MethodGet, collection(EndpointMe), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetProject is GET /projects/{id}: the full project. id is Pipe's id, an
// old 10-character reference or the lead's id. A 404 is
// transport.KindNotFound.
func (c *Client) GetProject(ctx context.Context, id string) (*Project, error) {
	t, err := record(EndpointProject, id)
	if err != nil {
		return nil, err
	}
	var out Project
	if err := c.call(ctx, http.MethodGet, t, nil, nil, &out); err != nil {
		return nil, err
	}
	if out.ID == "" {
		return nil, lacks(http.MethodGet, t, "project id")
	}
	return &out, nil
}

// UpdateProject is PATCH /projects/{id}: it sends installDate when
// u.InstallDate is set (null when it points at "", which clears the date)
// and ntpGranted when u.NTPGranted is set. With neither set it makes no
// call and reports no change.
func (c *Client) UpdateProject(ctx context.Context, id string, u ProjectUpdate) (changed bool, err error) {
	t, err := record(EndpointProject, id)
	if err != nil {
		return false, err
	}
	body := map[string]any{}
	if u.InstallDate != nil {
		if *u.InstallDate == "" {
			body["installDate"] = nil
		} else {
			body["installDate"] = *u.InstallDate
		}
	}
	if u.NTPGranted != nil {
		body["ntpGranted"] = *u.NTPGranted
	}
	if len(body) == 0 {
		return false, nil
	}
	var out struct {
		Changed bool `json:"changed"`
	}
	if err := c.call(ctx, http.MethodPatch, t, nil, body, &out); err != nil {
		return false, err
	}
	return out.Changed, nil
}

// MoveStage is POST /projects/{id}/stage with exactly one of m.StageID and
// m.Stage (a name, any case). Moving to the current stage answers
// Changed false; an unknown stage is a 400 whose message lists the ladder.
func (c *Client) MoveStage(ctx context.Context, id string, m StageMove) (*StageMoved, error) {
	t, err := record(EndpointProjectStage, id)
	if err != nil {
		return nil, err
	}
	if (m.StageID == "") == (m.Stage == "") {
		return nil, fmt.Errorf("%s POST %s (id %q): name the stage by exactly one of its id and its name", API, EndpointProjectStage, id)
	}
	var out StageMoved
	if err := c.call(ctx, http.MethodPost, t, nil, m, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AddFiles is POST /projects/{id}/files: it sends in.Files in order, in
// calls of at most MaxFilesPerCall, and returns every call's files in
// order (Added false for a url the folder already held). When a call fails,
// the files of the calls before it are returned with the error. No file,
// no call.
func (c *Client) AddFiles(ctx context.Context, id string, in AddFilesInput) ([]FileAdded, error) {
	t, err := record(EndpointProjectFiles, id)
	if err != nil {
		return nil, err
	}
	if in.Folder == "" && len(in.Files) > 0 {
		return nil, fmt.Errorf("%s POST %s (id %q): the folder is empty; want one of %s", API, EndpointProjectFiles, id, strings.Join(Folders, ", "))
	}
	var added []FileAdded
	for start := 0; start < len(in.Files); start += MaxFilesPerCall {
		end := min(start+MaxFilesPerCall, len(in.Files))
		body := struct {
			Folder string      `json:"folder"`
			Files  []FileInput `json:"files"`
		}{in.Folder, in.Files[start:end]}
		var out struct {
			Files []FileAdded `json:"files"`
		}
		if err := c.call(ctx, http.MethodPost, t, nil, body, &out); err != nil {
			if len(in.Files) > MaxFilesPerCall {
				err = fmt.Errorf("adding files %d to %d of %d (%d added before): %w", start+1, end, len(in.Files), start, err)
			}
			return added, err
		}
		added = append(added, out.Files...)
	}
	return added, nil
}

// ListStages is GET /stages: the stage ladders, solar's then HI's, each in
// order; productLine "solar" or "hi" selects one, "" both.
func (c *Client) ListStages(ctx context.Context, productLine string) ([]Stage, error) {
	var query url.Values
	if productLine != "" {
		query = url.Values{"productLine": {productLine}}
	}
	return listData[Stage](ctx, c, collection(EndpointStages), query)
}

// EachProjectPage is GET /projects, page by page: it hands each page's rows
// to fn as it arrives, newest change first, and follows next until it is
// null. Pages ask for 100 rows, or f.Limit when that is smaller. It stops
// early when fn returns an error (that error is returned) or once f.Limit
// rows were delivered (the last page is cut to fit). A cursor seen twice,
// or more than 10,000 pages, is an error.
func (c *Client) EachProjectPage(ctx context.Context, f ListFilter, fn func([]ProjectRow) error) error {
	return eachPage(ctx, c, collection(EndpointProjects), "project list", f.query(), f.Limit, fn)
}

// query is f's filters as v1's query fields (without limit and cursor).
func (f ListFilter) query() url.Values {
	query := url.Values{}
	if f.ProductLine != "" {
		query.Set("productLine", f.ProductLine)
	}
	if f.UpdatedSince != "" {
		query.Set("updatedSince", f.UpdatedSince)
	}
	return query
}

// eachPage reads the cursor pages of a v1 listing at t with the fields of
// query (which it extends with limit and cursor), as EachProjectPage
// describes; limit above 0 is how many rows the caller needs at most. what
// names the listing in errors of later pages ("project list").
func eachPage[T any](ctx context.Context, c *Client, t target, what string, query url.Values, limit int64, fn func([]T) error) error {
	size := int64(100)
	if limit > 0 && limit < size {
		size = limit
	}
	query.Set("limit", strconv.FormatInt(size, 10))
	seen := map[string]bool{}
	var delivered int64
	for page := 1; ; page++ {
		if page > maxPages {
			return fmt.Errorf("%s GET %s: more than %d pages; stopping (the API's cursors seem to go round in a circle)", API, t.endpoint, maxPages)
		}
		var out struct {
			Data *[]T    `json:"data"`
			Next *string `json:"next"`
		}
		if err := c.call(ctx, http.MethodGet, t, query, nil, &out); err != nil {
			if page > 1 {
				return fmt.Errorf("reading page %d of the %s: %w", page, what, err)
			}
			return err
		}
		if out.Data == nil {
			return lacks(http.MethodGet, t, "data")
		}
		rows := *out.Data
		if limit > 0 && delivered+int64(len(rows)) > limit {
			rows = rows[:limit-delivered]
		}
		if len(rows) > 0 {
			if err := fn(rows); err != nil {
				return err
			}
			delivered += int64(len(rows))
		}
		if (limit > 0 && delivered >= limit) || out.Next == nil || *out.Next == "" {
			return nil
		}
		next := *out.Next
		if seen[next] {
			return fmt.Errorf("%s GET %s: the API sent the cursor %q a second time (page %d); stopping instead of reading the same pages again", API, t.endpoint, next, page)
		}
		seen[next] = true
		query.Set("cursor", next)
	}
}

// listData is a v1 listing without pages: GET t?query answering
// {"data": [...]}.
func listData[T any](ctx context.Context, c *Client, t target, query url.Values) ([]T, error) {
	var out struct {
		Data *[]T `json:"data"`
	}
	if err := c.call(ctx, http.MethodGet, t, query, nil, &out); err != nil {
		return nil, err
	}
	if out.Data == nil {
		return nil, lacks(http.MethodGet, t, "data")
	}
	return *out.Data, nil
}

// ListProjects is GET /projects, every page (or f.Limit rows).
func (c *Client) ListProjects(ctx context.Context, f ListFilter) ([]ProjectRow, error) {
	return collect(func(fn func([]ProjectRow) error) error { return c.EachProjectPage(ctx, f, fn) })
}

// collect gathers every page each hands over into one list (empty, never
// nil, when there is no row).
func collect[T any](each func(fn func([]T) error) error) ([]T, error) {
	all := []T{}
	err := each(func(rows []T) error {
		all = append(all, rows...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}
