package mockapi

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const seedDocument = `{
  "company": "Firefly Solar",
  "keys": [
    {"name": "ci", "key": "psk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "role": "installer"},
    {"name": "partner", "key": "psk_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "role": "dealer", "company": "Glow Dealer"}
  ],
  "members": [{"name": "Ada Rep", "email": "ada@firefly.example", "phone": null}],
  "stages": [
    {"id": "s1", "name": "Sold", "productLine": "solar"},
    {"id": "s2", "name": "Permit Submitted", "productLine": "solar"},
    {"id": "s3", "name": "Cancelled", "productLine": "solar", "kind": "cancelled"},
    {"id": "h1", "name": "Sold", "productLine": "hi"}
  ],
  "leads": [
    {"id": "lead-1", "externalId": "crm-7", "salesRep": "ada@firefly.example",
     "customer": {"firstName": "Grace", "lastName": "Hopper"}, "activities": ["Called.", {"type": "system", "body": "Imported."}]}
  ],
  "projects": [
    {"reference": "1696ABCDEF", "stage": "permit submitted", "ntpGranted": true,
     "milestones": {"installScheduled": "2026-12-14"},
     "files": {"permit": ["https://files.example.com/p.pdf", {"url": "https://files.example.com/q.pdf", "name": "Q.pdf"}]}},
    {"id": "prj-2", "leadId": "lead-1", "stage": {"id": "s1"}, "customFields": {"HOA": true}},
    {"reference": "1696DEALER", "company": "Glow Dealer"}
  ]
}`

func TestSeedDocument(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	res, err := s.SeedJSON(strings.NewReader(seedDocument))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Leads) != 1 || res.Leads[0] != "lead-1" || len(res.Projects) != 3 || res.Projects[1] != "prj-2" {
		t.Fatalf("result %+v", res)
	}
	if s.InstallerKey() != "psk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" || s.DealerKey() != "psk_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" {
		t.Fatal("keys not replaced")
	}
	if r := v1(t, s, "GET", "/me", nil); r.status != 401 {
		t.Fatalf("the old key still works: %d", r.status)
	}
	me := v1As(t, s, s.InstallerKey(), "GET", "/me", nil).obj(t)
	if at(me, "company.name") != "Firefly Solar" || at(me, "key.name") != "ci" {
		t.Fatalf("/me %v", me)
	}
	r := v1As(t, s, s.InstallerKey(), "GET", "/projects/1696ABCDEF", nil)
	p := r.obj(t)
	if r.status != 200 || at(p, "stage.id") != "s2" || at(p, "milestones.installScheduled") != "2026-12-14" || p["ntpGranted"] != true ||
		len(at(p, "files.permit").([]any)) != 2 || at(p, "company.name") != "Firefly Solar" {
		t.Fatalf("seeded project: %d %s", r.status, r.body)
	}
	if f := s.Files("1696ABCDEF", "permit"); len(f) != 2 || f[1].Name != "Q.pdf" || f[0].SourceURL != "https://files.example.com/p.pdf" {
		t.Fatalf("files %+v", f)
	}
	// The seeded url is in its folder: adding it again adds nothing.
	r = v1As(t, s, s.InstallerKey(), "POST", "/projects/1696ABCDEF/files", map[string]any{"folder": "permit", "files": []any{map[string]any{"url": "https://files.example.com/p.pdf"}}})
	if r.status != 200 {
		t.Fatalf("seeded file again: %d %s", r.status, r.body)
	}
	l, _ := s.Lead("lead-1")
	if at(l, "project.id") != "prj-2" || at(l, "salesRep.name") != "Ada Rep" || at(l, "customer.firstName") != "Grace" || len(s.Activities("lead-1")) != 2 {
		t.Fatalf("seeded lead: %v", l)
	}
	if r := v1As(t, s, s.InstallerKey(), "GET", "/projects/lead-1", nil); r.obj(t)["id"] != "prj-2" {
		t.Fatalf("project by its lead id: %s", r.body)
	}
	if r := v1As(t, s, s.DealerKey(), "GET", "/projects", nil); len(r.obj(t)["data"].([]any)) != 1 {
		t.Fatalf("dealer's projects: %s", r.body)
	}
	if r := v1As(t, s, s.InstallerKey(), "GET", "/stages?productLine=solar", nil); len(r.obj(t)["data"].([]any)) != 3 {
		t.Fatalf("stages: %s", r.body)
	}
	// Every seeded record is complete.
	for _, id := range res.Projects {
		p, _ := s.Project(id)
		var errs []string
		sProject.check("$", p, &errs)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", id, errs)
		}
	}
	var errs []string
	sLead.check("$", l, &errs)
	if len(errs) > 0 {
		t.Fatalf("lead: %v", errs)
	}
}

func TestSeedDocumentAllOrNothing(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"unknown top key":      `{"orgs": []}`,
		"unknown project key":  `{"projects": [{"org_id": "x"}]}`,
		"unknown stage":        `{"projects": [{"reference": "A1"}, {"stage": "Signed"}]}`,
		"duplicate reference":  `{"projects": [{"reference": "A1"}, {"reference": "A1"}]}`,
		"old folder":           `{"projects": [{"files": {"permits": ["https://x.example.com/a"]}}]}`,
		"no installer key":     `{"keys": [{"key": "psk_x", "role": "dealer", "company": "D"}]}`,
		"empty hi ladder":      `{"stages": [{"id": "a", "name": "A", "productLine": "solar"}]}`,
		"ladder loses a stage": `{"projects": [{"stage": "NTP"}], "stages": [{"id": "a", "name": "A", "productLine": "solar"}, {"id": "b", "name": "B", "productLine": "hi"}]}`,
		"lead rep not member":  `{"leads": [{"salesRep": "ghost@example.com"}]}`,
		"bad json":             `{"projects": [`,
	} {
		s := NewTest(t, Config{})
		before := s.ProjectIDs()
		if _, err := s.SeedJSON(strings.NewReader(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if len(s.ProjectIDs()) != len(before) || len(s.LeadIDs()) != 0 || s.InstallerKey() != DefaultInstallerKey || len(s.Stages("")) != len(DefaultStages) {
			t.Errorf("%s: a refused document changed the mock", name)
		}
	}
	// A bare array is a list of projects.
	s := NewTest(t, Config{})
	res, err := s.SeedJSON(strings.NewReader(`[{"reference": "1696ARRAY1", "stage": "PTO"}]`))
	if err != nil || len(res.Projects) != 1 {
		t.Fatalf("array: %v %+v", err, res)
	}
}

func TestStateRoundTrip(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	if _, err := s.SeedJSON(strings.NewReader(seedDocument)); err != nil {
		t.Fatal(err)
	}
	k := s.InstallerKey()
	v1As(t, s, k, "PATCH", "/leads/lead-1", map[string]any{"notes": "Round trip."})
	v1As(t, s, k, "POST", "/projects/1696ABCDEF/stage", map[string]any{"stage": "Sold"})
	created := v1As(t, s, k, "POST", "/leads", leadBody()).obj(t)["leadId"].(string)
	s.SeedRandomProjects(3)
	upid := createUPowrProject(t, s, validUPowrProject())

	var buf bytes.Buffer
	if err := s.SaveState(&buf); err != nil {
		t.Fatal(err)
	}
	s2 := NewTest(t, Config{})
	if err := s2.LoadState(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatalf("load: %v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(s.ProjectIDs(), s2.ProjectIDs()) || !reflect.DeepEqual(s.LeadIDs(), s2.LeadIDs()) {
		t.Fatalf("ids differ:\n%v\n%v", s.ProjectIDs(), s2.ProjectIDs())
	}
	for _, id := range s.ProjectIDs() {
		a, _ := s.Project(id)
		b, _ := s2.Project(id)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("project %s differs:\n%v\n%v", id, a, b)
		}
		if !reflect.DeepEqual(s.Files(id, ""), s2.Files(id, "")) {
			t.Fatalf("files of %s differ", id)
		}
	}
	for _, id := range s.LeadIDs() {
		a, _ := s.Lead(id)
		b, _ := s2.Lead(id)
		if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(s.Activities(id), s2.Activities(id)) {
			t.Fatalf("lead %s differs:\n%v\n%v", id, a, b)
		}
	}
	if s2.InstallerKey() != k || len(s2.Stages("")) != 4 || s2.Members()[0].Email != "ada@firefly.example" {
		t.Fatal("settings not restored")
	}
	if _, ok := s2.UPowrProjectByID(upid); !ok {
		t.Fatal("UPowr project not restored")
	}
	// The externalId still makes POST /leads idempotent, and new records differ.
	if r := v1As(t, s2, k, "POST", "/leads", leadBody()); r.status != 200 || r.obj(t)["leadId"] != created {
		t.Fatalf("idempotency after load: %d %s", r.status, r.body)
	}
	// A second save is the same document (nothing is lost or invented).
	var buf2 bytes.Buffer
	if err := s2.SaveState(&buf2); err != nil {
		t.Fatal(err)
	}
	if buf.String() != buf2.String() {
		t.Fatal("save → load → save changed the document")
	}
	// A saved state is a valid seed document.
	var doc stateDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Format != StateFormat {
		t.Fatalf("format %q", doc.Format)
	}
	// Refused documents change nothing.
	for _, bad := range []string{`{"format": "pipesolar-mockapi/state/v1"}`, `{"format": "` + StateFormat + `", "pipe": {"projects": [{"stage": "Nope"}]}}`, `{`} {
		if err := s2.LoadState(strings.NewReader(bad)); err == nil {
			t.Errorf("loaded %s", bad)
		}
	}
	if len(s2.ProjectIDs()) != len(s.ProjectIDs()) {
		t.Fatal("a refused load changed the state")
	}
	// Files round trip too.
	path := filepath.Join(t.TempDir(), "state.json")
	if err := s2.SaveStateFile(path); err != nil {
		t.Fatal(err)
	}
	s3 := NewTest(t, Config{})
	if err := s3.LoadStateFile(path); err != nil || len(s3.ProjectIDs()) != len(s.ProjectIDs()) {
		t.Fatalf("file: %v", err)
	}
}

func TestAdminRoutes(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	admin := func(method, path string, body any) result {
		t.Helper()
		return send(t, method, s.URL()+"/_mock/"+path, "", body)
	}
	if r := admin("PUT", "behaviour", map[string]any{"reformat_phone": true, "TrimSpaces": true}); r.status != 200 ||
		s.CurrentPipeBehaviour() != (PipeBehaviour{ReformatPhone: true, TrimSpaces: true}) {
		t.Fatalf("behaviour: %d %s", r.status, r.body)
	}
	if r := admin("PUT", "behaviour", map[string]any{"error_style": "bubble"}); r.status != 400 {
		t.Fatalf("unknown behaviour: %d", r.status)
	}
	if r := admin("PUT", "faults", map[string]any{"status": 503, "count": 1, "no_retry_after": true, "endpoints": []string{EndpointMe}}); r.status != 200 {
		t.Fatalf("faults: %d %s", r.status, r.body)
	}
	if r := v1(t, s, "GET", "/me", nil); r.status != 503 || r.header.Get("Retry-After") != "" {
		t.Fatalf("injected: %d %v", r.status, r.header)
	}
	if r := admin("PUT", "faults", map[string]any{"endpoints": []string{"GET /api/1.1/wf/fetch_project"}}); r.status != 400 {
		t.Fatalf("retired endpoint key accepted: %d", r.status)
	}
	if r := admin("PUT", "ratelimit", map[string]any{"calls": 1, "window": "1m"}); r.status != 200 || s.CurrentRateLimit().Calls != 1 {
		t.Fatalf("ratelimit: %d %s", r.status, r.body)
	}
	v1(t, s, "GET", "/me", nil)
	if r := v1(t, s, "GET", "/me", nil); r.status != 429 {
		t.Fatalf("limit: %d", r.status)
	}
	admin("PUT", "ratelimit", map[string]any{})
	r := admin("POST", "seed", map[string]any{"projects": []any{map[string]any{"reference": "1696ADMIN1", "stage": "NTP"}}})
	if r.status != 200 || len(r.obj(t)["projects"].([]any)) != 1 {
		t.Fatalf("seed: %d %s", r.status, r.body)
	}
	if r := admin("POST", "seed", map[string]any{"count": 3}); r.status != 200 || len(r.obj(t)["projects"].([]any)) != 3 {
		t.Fatalf("seed count: %d %s", r.status, r.body)
	}
	if r := admin("POST", "seed", map[string]any{"projects": []any{map[string]any{"stage": "Nope"}}}); r.status != 400 || len(s.ProjectIDs()) != 4 {
		t.Fatalf("bad seed: %d %s", r.status, r.body)
	}
	st := admin("GET", "state", nil).obj(t)
	if at(st, "pipe.projects") != 4.0 || strings.Contains(string(admin("GET", "state", nil).body), "psk_") {
		t.Fatalf("state summary: %v", st)
	}
	exp := admin("GET", "export", nil)
	s2 := NewTest(t, Config{})
	if r := send(t, "PUT", s2.URL()+"/_mock/import", "", exp.body); r.status != 200 || len(s2.ProjectIDs()) != 4 {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	if r := admin("GET", "counts", nil); r.status != 200 || at(r.obj(t), EndpointMe) == nil {
		t.Fatalf("counts: %s", r.body)
	}
	if r := admin("GET", "nope", nil); r.status != 404 || !strings.Contains(string(r.body), "/_mock/seed") {
		t.Fatalf("unknown admin route: %d", r.status)
	}
}
