package mockapi

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCreateLead(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	b := leadBody()
	b["salesRepEmail"] = "Nobody@Example.com"
	r := v1(t, s, "POST", "/leads", b)
	if r.status != 201 || r.obj(t)["created"] != true || !reflect.DeepEqual(r.obj(t)["unassigned"], []any{"Nobody@Example.com"}) {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := r.obj(t)["leadId"].(string)
	l, _ := s.Lead(id)
	if l["salesRep"] != nil || at(l, "setter.email") != "sam@example.com" || at(l, "address.country") != "US" ||
		l["externalId"] != "crm-1042" || l["notes"] != "Wants a battery." || at(l, "customer.phone") != "972-555-0142" || l["project"] != nil {
		t.Fatalf("stored lead: %v", l)
	}
	if acts := s.Activities(id); len(acts) != 1 || acts[0]["body"] != "Wants a battery." || acts[0]["type"] != "note" {
		t.Fatalf("notes not posted: %v", acts)
	}
	// The same externalId again: the existing lead, the body ignored.
	b2 := leadBody()
	b2["firstName"] = "Changed"
	r = v1(t, s, "POST", "/leads", b2)
	if r.status != 200 || r.obj(t)["created"] != false || r.obj(t)["leadId"] != id || len(r.obj(t)["unassigned"].([]any)) != 0 {
		t.Fatalf("again: %d %s", r.status, r.body)
	}
	if l, _ := s.Lead(id); at(l, "customer.firstName") != "Ana" || len(s.LeadIDs()) != 1 {
		t.Fatal("the repeated create changed or added a lead")
	}
	// Without optional fields: nulls, no activity, nothing unassigned.
	r = v1(t, s, "POST", "/leads", map[string]any{"firstName": "Bo", "lastName": "Ng",
		"address": map[string]any{"line1": "1 King St W", "city": "Toronto", "state": "Ontario", "postalCode": "M5H 1A1"}})
	if r.status != 201 || len(r.obj(t)["unassigned"].([]any)) != 0 {
		t.Fatalf("minimal: %d %s", r.status, r.body)
	}
	l, _ = s.Lead(r.obj(t)["leadId"].(string))
	if l["externalId"] != nil || l["notes"] != nil || at(l, "customer.email") != nil || at(l, "address.country") != "CA" || at(l, "address.line2") != nil {
		t.Fatalf("minimal lead: %v", l)
	}
	if len(s.Activities(l["id"].(string))) != 0 {
		t.Fatal("an activity without notes")
	}
	for name, mut := range map[string]func(m map[string]any){
		"unknown state":    func(m map[string]any) { m["address"].(map[string]any)["state"] = "Atlantis" },
		"wrong country":    func(m map[string]any) { m["address"].(map[string]any)["country"] = "CA" },
		"no city":          func(m map[string]any) { delete(m["address"].(map[string]any), "city") },
		"address extra":    func(m map[string]any) { m["address"].(map[string]any)["zip"] = "1" },
		"bad email":        func(m map[string]any) { m["email"] = "not-an-email" },
		"long externalId":  func(m map[string]any) { m["externalId"] = strings.Repeat("x", 129) },
		"number as text":   func(m map[string]any) { m["phone"] = 9725550142 },
		"missing lastName": func(m map[string]any) { delete(m, "lastName") },
		"leftover field":   func(m map[string]any) { m["home_improvement"] = false },
	} {
		b := leadBody()
		b["externalId"] = "x-" + name
		mut(b)
		if r := v1(t, s, "POST", "/leads", b); r.status != 400 || r.errCode(t) != "invalid" {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	if len(s.LeadIDs()) != 2 {
		t.Fatalf("refused creates stored leads: %d", len(s.LeadIDs()))
	}
}

func TestPatchLead(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	id := v1(t, s, "POST", "/leads", leadBody()).obj(t)["leadId"].(string)
	before, _ := s.Lead(id)

	// An unknown member refuses the whole call.
	r := v1(t, s, "PATCH", "/leads/"+id, map[string]any{"phone": "1", "setterEmail": "ghost@example.com"})
	if r.status != 400 || !strings.Contains(r.errMsg(t), "ghost@example.com") {
		t.Fatalf("unknown member: %d %s", r.status, r.body)
	}
	if l, _ := s.Lead(id); !reflect.DeepEqual(l, before) {
		t.Fatal("a refused PATCH changed the lead")
	}

	r = v1(t, s, "PATCH", "/leads/"+id, map[string]any{
		"email": "", "phone": nil, "salesRepEmail": "", "setterEmail": "REP@example.com",
		"coBorrower": map[string]any{"firstName": "Luis", "lastName": "Rivera", "email": "luis@example.com"},
		"address":    map[string]any{"line1": "9 Elm St", "line2": "Unit 2", "city": "Austin", "state": "tx", "postalCode": "73301"},
	})
	l := r.obj(t)
	if r.status != 200 || at(l, "customer.email") != nil || at(l, "customer.phone") != nil || l["salesRep"] != nil ||
		at(l, "setter.email") != "rep@example.com" || at(l, "coBorrower.email") != "luis@example.com" || at(l, "coBorrower.phone") != nil ||
		at(l, "address.line2") != "Unit 2" || at(l, "address.country") != "US" || at(l, "customer.firstName") != "Ana" {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	if l["updatedAt"] == before["updatedAt"] {
		t.Fatal("updatedAt did not move")
	}
	// Clearing every co-borrower field leaves none.
	r = v1(t, s, "PATCH", "/leads/"+id, map[string]any{"coBorrower": map[string]any{"firstName": "", "lastName": nil, "email": ""}})
	if r.obj(t)["coBorrower"] != nil {
		t.Fatalf("co-borrower: %v", r.obj(t)["coBorrower"])
	}
	// Notes post an activity, each time they are sent.
	for range 2 {
		v1(t, s, "PATCH", "/leads/"+id, map[string]any{"notes": "Site visit booked."})
	}
	if acts := s.Activities(id); len(acts) != 3 || acts[0]["body"] != "Site visit booked." {
		t.Fatalf("activities: %v", acts)
	}
	// Nothing sent changes nothing.
	cur, _ := s.Lead(id)
	if r := v1(t, s, "PATCH", "/leads/"+id, map[string]any{}); r.status != 200 || r.obj(t)["updatedAt"] != cur["updatedAt"] {
		t.Fatalf("empty patch: %d %s", r.status, r.body)
	}
	for name, b := range map[string]any{
		"blank first name": map[string]any{"firstName": " "},
		"null last name":   map[string]any{"lastName": nil},
		"externalId":       map[string]any{"externalId": "other"},
		"partial address":  map[string]any{"address": map[string]any{"line1": "1 A St"}},
		"address null":     map[string]any{"address": nil},
		"co-borrower junk": map[string]any{"coBorrower": map[string]any{"middleName": "X"}},
		"unknown field":    map[string]any{"status": "won"},
	} {
		if r := v1(t, s, "PATCH", "/leads/"+id, b); r.status != 400 {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
}

func TestLeadPatchReachesItsProject(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	pid := seedP(t, s, ProjectSeed{Reference: "1696SYNC01"})
	before, _ := s.Project(pid)
	lead := before["leadId"].(string)
	if r := v1(t, s, "PATCH", "/leads/"+lead, map[string]any{"phone": "480-555-0100"}); r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	after, _ := s.Project(pid)
	if at(after, "customer.phone") != "480-555-0100" || after["updatedAt"] == before["updatedAt"] {
		t.Fatalf("project after the lead's change: %v %v", after["customer"], after["updatedAt"])
	}
}

func TestSilentChoices(t *testing.T) {
	t.Parallel()
	body := func() map[string]any {
		b := leadBody()
		b["firstName"] = "  Ana "
		b["email"] = "Ana.Rivera@Example.COM"
		b["phone"] = "+1 972.555.0142"
		b["address"] = map[string]any{"line1": "812 Main St ", "city": "Plano", "state": "texas", "postalCode": "75023"}
		return b
	}
	for _, tc := range []struct {
		name                    string
		b                       PipeBehaviour
		first, email, phone, st string
		line1                   string
	}{
		{"as sent", PipeBehaviour{}, "  Ana ", "Ana.Rivera@Example.COM", "+1 972.555.0142", "texas", "812 Main St "},
		{"phone", PipeBehaviour{ReformatPhone: true}, "  Ana ", "Ana.Rivera@Example.COM", "(972) 555-0142", "texas", "812 Main St "},
		{"state", PipeBehaviour{StateAsCode: true}, "  Ana ", "Ana.Rivera@Example.COM", "+1 972.555.0142", "TX", "812 Main St "},
		{"email", PipeBehaviour{LowercaseEmail: true}, "  Ana ", "ana.rivera@example.com", "+1 972.555.0142", "texas", "812 Main St "},
		{"spaces", PipeBehaviour{TrimSpaces: true}, "Ana", "Ana.Rivera@Example.COM", "+1 972.555.0142", "texas", "812 Main St"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := NewTest(t, Config{})
			s.SetPipeBehaviour(tc.b)
			if s.CurrentPipeBehaviour() != tc.b {
				t.Fatal("CurrentPipeBehaviour")
			}
			id := v1(t, s, "POST", "/leads", body()).obj(t)["leadId"].(string)
			check := func(when string) {
				l, _ := s.Lead(id)
				got := []any{at(l, "customer.firstName"), at(l, "customer.email"), at(l, "customer.phone"), at(l, "address.state"), at(l, "address.line1")}
				want := []any{tc.first, tc.email, tc.phone, tc.st, tc.line1}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: stored %q, want %q", when, got, want)
				}
			}
			check("create")
			b := body()
			delete(b, "externalId")
			delete(b, "salesRepEmail")
			delete(b, "setterEmail")
			delete(b, "notes")
			if r := v1(t, s, "PATCH", "/leads/"+id, b); r.status != 200 {
				t.Fatalf("patch: %d %s", r.status, r.body)
			}
			check("patch")
		})
	}
}

func TestActivitiesPages(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	id := seedL(t, s, LeadSeed{})
	for i := range 5 {
		if _, err := s.SeedActivity(id, "note "+string(rune('0'+i))); err != nil {
			t.Fatal(err)
		}
	}
	var bodies []string
	cursor := ""
	for {
		path := "/leads/" + id + "/activities?limit=2"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r := v1(t, s, "GET", path, nil)
		for _, a := range r.obj(t)["data"].([]any) {
			bodies = append(bodies, at(a, "body").(string))
		}
		next, _ := r.obj(t)["next"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	if strings.Join(bodies, ",") != "note 4,note 3,note 2,note 1,note 0" {
		t.Fatalf("activities %v", bodies)
	}
	if r := v1(t, s, "GET", "/leads/"+id+"/activities?updatedSince=2026-01-01T00:00:00Z", nil); r.status != 400 {
		t.Fatalf("unknown parameter: %d", r.status)
	}
}

func TestListLeads(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	a := seedL(t, s, LeadSeed{})
	b := seedL(t, s, LeadSeed{ProductLine: "hi"})
	seedL(t, s, LeadSeed{Company: "Someone Else Solar"})
	r := v1(t, s, "GET", "/leads", nil)
	data := r.obj(t)["data"].([]any)
	if len(data) != 2 || at(data[0], "id") != b || at(data[1], "id") != a || r.obj(t)["next"] != nil {
		t.Fatalf("leads: %s", r.body)
	}
	if data := v1(t, s, "GET", "/leads?productLine=solar", nil).obj(t)["data"].([]any); len(data) != 1 || at(data[0], "id") != a {
		t.Fatalf("solar leads: %v", data)
	}
	if !s.EditLead(a, func(l map[string]any) { l["status"] = "proposal" }) {
		t.Fatal("EditLead")
	}
	if data := v1(t, s, "GET", "/leads", nil).obj(t)["data"].([]any); at(data[0], "id") != a || at(data[0], "status") != "proposal" {
		t.Fatalf("after the edit: %v", data[0])
	}
	if !s.DeleteLead(a) || v1(t, s, "GET", "/leads/"+a, nil).status != 404 {
		t.Fatal("DeleteLead")
	}
}

// TestListLeadsUpdatedSince checks the lead listing's updatedSince (what
// batch_refresh of pipesolar_lead relies on): only leads changed after the
// time, newest change first, pages whose cursor keeps the filter, and a
// time that is not one refused.
func TestListLeadsUpdatedSince(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)}
	s := NewTest(t, Config{Now: clock.now})
	var ids []string
	for range 4 {
		ids = append(ids, seedL(t, s, LeadSeed{}))
	}
	since := clock.now().Add(time.Second).Format(time.RFC3339)
	clock.add(time.Minute)
	for _, id := range []string{ids[1], ids[3]} {
		clock.add(time.Second)
		if !s.EditLead(id, func(l map[string]any) { l["status"] = "proposal" }) {
			t.Fatal("EditLead")
		}
	}
	q := "/leads?limit=1&updatedSince=" + url.QueryEscape(since)
	r := v1(t, s, "GET", q, nil)
	data, _ := r.obj(t)["data"].([]any)
	next, _ := r.obj(t)["next"].(string)
	if len(data) != 1 || at(data[0], "id") != ids[3] || next == "" {
		t.Fatalf("first page: %s", r.body)
	}
	r = v1(t, s, "GET", q+"&cursor="+url.QueryEscape(next), nil)
	if data, _ := r.obj(t)["data"].([]any); len(data) != 1 || at(data[0], "id") != ids[1] || r.obj(t)["next"] != nil {
		t.Fatalf("second page: %s", r.body)
	}
	if r := v1(t, s, "GET", "/leads?limit=1&cursor="+url.QueryEscape(next), nil); r.status != 400 {
		t.Fatalf("the cursor without its updatedSince: %d %s", r.status, r.body)
	}
	if r := v1(t, s, "GET", "/leads?updatedSince=yesterday", nil); r.status != 400 || r.errCode(t) != "invalid" {
		t.Fatalf("updatedSince=yesterday: %d %s", r.status, r.body)
	}
}
