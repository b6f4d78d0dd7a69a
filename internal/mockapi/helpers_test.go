package mockapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	ikey = DefaultInstallerKey
	dkey = DefaultDealerKey
	// pipeToken is the Pipe key as the UPowr tests name it (UPowr refuses it).
	pipeToken = ikey
)

// result is a decoded HTTP response.
type result struct {
	status int
	header http.Header
	body   []byte
}

// obj decodes the body as a JSON object.
func (r result) obj(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// any decodes the body as any JSON value.
func (r result) any(t testing.TB) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, r.body)
	}
	return v
}

var testClient = &http.Client{Timeout: 20 * time.Second}

// send performs a request; body may be nil, a string/[]byte (sent raw) or
// any other value (sent as JSON).
func send(t testing.TB, method, u, token string, body any) result {
	t.Helper()
	r, err := trySend(context.Background(), method, u, token, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	return r
}

func trySend(ctx context.Context, method, u, token string, body any) (result, error) {
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return result{}, err
		}
		rd, ct = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return result{}, err
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		return result{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return result{}, err
	}
	return result{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// v1 calls Pipe API v1 with the installer's key; path starts after /v1.
func v1(t testing.TB, s *Server, method, path string, body any) result {
	t.Helper()
	return send(t, method, s.PipeBaseURL()+path, ikey, body)
}

// v1As calls Pipe API v1 with key.
func v1As(t testing.TB, s *Server, key, method, path string, body any) result {
	t.Helper()
	return send(t, method, s.PipeBaseURL()+path, key, body)
}

// seedP seeds a project and fails the test on an error.
func seedP(t testing.TB, s *Server, p ProjectSeed) string {
	t.Helper()
	id, err := s.SeedProject(p)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// seedL seeds a lead and fails the test on an error.
func seedL(t testing.TB, s *Server, l LeadSeed) string {
	t.Helper()
	id, err := s.SeedLead(l)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// leadBody is a valid POST /v1/leads body.
func leadBody() map[string]any {
	return map[string]any{
		"firstName": "Ana", "lastName": "Rivera",
		"address": map[string]any{"line1": "812 Main St", "city": "Plano", "state": "TX", "postalCode": "75023"},
		"email":   "ana@example.com", "phone": "972-555-0142",
		"salesRepEmail": "jordan@example.com", "setterEmail": "sam@example.com",
		"notes": "Wants a battery.", "externalId": "crm-1042",
	}
}

// errCode is the v1 error code of an error answer.
func (r result) errCode(t testing.TB) string {
	t.Helper()
	e, _ := r.obj(t)["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

// errMsg is the v1 error message of an error answer.
func (r result) errMsg(t testing.TB) string {
	t.Helper()
	e, _ := r.obj(t)["error"].(map[string]any)
	m, _ := e["message"].(string)
	return m
}

// at reads a nested value by dotted path ("system.panels.count").
func at(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func contains(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) }

// sendCT sends a raw body with the given Content-Type and the installer key.
func sendCT(t testing.TB, s *Server, method, path, contentType, body string) result {
	t.Helper()
	req, err := http.NewRequest(method, s.PipeBaseURL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+ikey)
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}
