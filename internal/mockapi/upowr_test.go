package mockapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

const upowrToken = "upowr-static-token"

func up(t testing.TB, s *Server, method, path string, body any) result {
	t.Helper()
	return send(t, method, s.UPowrBaseURL()+path, upowrToken, body)
}

func validUPowrProject() map[string]any {
	return map[string]any{
		"type":              "SALES",
		"fileAssociationId": "fa-1",
		"preferences":       map[string]any{"customerPreferredDays": []int{1, 3}},
		"productsOfInterest": []any{
			map[string]any{"solar": true, "battery": false, "ev_charger": true},
		},
		"customer":         map[string]any{"firstName": "Ann", "lastName": "Lee"},
		"site":             map[string]any{"address": map[string]any{"line1": "1 Main St"}},
		"customerComments": "call after 5",
		"customFields":     map[string]any{"crm": "X-1"},
		"triggerProcess":   true,
	}
}

func createUPowrProject(t testing.TB, s *Server, body map[string]any) string {
	t.Helper()
	r := up(t, s, "POST", "/projects", body)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id, _ := r.obj(t)["id"].(string)
	if !isUUID(id) || id[14] != '4' {
		t.Fatalf("id %q is not a v4 uuid", id)
	}
	return id
}

// errorPaths returns the paths of a 400 validation body.
func errorPaths(t testing.TB, r result) []string {
	t.Helper()
	var m struct {
		Message string `json:"message"`
		Errors  []struct {
			Path    string `json:"path"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	if m.Message == "" {
		t.Fatalf("no message: %s", r.body)
	}
	var paths []string
	for _, e := range m.Errors {
		if e.Message == "" {
			t.Fatalf("error without message: %s", r.body)
		}
		paths = append(paths, e.Path)
	}
	return paths
}

func TestUPowrCreateProject(t *testing.T) {
	s := NewTest(t, Config{})
	cust, site := newUUID(), newUUID()
	tests := []struct {
		name   string
		mutate func(b map[string]any)
		raw    string
		status int
		paths  []string
	}{
		{name: "ok full", mutate: func(b map[string]any) {}, status: 201},
		{name: "ok minimal", mutate: func(b map[string]any) {
			for k := range b {
				if k != "productsOfInterest" {
					delete(b, k)
				}
			}
		}, status: 201},
		{name: "ok customerId+siteId", mutate: func(b map[string]any) {
			delete(b, "customer")
			delete(b, "site")
			b["customerId"], b["siteId"] = cust, site
		}, status: 201},
		{name: "ok SERVICE", mutate: func(b map[string]any) { b["type"] = "SERVICE" }, status: 201},
		{name: "ok null customer with customerId", mutate: func(b map[string]any) { b["customer"] = nil; b["customerId"] = cust }, status: 201},
		{name: "bad type", mutate: func(b map[string]any) { b["type"] = "sales" }, status: 400, paths: []string{"type"}},
		{name: "missing products", mutate: func(b map[string]any) { delete(b, "productsOfInterest") }, status: 400, paths: []string{"productsOfInterest"}},
		{name: "empty products", mutate: func(b map[string]any) { b["productsOfInterest"] = []any{} }, status: 400, paths: []string{"productsOfInterest"}},
		{name: "products not objects", mutate: func(b map[string]any) { b["productsOfInterest"] = []any{"solar"} }, status: 400, paths: []string{"productsOfInterest[0]"}},
		{name: "product non-bool", mutate: func(b map[string]any) {
			b["productsOfInterest"] = []any{map[string]any{"solar": "yes"}}
		}, status: 400, paths: []string{"productsOfInterest[0].solar"}},
		{name: "product unknown key", mutate: func(b map[string]any) {
			b["productsOfInterest"] = []any{map[string]any{"solar": true, "evCharger": true}}
		}, status: 400, paths: []string{"productsOfInterest[0].evCharger"}},
		{name: "customer and customerId", mutate: func(b map[string]any) { b["customerId"] = cust }, status: 400, paths: []string{"customerId"}},
		{name: "siteId without customerId", mutate: func(b map[string]any) { delete(b, "site"); b["siteId"] = site }, status: 400, paths: []string{"siteId"}},
		{name: "site and siteId", mutate: func(b map[string]any) {
			delete(b, "customer")
			b["customerId"], b["siteId"] = cust, site
		}, status: 400, paths: []string{"siteId"}},
		{name: "customerId not uuid", mutate: func(b map[string]any) { delete(b, "customer"); b["customerId"] = "123" }, status: 400, paths: []string{"customerId"}},
		{name: "siteId not uuid", mutate: func(b map[string]any) {
			delete(b, "customer")
			delete(b, "site")
			b["customerId"], b["siteId"] = cust, "abc"
		}, status: 400, paths: []string{"siteId"}},
		{name: "day 7", mutate: func(b map[string]any) { b["preferences"] = map[string]any{"customerPreferredDays": []int{0, 7}} }, status: 400, paths: []string{"preferences.customerPreferredDays[1]"}},
		{name: "day -1 and 1.5", mutate: func(b map[string]any) { b["preferences"] = map[string]any{"customerPreferredDays": []any{-1, 1.5}} }, status: 400, paths: []string{"preferences.customerPreferredDays[0]", "preferences.customerPreferredDays[1]"}},
		{name: "days not array", mutate: func(b map[string]any) { b["preferences"] = map[string]any{"customerPreferredDays": 1} }, status: 400, paths: []string{"preferences.customerPreferredDays"}},
		{name: "preferences unknown key", mutate: func(b map[string]any) { b["preferences"] = map[string]any{"days": []int{1}} }, status: 400, paths: []string{"preferences.days"}},
		{name: "customer string", mutate: func(b map[string]any) { b["customer"] = `{"a":1}` }, status: 400, paths: []string{"customer"}},
		{name: "site array", mutate: func(b map[string]any) { b["site"] = []any{} }, status: 400, paths: []string{"site"}},
		{name: "customFields string", mutate: func(b map[string]any) { b["customFields"] = "x" }, status: 400, paths: []string{"customFields"}},
		{name: "triggerProcess string", mutate: func(b map[string]any) { b["triggerProcess"] = "true" }, status: 400, paths: []string{"triggerProcess"}},
		{name: "unknown top-level", mutate: func(b map[string]any) { b["product_of_interest"] = 1 }, status: 400, paths: []string{"product_of_interest"}},
		{name: "invalid json", raw: `{"type":`, status: 400},
		{name: "array body", raw: `[]`, status: 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(s.UPowrProjects())
			var body any = tc.raw
			if tc.raw == "" {
				b := validUPowrProject()
				tc.mutate(b)
				body = b
			}
			r := up(t, s, "POST", "/projects", body)
			if r.status != tc.status {
				t.Fatalf("%d %s", r.status, r.body)
			}
			after := len(s.UPowrProjects())
			if tc.status == 201 {
				if after != before+1 {
					t.Fatal("not stored")
				}
				return
			}
			if after != before {
				t.Fatal("invalid project stored")
			}
			if tc.paths != nil {
				if got := errorPaths(t, r); !slices.Equal(got, tc.paths) {
					t.Fatalf("paths %v, want %v: %s", got, tc.paths, r.body)
				}
			} else if r.obj(t)["message"] == nil {
				t.Fatalf("no message: %s", r.body)
			}
		})
	}
	// stored fields
	uploadTemp(t, s, "fa-9", "switchboard_photo", "a.jpg", []byte("abc"), false)
	b := validUPowrProject()
	b["fileAssociationId"] = "fa-9"
	b["customer"] = json.RawMessage(`{ "lastName" : "Lee",  "firstName":"Ann" }`)
	id := createUPowrProject(t, s, b)
	p, ok := s.UPowrProjectByID(id)
	if !ok {
		t.Fatal("not found")
	}
	sum := sha256.Sum256([]byte("abc"))
	if p.Type != "SALES" || p.Status != StatusOpen || p.FileAssociationID != "fa-9" || p.CustomerComments != "call after 5" ||
		!p.TriggerProcess || !slices.Equal(p.PreferredDays, []int{1, 3}) || string(p.Customer) != `{"lastName":"Lee","firstName":"Ann"}` ||
		string(p.CustomFields) != `{"crm":"X-1"}` || len(p.ProductsOfInterest) != 1 || !p.ProductsOfInterest[0]["ev_charger"] ||
		len(p.Files) != 1 || p.Files[0].SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("stored %+v", p)
	}
	// default type
	b = validUPowrProject()
	delete(b, "type")
	if p, _ := s.UPowrProjectByID(createUPowrProject(t, s, b)); p.Type != "SALES" || p.Files != nil {
		t.Fatalf("default type %q files %v", p.Type, p.Files)
	}
}

func TestUPowrProjectLifecycle(t *testing.T) {
	s := NewTest(t, Config{})
	id := createUPowrProject(t, s, validUPowrProject())
	unknown := newUUID()
	okBody := `{"ok":true}`
	steps := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		want   string // substring of the body
	}{
		{"patch both", "PATCH", "/projects/" + id, map[string]any{"class": "residential", "xref": "CRM-1"}, 200, okBody},
		{"patch xref only", "PATCH", "/projects/" + id, map[string]any{"xref": "CRM-2"}, 200, okBody},
		{"patch empty", "PATCH", "/projects/" + id, nil, 200, okBody},
		{"patch unknown", "PATCH", "/projects/" + unknown, map[string]any{"class": "x"}, 404, "Project not found"},
		{"patch not uuid", "PATCH", "/projects/abc", map[string]any{"class": "x"}, 400, "projectId"},
		{"patch bad field", "PATCH", "/projects/" + id, map[string]any{"klass": "x"}, 400, "klass"},
		{"patch class number", "PATCH", "/projects/" + id, map[string]any{"class": 1}, 400, "class"},
		{"prefs", "PUT", "/projects/" + id + "/preferences/installation", []int{0, 6, 2}, 200, okBody},
		{"prefs empty", "PUT", "/projects/" + id + "/preferences/installation", []int{}, 200, okBody},
		{"prefs 7", "PUT", "/projects/" + id + "/preferences/installation", []int{7}, 400, "body[0]"},
		{"prefs fraction", "PUT", "/projects/" + id + "/preferences/installation", []any{1.5}, 400, "body[0]"},
		{"prefs object", "PUT", "/projects/" + id + "/preferences/installation", map[string]any{"days": []int{1}}, 400, "body"},
		{"prefs again", "PUT", "/projects/" + id + "/preferences/installation", []int{1, 5}, 200, okBody},
		{"prefs unknown", "PUT", "/projects/" + unknown + "/preferences/installation", []int{1}, 404, "Project not found"},
		{"accept", "POST", "/projects/" + id + "/contract/accept", nil, 200, okBody},
		{"accept again", "POST", "/projects/" + id + "/contract/accept", nil, 409, "Contract already accepted; use re_accept=true"},
		{"accept re_accept=false", "POST", "/projects/" + id + "/contract/accept?re_accept=false", nil, 409, "re_accept=true"},
		{"re-accept", "POST", "/projects/" + id + "/contract/accept?re_accept=true", nil, 200, okBody},
		{"accept bad bool", "POST", "/projects/" + id + "/contract/accept?re_accept=maybe", nil, 400, "re_accept"},
		{"accept unknown", "POST", "/projects/" + unknown + "/contract/accept", nil, 404, "Project not found"},
		{"reject no reason", "POST", "/projects/" + id + "/reject", map[string]any{}, 400, "rejectReason"},
		{"reject blank reason", "POST", "/projects/" + id + "/reject", map[string]any{"rejectReason": " "}, 400, "rejectReason"},
		{"reject no body", "POST", "/projects/" + id + "/reject", nil, 400, "body"},
		{"reject", "POST", "/projects/" + id + "/reject", map[string]any{"rejectReason": "Customer declined"}, 200, okBody},
		{"accept rejected", "POST", "/projects/" + id + "/contract/accept?re_accept=true", nil, 409, "rejected"},
		{"close bad override", "POST", "/projects/" + id + "/close", map[string]any{"closedStateOverride": "DONE"}, 400, "closedStateOverride"},
		// A rejected project is closed already (SPEC §1.2): 409.
		{"close rejected", "POST", "/projects/" + id + "/close", map[string]any{"closedBy": "terraform"}, 409, "already closed"},
		{"close out of band", "", "", nil, 0, ""},
		{"close closed", "POST", "/projects/" + id + "/close", map[string]any{"closedBy": "someone else"}, 409, "already closed"},
		{"patch closed", "PATCH", "/projects/" + id, map[string]any{"class": "x"}, 409, "Project is closed"},
		{"prefs closed", "PUT", "/projects/" + id + "/preferences/installation", []int{1}, 409, "Project is closed"},
		{"accept closed", "POST", "/projects/" + id + "/contract/accept?re_accept=true", nil, 409, "Project is closed"},
		{"reject closed", "POST", "/projects/" + id + "/reject", map[string]any{"rejectReason": "x"}, 409, "Project is closed"},
		{"close unknown", "POST", "/projects/" + unknown + "/close", map[string]any{}, 404, "Project not found"},
	}
	for _, st := range steps {
		if st.method == "" {
			if !s.CloseUPowrProject(id, "terraform") {
				t.Fatalf("%s: project not found", st.name)
			}
			continue
		}
		r := up(t, s, st.method, st.path, st.body)
		if r.status != st.status || !strings.Contains(string(r.body), st.want) {
			t.Fatalf("%s: %d %s (want %d %q)", st.name, r.status, r.body, st.status, st.want)
		}
	}
	p, _ := s.UPowrProjectByID(id)
	if p.Class != "residential" || p.Xref != "CRM-2" || !slices.Equal(p.PreferredDays, []int{1, 5}) || !p.ContractAccepted ||
		p.AcceptCount != 2 || p.ReAcceptCount != 1 || p.RejectReason != "Customer declined" || p.Status != StatusClosed || p.ClosedBy != "terraform" {
		t.Fatalf("final state %+v", p)
	}
	// UPowrProjectByID returns a copy
	p.PreferredDays[0] = 6
	if p2, _ := s.UPowrProjectByID(id); p2.PreferredDays[0] != 1 {
		t.Fatal("not a copy")
	}
	if _, ok := s.UPowrProjectByID(unknown); ok {
		t.Fatal("unknown found")
	}
	// Accept with re_accept=true on a never-accepted project is a plain accept.
	id2 := createUPowrProject(t, s, validUPowrProject())
	if r := up(t, s, "POST", "/projects/"+id2+"/contract/accept?re_accept=true", nil); r.status != 200 {
		t.Fatal(r.status)
	}
	if p, _ := s.UPowrProjectByID(id2); p.AcceptCount != 1 || p.ReAcceptCount != 0 || p.Status != StatusAccepted {
		t.Fatalf("%+v", p)
	}
	if got := s.UPowrProjects(); len(got) != 2 || got[0].ID != id || got[1].ID != id2 {
		t.Fatalf("UPowrProjects %v", got)
	}
}

func TestUPowrCharges(t *testing.T) {
	s := NewTest(t, Config{})
	pid := createUPowrProject(t, s, validUPowrProject())
	good := func() map[string]any {
		return map[string]any{"amount": 10000, "type": "Credit card", "description": "Deposit", "paid_by": "Customer",
			"external_links": []string{"https://pay.test/1"}, "processed_at": "2019-08-24T16:15:22+02:00"}
	}
	tests := []struct {
		name   string
		mutate func(b map[string]any)
		status int
		paths  []string
	}{
		{"ok", func(b map[string]any) {}, 201, nil},
		{"ok minimal", func(b map[string]any) {
			delete(b, "description")
			delete(b, "external_links")
			delete(b, "processed_at")
		}, 201, nil},
		{"ok amount 1", func(b map[string]any) { b["amount"] = 1 }, 201, nil},
		{"amount 10.5", func(b map[string]any) { b["amount"] = 10.5 }, 400, []string{"amount"}},
		{"amount 0", func(b map[string]any) { b["amount"] = 0 }, 400, []string{"amount"}},
		{"amount negative", func(b map[string]any) { b["amount"] = -5 }, 400, []string{"amount"}},
		{"amount string", func(b map[string]any) { b["amount"] = "100" }, 400, []string{"amount"}},
		{"missing amount", func(b map[string]any) { delete(b, "amount") }, 400, []string{"amount"}},
		{"bad type", func(b map[string]any) { b["type"] = "Check" }, 400, []string{"type"}},
		{"lower-case type", func(b map[string]any) { b["type"] = "cash" }, 400, []string{"type"}},
		{"missing type", func(b map[string]any) { delete(b, "type") }, 400, []string{"type"}},
		{"missing paid_by", func(b map[string]any) { delete(b, "paid_by") }, 400, []string{"paid_by"}},
		{"links not strings", func(b map[string]any) { b["external_links"] = []any{1} }, 400, []string{"external_links[0]"}},
		{"bad processed_at", func(b map[string]any) { b["processed_at"] = "2019-08-24 14:15" }, 400, []string{"processed_at"}},
		{"camelCase field", func(b map[string]any) { b["paidBy"] = "x" }, 400, []string{"paidBy"}},
	}
	for _, typ := range chargeTypes {
		tests = append(tests, struct {
			name   string
			mutate func(b map[string]any)
			status int
			paths  []string
		}{"type " + typ, func(b map[string]any) { b["type"] = typ }, 201, nil})
	}
	var ids []string
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := good()
			tc.mutate(b)
			r := up(t, s, "POST", "/projects/"+pid+"/charges", b)
			if r.status != tc.status {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if tc.status == 201 {
				id, _ := r.obj(t)["id"].(string)
				if !isUUID(id) {
					t.Fatalf("id %q", id)
				}
				ids = append(ids, id)
				return
			}
			if got := errorPaths(t, r); !slices.Equal(got, tc.paths) {
				t.Fatalf("paths %v want %v", got, tc.paths)
			}
		})
	}
	charges := s.UPowrCharges(pid)
	if len(charges) != len(ids) {
		t.Fatalf("%d charges, want %d", len(charges), len(ids))
	}
	c := charges[0]
	if c.ID != ids[0] || c.ProjectID != pid || c.Amount != 10000 || c.Type != "Credit card" || c.Description != "Deposit" ||
		c.PaidBy != "Customer" || c.ProcessedAt != "2019-08-24T14:15:22Z" || !slices.Equal(c.ExternalLinks, []string{"https://pay.test/1"}) {
		t.Fatalf("charge %+v", c)
	}
	if ts, err := time.Parse(time.RFC3339, charges[1].ProcessedAt); err != nil || time.Since(ts) > time.Minute || ts.Location() != time.UTC {
		t.Fatalf("default processed_at %q", charges[1].ProcessedAt)
	}
	// unknown project
	if r := up(t, s, "POST", "/projects/"+newUUID()+"/charges", good()); r.status != 404 {
		t.Fatalf("unknown project: %d", r.status)
	}
	if r := up(t, s, "POST", "/projects/nope/charges", good()); r.status != 400 {
		t.Fatalf("bad project id: %d", r.status)
	}
	// delete
	pid2 := createUPowrProject(t, s, validUPowrProject())
	del := []struct {
		name, path string
		status     int
		want       string
	}{
		{"delete", "/projects/" + pid + "/charges/" + ids[0], 200, `{"ok":true}`},
		{"delete again", "/projects/" + pid + "/charges/" + ids[0], 404, "Charge not found"},
		{"delete unknown charge", "/projects/" + pid + "/charges/" + newUUID(), 404, "Charge not found"},
		{"delete via other project", "/projects/" + pid2 + "/charges/" + ids[1], 404, "Charge not found"},
		{"delete unknown project", "/projects/" + newUUID() + "/charges/" + ids[1], 404, "Project not found"},
		{"delete bad charge id", "/projects/" + pid + "/charges/x", 400, "chargeId"},
		{"delete upper-case id", "/projects/" + strings.ToUpper(pid) + "/charges/" + strings.ToUpper(ids[1]), 200, `{"ok":true}`},
	}
	for _, d := range del {
		r := up(t, s, "DELETE", d.path, nil)
		if r.status != d.status || !strings.Contains(string(r.body), d.want) {
			t.Fatalf("%s: %d %s", d.name, r.status, r.body)
		}
	}
	if got := s.UPowrCharges(pid); len(got) != len(ids)-2 || got[0].ID != ids[2] {
		t.Fatalf("after deletes: %d", len(got))
	}
	if all := s.UPowrCharges(""); len(all) != len(ids)-2 {
		t.Fatalf("all charges %d", len(all))
	}
}

// multipartBody builds a temp-file upload body; empty fields are left out.
func multipartBody(t testing.TB, assoc, code, filename string, content []byte, extra map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if assoc != "" {
		_ = mw.WriteField("fileAssociationId", assoc)
	}
	if code != "" {
		_ = mw.WriteField("fileCode", code)
	}
	for k, v := range extra {
		_ = mw.WriteField(k, v)
	}
	if content != nil {
		fw, err := mw.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	return &buf, mw.FormDataContentType()
}

func postMultipart(t testing.TB, s *Server, query string, body io.Reader, ct string) result {
	t.Helper()
	req, _ := http.NewRequest("POST", s.UPowrBaseURL()+"/files/temp"+query, body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+upowrToken)
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

func uploadTemp(t testing.TB, s *Server, assoc, code, filename string, content []byte, replace bool) result {
	t.Helper()
	body, ct := multipartBody(t, assoc, code, filename, content, nil)
	qs := ""
	if replace {
		qs = "?replace=true"
	}
	return postMultipart(t, s, qs, body, ct)
}

func TestUPowrTempFiles(t *testing.T) {
	s := NewTest(t, Config{})
	hash := func(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }
	steps := []struct {
		name                  string
		assoc, code, filename string
		content               []byte
		replace               bool
		status                int
		want                  string
	}{
		{"upload", "fa", "switchboard_photo", "sw.jpg", []byte("one"), false, 200, `{"ok":true}`},
		{"other code", "fa", "site_access_photo", "site.jpg", []byte("two"), false, 200, `{"ok":true}`},
		{"empty file", "fb", "site_access_photo", "empty.jpg", []byte{}, false, 200, `{"ok":true}`},
		{"duplicate", "fa", "switchboard_photo", "sw2.jpg", []byte("three"), false, 409, "File already exists; use replace=true"},
		{"replace", "fa", "switchboard_photo", "sw2.jpg", []byte("three"), true, 200, `{"ok":true}`},
		{"replace new", "fc", "preferred_installation_location_photo", "p.jpg", []byte("four"), true, 200, `{"ok":true}`},
		{"missing assoc", "", "switchboard_photo", "x.jpg", []byte("x"), false, 400, "fileAssociationId"},
		{"missing code", "fa", "", "x.jpg", []byte("x"), false, 400, "fileCode"},
		{"bad code", "fa", "roof_photo", "x.jpg", []byte("x"), false, 400, "fileCode"},
		{"missing file", "fa", "switchboard_photo", "", nil, false, 400, `"path":"file"`},
	}
	for _, st := range steps {
		r := uploadTemp(t, s, st.assoc, st.code, st.filename, st.content, st.replace)
		if r.status != st.status || !strings.Contains(string(r.body), st.want) {
			t.Fatalf("%s: %d %s", st.name, r.status, r.body)
		}
	}
	got := s.TempFiles("fa")
	want := []TempFile{
		{FileAssociationID: "fa", FileCode: "switchboard_photo", Filename: "sw2.jpg", Size: 5, SHA256: hash([]byte("three"))},
		{FileAssociationID: "fa", FileCode: "site_access_photo", Filename: "site.jpg", Size: 3, SHA256: hash([]byte("two"))},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("TempFiles %+v", got)
	}
	if got := s.TempFiles("fb"); len(got) != 1 || got[0].Size != 0 {
		t.Fatalf("fb %+v", got)
	}
	// unknown form field, bad replace, not multipart, too large
	body, ct := multipartBody(t, "fd", "switchboard_photo", "a", []byte("a"), map[string]string{"fileType": "jpg"})
	if r := postMultipart(t, s, "", body, ct); r.status != 400 || !strings.Contains(string(r.body), "fileType") {
		t.Fatalf("unknown field: %d %s", r.status, r.body)
	}
	body, ct = multipartBody(t, "fd", "switchboard_photo", "a", []byte("a"), nil)
	if r := postMultipart(t, s, "?replace=yes", body, ct); r.status != 400 {
		t.Fatalf("bad replace: %d", r.status)
	}
	if r := postMultipart(t, s, "", strings.NewReader(`{"fileAssociationId":"x"}`), "application/json"); r.status != 400 {
		t.Fatalf("json upload: %d", r.status)
	}
	big := bytes.Repeat([]byte("x"), MaxTempFileSize+1)
	body, ct = multipartBody(t, "fe", "switchboard_photo", "big.bin", big, nil)
	if r := postMultipart(t, s, "", body, ct); r.status != 413 {
		t.Fatalf("too large: %d %s", r.status, r.body)
	}
	exact := bytes.Repeat([]byte("y"), MaxTempFileSize)
	body, ct = multipartBody(t, "fe", "switchboard_photo", "ok.bin", exact, nil)
	if r := postMultipart(t, s, "", body, ct); r.status != 200 {
		t.Fatalf("exactly 10 MiB: %d %s", r.status, r.body)
	}
	if got := s.TempFiles("fe"); len(got) != 1 || got[0].Size != MaxTempFileSize {
		t.Fatalf("fe %+v", got)
	}
	// no auth
	body, ct = multipartBody(t, "ff", "switchboard_photo", "a", []byte("a"), nil)
	req, _ := http.NewRequest("POST", s.UPowrBaseURL()+"/files/temp", body)
	req.Header.Set("Content-Type", ct)
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || len(s.TempFiles("ff")) != 0 {
		t.Fatalf("unauthenticated upload: %d", resp.StatusCode)
	}
}
