package provider

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

const projectStageAddr = "pipesolar_project_stage.test"

// projectStageConfig manages the stage of projectID through the mock.
func projectStageConfig(m *mockapi.Server, projectID, stage string) string {
	return pipeProvider(m) + projectStageBlock(projectID, stage)
}

func projectStageBlock(projectID, stage string) string {
	return projectStageBlockInOrg(projectID, stage, "")
}

// projectStageInOrg manages the stage of projectID, of org-1, through the
// mock.
func projectStageInOrg(m *mockapi.Server, projectID, stage string) string {
	return pipeProvider(m) + projectStageBlockInOrg(projectID, stage, "org-1")
}

// projectStageBlockInOrg is a pipesolar_project_stage with org_id org
// ("": unset).
func projectStageBlockInOrg(projectID, stage, org string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nresource \"pipesolar_project_stage\" \"test\" {\n  project_id = %q\n  stage = %q\n", projectID, stage)
	hclArgs(&b, "  ", "org_id", org)
	b.WriteString("}\n")
	return b.String()
}

// projectStageTestStatus checks the stage the mock stores for a project.
func projectStageTestStatus(m *mockapi.Server, id, want string) resource.TestCheckFunc {
	return mockCheck(func() error {
		p, ok := m.Project(id)
		if !ok {
			return fmt.Errorf("project %s no longer exists in the mock", id)
		}
		if got := p["projectStatus"]; got != want {
			return fmt.Errorf("mock projectStatus of %s = %v, want %q", id, got, want)
		}
		return nil
	})
}

func TestAccProjectStage_lifecycle(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// Destroy is state-only: the project keeps its last stage.
		CheckDestroy: projectStageTestStatus(m, id, "Permitting"),
		Steps: []resource.TestStep{
			{
				PreConfig: m.ResetCounts,
				Config:    projectStageConfig(m, id, "NTP"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(projectStageAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(projectStageAddr, "id", knownvalue.StringExact(id)),
					expectAttr(projectStageAddr, "project_id", knownvalue.StringExact(id)),
					expectAttr(projectStageAddr, "stage", knownvalue.StringExact("NTP")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					projectStageTestStatus(m, id, "NTP"),
					// One update_stage call, and no read: nothing was in state to refresh.
					checkCounts(m, map[string]int{mockapi.EndpointUpdateStage: 1, mockapi.EndpointFetchProject: 0}),
				),
			},
			{
				ResourceName:      projectStageAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				Config:          projectStageConfig(m, id, "NTP"),
				ResourceName:    projectStageAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			{
				Config:        projectStageConfig(m, id, "NTP"),
				ResourceName:  projectStageAddr,
				ImportState:   true,
				ImportStateId: "NOSUCHPROJ",
				ExpectError:   expectError(`Cannot import non-existent remote object`),
			},
			{
				PreConfig: m.ResetCounts,
				Config:    projectStageConfig(m, id, "Permitting"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(projectStageAddr, plancheck.ResourceActionUpdate),
					expectPlannedAttr(projectStageAddr, "stage", knownvalue.StringExact("Permitting")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(projectStageAddr, "stage", knownvalue.StringExact("Permitting")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					projectStageTestStatus(m, id, "Permitting"),
					// The plan's refresh read the project once; the update is
					// one update_stage call and no read.
					checkCounts(m, map[string]int{mockapi.EndpointUpdateStage: 1, mockapi.EndpointFetchProject: 1}),
				),
			},
			stepPlansNothing(m.ResetCounts, projectStageConfig(m, id, "Permitting")),
		},
	})
	if n := m.Count(mockapi.EndpointUpdateStage); n != 0 {
		t.Errorf("plan-only step and destroy called update_stage %d times, want 0", n)
	}
}

func TestAccProjectStage_drift(t *testing.T) {
	eachRefreshPath(t, func(t *testing.T, m *mockapi.Server, rp refreshPath) {
		id := seedProject(t, m, "org-1")
		testAccParallel(t, []resource.TestStep{
			{
				Config: projectStageInOrg(m, id, "NTP"),
				Check:  projectStageTestStatus(m, id, "NTP"),
			},
			{
				// A user moves the project on in the pipe.solar app.
				PreConfig: func() {
					if !m.EditProject(id, func(d map[string]any) { d["projectStatus"] = "Installation" }) {
						t.Fatalf("project %s not found in the mock", id)
					}
				},
				Config:             projectStageInOrg(m, id, "NTP"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(projectStageAddr, plancheck.ResourceActionUpdate),
					expectPlannedAttr(projectStageAddr, "stage", knownvalue.StringExact("NTP")),
				}},
			},
			{
				// Applying sets the configured stage again.
				Config: projectStageInOrg(m, id, "NTP"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(projectStageAddr, plancheck.ResourceActionUpdate),
				}},
				Check: projectStageTestStatus(m, id, "NTP"),
			},
			// The project is deleted in the app: refresh drops the resource
			// without an error and the plan proposes to create it.
			stepPlansCreate(deleteProjectInApp(t, m, id), projectStageInOrg(m, id, "NTP"), projectStageAddr),
		})
	})
}

// org_id is recorded in state only: adding it is an in-place update that
// makes no update_stage call.
func TestAccProjectStage_orgIDIsStateOnly(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	testAccParallel(t, []resource.TestStep{
		{Config: projectStageConfig(m, id, "NTP")},
		{
			PreConfig: m.ResetCounts,
			Config:    projectStageInOrg(m, id, "NTP"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(projectStageAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr(projectStageAddr, "org_id", knownvalue.StringExact("org-1")),
				expectAttr(projectStageAddr, "id", knownvalue.StringExact(id)),
			},
			Check: checkCounts(m, map[string]int{mockapi.EndpointUpdateStage: 0}),
		},
	})
}

func TestAccProjectStage_readErrorsKeepState(t *testing.T) {
	eachRefreshPath(t, func(t *testing.T, m *mockapi.Server, rp refreshPath) {
		id := seedProject(t, m, "org-1")
		cfg := noRetryProvider(m) + projectStageBlockInOrg(id, "NTP", "org-1")
		testAccParallel(t, []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					m.ResetCounts()
					m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{rp.readEndpoint}})
				},
				Config:      cfg,
				ExpectError: expectError(`Could not read pipe.solar project stage.*HTTP 500`),
			},
			{
				// A refused token is an error too, never "gone".
				PreConfig: func() {
					if n := m.Count(rp.readEndpoint); n != 1 {
						t.Errorf("%s called %d times with max_retries = 0, want 1", rp.readEndpoint, n)
					}
					m.SetFaults(mockapi.Faults{})
				},
				Config: testProvider{token: "wrong-token", baseURL: m.PipeBaseURL(), batchRefresh: rp.batch}.String() +
					projectStageBlockInOrg(id, "NTP", "org-1"),
				ExpectError: expectError(`Could not read pipe.solar project stage.*api_token`),
			},
			// The resource is still in state: the plan is empty (had a
			// failed read removed it, the plan would propose a create).
			stepPlansNothing(nil, cfg),
		})
	})
}

func TestAccProjectStage_invalidStage(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             projectStageTestStatus(m, id, "NTP"),
		Steps: []resource.TestStep{
			{
				// The API's own message reaches the user.
				Config:      projectStageConfig(m, id, "Bogus Stage"),
				ExpectError: expectError(`pipe.solar refused the stage.*Invalid project_stage_name 'Bogus Stage': must be one of`),
			},
			{
				Config: projectStageConfig(m, id, "NTP"),
				Check:  projectStageTestStatus(m, id, "NTP"),
			},
			{
				// A refused update leaves state and project as they were.
				Config:      projectStageConfig(m, id, "ntp"),
				ExpectError: expectError(`Invalid project_stage_name 'ntp'`),
			},
			{
				Config:   projectStageConfig(m, id, "NTP"),
				PlanOnly: true,
			},
		},
	})
}

func TestAccProjectStage_projectNotFound(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{{
		Config:      projectStageConfig(m, "NOSUCHPROJ", "NTP"),
		ExpectError: expectError(`Project not found.*NOSUCHPROJ`),
	}})
}

func TestAccProjectStage_validation(t *testing.T) {
	testAccInvalid(t, pipeProvider, map[string]invalidConfig{
		"empty stage":      {projectStageBlock("P1", ""), `stage must not be empty`},
		"blank stage":      {projectStageBlock("P1", "   "), `stage must not be empty`},
		"leading space":    {projectStageBlock("P1", " NTP"), `stage " NTP" starts or ends with white space`},
		"trailing space":   {projectStageBlock("P1", "NTP "), `Write "NTP"`},
		"empty project id": {projectStageBlock("", "NTP"), `project_id must not be empty or only white space`},
		"blank project id": {projectStageBlock("  ", "NTP"), `project_id must not be empty or only white space`},
	})
}

// TestAccProjectStage_notFoundStyles proves that a deleted parent project is
// recognised as gone by all three project children whichever way pipe.solar
// says "not found".
func TestAccProjectStage_notFoundStyles(t *testing.T) {
	for _, style := range []string{"null", "empty", "400"} {
		t.Run(style, func(t *testing.T) {
			m := newTestMock(t)
			id := seedProject(t, m, "org-1")
			cfg := pipeProvider(m) + projectStageBlock(id, "NTP") + activityChild.block(id) + projectFileChild.block(id)
			testAccParallel(t, []resource.TestStep{
				{Config: cfg},
				stepPlansCreate(func() {
					m.SetPipeBehaviour(mockapi.PipeBehaviour{NotFound: style})
					deleteProjectInApp(t, m, id)()
				}, cfg, projectStageAddr, activityAddr, projectFileAddr),
			})
		})
	}
}

func TestProjectStageResource_destroyWarns(t *testing.T) {
	got := testDestroyWarns(t, NewProjectStageResource(), &projectStageModel{
		ID: types.StringValue("P1"), ProjectID: types.StringValue("P1"), Stage: types.StringValue("NTP"),
	}, "project P1 keeps its current stage", "only removed from Terraform state")
	want := map[string]string{
		"destroy plan": "Destroying pipesolar_project_stage does not change the project",
		"delete":       "Project stage left unchanged",
	}
	if !maps.Equal(got, want) {
		t.Errorf("warning summaries %q, want %q", got, want)
	}
}
