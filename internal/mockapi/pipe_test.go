package mockapi

import (
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable Config.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestRetiredAPIAnswers410Moved(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	for _, c := range []struct{ method, path string }{
		{"GET", "/fetch_project?id=X"}, {"POST", "/create_project"}, {"POST", "/update_stage"},
	} {
		r := send(t, c.method, s.RetiredBaseURL()+c.path, ikey, map[string]any{})
		if r.status != 410 || string(r.body) != `{"docs":"https://pipe.solar/api/v1","error":"moved"}` {
			t.Fatalf("%s %s: %d %s", c.method, c.path, r.status, r.body)
		}
	}
	if r := send(t, "GET", s.URL()+"/api/1.1/obj/project", "", nil); r.status != 410 {
		t.Fatalf("/api/1.1/obj: %d", r.status)
	}
	if s.Count(EndpointRetired) != 4 {
		t.Fatalf("retired calls counted %d", s.Count(EndpointRetired))
	}
}

func TestProjectIDForms(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	id := seedP(t, s, ProjectSeed{Reference: "1696ABCDEF"})
	p, _ := s.Project(id)
	lead := p["leadId"].(string)
	for _, form := range []string{id, "1696ABCDEF", lead} {
		r := v1(t, s, "GET", "/projects/"+url.PathEscape(form), nil)
		if r.status != 200 || r.obj(t)["id"] != id || r.obj(t)["reference"] != "1696ABCDEF" {
			t.Fatalf("GET /projects/%s: %d %s", form, r.status, r.body)
		}
	}
	// The old UID named the customer too: the lead answers to it.
	if r := v1(t, s, "GET", "/leads/1696ABCDEF", nil); r.status != 200 || r.obj(t)["id"] != lead || at(r.obj(t), "project.id") != id {
		t.Fatalf("lead by the old UID: %d %s", r.status, r.body)
	}
	if r := v1(t, s, "POST", "/projects/1696ABCDEF/stage", map[string]any{"stage": "ntp"}); r.status != 200 {
		t.Fatalf("stage by reference: %d %s", r.status, r.body)
	}
	if !s.DeleteProject("1696ABCDEF") {
		t.Fatal("DeleteProject")
	}
	for _, form := range []string{id, "1696ABCDEF", lead} {
		if r := v1(t, s, "GET", "/projects/"+form, nil); r.status != 404 || r.errCode(t) != "not_found" {
			t.Fatalf("deleted project by %s: %d %s", form, r.status, r.body)
		}
	}
}

func TestStageMoves(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)}
	s := NewTest(t, Config{Now: clock.now})
	id := seedP(t, s, ProjectSeed{Stage: "Proposal"})
	before, _ := s.Project(id)
	clock.add(time.Minute)
	r := v1(t, s, "POST", "/projects/"+id+"/stage", map[string]any{"stage": "  contract SIGNED "})
	if r.status != 200 || r.obj(t)["changed"] != true || r.obj(t)["stage"] != "Contract Signed" || r.obj(t)["stageId"] != "stg_contract_signed" {
		t.Fatalf("move by name: %d %s", r.status, r.body)
	}
	after, _ := s.Project(id)
	if at(after, "stage.name") != "Contract Signed" || at(after, "stage.enteredAt") != "2026-12-06T12:01:00.000Z" || after["updatedAt"] == before["updatedAt"] {
		t.Fatalf("project after the move: stage %v, updatedAt %v (was %v)", after["stage"], after["updatedAt"], before["updatedAt"])
	}
	// The stage it is in changes nothing, updatedAt included.
	r = v1(t, s, "POST", "/projects/"+id+"/stage", map[string]any{"stageId": "stg_contract_signed"})
	if again, _ := s.Project(id); r.status != 200 || r.obj(t)["changed"] != false || again["updatedAt"] != after["updatedAt"] {
		t.Fatalf("same stage: %d %s", r.status, r.body)
	}
	r = v1(t, s, "POST", "/projects/"+id+"/stage", map[string]any{"stage": "Signed"})
	if r.status != 400 || !strings.Contains(r.errMsg(t), `"Permitting" (stg_permitting)`) || !strings.Contains(r.errMsg(t), "Signed") {
		t.Fatalf("unknown stage does not list the ladder: %d %s", r.status, r.body)
	}
	if p, _ := s.Project(id); at(p, "stage.name") != "Contract Signed" {
		t.Fatal("a refused move changed the stage")
	}
}

func TestPatchProject(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	id := seedP(t, s, ProjectSeed{})
	r := v1(t, s, "PATCH", "/projects/"+id, map[string]any{"installDate": "2027-01-05", "ntpGranted": true})
	p, _ := s.Project(id)
	if r.status != 200 || r.obj(t)["changed"] != true || at(p, "milestones.installScheduled") != "2027-01-05" || p["ntpGranted"] != true {
		t.Fatalf("set: %d %s %v", r.status, r.body, p["milestones"])
	}
	if r := v1(t, s, "PATCH", "/projects/"+id, map[string]any{"installDate": "2027-01-05"}); r.obj(t)["changed"] != false {
		t.Fatalf("same value: %s", r.body)
	}
	// An absent field is kept; null clears the day.
	r = v1(t, s, "PATCH", "/projects/"+id, map[string]any{"installDate": nil})
	p, _ = s.Project(id)
	if _, has := p["milestones"].(map[string]any)["installScheduled"]; r.obj(t)["changed"] != true || has || p["ntpGranted"] != true {
		t.Fatalf("clear: %s %v ntp %v", r.body, p["milestones"], p["ntpGranted"])
	}
	for _, bad := range []any{
		map[string]any{"installDate": "2027-02-30"}, map[string]any{"ntpGranted": "yes"},
		map[string]any{"installDate": 20270105}, []any{}, "not json",
	} {
		if r := v1(t, s, "PATCH", "/projects/"+id, bad); r.status != 400 || r.errCode(t) != "invalid" {
			t.Fatalf("%v: %d %s", bad, r.status, r.body)
		}
	}
	// A body without the JSON content type is refused.
	r = sendCT(t, s, "PATCH", "/projects/"+id, "text/plain", `{"ntpGranted": false}`)
	if r.status != 400 {
		t.Fatalf("text/plain body: %d", r.status)
	}
}

func TestAddFiles(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	id := seedP(t, s, ProjectSeed{})
	body := map[string]any{"folder": "permit", "files": []any{
		map[string]any{"url": "https://files.example.com/permits/812-main.pdf"},
		map[string]any{"url": "https://files.example.com/b.pdf", "name": "B.pdf"},
	}}
	r := v1(t, s, "POST", "/projects/"+id+"/files", body)
	files := r.obj(t)["files"].([]any)
	if r.status != 201 || len(files) != 2 || at(files[0], "name") != "812-main.pdf" || at(files[1], "name") != "B.pdf" || at(files[0], "added") != true {
		t.Fatalf("add: %d %s", r.status, r.body)
	}
	p, _ := s.Project(id)
	links := at(p, "files.permit").([]any)
	if len(links) != 2 || !strings.HasPrefix(links[0].(string), "https://pipe.solar/files/") {
		t.Fatalf("project files: %v", p["files"])
	}
	if _, has := p["files"].(map[string]any)["planset"]; has {
		t.Fatal("an empty folder is listed")
	}
	// The same urls again: 200, nothing added, the same ids.
	r = v1(t, s, "POST", "/projects/"+id+"/files", body)
	again := r.obj(t)["files"].([]any)
	if r.status != 200 || at(again[0], "added") != false || at(again[0], "id") != at(files[0], "id") || len(s.Files(id, "permit")) != 2 {
		t.Fatalf("again: %d %s", r.status, r.body)
	}
	// The same url in another folder is another file.
	r = v1(t, s, "POST", "/projects/"+id+"/files", map[string]any{"folder": "other", "files": []any{map[string]any{"url": "https://files.example.com/b.pdf"}}})
	if r.status != 201 || len(s.Files(id, "")) != 3 {
		t.Fatalf("other folder: %d %s", r.status, r.body)
	}
	for name, u := range map[string]string{
		"http":          "http://files.example.com/a.pdf",
		"ip":            "https://93.184.216.34/a.pdf",
		"ipv6":          "https://[2001:db8::1]/a.pdf",
		"localhost":     "https://localhost/a.pdf",
		"private name":  "https://nas.local/a.pdf",
		"single label":  "https://fileserver/a.pdf",
		"password":      "https://user:secret@files.example.com/a.pdf",
		"not an url":    "files.example.com/a.pdf",
		"internal host": "https://docs.corp.internal/a.pdf",
	} {
		r := v1(t, s, "POST", "/projects/"+id+"/files", map[string]any{"folder": "permit", "files": []any{map[string]any{"url": u}}})
		if r.status != 400 || r.errCode(t) != "invalid" {
			t.Errorf("%s (%s): %d %s", name, u, r.status, r.body)
		}
	}
	for name, b := range map[string]any{
		"no files":      map[string]any{"folder": "permit", "files": []any{}},
		"unknown key":   map[string]any{"folder": "permit", "files": []any{map[string]any{"url": "https://files.example.com/x.pdf", "size": 3}}},
		"no folder":     map[string]any{"files": []any{map[string]any{"url": "https://files.example.com/x.pdf"}}},
		"files as urls": map[string]any{"folder": "permit", "files": []any{"https://files.example.com/x.pdf"}},
	} {
		if r := v1(t, s, "POST", "/projects/"+id+"/files", b); r.status != 400 {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	if len(s.Files(id, "")) != 3 {
		t.Fatalf("refused calls added files: %v", s.Files(id, ""))
	}
	// Ten at once is fine.
	var ten []any
	for i := range 10 {
		ten = append(ten, map[string]any{"url": "https://files.example.com/p" + string(rune('a'+i)) + ".jpg"})
	}
	if r := v1(t, s, "POST", "/projects/"+id+"/files", map[string]any{"folder": "installationPhoto", "files": ten}); r.status != 201 {
		t.Fatalf("ten files: %d %s", r.status, r.body)
	}
}

func TestListProjectsPagesNewestChangeFirst(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)}
	s := NewTest(t, Config{Now: clock.now})
	var ids []string
	for range 7 {
		ids = append(ids, seedP(t, s, ProjectSeed{}))
	}
	hi := seedP(t, s, ProjectSeed{ProductLine: "hi"})
	seedP(t, s, ProjectSeed{Company: "Someone Else Solar"}) // never listed
	since := clock.now().Add(time.Second).Format(time.RFC3339)
	clock.add(time.Minute)
	// A change moves a project to the front.
	s.EditProject(ids[2], func(p map[string]any) { p["ntpGranted"] = true })

	var got []string
	cursor := ""
	pages := 0
	for {
		path := "/projects?limit=3"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r := v1(t, s, "GET", path, nil)
		if r.status != 200 {
			t.Fatalf("page %d: %d %s", pages, r.status, r.body)
		}
		for _, row := range r.obj(t)["data"].([]any) {
			got = append(got, row.(map[string]any)["id"].(string))
			if _, full := row.(map[string]any)["financing"]; full {
				t.Fatal("a list row carries the full project")
			}
		}
		pages++
		next, _ := r.obj(t)["next"].(string)
		if next == "" {
			if r.obj(t)["next"] != nil {
				t.Fatalf("next %v, want null", r.obj(t)["next"])
			}
			break
		}
		cursor = next
	}
	want := append([]string{ids[2], hi}, ids[6], ids[5], ids[4], ids[3], ids[1], ids[0])
	if !slices.Equal(got, want) || pages != 3 {
		t.Fatalf("order %v, want %v (%d pages)", got, want, pages)
	}
	if all := s.ProjectIDs(); len(all) != 9 || all[0] != ids[2] {
		t.Fatalf("ProjectIDs %v", s.ProjectIDs())
	}
	r := v1(t, s, "GET", "/projects?productLine=hi", nil)
	if data := r.obj(t)["data"].([]any); len(data) != 1 || at(data[0], "id") != hi {
		t.Fatalf("productLine=hi: %s", r.body)
	}
	r = v1(t, s, "GET", "/projects?updatedSince="+url.QueryEscape(since), nil)
	if data := r.obj(t)["data"].([]any); len(data) != 1 || at(data[0], "id") != ids[2] {
		t.Fatalf("updatedSince: %s", r.body)
	}
	// A cursor belongs to its filters.
	first := v1(t, s, "GET", "/projects?limit=1", nil).obj(t)["next"].(string)
	if r := v1(t, s, "GET", "/projects?limit=1&productLine=solar&cursor="+url.QueryEscape(first), nil); r.status != 400 {
		t.Fatalf("cursor with other filters: %d", r.status)
	}
	if r := v1(t, s, "GET", "/projects?page=2", nil); r.status != 400 || !strings.Contains(r.errMsg(t), "page") {
		t.Fatalf("unknown parameter: %d %s", r.status, r.body)
	}
	if r := v1(t, s, "GET", "/projects?limit=5&limit=6", nil); r.status != 400 {
		t.Fatalf("repeated parameter: %d", r.status)
	}
}

func TestDealerKey(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	own := seedP(t, s, ProjectSeed{})
	dealers := seedP(t, s, ProjectSeed{Company: DefaultDealerName})
	r := v1As(t, s, dkey, "GET", "/me", nil)
	if at(r.obj(t), "company.name") != DefaultDealerName || !strings.HasPrefix(at(r.obj(t), "key.prefix").(string), "psk_") {
		t.Fatalf("dealer /me: %s", r.body)
	}
	if data := v1As(t, s, dkey, "GET", "/projects", nil).obj(t)["data"].([]any); len(data) != 1 || at(data[0], "id") != dealers {
		t.Fatalf("dealer sees %v", data)
	}
	// The installer sees its dealer's projects too.
	if data := v1(t, s, "GET", "/projects", nil).obj(t)["data"].([]any); len(data) != 2 {
		t.Fatalf("installer sees %d projects", len(data))
	}
	if r := v1As(t, s, dkey, "GET", "/projects/"+own, nil); r.status != 404 {
		t.Fatalf("dealer reads the installer's project: %d", r.status)
	}
	// The installer may write its dealer's project.
	if r := v1(t, s, "PATCH", "/projects/"+dealers, map[string]any{"ntpGranted": true}); r.status != 200 {
		t.Fatalf("installer writes the dealer's project: %d %s", r.status, r.body)
	}
	// A dealer's lead writes are its own business.
	r = v1As(t, s, dkey, "POST", "/leads", leadBody())
	if r.status != 201 {
		t.Fatalf("dealer creates a lead: %d %s", r.status, r.body)
	}
	// The same externalId in another company is another lead.
	if r := v1(t, s, "POST", "/leads", leadBody()); r.status != 201 {
		t.Fatalf("installer, same externalId as the dealer's: %d %s", r.status, r.body)
	}
}

func TestNoDealerKey(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{DealerKey: "-", InstallerKey: "psk_1111111111111111111111111111111111111111"})
	if s.DealerKey() != "" || s.InstallerKey() != "psk_1111111111111111111111111111111111111111" {
		t.Fatalf("keys %q %q", s.InstallerKey(), s.DealerKey())
	}
	if r := v1As(t, s, DefaultDealerKey, "GET", "/me", nil); r.status != 401 {
		t.Fatalf("default dealer key works: %d", r.status)
	}
	if r := v1As(t, s, DefaultInstallerKey, "GET", "/me", nil); r.status != 401 {
		t.Fatalf("default installer key works: %d", r.status)
	}
}

func TestEditProjectIsDrift(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)}
	s := NewTest(t, Config{Now: clock.now})
	id := seedP(t, s, ProjectSeed{Reference: "1696DRIFT1"})
	before, _ := s.Project(id)
	// The clock does not move: updatedAt still does.
	ok := s.EditProject("1696DRIFT1", func(p map[string]any) {
		p["stage"].(map[string]any)["name"] = "ntp"
		p["milestones"].(map[string]any)["installScheduled"] = "2027-01-05"
		p["id"] = "hijack"
	})
	after, _ := s.Project(id)
	if !ok || at(after, "stage.id") != "stg_ntp" || at(after, "stage.name") != "NTP" || at(after, "milestones.installScheduled") != "2027-01-05" {
		t.Fatalf("edit: %v %v", after["stage"], after["milestones"])
	}
	if after["id"] != id || after["updatedAt"] == before["updatedAt"] || at(after, "stage.enteredAt") == at(before, "stage.enteredAt") {
		t.Fatalf("derived values: id %v updatedAt %v→%v enteredAt %v", after["id"], before["updatedAt"], after["updatedAt"], at(after, "stage.enteredAt"))
	}
	if s.EditProject("nope", func(map[string]any) {}) {
		t.Fatal("EditProject of an unknown id")
	}
}

func TestSeededProjectsAreComplete(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	ids := s.SeedRandomProjects(12)
	hi := seedP(t, s, ProjectSeed{ProductLine: "hi", SystemSizeKw: 0})
	for _, id := range append(ids, hi) {
		p, _ := s.Project(id)
		var errs []string
		sProject.check("$", p, &errs)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", id, errs)
		}
		if p["reference"] == nil && id != hi {
			t.Fatalf("random project without a reference")
		}
	}
	if p, _ := s.Project(hi); p["system"] != nil || p["products"] == nil {
		t.Fatalf("hi project: system %v products %v", p["system"], p["products"])
	}
	if p, _ := s.Project(ids[0]); p["system"] == nil || p["products"] != nil {
		t.Fatalf("solar project: system %v products %v", p["system"], p["products"])
	}
	for _, bad := range []ProjectSeed{
		{Stage: "Signed"}, {ProductLine: "wind"}, {Files: map[string][]string{"permits": {"https://x.example.com/a"}}},
		{CustomFields: map[string]any{"x": []any{}}}, {Fields: map[string]any{"colour": "red"}},
	} {
		if _, err := s.SeedProject(bad); err == nil {
			t.Errorf("SeedProject(%+v) accepted", bad)
		}
	}
	if _, err := s.SeedProject(ProjectSeed{ID: ids[0]}); err == nil {
		t.Error("a duplicate id was accepted")
	}
}

func TestUnknownV1Route(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	if r := v1(t, s, "GET", "/customers", nil); r.status != 404 || r.errCode(t) != "not_found" {
		t.Fatalf("%d %s", r.status, r.body)
	}
	// v1 deletes nothing.
	if r := v1(t, s, "DELETE", "/projects/x", nil); r.status != 404 || !strings.Contains(r.errMsg(t), "DELETE /v1/projects/x") {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
}

func TestStagesAndCatalogue(t *testing.T) {
	t.Parallel()
	s := NewTest(t, Config{})
	data := v1(t, s, "GET", "/stages", nil).obj(t)["data"].([]any)
	if len(data) != len(DefaultStages) || at(data[0], "position") != 1.0 || at(data[10], "productLine") != "hi" || at(data[10], "position") != 1.0 {
		t.Fatalf("stages: %v", data)
	}
	data = v1(t, s, "GET", "/equipment?kind=inverter", nil).obj(t)["data"].([]any)
	for _, e := range data {
		if at(e, "kind") != "inverter" {
			t.Fatalf("kind filter: %v", data)
		}
	}
	if len(data) != 2 {
		t.Fatalf("%d inverters", len(data))
	}
}
