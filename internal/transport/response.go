package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Response is a fully read HTTP answer.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Call describes one API call for Send: which API and endpoint it is (for
// errors and logs) and how much of the answer may be read.
type Call struct {
	API      string
	Endpoint string // a template when the path names a record: "/projects/{id}"
	// ID is the record the call is about, for errors ("" for none).
	ID           string
	MaxBodyBytes int64
}

// Send performs req with client, reads at most MaxBodyBytes of the answer and
// turns transport failures into *RequestError. HTTP error statuses are
// returned as a Response for the caller to decode.
func Send(client *http.Client, req *http.Request, call Call) (*Response, error) {
	limit := call.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	outcome := &callOutcome{}
	req = req.WithContext(context.WithValue(req.Context(), outcomeKey{}, outcome))
	resp, err := client.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w (%w)", ctxErr, err)
		}
		return nil, &RequestError{
			API: call.API, Method: req.Method, Endpoint: call.Endpoint, ID: call.ID,
			Err: stripURLError(err), Sent: outcome.mayHaveActed.Load(),
		}
	}
	defer resp.Body.Close()
	if ctxErr := req.Context().Err(); ctxErr != nil {
		// The caller gave up while this answer would have been retried: report
		// the cancellation, not the answer that was never meant to be final.
		if retry, _ := CheckRetry(context.WithoutCancel(req.Context()), resp, nil); retry {
			return nil, &RequestError{
				API: call.API, Method: req.Method, Endpoint: call.Endpoint, ID: call.ID,
				Err: ctxErr, Sent: outcome.mayHaveActed.Load(),
			}
		}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &RequestError{API: call.API, Method: req.Method, Endpoint: call.Endpoint, ID: call.ID, Err: err, Sent: true}
	}
	if int64(len(body)) > limit {
		return nil, &BodyTooLargeError{API: call.API, Method: req.Method, Endpoint: call.Endpoint, Limit: limit}
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// stripURLError drops the *url.Error wrapper: its text repeats the full URL,
// which the endpoint already names, and could carry query values.
func stripURLError(err error) error {
	for {
		var ue *url.Error
		var ns *NotSentError
		switch {
		case errors.As(err, &ue):
			err = ue.Err
		case errors.As(err, &ns):
			err = ns.Err
		default:
			return err
		}
	}
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// Message extracts a human-readable error message from an API error body.
// It understands {"message"}, {"error","error_description"},
// {"error":{"code","message"}}, {"response":{"message"}},
// {"errors":[{"path","message"}]}, plain text and HTML pages.
func Message(body []byte) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return ""
	}
	var obj map[string]any
	if json.Unmarshal(trimmed, &obj) == nil {
		if msg := messageFromObject(obj); msg != "" {
			return msg
		}
		return excerpt(string(trimmed))
	}
	if bytes.HasPrefix(trimmed, []byte("<")) {
		if m := htmlTitle.FindSubmatch(trimmed); m != nil {
			return "unexpected HTML page: " + excerpt(strings.TrimSpace(string(m[1])))
		}
		return "unexpected HTML or XML response"
	}
	return excerpt(string(trimmed))
}

func messageFromObject(obj map[string]any) string {
	var parts []string
	for _, key := range []string{"message", "error_description", "detail", "title"} {
		if s, ok := obj[key].(string); ok && strings.TrimSpace(s) != "" {
			parts = append(parts, strings.TrimSpace(s))
			break
		}
	}
	if s, ok := obj["error"].(string); ok && s != "" {
		if len(parts) == 0 {
			parts = append(parts, s)
		} else if !strings.Contains(parts[0], s) {
			parts[0] = s + ": " + parts[0]
		}
	}
	if errs, ok := obj["errors"].([]any); ok {
		for _, e := range errs {
			switch v := e.(type) {
			case string:
				parts = append(parts, v)
			case map[string]any:
				path, _ := v["path"].(string)
				if path == "" {
					path, _ = v["field"].(string)
				}
				msg, _ := v["message"].(string)
				switch {
				case path != "" && msg != "":
					parts = append(parts, path+": "+msg)
				case msg != "":
					parts = append(parts, msg)
				}
			}
		}
	}
	if len(parts) > 0 {
		// An API's own message is kept whole up to a generous bound: v1's
		// refusal of an unknown stage lists the whole ladder in it.
		return excerptN(strings.Join(parts, "; "), messageLimit)
	}
	for _, key := range []string{"error", "response", "data"} {
		if inner, ok := obj[key].(map[string]any); ok {
			if msg := messageFromObject(inner); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// ErrorCode returns the API's own error code from an error body
// {"error": {"code": ...}}, or "".
func ErrorCode(body []byte) string {
	var obj struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(bytes.TrimSpace(body), &obj) != nil {
		return ""
	}
	return excerpt(strings.TrimSpace(obj.Error.Code))
}

// ErrorDocs returns the documentation link of an error body: error.docs of
// {"error": {"code", "message", "docs"}}, or the top-level docs of
// {"error": "moved", "docs": ...}; "" when there is none.
func ErrorDocs(body []byte) string {
	var obj struct {
		Error json.RawMessage `json:"error"`
		Docs  string          `json:"docs"`
	}
	if json.Unmarshal(bytes.TrimSpace(body), &obj) != nil {
		return ""
	}
	var inner struct {
		Docs string `json:"docs"`
	}
	if json.Unmarshal(obj.Error, &inner) == nil && strings.TrimSpace(inner.Docs) != "" {
		return excerpt(strings.TrimSpace(inner.Docs))
	}
	return excerpt(strings.TrimSpace(obj.Docs))
}

// messageLimit bounds a message an API wrote itself; excerptLimit bounds an
// excerpt of a body that is not one (a page, plain text).
const (
	messageLimit = 4000
	excerptLimit = 300
)

func excerpt(s string) string { return excerptN(s, excerptLimit) }

func excerptN(s string, limit int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > limit {
		n := limit
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		return s[:n] + "…"
	}
	return s
}

// NewRequest builds a request with ctx and, when body is not nil, a JSON body.
func NewRequest(ctx context.Context, method, rawURL string, body any) (*http.Request, error) {
	var rdr io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("encoding request body: %w", err)
		}
		rdr = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rdr)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	// Sent on every call: a POST without a body (UPowr's accept and close)
	// is still JSON to the servers, and a GET ignores it.
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}
