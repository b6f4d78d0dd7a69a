// Package upowr is a client for the UPowr Project API: projects with
// customer and site data, installation preferences, contract acceptance,
// rejection, closing, charges and temporary file uploads. It authenticates
// with OAuth 2.0 client credentials (a client secret or an RFC 7523 private
// key assertion) or a static access token.
package upowr

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// API is the name errors and logs use for this service.
const API = "UPowr"

// Defaults for the production service.
const (
	DefaultBaseURL  = "https://api.core.upowr.cloud"
	DefaultTokenURL = "https://id.core.upowr.cloud/oauth/token"
)

// Config configures a Client. Exactly one way to authenticate is used, in
// this order: AccessToken; ClientID + ClientSecret; ClientID + PrivateKeyPEM.
type Config struct {
	BaseURL       string
	TokenURL      string
	AccessToken   string
	ClientID      string
	ClientSecret  string
	PrivateKeyPEM string
	KeyID         string
	Audience      string
	HTTP          transport.Options
}

// Client calls the UPowr API. It is safe for concurrent use; the access
// token is fetched once and reused until shortly before it expires.
type Client struct {
	base    string
	http    *http.Client
	method  string
	maxBody int64
}

// New returns a Client for cfg. It does not contact the token endpoint.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = DefaultTokenURL
	}
	for name, raw := range map[string]string{"base URL": cfg.BaseURL, "token URL": cfg.TokenURL} {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("invalid UPowr %s %q: want an absolute http(s) URL", name, raw)
		}
	}
	opts := cfg.HTTP
	opts.Secrets = append(append([]string(nil), opts.Secrets...), cfg.AccessToken, cfg.ClientSecret, cfg.PrivateKeyPEM)

	tokenHTTP := transport.NewClient(opts, nil)
	tokenHTTP.Transport = idempotent{tokenHTTP.Transport}
	fetch, method, err := tokenFetcherFor(cfg, tokenHTTP)
	if err != nil {
		return nil, err
	}
	tokens := newTokenCache(fetch)
	auth := func(next http.RoundTripper) http.RoundTripper {
		return &bearer{next: next, tokens: tokens, method: method, tokenURL: cfg.TokenURL}
	}
	return &Client{
		base:    strings.TrimRight(cfg.BaseURL, "/"),
		http:    transport.NewClient(opts, auth),
		method:  method,
		maxBody: transport.DefaultMaxBodyBytes,
	}, nil
}

// AuthMethod names how the client authenticates.
func (c *Client) AuthMethod() string { return c.method }

// idempotent marks every request through it as safe to repeat (token
// requests: asking again for a token changes nothing).
type idempotent struct{ next http.RoundTripper }

func (i idempotent) RoundTrip(req *http.Request) (*http.Response, error) {
	return i.next.RoundTrip(req.WithContext(transport.WithIdempotent(req.Context())))
}

// call sends a request with a JSON body (or raw, when contentType is set)
// and returns the answer when it is a 2xx without {"ok": false}.
func (c *Client) call(ctx context.Context, method, path string, query url.Values, body any) (*transport.Response, error) {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var req *http.Request
	var err error
	if mp, ok := body.(*multipartBody); ok {
		req, err = http.NewRequestWithContext(ctx, method, u, bytes.NewReader(mp.data))
		if err == nil {
			req.Header.Set("Content-Type", mp.contentType)
			req.Header.Set("Accept", "application/json")
		}
	} else {
		req, err = transport.NewRequest(ctx, method, u, body)
	}
	if err != nil {
		return nil, err
	}
	resp, err := transport.Send(c.http, req, transport.Call{API: API, Endpoint: path, MaxBodyBytes: c.maxBody})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, transport.NewAPIErrorFromBody(API, method, path, resp.StatusCode, resp.Body)
	}
	var ok struct {
		OK *bool `json:"ok"`
	}
	if json.Unmarshal(resp.Body, &ok) == nil && ok.OK != nil && !*ok.OK {
		return nil, transport.NewAPIErrorFromBody(API, method, path, resp.StatusCode, resp.Body)
	}
	return resp, nil
}

// decodeID reads {"id": "..."} from a create answer.
func decodeID(resp *transport.Response, method, path string) (string, error) {
	var out struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return "", fmt.Errorf("%s %s %s: malformed answer (%w): %s", API, method, path, err, transport.Message(resp.Body))
	}
	var id string
	if err := json.Unmarshal(out.ID, &id); err != nil {
		var n json.Number
		if json.Unmarshal(out.ID, &n) != nil {
			return "", fmt.Errorf("%s %s %s: the answer has no id: %s", API, method, path, transport.Message(resp.Body))
		}
		id = n.String()
	}
	if id = strings.TrimSpace(id); id == "" {
		return "", fmt.Errorf("%s %s %s: the answer has no id: %s", API, method, path, transport.Message(resp.Body))
	}
	return id, nil
}

// AmbiguousWriteError reports a create whose outcome is unknown.
type AmbiguousWriteError struct {
	Endpoint string
	Check    string
	Err      error
}

func (e *AmbiguousWriteError) Error() string {
	return fmt.Sprintf("%v\n\nThe request to %s may have reached UPowr and been carried out before the failure. "+
		"UPowr offers no way to look it up, so it was not repeated automatically, to avoid a duplicate; %s.",
		e.Err, e.Endpoint, e.Check)
}

func (e *AmbiguousWriteError) Unwrap() error { return e.Err }

func ambiguous(err error, endpoint, check string) error {
	if err == nil || !transport.MayHaveReachedServer(err) {
		return err
	}
	return &AmbiguousWriteError{Endpoint: endpoint, Check: check, Err: err}
}

func projectPath(id string, rest ...string) string {
	p := "/projects/" + url.PathEscape(id)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

// ProductsOfInterest is one entry of productsOfInterest.
type ProductsOfInterest struct {
	Solar     bool `json:"solar"`
	Battery   bool `json:"battery"`
	EVCharger bool `json:"ev_charger"`
}

// Preferences holds the customer's preferences at create time.
type Preferences struct {
	CustomerPreferredDays []int `json:"customerPreferredDays,omitempty"`
}

// CreateProjectInput is the body of POST /projects. Customer, Site and
// CustomFields are JSON objects passed through as given.
type CreateProjectInput struct {
	Type               string               `json:"type,omitempty"`
	FileAssociationID  string               `json:"fileAssociationId,omitempty"`
	Preferences        *Preferences         `json:"preferences,omitempty"`
	ProductsOfInterest []ProductsOfInterest `json:"productsOfInterest"`
	Customer           json.RawMessage      `json:"customer,omitempty"`
	Site               json.RawMessage      `json:"site,omitempty"`
	CustomerComments   string               `json:"customerComments,omitempty"`
	CustomFields       json.RawMessage      `json:"customFields,omitempty"`
	CustomerID         string               `json:"customerId,omitempty"`
	SiteID             string               `json:"siteId,omitempty"`
	TriggerProcess     bool                 `json:"triggerProcess"`
}

// CreateProject creates a project and returns its id. It is not repeated
// once the request may have reached the server.
func (c *Client) CreateProject(ctx context.Context, in CreateProjectInput) (string, error) {
	resp, err := c.call(ctx, http.MethodPost, "/projects", nil, in)
	if err != nil {
		return "", ambiguous(err, "POST /projects",
			"look for the customer's new project in UPowr before applying again, and import or remove it")
	}
	return decodeID(resp, http.MethodPost, "/projects")
}

// UpdateProjectInput is the body of PATCH /projects/{id}; nil fields are not
// sent.
type UpdateProjectInput struct {
	Class *string `json:"class,omitempty"`
	Xref  *string `json:"xref,omitempty"`
}

// UpdateProject sets a project's class and external reference.
func (c *Client) UpdateProject(ctx context.Context, id string, in UpdateProjectInput) error {
	_, err := c.call(transport.WithIdempotent(ctx), http.MethodPatch, projectPath(id), nil, in)
	return err
}

// SetInstallationPreferences replaces the customer's preferred installation
// days (0 = Sunday ... 6 = Saturday).
func (c *Client) SetInstallationPreferences(ctx context.Context, id string, days []int) error {
	if days == nil {
		days = []int{}
	}
	_, err := c.call(transport.WithIdempotent(ctx), http.MethodPut, projectPath(id, "preferences", "installation"), nil, days)
	return err
}

// AcceptContract accepts the project's contract; reAccept accepts a revised
// contract again.
func (c *Client) AcceptContract(ctx context.Context, id string, reAccept bool) error {
	q := url.Values{"re_accept": {strconv.FormatBool(reAccept)}}
	_, err := c.call(ctx, http.MethodPost, projectPath(id, "contract", "accept"), q, nil)
	return ambiguous(err, "POST "+projectPath(id, "contract", "accept"), "check the project's contract state in UPowr before applying again")
}

// RejectProject rejects the project with a reason. Rejection is final.
func (c *Client) RejectProject(ctx context.Context, id, reason string) error {
	body := map[string]string{"rejectReason": reason}
	_, err := c.call(ctx, http.MethodPost, projectPath(id, "reject"), nil, body)
	return ambiguous(err, "POST "+projectPath(id, "reject"), "check the project's state in UPowr before applying again")
}

// CloseProject closes the project; closing a closed project is harmless, so
// it is retried on server errors. When UPowr answers that the project is
// already closed (409: it was rejected, replaced by a newer project for the
// same customer and site, or closed in the app), the error is an
// *AlreadyDoneError (IsAlreadyDone): for a destroy that means done.
func (c *Client) CloseProject(ctx context.Context, id, closedBy string) error {
	body := map[string]string{}
	if closedBy != "" {
		body["closedBy"] = closedBy
	}
	_, err := c.call(transport.WithIdempotent(ctx), http.MethodPost, projectPath(id, "close"), nil, body)
	if transport.KindOf(err) == transport.KindConflict {
		return &AlreadyDoneError{State: "already closed", Err: err}
	}
	return err
}

// AlreadyDoneError reports that UPowr refused a close or a delete because
// the object is already in the state the call asked for: a project already
// closed (or rejected, which closes it), a charge already deleted. Err is
// UPowr's own answer.
type AlreadyDoneError struct {
	// State says what UPowr reported: "already closed", "already deleted".
	State string
	Err   error
}

func (e *AlreadyDoneError) Error() string { return e.Err.Error() }

func (e *AlreadyDoneError) Unwrap() error { return e.Err }

// IsAlreadyDone reports whether err is an *AlreadyDoneError.
func IsAlreadyDone(err error) bool {
	var d *AlreadyDoneError
	return errors.As(err, &d)
}

// ChargeInput is the body of POST /projects/{id}/charges.
type ChargeInput struct {
	Amount        int64    `json:"amount"`
	Type          string   `json:"type"`
	Description   string   `json:"description,omitempty"`
	PaidBy        string   `json:"paid_by"`
	ExternalLinks []string `json:"external_links,omitempty"`
	ProcessedAt   string   `json:"processed_at,omitempty"`
}

// CreateCharge records a charge and returns its id. It is not repeated once
// the request may have reached the server.
func (c *Client) CreateCharge(ctx context.Context, projectID string, in ChargeInput) (string, error) {
	path := projectPath(projectID, "charges")
	resp, err := c.call(ctx, http.MethodPost, path, nil, in)
	if err != nil {
		return "", ambiguous(err, "POST "+path, "check the project's charges in UPowr before applying again")
	}
	return decodeID(resp, http.MethodPost, path)
}

// DeleteCharge deletes a charge. A charge that no longer exists (404) or
// that UPowr says is already deleted (409) gives an *AlreadyDoneError
// (IsAlreadyDone; for a 404 transport.IsNotFound is true as well).
func (c *Client) DeleteCharge(ctx context.Context, projectID, chargeID string) error {
	_, err := c.call(transport.WithIdempotent(ctx), http.MethodDelete, projectPath(projectID, "charges", url.PathEscape(chargeID)), nil, nil)
	switch transport.KindOf(err) {
	case transport.KindNotFound, transport.KindConflict:
		return &AlreadyDoneError{State: "already deleted", Err: err}
	}
	return err
}

// TempFileInput is one temporary file upload.
type TempFileInput struct {
	FileAssociationID string
	FileCode          string
	Filename          string
	Content           []byte
	Replace           bool
}

type multipartBody struct {
	data        []byte
	contentType string
}

// UploadTempFile uploads a file to the temporary area under a file
// association id, for a project created later with that id. It is not
// repeated once the request may have reached the server.
func (c *Client) UploadTempFile(ctx context.Context, in TempFileInput) error {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("fileAssociationId", in.FileAssociationID); err != nil {
		return err
	}
	if err := w.WriteField("fileCode", in.FileCode); err != nil {
		return err
	}
	name := in.Filename
	if name == "" {
		name = in.FileCode
	}
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		return err
	}
	if _, err := part.Write(in.Content); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	q := url.Values{"replace": {strconv.FormatBool(in.Replace)}}
	_, err = c.call(ctx, http.MethodPost, "/files/temp", q, &multipartBody{data: buf.Bytes(), contentType: w.FormDataContentType()})
	return ambiguous(err, "POST /files/temp",
		"the upload can be repeated safely with replace = true; check the file association in UPowr")
}
