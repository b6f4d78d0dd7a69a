package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Kind classifies an API error so callers can act on it (a Read removes a
// resource on KindNotFound but keeps state on KindUnauthorized).
type Kind int

// Error kinds.
const (
	KindUnknown Kind = iota
	KindNotFound
	KindUnauthorized
	KindForbidden
	KindValidation
	KindConflict
	KindRateLimited
	KindServer
)

func (k Kind) String() string {
	switch k {
	case KindNotFound:
		return "not found"
	case KindUnauthorized:
		return "unauthorized"
	case KindForbidden:
		return "forbidden"
	case KindValidation:
		return "rejected as invalid"
	case KindConflict:
		return "conflict"
	case KindRateLimited:
		return "rate limited"
	case KindServer:
		return "server error"
	}
	return "error"
}

// APIError is an answer from the API that reports a failure: an HTTP error
// status, or HTTP 200 with {"success": false}.
type APIError struct {
	API        string // "pipe.solar" or "UPowr"
	Method     string
	Endpoint   string // path below the base URL, e.g. "/fetch_project"
	StatusCode int
	Message    string // the API's own message, or a short excerpt of the body
	// Code is the API's own error code when the body has one: Bubble's
	// body.status ("MISSING_DATA") or error_class ("Unauthorized").
	Code string
	// Hint says what to do, when the error alone does not make it clear.
	Hint string
	kind Kind
}

// NewAPIError builds an APIError and classifies it from the status alone
// (see classify). Whether an object is gone is decided per endpoint by the
// clients, with ResolveNotFound.
func NewAPIError(api, method, endpoint string, status int, message string) *APIError {
	e := &APIError{API: api, Method: method, Endpoint: endpoint, StatusCode: status, Message: message}
	e.kind = classify(status, "", message)
	if e.kind == KindRateLimited {
		e.Hint = "The API kept answering HTTP 429 (rate limited) for as long as the provider may wait. " + rateLimitAdvice(0)
	}
	return e
}

// NewNotFoundError builds an APIError that says the object is gone, for an
// answer that is definite evidence of it on its endpoint (fetch_project's
// HTTP 200 with null or empty data).
func NewNotFoundError(api, method, endpoint string, status int, message string) *APIError {
	e := NewAPIError(api, method, endpoint, status, message)
	e.kind = KindNotFound
	return e
}

// NewAPIErrorFromBody is NewAPIError with the message and code taken from
// the answer's body (every body shape Message understands).
func NewAPIErrorFromBody(api, method, endpoint string, status int, body []byte) *APIError {
	msg, code := Message(body), ErrorCode(body)
	e := NewAPIError(api, method, endpoint, status, msg)
	e.Code = code
	e.kind = classify(status, code, msg)
	return e
}

// classify decides the kind from the HTTP status (and, for a refusal sent
// with HTTP 200, an explicit unauthorized code or message). A message never
// makes an error "not found": that takes evidence about the requested id,
// which only the endpoint's client has (ResolveNotFound).
func classify(status int, code, message string) Kind {
	switch {
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusUnauthorized:
		return KindUnauthorized
	case status == http.StatusForbidden:
		return KindForbidden
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusConflict:
		return KindConflict
	case status >= 500:
		return KindServer
	case strings.EqualFold(code, "Unauthorized"):
		return KindUnauthorized
	case status < 300 && looksUnauthorized(message):
		// Some services answer HTTP 200 {"success": false} even for a bad token.
		return KindUnauthorized
	case status >= 400 || status < 300:
		return KindValidation
	}
	return KindUnknown
}

func looksUnauthorized(message string) bool {
	m := strings.ToLower(message)
	return strings.HasPrefix(m, "unauthorized") || strings.Contains(m, "invalid api token") ||
		strings.Contains(m, "invalid or missing api token") || strings.Contains(m, "invalid token") ||
		strings.HasPrefix(m, "invalid or expired token")
}

// ResolveNotFound applies the "gone means gone" rule for a call about the
// object with the given id. It returns err unchanged except:
//   - id == "": the endpoint is not about one object (a create, a listing),
//     so a 404 says the endpoint itself is missing: an error of unknown kind
//     with a hint to check the base URL, never "not found";
//   - id != "": a 400, or a 2xx that reports failure, whose message says that
//     this id was not found (NotFoundMessage) is KindNotFound.
//
// A 404 about an id stays KindNotFound; every other refusal keeps its kind.
func ResolveNotFound(err error, id string) error {
	var api *APIError
	if !errors.As(err, &api) {
		return err
	}
	switch {
	case id == "" && api.kind == KindNotFound:
		c := *api
		c.kind = KindUnknown
		c.Hint = "The service has no " + api.Endpoint + " endpoint at this address: check the base URL setting."
		return &c
	case id != "" && (api.StatusCode == http.StatusBadRequest || api.StatusCode < 300) && NotFoundMessage(api.Message, id):
		c := *api
		c.kind = KindNotFound
		return &c
	}
	return err
}

var (
	notFoundPhrase = `(?:was\s+|is\s+|has\s+been\s+)?(?:not\s+found|not_found|could\s+not\s+be\s+found|does\s*(?:not|n't)\s+exist|no\s+longer\s+exists|deleted)`
	// A message that is only "Project not found" (Bubble's NOT_FOUND
	// bodies say no more), not "Installer not found" or "API key not found".
	wholeNotFound = regexp.MustCompile(`(?i)^\s*(?:the\s+)?(?:requested\s+)?(?:project|object|thing|item|record)?\s*(?:id\s*)?` + notFoundPhrase + `\s*[.!]?\s*$`)
)

// NotFoundMessage reports whether an API message says that the object with
// this id was not found: the whole message is "(project) not found" or "does
// not exist", or it names the id right next to such a phrase ("Project with
// id 'X' not found", "not found: no project with id X", "No project with id
// X"). "No project access for this API key" or "Installer 'Y' not found" are
// not evidence that X is gone.
func NotFoundMessage(message, id string) bool {
	if wholeNotFound.MatchString(message) {
		return true
	}
	id = strings.TrimSpace(id)
	if id == "" {
		return false
	}
	q := `['"\x60]?` + regexp.QuoteMeta(id) + `['"\x60]?`
	after := `(?i)` + q + `[\s)\]]*` + notFoundPhrase
	before := `(?i)(?:not\s+found|does\s*(?:not|n't)\s+exist|unknown|no\s+such|no)[\s:,(\[-]*(?:(?:project|projects|with|the|id|_id|=)[\s:,=(\[-]*)*` + q + `(?:[^\w-]|$)`
	return regexp.MustCompile(after).MatchString(message) || regexp.MustCompile(before).MatchString(message)
}

// Kind reports the error's classification.
func (e *APIError) Kind() Kind { return e.kind }

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if e.Code != "" && !strings.Contains(msg, e.Code) {
		msg += " [" + e.Code + "]"
	}
	s := fmt.Sprintf("%s %s %s returned HTTP %d (%s): %s", e.API, e.Method, e.Endpoint, e.StatusCode, e.kind, msg)
	if e.Hint != "" {
		s += ". " + e.Hint
	}
	return s
}

// RequestError is a failure without an HTTP answer: the connection could not
// be made, was dropped, or timed out.
type RequestError struct {
	API      string
	Method   string
	Endpoint string
	Err      error
	// Sent is false when the request provably never reached the server.
	Sent bool
}

// Timeout reports whether the request timed out.
func (e *RequestError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.Is(e.Err, context.DeadlineExceeded) || (errors.As(e.Err, &t) && t.Timeout())
}

func (e *RequestError) Error() string {
	what := "request failed"
	if e.Timeout() {
		what = "request timed out"
	}
	return fmt.Sprintf("%s %s %s: %s: %v", e.API, e.Method, e.Endpoint, what, e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

// BodyTooLargeError reports a response larger than the configured cap.
type BodyTooLargeError struct {
	API, Method, Endpoint string
	Limit                 int64
}

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("%s %s %s: response body larger than %d bytes; refusing to read it", e.API, e.Method, e.Endpoint, e.Limit)
}

// AuthError reports that credentials could not be exchanged for an access
// token. It names the method and the token URL, never the credentials.
type AuthError struct {
	Method      string // "client credentials", "private key JWT"
	TokenURL    string
	StatusCode  int
	Code        string // OAuth error code, e.g. invalid_client
	Description string
	Err         error
}

func (e *AuthError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "UPowr authentication failed (%s) at token URL %s", e.Method, e.TokenURL)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.StatusCode)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", e.Description)
	}
	if e.Code == "" && e.Description == "" && e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *AuthError) Unwrap() error { return e.Err }

// KindOf returns the Kind of an APIError anywhere in err's chain.
func KindOf(err error) Kind {
	var api *APIError
	if errors.As(err, &api) {
		return api.Kind()
	}
	var th *ThrottledError
	if errors.As(err, &th) {
		return KindRateLimited
	}
	return KindUnknown
}

// IsNotFound reports whether err says the object does not exist.
func IsNotFound(err error) bool { return KindOf(err) == KindNotFound }

// MayHaveReachedServer reports whether a failed write might nevertheless have
// been carried out: the connection dropped or timed out after the request was
// sent, or the server answered 500, 502 or 504. 429, 503 and failures before
// sending say the server did not process it.
func MayHaveReachedServer(err error) bool {
	var req *RequestError
	if errors.As(err, &req) {
		return req.Sent
	}
	var api *APIError
	if errors.As(err, &api) {
		switch api.StatusCode {
		case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
			return true
		}
	}
	return false
}
