package mockapi

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestAdminRoutes(t *testing.T) {
	s := NewTest(t, Config{})
	admin := func(method, path string, body any) result {
		t.Helper()
		return send(t, method, s.URL()+"/_mock"+path, "", body)
	}

	// seed
	r := admin("POST", "/seed", map[string]any{"org_id": "acme", "installer_id": "inst7", "count": 12})
	if r.status != 200 {
		t.Fatalf("seed: %d %s", r.status, r.body)
	}
	if ids := r.obj(t)["ids"].([]any); len(ids) != 12 || len(s.ProjectIDs("acme")) != 12 {
		t.Fatalf("seeded %d", len(ids))
	}
	for _, id := range s.ProjectIDs("acme") {
		p, _ := s.Project(id)
		if p["customerEmail"] == "" || p["contractPrice"] == "" || !strings.Contains(p["customerAddress"].(string), ",") {
			t.Fatalf("unrealistic seed: %v", p)
		}
	}
	if r := admin("POST", "/seed", map[string]any{"count": 2}); r.status != 200 || len(s.ProjectIDs("demo-org")) != 2 {
		t.Fatalf("default org seed: %d %s", r.status, r.body)
	}
	for _, bad := range []map[string]any{{"count": -1}, {"count": "x"}, {"org": "a"}, {"org_id": ""}} {
		if r := admin("POST", "/seed", bad); r.status != 400 {
			t.Fatalf("seed %v: %d", bad, r.status)
		}
	}
	ids, _ := listIDs(t, pipe(t, s, "GET", "/fetch_all_project_installer"+q("installer_id", "inst7"), nil), "data", "id")
	if len(ids) != 12 {
		t.Fatalf("installer list %d", len(ids))
	}

	// counts and reset
	r = admin("GET", "/counts", nil)
	if m := r.obj(t); m[EndpointListInstaller] != 1.0 || len(m) != 1 {
		t.Fatalf("counts %s", r.body)
	}
	if r := admin("POST", "/reset-counts", nil); r.status != 200 || len(s.Counts()) != 0 {
		t.Fatalf("reset: %d %v", r.status, s.Counts())
	}

	// behaviour: snake_case, Go names and camelCase all work
	for _, body := range []map[string]any{
		{"create_id_style": "envelope", "list_shape": "response", "list_id_key": "_id", "list_paging": "none", "page_size": 5, "ignore_page": true, "not_found": "null", "error_style": "bubble"},
		{"CreateIDStyle": "envelope", "ListShape": "response", "ListIDKey": "_id", "ListPaging": "none", "PageSize": 5, "IgnorePage": true, "NotFound": "null", "ErrorStyle": "bubble"},
		{"createIdStyle": "envelope", "listShape": "response", "listIdKey": "_id", "listPaging": "none", "pageSize": 5, "ignorePage": true, "notFound": "null", "errorStyle": "bubble"},
	} {
		s.SetPipeBehaviour(PipeBehaviour{})
		r := admin("PUT", "/behaviour", body)
		if r.status != 200 {
			t.Fatalf("behaviour %v: %d %s", body, r.status, r.body)
		}
		want := PipeBehaviour{CreateIDStyle: "envelope", ListShape: "response", ListIDKey: "_id", ListPaging: "none", PageSize: 5, IgnorePage: true, NotFound: "null", ErrorStyle: "bubble"}
		if got := s.CurrentPipeBehaviour(); got != want {
			t.Fatalf("behaviour %+v", got)
		}
		if m := r.obj(t); m["create_id_style"] != "envelope" || m["page_size"] != 5.0 {
			t.Fatalf("echo %s", r.body)
		}
	}
	if r := admin("GET", "/behaviour", nil); r.obj(t)["list_shape"] != "response" {
		t.Fatalf("GET behaviour %s", r.body)
	}
	// not_found as a number, and {} resets to defaults
	if r := admin("PUT", "/behaviour", map[string]any{"not_found": 400}); r.status != 200 || s.CurrentPipeBehaviour().NotFound != "400" {
		t.Fatalf("numeric not_found: %d %s", r.status, r.body)
	}
	if r := admin("PUT", "/behaviour", map[string]any{}); r.status != 200 || s.CurrentPipeBehaviour() != (PipeBehaviour{}).withDefaults() {
		t.Fatalf("reset behaviour: %s", r.body)
	}
	for _, bad := range []map[string]any{{"list_shape": "items"}, {"colour": "red"}, {"ignore_page": "yes"}, {"page_size": 1.5}} {
		if r := admin("PUT", "/behaviour", bad); r.status != 400 {
			t.Fatalf("bad behaviour %v accepted: %s", bad, r.body)
		}
	}
	if r := admin("PUT", "/behaviour", "[1]"); r.status != 400 {
		t.Fatal("array accepted")
	}

	// faults
	r = admin("PUT", "/faults", map[string]any{"seed": 3, "latency": "5ms", "rate_500": 0, "rate_429": 1, "retry_after": "2s",
		"drop_after_commit": 1, "endpoints": []string{EndpointFetchProject}})
	if r.status != 200 {
		t.Fatalf("faults: %d %s", r.status, r.body)
	}
	f := s.CurrentFaults()
	if f.Seed != 3 || f.Latency != 5*time.Millisecond || f.Rate429 != 1 || f.RetryAfter != 2*time.Second || f.DropAfterCommit != 1 ||
		len(f.Endpoints) != 1 || f.Endpoints[0] != EndpointFetchProject {
		t.Fatalf("faults %+v", f)
	}
	if m := admin("GET", "/faults", nil).obj(t); m["latency"] != "5ms" || m["retry_after"] != "2s" || m["rate_429"] != 1.0 {
		t.Fatalf("GET faults %v", m)
	}
	if r := pipe(t, s, "GET", "/fetch_project"+q("id", s.ProjectIDs("")[0]), nil); r.status != 429 || r.header.Get("Retry-After") != "2" {
		t.Fatalf("fault not active: %d", r.status)
	}
	if r := admin("PUT", "/faults", map[string]any{"Latency": 20, "Rate500": 0.5}); r.status != 200 || s.CurrentFaults().Latency != 20*time.Millisecond {
		t.Fatalf("Go names / numeric ms: %s", r.body)
	}
	for _, bad := range []map[string]any{{"latency": "fast"}, {"endpoints": []string{"GET /x"}}, {"rate_500": "x"}, {"jitter": 1}} {
		if r := admin("PUT", "/faults", bad); r.status != 400 {
			t.Fatalf("bad faults %v accepted: %s", bad, r.body)
		}
	}
	if r := admin("PUT", "/faults", map[string]any{}); r.status != 200 || s.CurrentFaults().Rate500 != 0 {
		t.Fatalf("clear faults: %s", r.body)
	}

	// state
	pid := createUPowrProject(t, s, validUPowrProject())
	up(t, s, "POST", "/projects/"+pid+"/charges", map[string]any{"amount": 5, "type": "Cash", "paid_by": "me"})
	uploadTemp(t, s, "fa", "switchboard_photo", "a", []byte("a"), false)
	st := admin("GET", "/state", nil).obj(t)
	pipeState := st["pipe"].(map[string]any)
	upState := st["upowr"].(map[string]any)
	if pipeState["projects"] != 14.0 || pipeState["projects_by_org"].(map[string]any)["acme"] != 12.0 ||
		pipeState["projects_by_installer"].(map[string]any)["inst7"] != 12.0 {
		t.Fatalf("pipe state %v", pipeState)
	}
	if upState["projects"] != 1.0 || upState["charges"] != 1.0 || upState["temp_files"] != 1.0 ||
		upState["projects_by_status"].(map[string]any)["OPEN"] != 1.0 {
		t.Fatalf("upowr state %v", upState)
	}
	// admin requests are never counted
	if c := s.Counts(); c[EndpointUPowrCreateProject] != 1 || len(c) != 4 {
		t.Fatalf("counts %v", c)
	}
	if r := admin("GET", "/nope", nil); r.status != 404 || !strings.Contains(string(r.body), "Admin routes") {
		t.Fatalf("unknown admin route: %d", r.status)
	}
}

func TestServeHTTPWithoutListener(t *testing.T) {
	var lines []string
	s := New(Config{Logf: func(format string, args ...any) {
		lines = append(lines, format)
		for _, a := range args {
			if strings.Contains(strings.ToLower(strings.TrimSpace(toString(a))), "ps_test_token") {
				t.Errorf("token logged: %v", a)
			}
		}
	}})
	if s.URL() != "" {
		t.Fatalf("URL before start: %q", s.URL())
	}
	req := httptest.NewRequest("GET", "/api/1.1/wf/fetch_project?id=X", nil)
	req.Header.Set("Authorization", "Bearer ps_test_token")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 404 || len(lines) != 1 {
		t.Fatalf("%d %v", rec.Code, lines)
	}
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

func TestStartAndLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.168.1.1:80", "example.com:80", "nonsense"} {
		if err := CheckLoopback(addr); err == nil {
			t.Fatalf("%s accepted", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0", "localhost:0"} {
		if err := CheckLoopback(addr); err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
	}
	s := New(Config{})
	u, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if u != s.URL() || !strings.HasPrefix(u, "http://127.0.0.1:") || s.PipeBaseURL() != u+"/api/1.1/wf" ||
		s.UPowrBaseURL() != u+"/upowr" || s.TokenURL() != u+"/oauth/token" {
		t.Fatalf("urls %s %s %s %s", u, s.PipeBaseURL(), s.UPowrBaseURL(), s.TokenURL())
	}
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Fatal("second Start accepted")
	}
	if r := send(t, "GET", s.PipeBaseURL()+"/fetch_all_project?org_id=x", pipeToken, nil); r.status != 200 {
		t.Fatalf("%d", r.status)
	}
	s.Close()
	s.Close() // idempotent
	if _, err := trySend(t.Context(), "GET", s.PipeBaseURL()+"/fetch_all_project?org_id=x", pipeToken, nil); err == nil {
		t.Fatal("still serving after Close")
	}
	if _, err := New(Config{}).Start("0.0.0.0:0"); err == nil {
		t.Fatal("non-loopback Start accepted")
	}
}
