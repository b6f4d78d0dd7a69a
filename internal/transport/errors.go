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
	kind       Kind
}

// NewAPIError builds an APIError and classifies it from the status and the
// message ("not found" in a 400 or a 200 means not found).
func NewAPIError(api, method, endpoint string, status int, message string) *APIError {
	e := &APIError{API: api, Method: method, Endpoint: endpoint, StatusCode: status, Message: message}
	e.kind = classify(status, message)
	return e
}

func classify(status int, message string) Kind {
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
	case looksNotFound(message):
		return KindNotFound
	case status < 300 && looksUnauthorized(message):
		// Some services answer HTTP 200 {"success": false} even for a bad token.
		return KindUnauthorized
	case status >= 400 || status < 300:
		return KindValidation
	}
	return KindUnknown
}

func looksNotFound(message string) bool {
	m := strings.ToLower(message)
	return strings.Contains(m, "not found") || strings.Contains(m, "not_found") ||
		strings.Contains(m, "does not exist") || strings.Contains(m, "no project")
}

func looksUnauthorized(message string) bool {
	m := strings.ToLower(message)
	return strings.HasPrefix(m, "unauthorized") || strings.Contains(m, "invalid api token") ||
		strings.Contains(m, "invalid or missing api token") || strings.Contains(m, "invalid token")
}

// Kind reports the error's classification.
func (e *APIError) Kind() Kind { return e.kind }

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("%s %s %s returned HTTP %d (%s): %s", e.API, e.Method, e.Endpoint, e.StatusCode, e.kind, msg)
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
