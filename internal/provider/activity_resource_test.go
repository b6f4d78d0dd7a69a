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
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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
	return func(*terraform.State) error {
		got := m.Activities(projectID)
		if len(got) != len(want) {
			return fmt.Errorf("project %s has %d activities, want %d: %+v", projectID, len(got), len(want), got)
		}
		for i := range want {
			if got[i] != want[i] {
				return fmt.Errorf("activity %d of project %s = %+v, want %+v", i, projectID, got[i], want[i])
			}
		}
		return nil
	}
}

func TestAccActivity_lifecycle(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	first := mockapi.Activity{ProjectID: id, InstallerID: "inst-1", Notes: "Site survey booked for Monday."}
	second := mockapi.Activity{ProjectID: id, InstallerID: "inst-1", Notes: "Site survey moved to Tuesday."}
	third := mockapi.Activity{ProjectID: id, InstallerID: "inst-2", Notes: "Site survey moved to Tuesday."}
	idChanges := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// Append-only: destroy leaves every note in pipe.solar.
		CheckDestroy: activityTestLog(m, id, first, second, third),
		Steps: []resource.TestStep{
			{
				PreConfig: m.ResetCounts,
				Config:    activityConfig(m, id, first.InstallerID, first.Notes),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(activityAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(activityRandomID)),
					statecheck.ExpectKnownValue(activityAddr, tfjsonpath.New("project_id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(activityAddr, tfjsonpath.New("installer_id"), knownvalue.StringExact("inst-1")),
					statecheck.ExpectKnownValue(activityAddr, tfjsonpath.New("notes"), knownvalue.StringExact(first.Notes)),
					idChanges.AddStateValue(activityAddr, tfjsonpath.New("id")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					activityTestLog(m, id, first),
					projectStageTestCounts(m, map[string]int{mockapi.EndpointCreateActivity: 1}),
				),
			},
			{
				// Nothing changed: nothing is planned and no note is added.
				PreConfig: m.ResetCounts,
				Config:    activityConfig(m, id, first.InstallerID, first.Notes),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					activityTestLog(m, id, first),
					projectStageTestCounts(m, map[string]int{mockapi.EndpointCreateActivity: 0}),
				),
			},
			{
				// New text: a new note, the old one stays.
				Config: activityConfig(m, id, second.InstallerID, second.Notes),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(activityAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(activityAddr, tfjsonpath.New("notes"), knownvalue.StringExact(second.Notes)),
					idChanges.AddStateValue(activityAddr, tfjsonpath.New("id")),
				},
				Check: activityTestLog(m, id, first, second),
			},
			{
				Config: activityConfig(m, id, third.InstallerID, third.Notes),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(activityAddr, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					idChanges.AddStateValue(activityAddr, tfjsonpath.New("id")),
				},
				Check: activityTestLog(m, id, first, second, third),
			},
		},
	})
}

func TestAccActivity_parentDeleted(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	cfg := activityConfig(m, id, "inst-1", "Panels delivered.")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: activityTestLog(m, id, mockapi.Activity{ProjectID: id, InstallerID: "inst-1", Notes: "Panels delivered."})},
			{
				PreConfig: func() {
					if !m.DeleteProject(id) {
						t.Fatalf("project %s not found in the mock", id)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(activityAddr, plancheck.ResourceActionCreate),
				}},
			},
			{
				// Creating it again fails while the project is gone.
				Config:      cfg,
				ExpectError: expectError(`Project not found.*` + id),
			},
		},
	})
}

func TestAccActivity_readErrorKeepsState(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	cfg := projectStageTestNoRetryProvider(m) + activityBlock(id, "inst-1", "Inverter swapped.")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{mockapi.EndpointFetchProject}})
				},
				Config:      cfg,
				ExpectError: expectError(`Could not check that the pipe.solar project still exists.*HTTP 500`),
			},
			{
				PreConfig: func() { m.SetFaults(mockapi.Faults{}) },
				Config:    cfg,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
	if n := len(m.Activities(id)); n != 1 {
		t.Errorf("project has %d activities, want 1", n)
	}
}

func TestAccActivity_validation(t *testing.T) {
	cases := map[string]struct{ project, installer, notes, want string }{
		"empty notes":        {"P1", "inst-1", "", `notes must not be empty or blank`},
		"blank notes":        {"P1", "inst-1", " \n\t", `notes must not be empty or blank`},
		"empty project id":   {"", "inst-1", "x", `project_id string length must be at least 1`},
		"empty installer id": {"P1", "", "x", `installer_id string length must be at least 1`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m := newTestMock(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      activityConfig(m, tc.project, tc.installer, tc.notes),
					ExpectError: expectError(tc.want),
				}},
			})
			if n := m.Count(mockapi.EndpointCreateActivity); n != 0 {
				t.Errorf("an invalid configuration reached create_activity %d times", n)
			}
		})
	}
}

// TestAccActivity_ambiguousWrite drops the connection after the mock stored
// the note: the apply fails saying the note may have been logged, nothing is
// retried, and exactly one note exists.
func TestAccActivity_ambiguousWrite(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	cfg := activityConfig(m, id, "inst-1", "Meter swap scheduled.")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.SetFaults(mockapi.Faults{DropAfterCommit: 1, Endpoints: []string{mockapi.EndpointCreateActivity}})
				},
				Config: cfg,
				ExpectError: expectError(`Activity note may have been logged.*/create_activity may have reached pipe.solar.*` +
					`not repeated automatically.*check the project's activity log in the pipe.solar app`),
			},
			{
				PreConfig: func() {
					if n := m.Count(mockapi.EndpointCreateActivity); n != 1 {
						t.Errorf("create_activity was called %d times, want 1 (no retry)", n)
					}
					if err := activityTestLog(m, id, mockapi.Activity{ProjectID: id, InstallerID: "inst-1", Notes: "Meter swap scheduled."})(nil); err != nil {
						t.Error(err)
					}
					m.SetFaults(mockapi.Faults{})
				},
				// The failed create left nothing in state.
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(activityAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// TestAccActivity_serverErrorNotRetried: a 500 may have come after the note
// was stored, so even with retries enabled the create is not repeated.
func TestAccActivity_serverErrorNotRetried(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{mockapi.EndpointCreateActivity}})
			},
			Config:      activityConfig(m, id, "inst-1", "Battery added."),
			ExpectError: expectError(`HTTP 500.*may have reached pipe.solar`),
		}},
	})
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
	cfg := fmt.Sprintf(`provider "pipesolar" {
  api_token = %q
  base_url  = %q
}
`, testPipeToken, srv.URL+"/api/1.1/wf") + activityBlock(id, "inst-1", "Roof inspected.")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(activityAddr, tfjsonpath.New("id"), knownvalue.StringExact("1699999999999x42")),
			},
			Check: activityTestLog(m, id, mockapi.Activity{ProjectID: id, InstallerID: "inst-1", Notes: "Roof inspected."}),
		}},
	})
}

func TestActivityResource_destroyWarns(t *testing.T) {
	r := NewActivityResource()
	state := projectStageTestState(t, r, &activityModel{
		ID: types.StringValue("abc"), ProjectID: types.StringValue("P1"),
		InstallerID: types.StringValue("inst-1"), Notes: types.StringValue("hello"),
	})
	plan, apply := projectStageTestDestroyWarnings(t, r, state)
	projectStageTestOneWarning(t, "destroy plan", plan, "append-only", "the note stays on project P1", "only removed from Terraform state")
	projectStageTestOneWarning(t, "delete", apply, "append-only", "the note stays on project P1", "only removed from Terraform state")
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
