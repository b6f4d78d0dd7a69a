package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

const stageAddr = "pipesolar_project_stage.s"

// stageConfig is a pipesolar_project_stage for projectID; setting is its
// stage line, e.g. `stage = "NTP"`.
func stageConfig(projectID, setting string) string {
	return fmt.Sprintf(`
resource "pipesolar_project_stage" "s" {
  project_id = %q
  %s
}
`, projectID, setting)
}

// mockStage is the stage (name, id) the mock holds for project id.
func mockStage(m *mockapi.Server, id string) (name, stageID string) {
	p, ok := m.Project(id)
	if !ok {
		return "", ""
	}
	st, _ := p["stage"].(map[string]any)
	name, _ = st["name"].(string)
	stageID, _ = st["id"].(string)
	return name, stageID
}

// checkMockStage fails unless the mock holds project id at stage name.
func checkMockStage(m *mockapi.Server, id, name string) resource.TestCheckFunc {
	return mockCheck(func() error {
		if got, _ := mockStage(m, id); got != name {
			return fmt.Errorf("the mock holds project %s at stage %q, want %q", id, got, name)
		}
		return nil
	})
}

// moveInApp moves project id to stage name as a person in the app would.
func moveInApp(t *testing.T, m *mockapi.Server, id, name string) func() {
	return func() {
		if !m.EditProject(id, func(p map[string]any) { p["stage"].(map[string]any)["name"] = name }) {
			t.Fatalf("project %s is not in the mock", id)
		}
	}
}

// ladderStageID is the id of the solar stage called name in the mock's ladder.
func ladderStageID(t *testing.T, m *mockapi.Server, name string) string {
	t.Helper()
	for _, s := range m.Stages("solar") {
		if s.Name == name {
			return s.ID
		}
	}
	t.Fatalf("the mock has no solar stage %q", name)
	return ""
}

func TestAccProjectStage_lifecycle(t *testing.T) {
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed()) // at Proposal, reference D4YR1VSK7K
	cfg := func(stage string) string { return pipeProvider(m) + stageConfig(id, fmt.Sprintf("stage = %q", stage)) }
	testAccParallel(t, []resource.TestStep{
		{
			// Create: one POST, no read.
			Config: cfg("NTP"),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr(stageAddr, "id", knownvalue.StringExact(id)),
				expectAttr(stageAddr, "stage", knownvalue.StringExact("NTP")),
				expectAttr(stageAddr, "stage_id", knownvalue.Null()),
			},
			Check: resource.ComposeTestCheckFunc(
				checkMockStage(m, id, "NTP"),
				checkCounts(m, map[string]int{mockapi.EndpointMoveStage: 1, mockapi.EndpointGetProject: 0}),
			),
		},
		{
			// Update in place: the refresh's one GET, one POST.
			PreConfig: m.ResetCounts,
			Config:    cfg("Permitting"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(stageAddr, plancheck.ResourceActionUpdate),
			}},
			Check: resource.ComposeTestCheckFunc(
				checkMockStage(m, id, "Permitting"),
				checkCounts(m, map[string]int{mockapi.EndpointMoveStage: 1, mockapi.EndpointGetProject: 1}),
			),
		},
		// Only the case differs: pipe.solar matches names without regard to
		// case, so nothing to do.
		stepPlansNothing(nil, cfg("PERMITTING")),
		// Import by the project id: the state holds the stage's name.
		{
			ResourceName:      stageAddr,
			ImportState:       true,
			ImportStateId:     id,
			ImportStateVerify: true,
		},
		{
			ResourceName:    stageAddr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   id,
			Config:          cfg("Permitting"),
		},
		// Moved in the app: the plan moves it back, with one POST.
		{
			PreConfig: moveInApp(t, m, id, "Installation"),
			Config:    cfg("Permitting"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(stageAddr, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(stageAddr, tfjsonpath.New("stage"), knownvalue.StringExact("Permitting")),
			}},
			Check: checkMockStage(m, id, "Permitting"),
		},
		// The project is gone: refresh removes the resource; the plan
		// creates it again (which fails while the project is gone).
		stepPlansCreate(func() { m.DeleteProject(id) }, cfg("Permitting"), stageAddr),
	})
}

// stage_id manages the stage by id: the state keeps the id (not the name),
// and drift is detected by id.
func TestAccProjectStage_stageID(t *testing.T) {
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed())
	ntp, permitting := ladderStageID(t, m, "NTP"), ladderStageID(t, m, "Permitting")
	cfg := func(sid string) string { return pipeProvider(m) + stageConfig(id, fmt.Sprintf("stage_id = %q", sid)) }
	testAccParallel(t, []resource.TestStep{
		{
			Config: cfg(ntp),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr(stageAddr, "stage_id", knownvalue.StringExact(ntp)),
				expectAttr(stageAddr, "stage", knownvalue.Null()),
			},
			Check: checkMockStage(m, id, "NTP"),
		},
		{
			PreConfig: moveInApp(t, m, id, "Installation"),
			Config:    cfg(ntp),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(stageAddr, plancheck.ResourceActionUpdate),
			}},
			Check: checkMockStage(m, id, "NTP"),
		},
		{
			Config: cfg(permitting),
			Check:  checkMockStage(m, id, "Permitting"),
		},
		// From stage_id to stage: the state then holds the name only.
		{
			Config: pipeProvider(m) + stageConfig(id, `stage = "Permitting"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr(stageAddr, "stage", knownvalue.StringExact("Permitting")),
				expectAttr(stageAddr, "stage_id", knownvalue.Null()),
			},
		},
	})
}

// project_id may be the old reference; changing it to Pipe's id of the same
// project changes nothing in pipe.solar and replaces nothing.
func TestAccProjectStage_oldReference(t *testing.T) {
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed())
	other := seedProject(t, m)
	testAccParallel(t, []resource.TestStep{
		{
			Config: pipeProvider(m) + stageConfig("D4YR1VSK7K", `stage = "NTP"`),
			Check:  checkMockStage(m, id, "NTP"),
		},
		{
			PreConfig: m.ResetCounts,
			Config:    pipeProvider(m) + stageConfig(id, `stage = "NTP"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(stageAddr, plancheck.ResourceActionUpdate),
			}},
			Check: checkCounts(m, map[string]int{mockapi.EndpointMoveStage: 0, mockapi.EndpointGetProject: 1}),
		},
		{
			// Another project replaces.
			Config:   pipeProvider(m) + stageConfig(other, `stage = "NTP"`),
			PlanOnly: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(stageAddr, plancheck.ResourceActionReplace),
			}},
			ExpectNonEmptyPlan: true,
		},
	})
}

// A stage the ladder does not hold fails at apply on the attribute, with
// pipe.solar's message listing the ladder.
func TestAccProjectStage_unknownStage(t *testing.T) {
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed())
	testAccParallel(t, []resource.TestStep{{
		Config:      pipeProvider(m) + stageConfig(id, `stage = "Installed Yesterday"`),
		ExpectError: expectError(`pipe.solar refused the stage.*error.code: invalid.*Installed Yesterday.*The ladder: "New Lead".*"Proposal"`),
	}})
}

// A project that does not exist fails at apply on project_id.
func TestAccProjectStage_unknownProject(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{{
		Config:      pipeProvider(m) + stageConfig("NOSUCHPROJ", `stage = "NTP"`),
		ExpectError: expectError(`Project not found .* error.code: not_found`),
	}})
}

func TestAccProjectStage_validation(t *testing.T) {
	testAccInvalid(t, pipeProvider, map[string]invalidConfig{
		"both stage and stage_id": {stageConfig("D4YR1VSK7K", "stage = \"NTP\"\n  stage_id = \"s1\""), `Invalid Attribute Combination`},
		"neither":                 {stageConfig("D4YR1VSK7K", ""), `Exactly one of these attributes must be configured: \[stage,stage_id\]`},
		"blank stage":             {stageConfig("D4YR1VSK7K", `stage = " "`), `stage`},
		"blank project":           {stageConfig(" ", `stage = "NTP"`), `project_id`},
	})
}

// retiredAPI serves the mock's retired API (410 moved) under /v1, as the
// old API on a host name that does not say /api/1.1/ would.
func retiredAPI(t *testing.T, m *mockapi.Server) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = "/api/1.1/wf" + strings.TrimPrefix(r.URL.Path, "/v1")
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

// A 410 from the retired API says it was retired and how to set base_url.
func TestAccProjectStage_retiredAPI(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{{
		Config: testProvider{token: testPipeToken, baseURL: retiredAPI(t, m)}.String() +
			stageConfig("D4YR1VSK7K", `stage = "NTP"`),
		ExpectError: expectError(`HTTP 410.*error.code: moved.*docs: https://pipe.solar/api/v1.*retired on 2026-10-11.*Set base_url.*https://api.pipe.solar/v1`),
	}})
	if n := m.Count(mockapi.EndpointRetired); n != 1 {
		t.Errorf("the retired API was called %d times, want once (a 410 is never retried)", n)
	}
}

// Import by identity (Terraform 1.12 and later, so tested in-process): the
// identity's project_id is kept as given (here the old reference), and the
// read fills the stage's name with one GET.
func TestProjectStage_importByIdentity(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	seedTestProject(t, m, testProjectSeed())
	srv, schemas := configuredServer(t, m)
	const typeName = "pipesolar_project_stage"
	idType := identityType(t, srv, typeName)
	typ := objectType(t, schemas.ResourceSchemas[typeName].ValueType())
	ctx := context.Background()
	imp, err := srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: typeName,
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, idType,
			objectOf(idType, map[string]tftypes.Value{"project_id": tfString("D4YR1VSK7K")}))},
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, imp.Diagnostics)
	if len(imp.ImportedResources) != 1 {
		t.Fatalf("%d imported resources, want 1", len(imp.ImportedResources))
	}
	in := imp.ImportedResources[0]
	read, err := srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: typeName, CurrentState: in.State, CurrentIdentity: in.Identity,
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, read.Diagnostics)
	state := decoded(t, typ, read.NewState)
	for name, want := range map[string]string{"id": "D4YR1VSK7K", "project_id": "D4YR1VSK7K", "stage": "Proposal", "stage_id": ""} {
		if got := str(t, state[name]); got != want {
			t.Errorf("%s = %q after import, want %q", name, got, want)
		}
	}
	if id := decoded(t, idType, read.NewIdentity.IdentityData); str(t, id["project_id"]) != "D4YR1VSK7K" {
		t.Errorf("identity after read: %v", id)
	}
	if err := countsError(m, map[string]int{mockapi.EndpointGetProject: 1, mockapi.EndpointMoveStage: 0}); err != nil {
		t.Error(err)
	}
}

// project_id moving to another id of the same project changes the identity
// without a replacement, which needs a mutable identity.
func TestProjectStage_mutableIdentity(t *testing.T) {
	t.Parallel()
	var resp fwresource.MetadataResponse
	NewProjectStageResource().Metadata(context.Background(), fwresource.MetadataRequest{ProviderTypeName: "pipesolar"}, &resp)
	if resp.TypeName != "pipesolar_project_stage" || !resp.ResourceBehavior.MutableIdentity {
		t.Errorf("metadata: %+v", resp)
	}
}
