package mockapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPipeAuth(t *testing.T) {
	s := NewTest(t, Config{})
	id, err := s.SeedProject("org1", "inst1", validBody())
	if err != nil {
		t.Fatal(err)
	}
	routes := []struct{ method, path string }{
		{"GET", "/fetch_project" + q("id", id)},
		{"POST", "/create_project"},
		{"POST", "/update_stage" + q("id", id, "project_stage_name", "NTP")},
		{"POST", "/project_upload_file"},
		{"GET", "/fetch_all_project_installer" + q("installer_id", "inst1")},
		{"GET", "/fetch_all_project" + q("org_id", "org1")},
		{"POST", "/create_activity"},
	}
	headers := []struct {
		name, value string
		ok          bool
	}{
		{"missing", "", false},
		{"wrong token", "Bearer nope", false},
		{"basic scheme", "Basic " + pipeToken, false},
		{"bare token", pipeToken, false},
		{"empty bearer", "Bearer ", false},
		{"lower-case scheme", "bearer " + pipeToken, true},
	}
	for _, rt := range routes {
		for _, h := range headers {
			t.Run(rt.path+"/"+h.name, func(t *testing.T) {
				req, _ := http.NewRequest(rt.method, s.PipeBaseURL()+rt.path, nil)
				if h.value != "" {
					req.Header.Set("Authorization", h.value)
				}
				resp, err := testClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var m map[string]any
				_ = json.NewDecoder(resp.Body).Decode(&m)
				resp.Body.Close()
				if h.ok {
					if resp.StatusCode == 401 {
						t.Fatalf("got 401 with %q", h.value)
					}
					return
				}
				if resp.StatusCode != 401 {
					t.Fatalf("status %d, want 401", resp.StatusCode)
				}
				if m["success"] != false || m["message"] != "Unauthorized: invalid or missing API token" {
					t.Fatalf("body %v", m)
				}
			})
		}
	}
	if _, ok := s.Project(id); !ok {
		t.Fatal("project vanished")
	}
	if n := len(s.ProjectIDs("")); n != 1 {
		t.Fatalf("unauthorized creates stored projects: %d", n)
	}
}

func TestCreateProjectValidation(t *testing.T) {
	s := NewTest(t, Config{})
	tests := []struct {
		name    string
		mutate  func(b map[string]any)
		raw     string
		status  int
		message string
	}{
		{name: "invalid json", raw: `{"address":`, status: 400, message: "Invalid request body"},
		{name: "array body", raw: `[1]`, status: 400, message: "expected a JSON object"},
		{name: "empty body", raw: ` `, status: 400, message: "empty body"},
		{name: "blank first_name", mutate: func(b map[string]any) { b["first_name"] = "   " }, status: 400, message: "parameter first_name"},
		{name: "null email", mutate: func(b map[string]any) { b["email"] = nil }, status: 400, message: "parameter email"},
		{name: "numeric last_name", mutate: func(b map[string]any) { b["last_name"] = 5 }, status: 400, message: "last_name"},
		{name: "bad email", mutate: func(b map[string]any) { b["email"] = "not-an-email" }, status: 400, message: "email"},
		{name: "email without tld", mutate: func(b map[string]any) { b["email"] = "a@b" }, status: 400, message: "email"},
		{name: "system_size as string", mutate: func(b map[string]any) { b["system_size"] = "8.5" }, status: 400, message: "system_size"},
		{name: "apr as bool", mutate: func(b map[string]any) { b["apr"] = true }, status: 400, message: "apr"},
		{name: "term_years as bool", mutate: func(b map[string]any) { b["term_years"] = false }, status: 400, message: "term_years"},
		{name: "adders not a list", mutate: func(b map[string]any) { b["adders"] = "Roof work" }, status: 400, message: "adders"},
		{name: "adders with numbers", mutate: func(b map[string]any) { b["adders"] = []any{"a", 1} }, status: 400, message: "adders"},
		{name: "unknown stage", mutate: func(b map[string]any) { b["project_stage"] = "Done" }, status: 400, message: "Invalid project_stage 'Done'"},
		{name: "unknown field", mutate: func(b map[string]any) { b["systemSize"] = 8 }, status: 400, message: "Unrecognized parameter for workflow create_project: systemSize"},
		{name: "ok minimal", mutate: func(b map[string]any) {
			for _, k := range append(append(append([]string{}, createNumbers...), createStrings...), createArrays...) {
				delete(b, k)
			}
		}, status: 200},
		{name: "ok numbers for string fields", mutate: func(b map[string]any) {
			b["term_years"], b["panel_count"], b["inverter_count"], b["escalator_rate"] = 25, 18, 2.0, 2.9
		}, status: 200},
		{name: "ok numeric org_id", mutate: func(b map[string]any) { b["org_id"] = 1234 }, status: 200},
		{name: "ok nulls for optional fields", mutate: func(b map[string]any) { b["apr"], b["adders"], b["project_stage"] = nil, nil, nil }, status: 200},
		{name: "ok undocumented installer_id", mutate: func(b map[string]any) { b["installer_id"] = "inst9" }, status: 200},
	}
	for _, k := range createRequired {
		tests = append(tests, struct {
			name    string
			mutate  func(b map[string]any)
			raw     string
			status  int
			message string
		}{name: "missing " + k, mutate: func(b map[string]any) { delete(b, k) }, status: 400, message: "Missing parameter for workflow create_project: parameter " + k})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(s.ProjectIDs(""))
			var body any
			if tc.raw != "" {
				body = tc.raw
			} else {
				b := validBody()
				tc.mutate(b)
				body = b
			}
			r := pipe(t, s, "POST", "/create_project", body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			m := r.obj(t)
			after := len(s.ProjectIDs(""))
			if tc.status != 200 {
				if m["success"] != false || !contains(fmt.Sprint(m["message"]), tc.message) {
					t.Fatalf("body %s, want message containing %q", r.body, tc.message)
				}
				if after != before {
					t.Fatal("invalid create stored a project")
				}
				return
			}
			if m["success"] != true || after != before+1 {
				t.Fatalf("body %s; projects %d -> %d", r.body, before, after)
			}
		})
	}
	// installer_id from the body lands the project in the installer list.
	r := pipe(t, s, "GET", "/fetch_all_project_installer"+q("installer_id", "inst9"), nil)
	if got := len(r.obj(t)["data"].([]any)); got != 1 {
		t.Fatalf("installer list has %d items: %s", got, r.body)
	}
}

var idRe = regexp.MustCompile(`^[A-Z0-9]{10}$`)

// fixedNow is the mock's clock in tests that compare dates: a test running
// across midnight UTC must not see two different days.
func fixedNow() time.Time { return time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC) }

func TestCreateProjectNormalisation(t *testing.T) {
	s := NewTest(t, Config{Now: fixedNow})
	b := validBody()
	b["email"] = "  John.DOE@Example.COM "
	b["first_name"] = "  John "
	b["address"] = " 123 Solar St, Sunville, CA 90210  "
	x, y := 0.1, 0.2
	b["final_ppw"] = x + y // 0.30000000000000004 on the wire
	b["term_years"] = " 20.0 "
	b["panel_count"] = 20
	b["adders"] = []string{" Main panel upgrade ", "Roof work"}
	b["project_stage"] = "Contract Signed"
	raw, _ := json.Marshal(b)
	if !strings.Contains(string(raw), "0.30000000000000004") {
		t.Fatalf("test premise: %s", raw)
	}
	id := createProject(t, s, b)
	if !idRe.MatchString(id) {
		t.Fatalf("id %q is not 10 chars [A-Z0-9]", id)
	}
	r := pipe(t, s, "GET", "/fetch_project"+q("id", id), nil)
	if r.status != 200 {
		t.Fatalf("fetch: %d %s", r.status, r.body)
	}
	top := r.obj(t)
	if top["id"] != id {
		t.Fatalf("top-level id %v", top["id"])
	}
	data := top["data"].(map[string]any)
	today := "11/30/2026"
	want := map[string]string{
		"customerFirstName":            "John",
		"customerLastName":             "Doe",
		"customerEmail":                "john.doe@example.com",
		"customerPhoneNumber":          "555-123-9876",
		"customerAddress":              "123 Solar St, Sunville, CA 90210",
		"customerStreet":               "123 Solar St",
		"customerCity":                 "Sunville",
		"customerState":                "CA",
		"customerZip":                  "90210",
		"projectStatus":                "Contract Signed",
		"contractSignedDate":           today,
		"submittedDate":                today,
		"systemSize":                   "8.50",
		"estProduction":                "15,584.44",
		"contractPrice":                "18,450.01",
		"financeAmount":                "18,450.01",
		"finalPPW":                     "0.30",
		"basePPW":                      "2.15",
		"financeAPR":                   "3.99",
		"financeTerm":                  "20",
		"financeType":                  "Loan",
		"numberOfPanel":                "20",
		"numberOfInverter":             "1",
		"addersCost":                   "1,028.50", // 0.121 $/W * 8.5 kW
		"salesRepName":                 "Michael Scott",
		"salesRepEmail":                "michael.scott@pipesolar.com",
		"setterName":                   "Dwight Schrute",
		"setterEmail":                  "dwight.schrute@pipesolar.com",
		"secondaryCustomerFirstName":   "",
		"secondaryCustomerLastName":    "",
		"secondaryCustomerPhoneNumber": "",
		"secondaryCustomerEmail":       "",
		"contractURL":                  "",
		"numberOfBattery":              "",
		"batteryName":                  "",
		"financeCompany":               "",
		"siteSurveyorName":             "",
		"subContractorName":            "",
	}
	for k, v := range want {
		if data[k] != v {
			t.Errorf("%s = %#v, want %q", k, data[k], v)
		}
	}
	allKeys := []string{"customerFirstName", "customerLastName", "customerPhoneNumber", "customerEmail",
		"customerAddress", "customerStreet", "customerCity", "customerState", "customerZip",
		"secondaryCustomerFirstName", "secondaryCustomerLastName", "secondaryCustomerPhoneNumber",
		"secondaryCustomerEmail", "projectStatus", "contractSignedDate", "submittedDate", "projectSiteId",
		"contractURL", "allFilesURL", "proposalURL", "projectURL", "systemSize", "estProduction",
		"numberOfPanel", "panelModel", "numberOfInverter", "inverterName", "contractPrice",
		"numberOfBattery", "batteryName", "financeCompany", "financeAmount", "financeAPR", "financeTerm",
		"financeType", "basePPW", "finalPPW", "adders", "addersCost", "salesRepName", "salesRepEmail",
		"salesRepPhone", "setterName", "setterEmail", "setterPhone", "siteSurveyorName", "subContractorName"}
	for _, k := range allKeys {
		if _, ok := data[k]; !ok {
			t.Errorf("data lacks %s", k)
		}
	}
	if len(data) != len(allKeys) {
		var extra []string
		for k := range data {
			if !slices.Contains(allKeys, k) {
				extra = append(extra, k)
			}
		}
		t.Errorf("data has %d keys, want %d; extra %v", len(data), len(allKeys), extra)
	}
	for k, v := range data {
		switch k {
		case "allFilesURL":
			files := v.(map[string]any)
			if len(files) != 12 {
				t.Errorf("allFilesURL has %d keys", len(files))
			}
			for _, f := range []string{"surveyFiles", "personalFiles", "utilityBills", "insuranceFiles", "driverLicense",
				"installationPhotos", "plansets", "materials", "otherDocuments", "interconnection", "permits", "internalDocuments"} {
				if u, _ := files[f].(string); !strings.HasPrefix(u, "https://") {
					t.Errorf("allFilesURL.%s = %v", f, files[f])
				}
			}
		case "adders":
			if got := fmt.Sprint(v); got != "[Main panel upgrade Roof work]" {
				t.Errorf("adders = %v", got)
			}
		default:
			if _, ok := v.(string); !ok {
				t.Errorf("%s is %T, want string", k, v)
			}
		}
	}
	for _, k := range []string{"panelModel", "inverterName", "salesRepPhone", "setterPhone", "projectSiteId", "proposalURL", "projectURL"} {
		if data[k] == "" {
			t.Errorf("%s is empty", k)
		}
	}
	// Project() matches fetch_project and is a deep copy.
	p, ok := s.Project(id)
	if !ok || p["contractPrice"] != "18,450.01" {
		t.Fatalf("Project(): %v %v", ok, p["contractPrice"])
	}
	p["allFilesURL"].(map[string]any)["plansets"] = "x"
	p2, _ := s.Project(id)
	if p2["allFilesURL"].(map[string]any)["plansets"] == "x" {
		t.Fatal("Project() is not a deep copy")
	}
	// The fields fetch_project never returns are kept internally.
	in, ok := s.ProjectInput(id)
	if !ok {
		t.Fatal("no input")
	}
	for k, v := range map[string]any{"org_id": "org1", "sales_rep": "michael.scott@pipesolar.com", "setter": "dwight.schrute@pipesolar.com",
		"consumption": "12000", "adder_ppw": "0.121", "lease_ppa_rate": "0.12", "pre_itc_payment": "1000", "escalator_rate": "2.9",
		"panel_profile_id": "pp_1", "inverter_profile_id": "inv_1", "email": "john.doe@example.com"} {
		if in[k] != v {
			t.Errorf("input %s = %#v, want %#v", k, in[k], v)
		}
	}
	if fmt.Sprint(in["site_survey_photos"]) != "[https://example.com/a.jpg]" {
		t.Errorf("site_survey_photos = %v", in["site_survey_photos"])
	}
	// Defaults: stage New Lead, no contract date; absent numbers are "".
	b2 := validBody()
	for _, k := range []string{"system_cost", "system_size", "apr", "adders", "term_years"} {
		delete(b2, k)
	}
	id2 := createProject(t, s, b2)
	d2, _ := s.Project(id2)
	for k, v := range map[string]any{"projectStatus": "New Lead", "contractSignedDate": "", "contractPrice": "",
		"financeAmount": "", "systemSize": "", "financeAPR": "", "financeTerm": "", "addersCost": ""} {
		if d2[k] != v {
			t.Errorf("default %s = %#v, want %#v", k, d2[k], v)
		}
	}
	if a, ok := d2["adders"].([]any); !ok || len(a) != 0 {
		t.Errorf("default adders = %#v, want []", d2["adders"])
	}
	if id2 == id {
		t.Fatal("ids not unique")
	}
}

func TestCreateIDStyles(t *testing.T) {
	tests := []struct {
		style string
		id    func(m map[string]any) any
		body  string // exact keys expected
	}{
		{"id", func(m map[string]any) any { return m["id"] }, "id,success"},
		{"", func(m map[string]any) any { return m["id"] }, "id,success"},
		{"project_id", func(m map[string]any) any { return m["project_id"] }, "project_id"},
		{"data", func(m map[string]any) any { return m["data"].(map[string]any)["id"] }, "data"},
		{"envelope", func(m map[string]any) any {
			if m["status"] != "success" {
				return nil
			}
			return m["response"].(map[string]any)["project_id"]
		}, "response,status"},
		{"none", func(m map[string]any) any { return nil }, "success"},
	}
	for _, tc := range tests {
		t.Run("style="+tc.style, func(t *testing.T) {
			s := NewTest(t, Config{})
			s.SetPipeBehaviour(PipeBehaviour{CreateIDStyle: tc.style})
			r := pipe(t, s, "POST", "/create_project", validBody())
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			m := r.obj(t)
			var keys []string
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if strings.Join(keys, ",") != tc.body {
				t.Fatalf("keys %v, want %s: %s", keys, tc.body, r.body)
			}
			ids := s.ProjectIDs("org1")
			if len(ids) != 1 {
				t.Fatalf("stored %d", len(ids))
			}
			got := tc.id(m)
			if tc.style == "none" {
				if strings.Contains(string(r.body), ids[0]) {
					t.Fatalf("style none leaked the id: %s", r.body)
				}
				return
			}
			if got != ids[0] {
				t.Fatalf("id %v, want %s (%s)", got, ids[0], r.body)
			}
		})
	}
	t.Run("unknown style panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Fatal("no panic")
			}
		}()
		New(Config{}).SetPipeBehaviour(PipeBehaviour{CreateIDStyle: "envelop"})
	})
}

// listIDs extracts ids and paging fields from a list response.
func listIDs(t *testing.T, r result, shape, idKey string) (ids []string, paging map[string]any) {
	t.Helper()
	var arr []any
	v := r.any(t)
	switch shape {
	case "top":
		arr = v.([]any)
	case "response":
		m := v.(map[string]any)
		if m["status"] != "success" {
			t.Fatalf("status %v", m["status"])
		}
		inner := m["response"].(map[string]any)
		arr = inner["projects"].([]any)
		paging = inner
	default:
		m := v.(map[string]any)
		a, ok := m[shape].([]any)
		if !ok {
			t.Fatalf("no array under %q: %s", shape, r.body)
		}
		arr = a
		paging = m
	}
	for _, it := range arr {
		m := it.(map[string]any)
		id, ok := m[idKey].(string)
		if !ok {
			t.Fatalf("item lacks %q: %v", idKey, m)
		}
		for _, other := range []string{"id", "_id", "project_id"} {
			if other != idKey {
				if _, ok := m[other]; ok {
					t.Fatalf("item has %q besides %q", other, idKey)
				}
			}
		}
		if m["customerFirstName"] == nil || m["allFilesURL"] == nil {
			t.Fatalf("item is not the project data: %v", m)
		}
		ids = append(ids, id)
	}
	return ids, paging
}

func TestListShapesAndIDKeys(t *testing.T) {
	s := NewTest(t, Config{})
	want := seedN(t, s, "orgA", 3)
	seedN(t, s, "orgB", 2)
	for _, id := range want {
		s.SetInstaller(id, "instA")
	}
	for _, shape := range []string{"top", "data", "projects", "results", "response"} {
		for _, key := range []string{"id", "_id", "project_id"} {
			t.Run(shape+"/"+key, func(t *testing.T) {
				s.SetPipeBehaviour(PipeBehaviour{ListShape: shape, ListIDKey: key})
				for _, path := range []string{"/fetch_all_project" + q("org_id", "orgA"), "/fetch_all_project_installer" + q("installer_id", "instA", "page", "1")} {
					r := pipe(t, s, "GET", path, nil)
					if r.status != 200 {
						t.Fatalf("%d %s", r.status, r.body)
					}
					ids, paging := listIDs(t, r, shape, key)
					if !slices.Equal(ids, want) {
						t.Fatalf("%s: ids %v, want %v", path, ids, want)
					}
					if shape != "top" && (paging["count"] != 3.0 || paging["remaining"] != 0.0 || paging["total"] != 3.0) {
						t.Fatalf("paging %v", paging)
					}
				}
			})
		}
	}
}

func TestListPaging(t *testing.T) {
	s := NewTest(t, Config{})
	all := seedN(t, s, "big", 120)
	seedN(t, s, "other", 5)
	page := func(n int) ([]string, map[string]any) {
		r := pipe(t, s, "GET", "/fetch_all_project"+q("org_id", "big", "page", fmt.Sprint(n)), nil)
		if r.status != 200 {
			t.Fatalf("page %d: %d %s", n, r.status, r.body)
		}
		return listIDs(t, r, "data", "id")
	}
	tests := []struct {
		page                    int
		from, to                int
		count, remaining, total float64
	}{
		{1, 0, 50, 50, 70, 120},
		{2, 50, 100, 50, 20, 120},
		{3, 100, 120, 20, 0, 120},
		{4, 0, 0, 0, 0, 120},
		{1000000, 0, 0, 0, 0, 120},
		{0, 0, 50, 50, 70, 120}, // page < 1 is page 1
	}
	for _, tc := range tests {
		ids, p := page(tc.page)
		var want []string
		if tc.to > 0 {
			want = all[tc.from:tc.to]
		}
		if !slices.Equal(ids, want) {
			t.Fatalf("page %d: %d ids, want %d", tc.page, len(ids), len(want))
		}
		if p["count"] != tc.count || p["remaining"] != tc.remaining || p["total"] != tc.total {
			t.Fatalf("page %d paging %v %v %v", tc.page, p["count"], p["remaining"], p["total"])
		}
	}
	// no page parameter = page 1
	r := pipe(t, s, "GET", "/fetch_all_project"+q("org_id", "big"), nil)
	if ids, _ := listIDs(t, r, "data", "id"); !slices.Equal(ids, all[:50]) {
		t.Fatal("default page is not page 1")
	}
	// A page past the end is an empty array, not null.
	r = pipe(t, s, "GET", "/fetch_all_project"+q("org_id", "big", "page", "9"), nil)
	if !strings.Contains(string(r.body), `"data":[]`) {
		t.Fatalf("empty page: %s", r.body)
	}
	// unknown org: empty
	r = pipe(t, s, "GET", "/fetch_all_project"+q("org_id", "nobody"), nil)
	if ids, p := listIDs(t, r, "data", "id"); len(ids) != 0 || p["total"] != 0.0 {
		t.Fatalf("unknown org: %s", r.body)
	}
	// PageSize
	s.SetPipeBehaviour(PipeBehaviour{PageSize: 7})
	if ids, p := page(18); len(ids) != 1 || p["remaining"] != 0.0 || ids[0] != all[119] {
		t.Fatalf("page size 7, page 18: %v %v", ids, p)
	}
	// IgnorePage: every page is page 1.
	s.SetPipeBehaviour(PipeBehaviour{IgnorePage: true})
	for _, n := range []int{1, 2, 3, 99} {
		if ids, p := page(n); !slices.Equal(ids, all[:50]) || p["remaining"] != 70.0 {
			t.Fatalf("IgnorePage page %d: %d ids %v", n, len(ids), p)
		}
	}
	// ListPaging none: no paging fields in any object shape.
	for _, shape := range []string{"data", "projects", "results", "response"} {
		s.SetPipeBehaviour(PipeBehaviour{ListPaging: "none", ListShape: shape})
		r := pipe(t, s, "GET", "/fetch_all_project"+q("org_id", "big", "page", "3"), nil)
		ids, p := listIDs(t, r, shape, "id")
		if len(ids) != 20 {
			t.Fatalf("%s: %d ids", shape, len(ids))
		}
		for _, k := range []string{"count", "remaining", "total"} {
			if _, ok := p[k]; ok {
				t.Fatalf("%s: paging field %s present: %s", shape, k, r.body)
			}
		}
	}
	// Parameter errors.
	s.SetPipeBehaviour(PipeBehaviour{})
	for _, path := range []string{"/fetch_all_project", "/fetch_all_project" + q("org_id", " "), "/fetch_all_project_installer" + q("org_id", "big")} {
		r := pipe(t, s, "GET", path, nil)
		if r.status != 400 || !contains(string(r.body), "Missing parameter") {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
	}
	r = pipe(t, s, "GET", "/fetch_all_project"+q("org_id", "big", "page", "two"), nil)
	if r.status != 400 {
		t.Fatalf("bad page: %d", r.status)
	}
}

func TestListReflectsDeletesAndInstallerMoves(t *testing.T) {
	s := NewTest(t, Config{})
	ids := seedN(t, s, "o", 5)
	for _, id := range ids {
		s.SetInstaller(id, "i1")
	}
	s.SetInstaller(ids[1], "i2")
	s.SetInstaller(ids[1], "i1") // back: creation order is kept
	if !s.DeleteProject(ids[2]) || s.DeleteProject(ids[2]) {
		t.Fatal("DeleteProject")
	}
	want := []string{ids[0], ids[1], ids[3], ids[4]}
	for _, path := range []string{"/fetch_all_project" + q("org_id", "o"), "/fetch_all_project_installer" + q("installer_id", "i1")} {
		got, _ := listIDs(t, pipe(t, s, "GET", path, nil), "data", "id")
		if !slices.Equal(got, want) {
			t.Fatalf("%s: %v want %v", path, got, want)
		}
	}
	if got := s.ProjectIDs("o"); !slices.Equal(got, want) {
		t.Fatalf("ProjectIDs %v", got)
	}
	if s.SetInstaller("NOPE", "x") {
		t.Fatal("SetInstaller on unknown project")
	}
	r := pipe(t, s, "GET", "/fetch_project"+q("id", ids[2]), nil)
	if r.status != 404 {
		t.Fatalf("deleted project: %d", r.status)
	}
}

func TestNotFoundStyles(t *testing.T) {
	calls := []struct {
		name   string
		method string
		path   string
		body   any
	}{
		{"fetch_project", "GET", "/fetch_project" + q("id", "NOPE000000"), nil},
		{"update_stage", "POST", "/update_stage" + q("id", "NOPE000000", "project_stage_name", "NTP"), nil},
		{"create_activity", "POST", "/create_activity", map[string]any{"project_id": "NOPE000000", "installer_id": "i", "notes": "n"}},
		{"project_upload_file", "POST", "/project_upload_file", map[string]any{"project_id": "NOPE000000", "folder_id": "permits", "fileurl": []string{"https://x.test/a.pdf"}}},
	}
	styles := []struct {
		notFound, errorStyle string
		status               int
		check                func(m map[string]any) bool
	}{
		{"404", "flat", 404, func(m map[string]any) bool {
			return m["success"] == false && contains(fmt.Sprint(m["message"]), "not found")
		}},
		{"", "", 404, func(m map[string]any) bool {
			return m["success"] == false && contains(fmt.Sprint(m["message"]), "not found")
		}},
		{"null", "flat", 200, func(m map[string]any) bool { v, ok := m["data"]; return ok && v == nil && m["id"] == "NOPE000000" }},
		{"empty", "flat", 200, func(m map[string]any) bool { d, ok := m["data"].(map[string]any); return ok && len(d) == 0 }},
		{"400", "flat", 400, func(m map[string]any) bool {
			return m["success"] == false && contains(fmt.Sprint(m["message"]), "not found")
		}},
		{"404", "bubble", 404, func(m map[string]any) bool {
			b, _ := m["body"].(map[string]any)
			return m["statusCode"] == 404.0 && b["status"] == "NOT_FOUND" && contains(fmt.Sprint(b["message"]), "not found")
		}},
		{"400", "bubble", 400, func(m map[string]any) bool {
			b, _ := m["body"].(map[string]any)
			return m["statusCode"] == 400.0 && contains(fmt.Sprint(b["message"]), "not found")
		}},
		{"404", "200", 200, func(m map[string]any) bool {
			return m["success"] == false && contains(fmt.Sprint(m["message"]), "not found")
		}},
		{"null", "200", 200, func(m map[string]any) bool { v, ok := m["data"]; return ok && v == nil }},
	}
	s := NewTest(t, Config{})
	for _, st := range styles {
		for _, c := range calls {
			t.Run(st.notFound+"/"+st.errorStyle+"/"+c.name, func(t *testing.T) {
				s.SetPipeBehaviour(PipeBehaviour{NotFound: st.notFound, ErrorStyle: st.errorStyle})
				r := pipe(t, s, c.method, c.path, c.body)
				if r.status != st.status || !st.check(r.obj(t)) {
					t.Fatalf("got %d %s", r.status, r.body)
				}
			})
		}
	}
	if len(s.Activities("NOPE000000")) != 0 || len(s.Uploads("NOPE000000")) != 0 {
		t.Fatal("stored writes for an unknown project")
	}
}

func TestErrorStyles(t *testing.T) {
	s := NewTest(t, Config{})
	bad := validBody()
	delete(bad, "address")
	tests := []struct {
		style  string
		status int
		check  func(m map[string]any) bool
	}{
		{"flat", 400, func(m map[string]any) bool {
			return len(m) == 2 && m["success"] == false && contains(fmt.Sprint(m["message"]), "parameter address")
		}},
		{"bubble", 400, func(m map[string]any) bool {
			b, _ := m["body"].(map[string]any)
			return len(m) == 2 && m["statusCode"] == 400.0 && b["status"] == "MISSING_DATA" && contains(fmt.Sprint(b["message"]), "parameter address")
		}},
		{"200", 200, func(m map[string]any) bool {
			return m["success"] == false && contains(fmt.Sprint(m["message"]), "parameter address")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.style, func(t *testing.T) {
			s.SetPipeBehaviour(PipeBehaviour{ErrorStyle: tc.style})
			r := pipe(t, s, "POST", "/create_project", bad)
			if r.status != tc.status || !tc.check(r.obj(t)) {
				t.Fatalf("validation: %d %s", r.status, r.body)
			}
			r = pipe(t, s, "POST", "/update_stage"+q("id", "X", "project_stage_name", "Nope"), nil)
			if r.status != tc.status {
				t.Fatalf("update_stage: %d %s", r.status, r.body)
			}
			// auth errors follow the style too
			r = send(t, "GET", s.PipeBaseURL()+"/fetch_project?id=X", "wrong", nil)
			wantAuth := 401
			if tc.style == "200" {
				wantAuth = 200
			}
			if r.status != wantAuth || !contains(string(r.body), "Unauthorized") {
				t.Fatalf("auth: %d %s", r.status, r.body)
			}
			if tc.style == "bubble" {
				m := r.obj(t)
				if m["error_class"] != "Unauthorized" || m["message"] != nil || !strings.HasPrefix(fmt.Sprint(m["translation"]), "Invalid or expired token: ") {
					t.Fatalf("bubble auth: %s", r.body)
				}
				if _, ok := m["args"].(map[string]any)["code"]; !ok {
					t.Fatalf("bubble auth without args.code: %s", r.body)
				}
			}
		})
	}
}

func TestUpdateStage(t *testing.T) {
	s := NewTest(t, Config{Now: fixedNow})
	id := createProject(t, s, validBody())
	tests := []struct {
		name, stage, id string
		status          int
		message         string
	}{
		{"valid", "NTP", id, 200, "Project status updated successfully."},
		{"same again", "NTP", id, 200, "Project status updated successfully."},
		{"contract signed", "Contract Signed", id, 200, ""},
		{"after signing", "Permitting", id, 200, ""},
		{"invalid stage", "Finished", id, 400, "Invalid project_stage_name 'Finished': must be one of New Lead, Site Survey"},
		{"case matters", "ntp", id, 400, "Invalid project_stage_name"},
		{"missing stage", "", id, 400, "parameter project_stage_name"},
		{"missing id", "NTP", "", 400, "parameter id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{}
			if tc.stage != "" {
				args = append(args, "project_stage_name", tc.stage)
			}
			if tc.id != "" {
				args = append(args, "id", tc.id)
			}
			r := pipe(t, s, "POST", "/update_stage"+q(args...), nil)
			if r.status != tc.status {
				t.Fatalf("%d %s", r.status, r.body)
			}
			m := r.obj(t)
			if tc.status == 200 {
				d := m["data"].(map[string]any)
				if m["success"] != true || m["message"] != "Project status updated successfully." || d["project_id"] != id || d["new_status"] != tc.stage {
					t.Fatalf("body %s", r.body)
				}
				p, _ := s.Project(id)
				if p["projectStatus"] != tc.stage {
					t.Fatalf("projectStatus %v", p["projectStatus"])
				}
				return
			}
			if !strings.Contains(fmt.Sprint(m["message"]), tc.message) {
				t.Fatalf("message %v, want %q", m["message"], tc.message)
			}
		})
	}
	p, _ := s.Project(id)
	if p["contractSignedDate"] != "11/30/2026" || p["projectStatus"] != "Permitting" {
		t.Fatalf("after stages: %v %v", p["contractSignedDate"], p["projectStatus"])
	}
	// fetch_project reflects the stage
	r := pipe(t, s, "GET", "/fetch_project"+q("id", id), nil)
	if r.obj(t)["data"].(map[string]any)["projectStatus"] != "Permitting" {
		t.Fatal("fetch does not reflect update_stage")
	}
	// custom stages
	s2 := NewTest(t, Config{PipeStages: []string{"Lead", "Won"}})
	b := validBody()
	id2 := createProject(t, s2, b)
	if p, _ := s2.Project(id2); p["projectStatus"] != "Lead" {
		t.Fatalf("custom default stage %v", p["projectStatus"])
	}
	if r := pipe(t, s2, "POST", "/update_stage"+q("id", id2, "project_stage_name", "NTP"), nil); r.status != 400 {
		t.Fatalf("custom stages: %d", r.status)
	}
}

func TestUploadFile(t *testing.T) {
	s := NewTest(t, Config{})
	id := createProject(t, s, validBody())
	ok := func() map[string]any {
		return map[string]any{"fileurl": []string{"https://files.test/c.pdf", "http://files.test/d.pdf"}, "project_id": id, "folder_id": "contract"}
	}
	tests := []struct {
		name    string
		mutate  func(b map[string]any)
		status  int
		message string
	}{
		{"ok", func(b map[string]any) {}, 200, ""},
		{"missing fileurl", func(b map[string]any) { delete(b, "fileurl") }, 400, "parameter fileurl"},
		{"empty fileurl", func(b map[string]any) { b["fileurl"] = []string{} }, 400, "fileurl"},
		{"string fileurl", func(b map[string]any) { b["fileurl"] = "https://files.test/c.pdf" }, 400, "fileurl"},
		{"ftp url", func(b map[string]any) { b["fileurl"] = []string{"ftp://files.test/c.pdf"} }, 400, "not an http(s) URL"},
		{"relative url", func(b map[string]any) { b["fileurl"] = []string{"/c.pdf"} }, 400, "not an http(s) URL"},
		{"empty url", func(b map[string]any) { b["fileurl"] = []string{""} }, 400, "fileurl"},
		{"missing project_id", func(b map[string]any) { delete(b, "project_id") }, 400, "parameter project_id"},
		{"missing folder_id", func(b map[string]any) { delete(b, "folder_id") }, 400, "parameter folder_id"},
		{"bad folder_id", func(b map[string]any) { b["folder_id"] = "photos" }, 400, "Invalid folder_id 'photos'"},
		{"unknown field", func(b map[string]any) { b["file_url"] = []string{"https://x.test"} }, 400, "Unrecognized parameter"},
	}
	for _, f := range uploadFolders {
		tests = append(tests, struct {
			name    string
			mutate  func(b map[string]any)
			status  int
			message string
		}{"folder " + f, func(b map[string]any) { b["folder_id"] = f }, 200, ""})
	}
	okCount := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := ok()
			tc.mutate(b)
			r := pipe(t, s, "POST", "/project_upload_file", b)
			if r.status != tc.status {
				t.Fatalf("%d %s", r.status, r.body)
			}
			m := r.obj(t)
			if tc.status == 200 {
				okCount++
				if m["success"] != true || m["message"] != "File has been saved successfully" {
					t.Fatalf("%s", r.body)
				}
				return
			}
			if !strings.Contains(fmt.Sprint(m["message"]), tc.message) {
				t.Fatalf("message %v, want %q", m["message"], tc.message)
			}
		})
	}
	ups := s.Uploads(id)
	if len(ups) != okCount || len(uploadFolders) != 11 {
		t.Fatalf("%d uploads, want %d", len(ups), okCount)
	}
	if ups[0].FolderID != "contract" || ups[0].ProjectID != id || !slices.Equal(ups[0].FileURLs, []string{"https://files.test/c.pdf", "http://files.test/d.pdf"}) {
		t.Fatalf("upload %+v", ups[0])
	}
	if p, _ := s.Project(id); p["contractURL"] != "https://files.test/c.pdf" {
		t.Fatalf("contractURL %v", p["contractURL"])
	}
}

func TestCreateActivity(t *testing.T) {
	s := NewTest(t, Config{})
	id := createProject(t, s, validBody())
	tests := []struct {
		name    string
		body    any
		status  int
		message string
	}{
		{"ok", map[string]any{"project_id": id, "installer_id": "inst1", "notes": "Site survey booked"}, 200, ""},
		{"missing notes", map[string]any{"project_id": id, "installer_id": "inst1"}, 400, "parameter notes"},
		{"blank installer", map[string]any{"project_id": id, "installer_id": " ", "notes": "x"}, 400, "parameter installer_id"},
		{"missing project", map[string]any{"installer_id": "i", "notes": "x"}, 400, "parameter project_id"},
		{"unknown field", map[string]any{"project_id": id, "installer_id": "i", "notes": "x", "note": "y"}, 400, "Unrecognized parameter"},
		{"not json", "notes=x", 400, "Invalid request body"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := pipe(t, s, "POST", "/create_activity", tc.body)
			if r.status != tc.status {
				t.Fatalf("%d %s", r.status, r.body)
			}
			m := r.obj(t)
			if tc.status == 200 {
				d := m["data"].(map[string]any)
				if m["success"] != true || m["message"] != "Activity created successfully" || d["project_id"] != id || d["installer_id"] != "inst1" {
					t.Fatalf("%s", r.body)
				}
				return
			}
			if !strings.Contains(fmt.Sprint(m["message"]), tc.message) {
				t.Fatalf("message %v, want %q", m["message"], tc.message)
			}
		})
	}
	acts := s.Activities(id)
	if len(acts) != 1 || acts[0] != (Activity{ProjectID: id, InstallerID: "inst1", Notes: "Site survey booked"}) {
		t.Fatalf("activities %+v", acts)
	}
}

func TestOutOfBandEdits(t *testing.T) {
	s := NewTest(t, Config{})
	id, err := s.SeedProject("orgX", "instX", validBody())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SeedProject("orgX", "", map[string]any{"first_name": "x"}); err == nil || !strings.Contains(err.Error(), "address") {
		t.Fatalf("SeedProject validation: %v", err)
	}
	if got := s.ProjectIDs("orgX"); !slices.Equal(got, []string{id}) {
		t.Fatalf("ProjectIDs %v", got)
	}
	if !s.EditProject(id, func(d map[string]any) {
		d["customerCity"] = "Elsewhere"
		d["contractPrice"] = "20,000.00"
	}) {
		t.Fatal("EditProject")
	}
	if s.EditProject("NOPE", func(map[string]any) {}) {
		t.Fatal("EditProject unknown")
	}
	d := pipe(t, s, "GET", "/fetch_project"+q("id", id), nil).obj(t)["data"].(map[string]any)
	if d["customerCity"] != "Elsewhere" || d["contractPrice"] != "20,000.00" {
		t.Fatalf("edit not visible: %v %v", d["customerCity"], d["contractPrice"])
	}
	ids, _ := listIDs(t, pipe(t, s, "GET", "/fetch_all_project_installer"+q("installer_id", "instX"), nil), "data", "id")
	if !slices.Equal(ids, []string{id}) {
		t.Fatalf("installer list %v", ids)
	}
	// an edit that removes every key still lists as valid JSON
	s.EditProject(id, func(d map[string]any) {
		for k := range d {
			delete(d, k)
		}
	})
	ids, _ = listIDs2(t, pipe(t, s, "GET", "/fetch_all_project"+q("org_id", "orgX"), nil))
	if !slices.Equal(ids, []string{id}) {
		t.Fatalf("list after emptying %v", ids)
	}
	if !s.DeleteProject(id) {
		t.Fatal("DeleteProject")
	}
	if _, ok := s.Project(id); ok {
		t.Fatal("still there")
	}
}

func listIDs2(t *testing.T, r result) ([]string, error) {
	var m struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	var ids []string
	for _, d := range m.Data {
		ids = append(ids, d.ID)
	}
	return ids, nil
}

func TestConcurrentPipeTraffic(t *testing.T) {
	s := NewTest(t, Config{})
	seed := seedN(t, s, "c", 20)
	var wg sync.WaitGroup
	errs := make(chan string, 1000)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				switch i % 5 {
				case 0:
					b := validBody()
					b["org_id"] = "c"
					r, err := trySend(t.Context(), "POST", s.PipeBaseURL()+"/create_project", pipeToken, b)
					if err != nil || r.status != 200 {
						errs <- fmt.Sprint("create ", err, r.status)
					}
				case 1:
					r, err := trySend(t.Context(), "GET", s.PipeBaseURL()+"/fetch_all_project"+q("org_id", "c", "page", "1"), pipeToken, nil)
					if err != nil || r.status != 200 {
						errs <- fmt.Sprint("list ", err, r.status)
					}
				case 2:
					r, err := trySend(t.Context(), "POST", s.PipeBaseURL()+"/update_stage"+q("id", seed[(g+i)%20], "project_stage_name", "NTP"), pipeToken, nil)
					if err != nil || r.status != 200 {
						errs <- fmt.Sprint("stage ", err, r.status)
					}
				case 3:
					s.EditProject(seed[(g*i)%20], func(d map[string]any) { d["customerCity"] = fmt.Sprint(g) })
					s.SetInstaller(seed[(g+i)%20], fmt.Sprint("i", g%3))
				default:
					r, err := trySend(t.Context(), "GET", s.PipeBaseURL()+"/fetch_project"+q("id", seed[(g+i)%20]), pipeToken, nil)
					if err != nil || r.status != 200 {
						errs <- fmt.Sprint("fetch ", err, r.status)
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if n := len(s.ProjectIDs("c")); n != 20+16*5 {
		t.Fatalf("%d projects", n)
	}
}
