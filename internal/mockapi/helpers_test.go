package mockapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

const pipeToken = "ps_test_token"

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

// pipe calls a pipe.solar workflow with the test token.
func pipe(t testing.TB, s *Server, method, path string, body any) result {
	t.Helper()
	return send(t, method, s.PipeBaseURL()+path, pipeToken, body)
}

// validBody is a complete create_project body.
func validBody() map[string]any {
	return map[string]any{
		"address":             "123 Solar St, Sunville, CA 90210",
		"first_name":          "John",
		"last_name":           "Doe",
		"email":               "john.doe@example.com",
		"phone_number":        "555-123-9876",
		"org_id":              "org1",
		"sales_rep":           "michael.scott@pipesolar.com",
		"setter":              "dwight.schrute@pipesolar.com",
		"system_size":         8.5,
		"annual_production":   15584.44,
		"consumption":         12000,
		"system_cost":         18450.01,
		"final_ppw":           2.35,
		"base_ppw":            2.15,
		"adder_ppw":           0.121,
		"financing_type":      "Loan",
		"term_years":          "20",
		"apr":                 3.99,
		"panel_profile_id":    "pp_1",
		"panel_count":         "20",
		"inverter_profile_id": "inv_1",
		"inverter_count":      "1",
		"lease_ppa_rate":      "0.12",
		"pre_itc_payment":     "1000",
		"escalator_rate":      "2.9",
		"site_survey_photos":  []string{"https://example.com/a.jpg"},
		"adders":              []string{"Main panel upgrade", "Roof work"},
	}
}

// createProject creates a project over HTTP (CreateIDStyle "id") and returns its id.
func createProject(t testing.TB, s *Server, body map[string]any) string {
	t.Helper()
	r := pipe(t, s, "POST", "/create_project", body)
	if r.status != 200 {
		t.Fatalf("create_project: %d %s", r.status, r.body)
	}
	id, _ := r.obj(t)["id"].(string)
	if id == "" {
		t.Fatalf("create_project: no id in %s", r.body)
	}
	return id
}

func seedN(t testing.TB, s *Server, org string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		b := validBody()
		b["first_name"] = "P" + strconv.Itoa(i)
		id, err := s.SeedProject(org, "", b)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

func q(v ...string) string {
	vals := url.Values{}
	for i := 0; i+1 < len(v); i += 2 {
		vals.Set(v[i], v[i+1])
	}
	return "?" + vals.Encode()
}

func contains(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) }
