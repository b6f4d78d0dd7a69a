package mockapi

import (
	"reflect"
	"strings"
	"testing"
)

const seedDoc = `{"projects": [
  {"id": "SEEDED0001", "org_id": "org-a", "installer_id": "inst-a",
   "address": "1 Solar St, Sunville, CA 90210", "first_name": " Ada ", "last_name": "Lovelace",
   "email": "Ada@Example.com", "phone_number": "555-010-0001",
   "sales_rep": "michael.scott@pipesolar.com", "setter": "dwight.schrute@pipesolar.com",
   "system_size": 8.5, "system_cost": 18450.01, "project_stage": "Proposal"},
  {"org_id": "org-a", "address": "2 Oak Ave, Austin, TX 78701", "first_name": "Grace",
   "last_name": "Hopper", "email": "grace@example.com", "phone_number": "555-010-0002",
   "sales_rep": "a@example.com", "setter": "b@example.com"}
]}`

func TestSeedProjectsJSON(t *testing.T) {
	s := NewTest(t, Config{})
	ids, err := s.SeedProjectsJSON(strings.NewReader(seedDoc))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[0] != "SEEDED0001" || ids[1] == "" || ids[1] == ids[0] {
		t.Fatalf("ids = %v, want SEEDED0001 and a new id", ids)
	}
	// Served as create_project would have stored them: normalised, formatted,
	// listed by org and installer.
	r := pipe(t, s, "GET", "/fetch_project"+q("id", "SEEDED0001"), nil)
	if r.status != 200 {
		t.Fatalf("fetch_project: %d %s", r.status, r.body)
	}
	d, _ := r.obj(t)["data"].(map[string]any)
	for k, want := range map[string]string{
		"customerFirstName": "Ada", "customerEmail": "ada@example.com", "customerCity": "Sunville",
		"contractPrice": "18,450.01", "systemSize": "8.50", "projectStatus": "Proposal",
	} {
		if d[k] != want {
			t.Errorf("%s = %v, want %q", k, d[k], want)
		}
	}
	if d, _ := s.Project(ids[1]); d["projectStatus"] != DefaultPipeStages[0] {
		t.Errorf("second project's stage %v, want the default %q", d["projectStatus"], DefaultPipeStages[0])
	}
	if got := s.ProjectIDs("org-a"); !reflect.DeepEqual(got, ids) {
		t.Errorf("org-a lists %v, want %v", got, ids)
	}
	r = pipe(t, s, "GET", "/fetch_all_project_installer"+q("installer_id", "inst-a", "page", "1"), nil)
	if !strings.Contains(string(r.body), "SEEDED0001") || strings.Contains(string(r.body), ids[1]) {
		t.Errorf("installer listing: %s", r.body)
	}

	// A bare array works too.
	s2 := NewTest(t, Config{})
	bare := `[{"id":"X1","org_id":"o","address":"a, B, CA 1","first_name":"f","last_name":"l","email":"e@example.com","phone_number":"1","sales_rep":"r","setter":"s"}]`
	if ids, err := s2.SeedProjectsJSON(strings.NewReader(bare)); err != nil || !reflect.DeepEqual(ids, []string{"X1"}) {
		t.Errorf("bare array: %v, %v", ids, err)
	}
}

func TestSeedProjectsJSONRejectsAllOrNothing(t *testing.T) {
	s := NewTest(t, Config{PipeStages: []string{"Lead", "Won"}})
	good := `{"id":"OK1","org_id":"o","address":"a, B, CA 1","first_name":"f","last_name":"l","email":"e@example.com","phone_number":"1","sales_rep":"r","setter":"s"}`
	for name, tc := range map[string]struct{ doc, want string }{
		"bad stage":       {`{"projects":[` + good + `,{"org_id":"o","address":"a","first_name":"f","last_name":"l","email":"e@example.com","phone_number":"1","sales_rep":"r","setter":"s","project_stage":"Proposal"}]}`, "projects[1]: Invalid project_stage 'Proposal'"},
		"missing field":   {`{"projects":[{"org_id":"o"}]}`, "projects[0]: Missing parameter"},
		"unknown field":   {`{"projects":[` + strings.Replace(good, `"org_id"`, `"colour":"red","org_id"`, 1) + `]}`, "Unrecognized parameter for workflow create_project: colour"},
		"duplicate id":    {`[` + good + `,` + good + `]`, `projects[1]: duplicate id "OK1"`},
		"numeric id":      {`[` + strings.Replace(good, `"OK1"`, `7`, 1) + `]`, "projects[0]: id must be non-empty text"},
		"unknown top key": {`{"project":[]}`, "unknown field"},
		"not json":        {`{"projects":`, "seed file"},
	} {
		_, err := s.SeedProjectsJSON(strings.NewReader(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, tc.want)
		}
	}
	if ids := s.ProjectIDs(""); len(ids) != 0 {
		t.Errorf("a refused seed file stored projects: %v", ids)
	}
	// An id that already exists is refused too.
	if _, err := s.SeedProjectsJSON(strings.NewReader(`[` + good + `]`)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SeedProjectsJSON(strings.NewReader(`[` + good + `]`)); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("seeding an existing id: %v", err)
	}
}
