package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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
	// KindGone is HTTP 410: the address answers for an API that was
	// retired (pipe.solar's old API answers {"error": "moved"}).
	KindGone
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
	case KindGone:
		return "gone"
	}
	return "error"
}

// APIError is an answer from the API with an HTTP error status.
type APIError struct {
	API        string // "pipe.solar" or "UPowr"
	Method     string
	Endpoint   string // path below the base URL, as a template: "/projects/{id}/stage"
	ID         string // the record the call was about, when Endpoint names one ("{id}")
	StatusCode int
	// Message is the API's own message (error.message), or a short
	// excerpt of the body.
	Message string
	// Code is the API's own error code when the body has one (error.code:
	// "invalid", "not_found", "not_open", ...).
	Code string
	// Docs is the documentation link the body gives (error.docs), if any.
	Docs string
	// Hint says what to do, when the error alone does not make it clear.
	Hint string
	kind Kind
}

// NewAPIError builds an APIError and classifies it from the HTTP status
// alone (see classify). A client that knows more (a 404 of a listing is a
// wrong address, not a missing record) reclassifies it with WithKind.
func NewAPIError(api, method, endpoint string, status int, message string) *APIError {
	e := &APIError{API: api, Method: method, Endpoint: endpoint, StatusCode: status, Message: message}
	e.kind = classify(status)
	if e.kind == KindRateLimited {
		e.Hint = "The API kept answering HTTP 429 (rate limited) for as long as the provider may wait. " + rateLimitAdvice(0)
	}
	return e
}

// NewAPIErrorFromBody is NewAPIError with the message, code and docs link
// taken from the answer's body (every body shape Message understands, and
// {"error": {"code", "message", "docs"}}).
func NewAPIErrorFromBody(api, method, endpoint string, status int, body []byte) *APIError {
	e := NewAPIError(api, method, endpoint, status, Message(body))
	e.Code, e.Docs = ErrorCode(body), ErrorDocs(body)
	return e
}

// classify decides the kind from the HTTP status.
func classify(status int) Kind {
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
	case status == http.StatusGone:
		return KindGone
	case status >= 500:
		return KindServer
	case status >= 400 || status < 300:
		return KindValidation
	}
	return KindUnknown
}

// WithKind returns a copy of e classified as k: for a client that has
// evidence the status alone does not carry.
func (e *APIError) WithKind(k Kind) *APIError {
	c := *e
	c.kind = k
	return &c
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
	s := fmt.Sprintf("%s %s %s%s returned HTTP %d (%s): %s", e.API, e.Method, e.Endpoint, forID(e.ID), e.StatusCode, e.kind, msg)
	if e.Hint != "" {
		s += ". " + e.Hint
	}
	if e.Docs != "" && !strings.Contains(s, e.Docs) {
		s += " (docs: " + e.Docs + ")"
	}
	return s
}

// forID names the record a call was about, after its endpoint template.
func forID(id string) string {
	if id == "" {
		return ""
	}
	return fmt.Sprintf(" (id %q)", id)
}

// RequestError is a failure without an HTTP answer: the connection could not
// be made, was dropped, or timed out.
type RequestError struct {
	API      string
	Method   string
	Endpoint string
	ID       string // the record the call was about, when Endpoint names one
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
	return fmt.Sprintf("%s %s %s%s: %s: %v", e.API, e.Method, e.Endpoint, forID(e.ID), what, e.Err)
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
