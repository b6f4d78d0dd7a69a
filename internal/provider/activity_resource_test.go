package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

const activityAddr = "pipesolar_activity.test"

// activityRandomID is the form of an id the provider generates.
var activityRandomID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func activityBlock(projectID, installerID, notes string) string {
	return fmt.Sprintf(`
resource "pipesolar_activity" "test" {
  project_id   = %q
  installer_id = %q
  notes        = %q
}
`, projectID, installerID, notes)
}

func activityConfig(m *mockapi.Server, projectID, installerID, notes string) string {
	return pipeProvider(m) + activityBlock(projectID, installerID, notes)
}

// activityTestLog checks the activity log the mock stores for a project.
func activityTestLog(m *mockapi.Server, projectID string, want ...mockapi.Activity) resource.TestCheckFunc {
	return mockCheck(func() error {
		return checkStored("activity of project "+projectID, m.Activities(projectID), want,
			func(a, b mockapi.Activity) bool { return a == b })
	})
}

// activityChild is pipesolar_activity for the tests it shares with
// pipesolar_project_file.
var activityChild = projectChild{
	addr:   activityAddr,
	block:  func(projectID string) string { return activityBlock(projectID, "inst-1", "Panels delivered.") },
	create: mockapi.EndpointCreateActivity,
	stored: func(m *mockapi.Server, projectID string, n int) error {
		want := make([]mockapi.Activity, n)
		for i := range want {
			want[i] = mockapi.Activity{ProjectID: projectID, InstallerID: "inst-1", Notes: "Panels delivered."}
		}
		return activityTestLog(m, projectID, want...)(nil)
	},
	ambiguous: `Activity note may have been logged.*/create_activity may have reached pipe.solar.*` +
		`not repeated automatically.*check the project's activity log in the pipe.solar app`,
}

func TestAccActivity_lifecycle(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	notes := []mockapi.Activity{
		{ProjectID: id, InstallerID: "inst-1", Notes: "Site survey booked for Monday."},
		{ProjectID: id, InstallerID: "inst-1", Notes: "Site survey moved to Tuesday."}, // new text
		{ProjectID: id, InstallerID: "inst-2", Notes: "Site survey moved to Tuesday."}, // another installer
	}
	var v [3]childVersion
	for i, n := range notes {
		v[i] = childVersion{config: activityConfig(m, id, n.InstallerID, n.Notes), checks: []statecheck.StateCheck{
			expectAttr(activityAddr, "id", knownvalue.StringRegexp(activityRandomID)),
			expectAttr(activityAddr, "project_id", knownvalue.StringExact(id)),
			expectAttr(activityAddr, "installer_id", knownvalue.StringExact(n.InstallerID)),
			expectAttr(activityAddr, "notes", knownvalue.StringExact(n.Notes)),
		}}
	}
	activityChild.testLifecycle(t, m, func(n int) resource.TestCheckFunc { return activityTestLog(m, id, notes[:n]...) }, v)
}

func TestAccActivity_parentDeleted(t *testing.T) { activityChild.testParentDeleted(t) }

func TestAccActivity_readErrorKeepsState(t *testing.T) { activityChild.testReadErrorKeepsState(t) }

func TestAccActivity_validation(t *testing.T) {
	const blank = `must not be empty or only white space`
	testAccInvalid(t, pipeProvider, map[string]invalidConfig{
		"empty notes":        {activityBlock("P1", "inst-1", ""), `notes ` + blank},
		"blank notes":        {activityBlock("P1", "inst-1", " \n\t"), `notes ` + blank},
		"empty project id":   {activityBlock("", "inst-1", "x"), `project_id ` + blank},
		"blank project id":   {activityBlock(" ", "inst-1", "x"), `project_id ` + blank},
		"empty installer id": {activityBlock("P1", "", "x"), `installer_id ` + blank},
		"blank installer id": {activityBlock("P1", " ", "x"), `installer_id ` + blank},
	})
}

// TestAccActivity_ambiguousWrite drops the connection after the mock stored
// the note: the apply fails saying the note may have been logged, nothing is
// retried, and exactly one note exists.
func TestAccActivity_ambiguousWrite(t *testing.T) { activityChild.testAmbiguousWrite(t) }

// TestAccActivity_serverErrorNotRetried: a 500 may have come after the note
// was stored, so even with retries enabled the create is not repeated.
func TestAccActivity_serverErrorNotRetried(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	testAccParallel(t, []resource.TestStep{{
		PreConfig: func() {
			m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{mockapi.EndpointCreateActivity}})
		},
		Config:      activityConfig(m, id, "inst-1", "Battery added."),
		ExpectError: expectError(`HTTP 500.*may have reached pipe.solar`),
	}})
	if n := m.Count(mockapi.EndpointCreateActivity); n != 1 {
		t.Errorf("create_activity was called %d times, want 1", n)
	}
}

// TestAccActivity_idFromAPI: when create_activity answers with an id, that
// id is the resource's id.
func TestAccActivity_idFromAPI(t *testing.T) {
	m := mockapi.New(mockapi.Config{PipeToken: testPipeToken})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/create_activity") {
			m.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		var body map[string]any
		if rec.Code == http.StatusOK && json.Unmarshal(rec.Body.Bytes(), &body) == nil {
			if data, ok := body["data"].(map[string]any); ok {
				data["id"] = "1699999999999x42"
			}
			out, _ := json.Marshal(body)
			rec.Body = bytes.NewBuffer(out)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	id := seedProject(t, m, "org-1")
	cfg := pipeProviderAt(srv.URL+"/api/1.1/wf", "") + activityBlock(id, "inst-1", "Roof inspected.")
	testAccParallel(t, []resource.TestStep{{
		Config: cfg,
		ConfigStateChecks: []statecheck.StateCheck{
			expectAttr(activityAddr, "id", knownvalue.StringExact("1699999999999x42")),
		},
		Check: activityTestLog(m, id, mockapi.Activity{ProjectID: id, InstallerID: "inst-1", Notes: "Roof inspected."}),
	}})
}

func TestActivityResource_destroyWarns(t *testing.T) {
	testDestroyWarns(t, NewActivityResource(), &activityModel{
		ID: types.StringValue("abc"), ProjectID: types.StringValue("P1"),
		InstallerID: types.StringValue("inst-1"), Notes: types.StringValue("hello"),
	}, "append-only", "the note stays on project P1", "only removed from Terraform state")
}

func TestActivityResource_randomID(t *testing.T) {
	a, err := randomResourceID()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := randomResourceID()
	if !activityRandomID.MatchString(a) || a == b {
		t.Errorf("randomResourceID() = %q, %q: want two different 32-digit hex ids", a, b)
	}
}
