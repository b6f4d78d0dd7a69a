package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

func TestMessage(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 200)
	// v1 refuses an unknown stage listing the ladder: the stages after the
	// 300th character are the ones the user may need.
	ladder := "No stage named Instal on this project's ladder. The ladder: " + strings.Repeat("Stage (stg_stage), ", 20) + "PTO (stg_pto)"
	tests := []struct {
		name string
		body string
		want string
	}{
		{name: "message", body: `{"message":"Project not found"}`, want: "Project not found"},
		{name: "message is trimmed", body: `{"message":"  spaced out  "}`, want: "spaced out"},
		{name: "OAuth error with description", body: `{"error":"invalid_client","error_description":"Client authentication failed"}`, want: "invalid_client: Client authentication failed"},
		{name: "OAuth error alone", body: `{"error":"invalid_grant"}`, want: "invalid_grant"},
		{name: "error already in message", body: `{"error":"Bad Request","message":"Bad Request: id is required"}`, want: "Bad Request: id is required"},
		{name: "detail", body: `{"title":"Unprocessable","detail":"system_size must be positive"}`, want: "system_size must be positive"},
		{name: "v1 error object", body: `{"error":{"code":"invalid","message":"installDate: want YYYY-MM-DD","docs":"https://developers.pipe.solar/errors#invalid"}}`, want: "installDate: want YYYY-MM-DD"},
		{name: "retired API's moved", body: `{"error":"moved","docs":"https://pipe.solar/api/v1"}`, want: "moved"},
		{name: "response envelope", body: `{"status":"error","response":{"message":"Workflow failed"}}`, want: "Workflow failed"},
		{name: "errors with path", body: `{"errors":[{"path":"customerId","message":"must be uuid"}]}`, want: "customerId: must be uuid"},
		{name: "several errors", body: `{"errors":[{"path":"customerId","message":"must be uuid"},{"field":"email","message":"invalid"},"plain entry",{"message":"no path"}]}`, want: "customerId: must be uuid; email: invalid; plain entry; no path"},
		{name: "message plus errors", body: `{"message":"Validation failed","errors":[{"path":"zip","message":"required"}]}`, want: "Validation failed; zip: required"},
		{name: "JSON without a known key", body: `{"foo":"bar"}`, want: `{"foo":"bar"}`},
		{name: "HTML with title", body: "<!DOCTYPE html>\n<html><head><TITLE>\n 502 Bad Gateway\n</TITLE></head><body>nginx</body></html>", want: "unexpected HTML page: 502 Bad Gateway"},
		{name: "HTML without title", body: "<html><body>oops</body></html>", want: "unexpected HTML or XML response"},
		{name: "plain text", body: "Service temporarily unavailable\n", want: "Service temporarily unavailable"},
		{name: "plain text whitespace collapsed", body: "line one\n\n\tline two", want: "line one line two"},
		{name: "empty", body: "", want: ""},
		{name: "whitespace only", body: " \n\t ", want: ""},
		{name: "long text truncated", body: long, want: strings.TrimSpace(long)[:300] + "…"},
		{name: "an API's long message kept whole", body: `{"error":{"code":"invalid","message":"` + ladder + `","docs":"d"}}`, want: ladder},
		{name: "an API's message bounded", body: `{"message":"` + strings.Repeat("m", 5000) + `"}`, want: strings.Repeat("m", 4000) + "…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Message([]byte(tc.body)); got != tc.want {
				t.Errorf("Message() = %q, want %q", got, tc.want)
			}
		})
	}
}

// Error messages end up in Terraform diagnostics, which travel as protobuf
// strings: they must stay valid UTF-8 when truncated.
func TestMessageTruncationKeepsUTF8(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body string }{
		{name: "plain text", body: strings.Repeat("a", 299) + strings.Repeat("é", 50)},
		{name: "JSON message", body: `{"message":"` + strings.Repeat("b", 3998) + strings.Repeat("日本", 20) + `"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Message([]byte(tc.body))
			if !strings.HasSuffix(got, "…") {
				t.Fatalf("Message() = %q, want it truncated", got)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Message() truncated a long body in the middle of a multi-byte character, giving invalid UTF-8 "+
					"(%q). excerpt() in response.go cuts s[:300] by bytes; a diagnostic with invalid UTF-8 cannot be "+
					"marshalled into Terraform's protobuf messages. Fix: cut at a rune boundary, e.g. back off while "+
					"!utf8.RuneStart(s[n]) or truncate []rune(s).", got[len(got)-10:])
			}
		})
	}
}

func TestNewAPIErrorClassification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		message string
		want    Kind
	}{
		{name: "404", status: 404, message: "", want: KindNotFound},
		{name: "404 with other text", status: 404, message: "route missing", want: KindNotFound},
		{name: "401", status: 401, message: "Invalid token", want: KindUnauthorized},
		{name: "401 mentioning not found", status: 401, message: "token not found", want: KindUnauthorized},
		{name: "403", status: 403, message: "", want: KindForbidden},
		{name: "409", status: 409, message: "already exists", want: KindConflict},
		{name: "429", status: 429, message: "slow down", want: KindRateLimited},
		{name: "500", status: 500, message: "boom", want: KindServer},
		{name: "502", status: 502, message: "", want: KindServer},
		{name: "503", status: 503, message: "", want: KindServer},
		{name: "504 mentioning not found", status: 504, message: "upstream not found", want: KindServer},
		{name: "410", status: 410, message: "moved", want: KindGone},
		// A message never decides the kind: only the status does.
		{name: "400 not found", status: 400, message: "Project not found", want: KindValidation},
		{name: "400 unauthorized", status: 400, message: "Unauthorized: invalid token", want: KindValidation},
		{name: "200 ok: false", status: 200, message: "Project not found", want: KindValidation},
		{name: "400 other", status: 400, message: "email is invalid", want: KindValidation},
		{name: "422 other", status: 422, message: "bad", want: KindValidation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := NewAPIError("pipe.solar", "GET", "/projects", tc.status, tc.message)
			if e.Kind() != tc.want {
				t.Errorf("Kind() = %v, want %v", e.Kind(), tc.want)
			}
			wrapped := fmt.Errorf("reading: %w", e)
			if KindOf(wrapped) != tc.want {
				t.Errorf("KindOf(wrapped) = %v, want %v", KindOf(wrapped), tc.want)
			}
			if IsNotFound(wrapped) != (tc.want == KindNotFound) {
				t.Errorf("IsNotFound(wrapped) = %v", IsNotFound(wrapped))
			}
			msg := e.Error()
			for _, part := range []string{"pipe.solar", "GET", "/projects", fmt.Sprintf("HTTP %d", tc.status), tc.want.String()} {
				if !strings.Contains(msg, part) {
					t.Errorf("Error() = %q, missing %q", msg, part)
				}
			}
		})
	}
}

func TestAPIErrorWithoutMessageUsesStatusText(t *testing.T) {
	t.Parallel()
	e := NewAPIError("UPowr", "PATCH", "/projects/1", 502, "")
	if !strings.HasSuffix(e.Error(), ": Bad Gateway") {
		t.Errorf("Error() = %q", e.Error())
	}
}

func TestKindOfNonAPIErrors(t *testing.T) {
	t.Parallel()
	for _, err := range []error{nil, errors.New("x"), &RequestError{Err: io.EOF}, &BodyTooLargeError{}} {
		if KindOf(err) != KindUnknown || IsNotFound(err) {
			t.Errorf("KindOf(%v) = %v, want unknown", err, KindOf(err))
		}
	}
}

func TestMayHaveReachedServer(t *testing.T) {
	t.Parallel()
	api := func(status int) error { return NewAPIError("pipe.solar", "POST", "/create_activity", status, "") }
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{name: "nil", err: nil, want: false},
		{name: "request sent", err: &RequestError{Err: io.ErrUnexpectedEOF, Sent: true}, want: true},
		{name: "request not sent", err: &RequestError{Err: syscall.ECONNREFUSED, Sent: false}, want: false},
		{name: "wrapped request sent", err: fmt.Errorf("ctx: %w", &RequestError{Err: io.EOF, Sent: true}), want: true},
		{name: "500", err: api(500), want: true},
		{name: "502", err: api(502), want: true},
		{name: "504", err: api(504), want: true},
		{name: "wrapped 500", err: fmt.Errorf("x: %w", api(500)), want: true},
		{name: "429", err: api(429), want: false},
		{name: "503", err: api(503), want: false},
		{name: "400", err: api(400), want: false},
		{name: "404", err: api(404), want: false},
		{name: "200", err: api(200), want: false},
		{name: "body too large", err: &BodyTooLargeError{Limit: 1}, want: false},
		{name: "plain error", err: errors.New("x"), want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := MayHaveReachedServer(tc.err); got != tc.want {
				t.Errorf("MayHaveReachedServer() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRequestErrorTimeout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{name: "deadline exceeded", err: context.DeadlineExceeded, want: true},
		{name: "wrapped deadline", err: fmt.Errorf("%w (Client.Timeout exceeded)", context.DeadlineExceeded), want: true},
		{name: "net timeout", err: &net.OpError{Op: "read", Err: timeoutErr{}}, want: true},
		{name: "canceled", err: context.Canceled, want: false},
		{name: "EOF", err: io.EOF, want: false},
		{name: "refused", err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := &RequestError{API: "pipe.solar", Method: "GET", Endpoint: "/projects/{id}", Err: tc.err, Sent: true}
			if e.Timeout() != tc.want {
				t.Errorf("Timeout() = %v, want %v", e.Timeout(), tc.want)
			}
			wantWord := "request failed"
			if tc.want {
				wantWord = "request timed out"
			}
			if msg := e.Error(); !strings.Contains(msg, wantWord) || !strings.Contains(msg, "pipe.solar GET /projects/{id}") {
				t.Errorf("Error() = %q, want it to contain %q and the endpoint", msg, wantWord)
			}
			if !errors.Is(e, tc.err) {
				t.Error("RequestError does not unwrap to its cause")
			}
		})
	}
}

func TestAuthErrorMessage(t *testing.T) {
	t.Parallel()
	cause := errors.New("dial tcp: connection refused")
	tests := []struct {
		name string
		err  *AuthError
		want string
	}{
		{
			name: "code and description",
			err:  &AuthError{Method: "client credentials", TokenURL: "https://auth.example/oauth/token", StatusCode: 401, Code: "invalid_client", Description: "bad secret", Err: cause},
			want: "UPowr authentication failed (client credentials) at token URL https://auth.example/oauth/token: HTTP 401: invalid_client: bad secret",
		},
		{
			name: "transport cause only",
			err:  &AuthError{Method: "private key JWT", TokenURL: "https://auth.example/t", Err: cause},
			want: "UPowr authentication failed (private key JWT) at token URL https://auth.example/t: dial tcp: connection refused",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
			if !errors.Is(tc.err, cause) {
				t.Error("AuthError does not unwrap to its cause")
			}
		})
	}
}

func TestNotSentErrorUnwraps(t *testing.T) {
	t.Parallel()
	e := &NotSentError{Err: syscall.ECONNREFUSED}
	if !errors.Is(e, syscall.ECONNREFUSED) || e.Error() != syscall.ECONNREFUSED.Error() {
		t.Errorf("NotSentError = %v", e)
	}
}

func TestErrorBodies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body, wantMsg, wantCode, wantDocs string
		status                                  int
		wantKind                                Kind
	}{
		{name: "v1 invalid", status: 400, body: `{"error":{"code":"invalid","message":"stage: no stage Foo; the ladder is A, B","docs":"https://developers.pipe.solar/errors#invalid"}}`,
			wantMsg: "stage: no stage Foo; the ladder is A, B", wantCode: "invalid", wantDocs: "https://developers.pipe.solar/errors#invalid", wantKind: KindValidation},
		{name: "v1 unauthorized", status: 401, body: `{"error":{"code":"unauthorized","message":"The key is missing, wrong or revoked.","docs":"https://d.test/401"}}`,
			wantMsg: "The key is missing, wrong or revoked.", wantCode: "unauthorized", wantDocs: "https://d.test/401", wantKind: KindUnauthorized},
		{name: "v1 rate limited", status: 429, body: `{"error":{"code":"rate_limited","message":"More than 100 calls in a minute","docs":"https://d.test/429"}}`,
			wantMsg: "More than 100 calls in a minute", wantCode: "rate_limited", wantDocs: "https://d.test/429", wantKind: KindRateLimited},
		{name: "moved", status: 410, body: `{"error":"moved","docs":"https://pipe.solar/api/v1"}`,
			wantMsg: "moved", wantCode: "", wantDocs: "https://pipe.solar/api/v1", wantKind: KindGone},
		{name: "plain text", status: 502, body: "bad gateway", wantMsg: "bad gateway", wantKind: KindServer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := NewAPIErrorFromBody("pipe.solar", "POST", "/projects/{id}/stage", tc.status, []byte(tc.body))
			e.ID = "p-1"
			if e.Message != tc.wantMsg || e.Code != tc.wantCode || e.Docs != tc.wantDocs || e.Kind() != tc.wantKind {
				t.Errorf("got message %q code %q docs %q kind %v, want %q %q %q %v", e.Message, e.Code, e.Docs, e.Kind(), tc.wantMsg, tc.wantCode, tc.wantDocs, tc.wantKind)
			}
			for _, part := range []string{tc.wantMsg, tc.wantCode, tc.wantDocs, "/projects/{id}/stage", `"p-1"`} {
				if !strings.Contains(e.Error(), part) {
					t.Errorf("Error() = %q, missing %q", e.Error(), part)
				}
			}
			if tc.status == 429 && !strings.Contains(e.Error(), "requests_per_second") {
				t.Errorf("a final 429 must name requests_per_second: %q", e.Error())
			}
		})
	}
}

func TestWithKind(t *testing.T) {
	t.Parallel()
	e := NewAPIError("pipe.solar", "GET", "/projects", 404, "no such route")
	c := e.WithKind(KindUnknown)
	if e.Kind() != KindNotFound || c.Kind() != KindUnknown || IsNotFound(c) {
		t.Errorf("WithKind: original %v, copy %v", e.Kind(), c.Kind())
	}
}
