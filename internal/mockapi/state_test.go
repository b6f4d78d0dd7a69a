package mockapi

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// populate fills s through its HTTP API with one object of every kind the
// state holds, an app-side edit included, and returns the pipe.solar ids.
func populate(t *testing.T, s *Server) (projectID, upowrID string) {
	t.Helper()
	projectID = createProject(t, s, validBody())
	if r := pipe(t, s, "POST", "/update_stage"+q("project_stage_name", "Contract Signed", "id", projectID), nil); r.status != 200 {
		t.Fatalf("update_stage: %d %s", r.status, r.body)
	}
	if r := pipe(t, s, "POST", "/create_activity", map[string]any{"project_id": projectID, "installer_id": "inst-1", "notes": "called"}); r.status != 200 {
		t.Fatalf("create_activity: %d %s", r.status, r.body)
	}
	if r := pipe(t, s, "POST", "/project_upload_file", map[string]any{"project_id": projectID, "folder_id": "contract", "fileurl": []string{"https://example.com/c.pdf"}}); r.status != 200 {
		t.Fatalf("project_upload_file: %d %s", r.status, r.body)
	}
	s.EditProject(projectID, func(d map[string]any) { d["customerCity"] = "Edited City" })
	if _, err := s.SeedProject("org2", "inst-2", validBody()); err != nil {
		t.Fatal(err)
	}

	if r := uploadTemp(t, s, "fa-1", "switchboard_photo", "a.png", []byte("png"), false); r.status != 200 {
		t.Fatalf("temp upload: %d %s", r.status, r.body)
	}
	upowrID = createUPowrProject(t, s, validUPowrProject())
	if r := up(t, s, "POST", "/projects/"+upowrID+"/charges", map[string]any{"amount": 1500, "type": "Cash", "paid_by": "Customer"}); r.status != 201 {
		t.Fatalf("create charge: %d %s", r.status, r.body)
	}
	if r := up(t, s, "POST", "/projects/"+upowrID+"/contract/accept", nil); r.status != 200 {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	return projectID, upowrID
}

func TestSaveAndLoadState(t *testing.T) {
	a := NewTest(t, Config{})
	projectID, upowrID := populate(t, a)
	var saved bytes.Buffer
	if err := a.SaveState(&saved); err != nil {
		t.Fatal(err)
	}

	b := NewTest(t, Config{})
	if err := b.LoadState(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}

	// What the APIs answer is the same, byte for byte.
	for _, path := range []string{"/fetch_project" + q("id", projectID), "/fetch_all_project" + q("org_id", "org1", "page", "1"), "/fetch_all_project_installer" + q("installer_id", "inst-2", "page", "1")} {
		ra, rb := pipe(t, a, "GET", path, nil), pipe(t, b, "GET", path, nil)
		if ra.status != 200 || rb.status != ra.status || !bytes.Equal(ra.body, rb.body) {
			t.Errorf("GET %s after load:\n got  %d %s\n want %d %s", path, rb.status, rb.body, ra.status, ra.body)
		}
	}
	if d, _ := b.Project(projectID); d["customerCity"] != "Edited City" || d["projectStatus"] != "Contract Signed" {
		t.Errorf("loaded project lost the edit or the stage: city %v, stage %v", d["customerCity"], d["projectStatus"])
	}
	ina, _ := a.ProjectInput(projectID)
	inb, _ := b.ProjectInput(projectID)
	if !reflect.DeepEqual(ina, inb) {
		t.Errorf("create_project input after load:\n got  %#v\n want %#v", inb, ina)
	}
	if !reflect.DeepEqual(a.Activities(projectID), b.Activities(projectID)) || len(b.Activities(projectID)) != 1 {
		t.Errorf("activities after load: %v, want %v", b.Activities(projectID), a.Activities(projectID))
	}
	if !reflect.DeepEqual(a.Uploads(projectID), b.Uploads(projectID)) || len(b.Uploads(projectID)) != 1 {
		t.Errorf("uploads after load: %v, want %v", b.Uploads(projectID), a.Uploads(projectID))
	}
	if !reflect.DeepEqual(a.UPowrProjects(), b.UPowrProjects()) {
		t.Errorf("UPowr projects after load:\n got  %+v\n want %+v", b.UPowrProjects(), a.UPowrProjects())
	}
	if got := b.UPowrCharges(upowrID); len(got) != 1 || !reflect.DeepEqual(got, a.UPowrCharges(upowrID)) {
		t.Errorf("UPowr charges after load: %+v, want %+v", got, a.UPowrCharges(upowrID))
	}
	if !reflect.DeepEqual(a.TempFiles("fa-1"), b.TempFiles("fa-1")) {
		t.Errorf("temp files after load: %+v, want %+v", b.TempFiles("fa-1"), a.TempFiles("fa-1"))
	}

	// The loaded server works on: a stage change, and a project accepted
	// before the save can be closed.
	if r := pipe(t, b, "POST", "/update_stage"+q("project_stage_name", "NTP", "id", projectID), nil); r.status != 200 {
		t.Errorf("update_stage after load: %d %s", r.status, r.body)
	}
	if r := up(t, b, "POST", "/projects/"+upowrID+"/close", map[string]any{"closedBy": "ci"}); r.status != 200 {
		t.Errorf("close after load: %d %s", r.status, r.body)
	}
	// A second save of an unchanged load is the same document.
	c := NewTest(t, Config{})
	if err := c.LoadState(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := c.SaveState(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != saved.String() {
		t.Errorf("save(load(x)) != x:\n%s\n---\n%s", again.String(), saved.String())
	}
}

func TestLoadStateReplacesEverything(t *testing.T) {
	s := NewTest(t, Config{})
	old := seedN(t, s, "org1", 2)
	empty := NewTest(t, Config{})
	var doc bytes.Buffer
	if err := empty.SaveState(&doc); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadState(&doc); err != nil {
		t.Fatal(err)
	}
	if ids := s.ProjectIDs(""); len(ids) != 0 {
		t.Errorf("projects after loading an empty state: %v (had %v)", ids, old)
	}
	if r := pipe(t, s, "GET", "/fetch_project"+q("id", old[0]), nil); r.status != 404 {
		t.Errorf("fetch_project of a project the load removed: %d %s", r.status, r.body)
	}
}

func TestLoadStateRejectsBadDocuments(t *testing.T) {
	s := NewTest(t, Config{})
	kept := seedN(t, s, "org1", 1)
	for name, doc := range map[string]string{
		"not json":        `{`,
		"no format":       `{"pipe_solar":{"projects":[]},"upowr":{}}`,
		"other format":    `{"format":"something/v9"}`,
		"unknown field":   `{"format":"` + StateFormat + `","extra":1}`,
		"duplicate id":    `{"format":"` + StateFormat + `","pipe_solar":{"projects":[{"id":"A","org_id":"o","data":{}},{"id":"A","org_id":"o","data":{}}]}}`,
		"empty org":       `{"format":"` + StateFormat + `","pipe_solar":{"projects":[{"id":"A","data":{}}]}}`,
		"no data":         `{"format":"` + StateFormat + `","pipe_solar":{"projects":[{"id":"A","org_id":"o"}]}}`,
		"orphan charge":   `{"format":"` + StateFormat + `","upowr":{"charges":[{"id":"c","project_id":"nope","amount":1}]}}`,
		"spaces in an id": `{"format":"` + StateFormat + `","pipe_solar":{"projects":[{"id":" A","org_id":"o","data":{}}]}}`,
	} {
		if err := s.LoadState(strings.NewReader(doc)); err == nil {
			t.Errorf("%s: LoadState accepted %s", name, doc)
		}
	}
	if ids := s.ProjectIDs(""); !reflect.DeepEqual(ids, kept) {
		t.Errorf("a refused load changed the state: %v, want %v", ids, kept)
	}
}

func TestStateFilesAndAdminRoutes(t *testing.T) {
	a := NewTest(t, Config{})
	projectID, _ := populate(t, a)
	path := filepath.Join(t.TempDir(), "state.json")
	if err := a.SaveStateFile(path); err != nil {
		t.Fatal(err)
	}
	b := NewTest(t, Config{})
	if err := b.LoadStateFile(path); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Project(projectID); !ok {
		t.Fatalf("project %s missing after LoadStateFile", projectID)
	}
	// GET /_mock/export is the same document; PUT /_mock/import loads one.
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	exp := send(t, "GET", a.URL()+"/_mock/export", "", nil)
	if exp.status != 200 || strings.TrimSpace(string(exp.body)) != strings.TrimSpace(string(file)) {
		t.Errorf("GET /_mock/export: %d, differs from SaveStateFile:\n%s", exp.status, exp.body)
	}
	c := NewTest(t, Config{})
	if r := send(t, "PUT", c.URL()+"/_mock/import", "", exp.body); r.status != 200 {
		t.Fatalf("PUT /_mock/import: %d %s", r.status, r.body)
	}
	if r := pipe(t, c, "GET", "/fetch_project"+q("id", projectID), nil); r.status != 200 {
		t.Errorf("fetch_project after PUT /_mock/import: %d %s", r.status, r.body)
	}
	if r := send(t, "PUT", c.URL()+"/_mock/import", "", `{"format":"x"}`); r.status != 400 || !contains(string(r.body), "format") {
		t.Errorf("PUT /_mock/import of a bad document: %d %s", r.status, r.body)
	}
	if err := b.LoadStateFile(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("LoadStateFile of a missing file: no error")
	}
}
