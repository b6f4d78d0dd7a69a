package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

const projectAddr = "pipesolar_project.p"

// projectBlock is a pipesolar_project "p" with project_id and the given
// settings (`name = value` lines, values as HCL).
func projectBlock(projectID string, settings ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"pipesolar_project\" \"p\" {\n  project_id = %q\n", projectID)
	for _, s := range settings {
		fmt.Fprintf(&b, "  %s\n", s)
	}
	b.WriteString("}\n")
	return b.String()
}

// projectCfg is pipeProvider(m) followed by projectBlock.
func projectCfg(m *mockapi.Server, projectID string, settings ...string) string {
	return pipeProvider(m) + projectBlock(projectID, settings...)
}

// stageID is the id of the solar stage named name in m.
func stageID(t *testing.T, m *mockapi.Server, name string) string {
	t.Helper()
	for _, s := range m.Stages("solar") {
		if s.Name == name {
			return s.ID
		}
	}
	t.Fatalf("the mock has no solar stage %q", name)
	return ""
}

// expectProject checks attribute path (a top-level name, then map keys)
// of pipesolar_project.p.
func expectProject(v knownvalue.Check, name string, keys ...string) statecheck.StateCheck {
	p := tfjsonpath.New(name)
	for _, k := range keys {
		p = p.AtMapKey(k)
	}
	return statecheck.ExpectKnownValue(projectAddr, p, v)
}

// inApp edits project id in the mock as a user of the app would.
func inApp(t *testing.T, m *mockapi.Server, id string, edit func(p map[string]any)) func() {
	return func() {
		if !m.EditProject(id, edit) {
			t.Fatalf("project %s not found in the mock", id)
		}
	}
}

// stageInApp is an edit that moves a project to the stage named name.
func stageInApp(name string) func(p map[string]any) {
	return func(p map[string]any) {
		stage, _ := p["stage"].(map[string]any)
		stage["name"] = name
	}
}

// countsNow is a PreConfig that checks the calls since the last reset and
// resets the counts.
func countsNow(t *testing.T, m *mockapi.Server, want map[string]int) func() {
	return func() {
		if err := countsError(m, want); err != nil {
			t.Error(err)
		}
		m.ResetCounts()
	}
}

const (
	getProject   = mockapi.EndpointGetProject
	moveStage    = mockapi.EndpointMoveStage
	patchProject = mockapi.EndpointPatchProject
)

// Adopting a project by its old reference: one GET, one stage move, one
// PATCH, one read back; the state holds Pipe's id and the full project.
func TestAccProject_adoptAndUpdate(t *testing.T) {
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed())
	if id == "D4YR1VSK7K" {
		t.Fatal("the mock gave the reference as Pipe's id; the test cannot tell them apart")
	}
	installation := stageID(t, m, "Installation")
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate),
	}}
	testAccParallel(t, []resource.TestStep{
		{
			PreConfig: m.ResetCounts,
			Config:    projectCfg(m, "D4YR1VSK7K", `stage = "NTP"`, `install_date = "2027-03-15"`, `ntp_granted = true`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectProject(knownvalue.StringExact(id), "id"),
				expectProject(knownvalue.StringExact("D4YR1VSK7K"), "project_id"),
				expectProject(knownvalue.StringExact("D4YR1VSK7K"), "reference"),
				expectProject(knownvalue.StringExact("NTP"), "stage"),
				expectProject(knownvalue.Null(), "stage_id"),
				expectProject(knownvalue.StringExact("2027-03-15"), "install_date"),
				expectProject(knownvalue.StringExact("2027-03-15"), "milestones", "installScheduled"),
				expectProject(knownvalue.Bool(true), "ntp_granted"),
				expectProject(knownvalue.StringExact("solar"), "product_line"),
				expectProject(knownvalue.StringExact("Ada"), "customer", "first_name"),
				expectProject(knownvalue.StringExact("ada@example.com"), "customer", "email"),
				expectProject(knownvalue.StringExact("CA"), "address", "state"),
				expectProject(knownvalue.StringExact("Sunville"), "address", "city"),
				expectProject(knownvalue.StringExact("12.5"), "custom_fields", "roof_age"),
				expectProject(knownvalue.StringExact("true"), "custom_fields", "battery_ready"),
				expectProject(knownvalue.StringExact("yes"), "custom_fields", "hoa"),
				expectProject(knownvalue.ListSizeExact(1), "files", "contract"),
				expectProject(knownvalue.NotNull(), "links", "project"),
				expectProject(knownvalue.NotNull(), "updated_at"),
				expectProject(knownvalue.NotNull(), "lead_id"),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(projectAddr, "system.size_kw", "8.5"),
				checkCounts(m, map[string]int{getProject: 2, moveStage: 1, patchProject: 1, mockapi.EndpointListProjects: 0}),
				mockCheck(func() error { return checkRemote(m, id, "NTP", "2027-03-15", true) }),
			),
		},
		{
			// One GET per refresh, and a plan of nothing.
			PreConfig: countsNow(t, m, nil),
			Config:    projectCfg(m, "D4YR1VSK7K", `stage = "NTP"`, `install_date = "2027-03-15"`, `ntp_granted = true`),
			PlanOnly:  true,
		},
		{
			PreConfig:        countsNow(t, m, map[string]int{getProject: 1}),
			Config:           projectCfg(m, "D4YR1VSK7K", `stage = "Permitting"`, `install_date = "2027-04-01"`, `ntp_granted = false`),
			ConfigPlanChecks: update,
			ConfigStateChecks: []statecheck.StateCheck{
				expectProject(knownvalue.StringExact("Permitting"), "stage"),
				expectProject(knownvalue.StringExact("2027-04-01"), "install_date"),
				expectProject(knownvalue.StringExact("2027-04-01"), "milestones", "installScheduled"),
				expectProject(knownvalue.Bool(false), "ntp_granted"),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkCounts(m, map[string]int{getProject: 2, moveStage: 1, patchProject: 1}),
				mockCheck(func() error { return checkRemote(m, id, "Permitting", "2027-04-01", false) }),
			),
		},
		{
			// Only the stage changes: no PATCH.
			PreConfig: m.ResetCounts,
			Config:    projectCfg(m, "D4YR1VSK7K", `stage_id = "`+installation+`"`, `install_date = "2027-04-01"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate),
				expectPlannedAttr(projectAddr, "stage", knownvalue.Null()),
				expectPlannedAttr(projectAddr, "install_date", knownvalue.StringExact("2027-04-01")),
				expectPlannedAttr(projectAddr, "reference", knownvalue.StringExact("D4YR1VSK7K")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				expectProject(knownvalue.StringExact(installation), "stage_id"),
				expectProject(knownvalue.Null(), "stage"),
				expectProject(knownvalue.Bool(false), "ntp_granted"),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkCounts(m, map[string]int{getProject: 2, moveStage: 1, patchProject: 0}),
				mockCheck(func() error { return checkRemote(m, id, "Installation", "2027-04-01", false) }),
			),
		},
		{
			// Settings left out are no longer managed: nothing is planned.
			Config: projectCfg(m, "D4YR1VSK7K", `stage_id = "`+installation+`"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
		},
	})
}

// checkRemote compares the project's settings in the mock.
func checkRemote(m *mockapi.Server, id, stage, installDate string, ntp bool) error {
	p, ok := m.Project(id)
	if !ok {
		return fmt.Errorf("project %s is gone from the mock", id)
	}
	gotStage, _ := p["stage"].(map[string]any)["name"].(string)
	gotDay, _ := p["milestones"].(map[string]any)["installScheduled"].(string)
	gotNTP, _ := p["ntpGranted"].(bool)
	if gotStage != stage || gotDay != installDate || gotNTP != ntp {
		return fmt.Errorf("the mock holds stage %q, install date %q, NTP %v; want %q, %q, %v",
			gotStage, gotDay, gotNTP, stage, installDate, ntp)
	}
	return nil
}

// Settings that already hold cost no write; left out, nothing is managed
// and the project is read once.
func TestAccProject_adoptNoChange(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m)
	testAccParallel(t, []resource.TestStep{
		{
			PreConfig: m.ResetCounts,
			Config:    projectCfg(m, id, `stage = "proposal"`, `ntp_granted = false`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectProject(knownvalue.StringExact("proposal"), "stage"), // as configured: any case is the same stage
				expectProject(knownvalue.Null(), "install_date"),
				expectProject(knownvalue.StringExact(id), "project_id"),
			},
			Check: checkCounts(m, map[string]int{getProject: 1, moveStage: 0, patchProject: 0}),
		},
		{
			PreConfig: m.ResetCounts,
			Config:    projectCfg(m, id),
			ConfigStateChecks: []statecheck.StateCheck{
				expectProject(knownvalue.StringExact("proposal"), "stage"),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check:            checkCounts(m, map[string]int{getProject: 1, moveStage: 0, patchProject: 0}),
		},
	})
}

// Without any setting, the stage is stored by name and stage_id is null,
// so configuration generated from the state never holds both.
func TestAccProject_adoptUnmanaged(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m)
	testAccParallel(t, []resource.TestStep{{
		PreConfig: m.ResetCounts,
		Config:    projectCfg(m, id),
		ConfigStateChecks: []statecheck.StateCheck{
			expectProject(knownvalue.StringExact("Proposal"), "stage"),
			expectProject(knownvalue.Null(), "stage_id"),
			expectProject(knownvalue.Bool(false), "ntp_granted"),
		},
		Check: checkCounts(m, map[string]int{getProject: 1, moveStage: 0, patchProject: 0}),
	}})
}

func TestAccProject_import(t *testing.T) {
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed())
	cfg := projectCfg(m, "D4YR1VSK7K", `stage = "NTP"`)
	testAccParallel(t, []resource.TestStep{
		{Config: cfg},
		{
			// By the old reference, as configured.
			PreConfig:         m.ResetCounts,
			ResourceName:      projectAddr,
			ImportState:       true,
			ImportStateId:     "D4YR1VSK7K",
			ImportStateVerify: true,
		},
		{
			// By Pipe's id: the same project, project_id as imported.
			PreConfig:               countsNow(t, m, map[string]int{getProject: 1, moveStage: 0, patchProject: 0}),
			ResourceName:            projectAddr,
			ImportState:             true,
			ImportStateId:           id,
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"project_id"},
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				if len(states) != 1 || states[0].Attributes["project_id"] != id || states[0].Attributes["id"] != id {
					return fmt.Errorf("imported %v", states)
				}
				return nil
			},
		},
		{
			// An import block writes nothing.
			PreConfig:       countsNow(t, m, map[string]int{getProject: 1}),
			Config:          cfg,
			ResourceName:    projectAddr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   "D4YR1VSK7K",
		},
		{
			PreConfig: countsNow(t, m, map[string]int{moveStage: 0, patchProject: 0}),
			Config:    cfg,
			PlanOnly:  true,
		},
	})
}

func TestAccProject_importUnknown(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{{
		Config:        projectCfg(m, "NOSUCHPROJ"),
		ResourceName:  projectAddr,
		ImportState:   true,
		ImportStateId: "NOSUCHPROJ",
		ExpectError:   expectError(`Cannot import non-existent remote object`),
	}})
}

// Changes made in the app show on refresh: a managed setting as a plan to
// set it back, an unmanaged one in state only.
func TestAccProject_drift(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m)
	cfg := projectCfg(m, id, `stage = "Proposal"`)
	testAccParallel(t, []resource.TestStep{
		{Config: cfg},
		{
			PreConfig:          inApp(t, m, id, stageInApp("Permitting")),
			Config:             cfg,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate),
				expectPlannedAttr(projectAddr, "stage", knownvalue.StringExact("Proposal")),
			}},
		},
		{
			// Applying moves it back; the install date set in the app is
			// not managed, so it is only read.
			PreConfig: inApp(t, m, id, func(p map[string]any) {
				p["milestones"] = map[string]any{"installScheduled": "2027-06-01"}
				p["ntpGranted"] = true
			}),
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				expectProject(knownvalue.StringExact("Proposal"), "stage"),
				expectProject(knownvalue.StringExact("2027-06-01"), "install_date"),
				expectProject(knownvalue.Bool(true), "ntp_granted"),
			},
			Check: mockCheck(func() error { return checkRemote(m, id, "Proposal", "2027-06-01", true) }),
		},
	})
}

// A project deleted in pipe.solar leaves state on refresh, and adopting it
// again fails with the explanation.
func TestAccProject_gone(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m)
	cfg := projectCfg(m, id)
	testAccParallel(t, []resource.TestStep{
		{Config: cfg},
		stepPlansCreate(func() {
			if !m.DeleteProject(id) {
				t.Fatalf("project %s not in the mock", id)
			}
		}, cfg, projectAddr),
		{
			Config:      cfg,
			ExpectError: expectError(`Project not found.*made in the pipe.solar app when a lead is sold.*pipesolar_lead`),
		},
	})
}

func TestAccProject_adoptUnknown(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{{
		PreConfig:   m.ResetCounts,
		Config:      projectCfg(m, "NOSUCHPROJ", `stage = "NTP"`),
		ExpectError: expectError(`Project not found.*project_id = "NOSUCHPROJ".*"NOSUCHPROJ".*pipesolar_lead`),
	}})
	if err := countsError(m, map[string]int{getProject: 1, moveStage: 0, patchProject: 0}); err != nil {
		t.Error(err)
	}
}

// What the API re-formats, in the app or on a write, never shows as a
// difference: a stage name's case, phones, a state's name, e-mail case,
// spaces.
func TestAccProject_reformatted(t *testing.T) {
	m := newTestMock(t)
	m.SetPipeBehaviour(mockapi.PipeBehaviour{ReformatPhone: true, StateAsCode: true, LowercaseEmail: true, TrimSpaces: true})
	id := seedProject(t, m)
	cfg := projectCfg(m, id, `stage = "permitting"`)
	testAccParallel(t, []resource.TestStep{
		{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				expectProject(knownvalue.StringExact("permitting"), "stage"),
			},
			Check: mockCheck(func() error { return checkRemote(m, id, "Permitting", "", false) }),
		},
		stepPlansNothing(inApp(t, m, id, func(p map[string]any) {
			c, _ := p["customer"].(map[string]any)
			c["phone"], c["email"] = "(555) 010-0001", "  ADA@Example.com "
			a, _ := p["address"].(map[string]any)
			a["state"] = "California"
		}), cfg),
		// The stage written in another case: the same stage, nothing to do.
		stepPlansNothing(nil, projectCfg(m, id, `stage = "PERMITTING"`)),
	})
}

// Changing project_id to another id of the same project changes nothing
// remotely; naming another project replaces the resource.
func TestAccProject_projectIDForms(t *testing.T) {
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed())
	p, _ := m.Project(id)
	leadID, _ := p["leadId"].(string)
	other := seedProject(t, m)
	inPlace := func(projectID string) resource.TestStep {
		return resource.TestStep{
			PreConfig: m.ResetCounts,
			Config:    projectCfg(m, projectID),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				expectProject(knownvalue.StringExact(id), "id"),
				expectProject(knownvalue.StringExact(projectID), "project_id"),
			},
			Check: checkCounts(m, map[string]int{getProject: 1, moveStage: 0, patchProject: 0}),
		}
	}
	testAccParallel(t, []resource.TestStep{
		{Config: projectCfg(m, "D4YR1VSK7K")},
		inPlace(id),
		inPlace(leadID),
		inPlace("D4YR1VSK7K"),
		{
			Config: projectCfg(m, other),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{expectProject(knownvalue.StringExact(other), "id")},
		},
	})
}

// Errors other than a 404 keep the project in state and fail the run.
func TestAccProject_readErrorsKeepState(t *testing.T) {
	cases := map[string]struct {
		faults mockapi.Faults
		want   string
	}{
		"500": {mockapi.Faults{Status: 500, Endpoints: []string{getProject}}, `HTTP 500`},
		"410": {mockapi.Faults{Status: 410, Endpoints: []string{getProject}}, `HTTP 410`},
		"403": {mockapi.Faults{Status: 403, Endpoints: []string{getProject}}, `HTTP 403`},
		"400": {mockapi.Faults{Status: 400, Endpoints: []string{getProject}}, `HTTP 400`},
		"503": {mockapi.Faults{Status: 503, Endpoints: []string{getProject}}, `HTTP 503`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m := newTestMock(t)
			id := seedProject(t, m)
			cfg := noRetryProvider(m) + projectBlock(id)
			testAccParallel(t, []resource.TestStep{
				{Config: cfg},
				{
					PreConfig:   func() { m.SetFaults(tc.faults) },
					Config:      cfg,
					ExpectError: expectError(`Could not read pipe.solar project ` + id + `.*(` + tc.want + `)`),
				},
				stepPlansNothing(func() { m.SetFaults(mockapi.Faults{}) }, cfg),
			})
		})
	}
	t.Run("401", func(t *testing.T) {
		m := newTestMock(t)
		id := seedProject(t, m)
		wrongKey := testProvider{token: "psk_" + strings.Repeat("0", 40), baseURL: m.PipeBaseURL(), maxRetries: "0"}.String()
		testAccParallel(t, []resource.TestStep{
			{Config: projectCfg(m, id)},
			{
				Config:      wrongKey + projectBlock(id),
				ExpectError: expectError(`Could not read pipe.solar project ` + id + `.*HTTP 401`),
			},
			stepPlansNothing(nil, projectCfg(m, id)),
		})
	})
}

// Destroy changes nothing remotely and warns once.
func TestAccProject_destroyLeavesProject(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, ok := m.Project(id); !ok {
				return fmt.Errorf("project %s is gone from the mock", id)
			}
			return countsError(m, map[string]int{moveStage: 1, patchProject: 0})
		},
		Steps: []resource.TestStep{
			{PreConfig: m.ResetCounts, Config: projectCfg(m, id, `stage = "NTP"`)},
			{
				Config:  projectCfg(m, id, `stage = "NTP"`),
				Destroy: true,
				Check:   mockCheck(func() error { return checkRemote(m, id, "NTP", "", false) }),
			},
		},
	})
}

func TestAccProject_invalid(t *testing.T) {
	testAccInvalid(t, pipeProvider, map[string]invalidConfig{
		"install date format": {projectBlock("P1", `install_date = "03/15/2027"`), `install_date.*YYYY-MM-DD`},
		"install date day":    {projectBlock("P1", `install_date = "2027-02-30"`), `install_date.*YYYY-MM-DD`},
		"install date blank":  {projectBlock("P1", `install_date = " "`), `install_date.*YYYY-MM-DD.*"" for no install date`},
		"stage and stage_id":  {projectBlock("P1", `stage = "NTP"`, `stage_id = "s1"`), `stage_id.*cannot be specified when.*stage`},
		"blank stage":         {projectBlock("P1", `stage = " "`), `stage.*empty`},
		"blank project_id":    {projectBlock(""), `project_id.*empty`},
		"product_line":        {`data "pipesolar_projects" "all" { product_line = "wind" }`, `product_line.*value must be one of.*solar.*hi`},
		"updated_since":       {`data "pipesolar_projects" "all" { updated_since = "yesterday" }`, `updated_since.*RFC 3339`},
		"product_line case":   {`data "pipesolar_projects" "all" { product_line = "SOLAR" }`, `product_line.*value must be one of`},
	})
}

// batch_refresh: one listing serves every refresh; an unchanged project
// costs no call, a changed one is read by id, a gone one is removed (its
// own read answers 404). Plans are the same as without it.
func TestAccProject_batchRefresh(t *testing.T) {
	m := newTestMock(t)
	ids := []string{seedProject(t, m), seedProject(t, m), seedProject(t, m)}
	m.SeedRandomProjects(120) // the listing has two pages
	provider := testProvider{token: testPipeToken, baseURL: m.PipeBaseURL(), batchRefresh: true}.String()
	var b strings.Builder
	b.WriteString(provider)
	for i, id := range ids {
		fmt.Fprintf(&b, "resource \"pipesolar_project\" \"p%d\" {\n  project_id = %q\n  stage = \"Proposal\"\n}\n", i, id)
	}
	cfg := b.String()
	list := mockapi.EndpointListProjects
	testAccParallel(t, []resource.TestStep{
		{Config: cfg},
		stepPlansNothing(m.ResetCounts, cfg),
		{
			// Unchanged: the listing alone (two pages), no read by id.
			PreConfig: func() {
				countsNow(t, m, map[string]int{list: 2, getProject: 0})()
				inApp(t, m, ids[1], stageInApp("NTP"))()
			},
			Config:             cfg,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("pipesolar_project.p1", plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction("pipesolar_project.p0", plancheck.ResourceActionNoop),
			}},
		},
		stepPlansCreate(func() {
			countsNow(t, m, map[string]int{list: 2, getProject: 1})() // only the changed one was read
			m.DeleteProject(ids[2])
		}, cfg, "pipesolar_project.p2"),
		// p1 changed, p2 missing from the listing: each read by id.
		stepPlansCreate(countsNow(t, m, map[string]int{list: 2, getProject: 2}), cfg, "pipesolar_project.p2"),
	})
}

// Naming the current stage in the other form (stage for stage_id, or back)
// moves nothing: the plan only stores the newly managed form, with nothing
// unknown, and the apply makes no call. A real change of stage still moves.
func TestAccProject_stageFormSwitch(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m)
	installation := stageID(t, m, "Installation")
	formOnly := func(setting string, stage, stageIDv knownvalue.Check) resource.TestStep {
		return resource.TestStep{
			PreConfig: m.ResetCounts,
			Config:    projectCfg(m, id, setting),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate),
				expectPlannedAttr(projectAddr, "stage", stage),
				expectPlannedAttr(projectAddr, "stage_id", stageIDv),
				expectPlannedAttr(projectAddr, "updated_at", knownvalue.NotNull()),
				expectPlannedAttr(projectAddr, "stage_entered_at", knownvalue.NotNull()),
				expectPlannedAttr(projectAddr, "milestones", knownvalue.NotNull()),
			}},
			// The one GET is the plan's refresh.
			Check: checkCounts(m, map[string]int{getProject: 1, moveStage: 0, patchProject: 0}),
		}
	}
	testAccParallel(t, []resource.TestStep{
		{Config: projectCfg(m, id, `stage = "Installation"`)},
		formOnly(fmt.Sprintf("stage_id = %q", installation), knownvalue.Null(), knownvalue.StringExact(installation)),
		formOnly(`stage = "installation"`, knownvalue.StringExact("installation"), knownvalue.Null()),
		formOnly(fmt.Sprintf("stage_id = %q", installation), knownvalue.Null(), knownvalue.StringExact(installation)),
		stepPlansNothing(m.ResetCounts, projectCfg(m, id, fmt.Sprintf("stage_id = %q", installation))),
		{
			PreConfig: m.ResetCounts,
			Config:    projectCfg(m, id, `stage = "NTP"`),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkCounts(m, map[string]int{getProject: 2, moveStage: 1, patchProject: 0}),
				mockCheck(func() error { return checkRemote(m, id, "NTP", "", false) }),
			),
		},
	})
}

// install_date = "" keeps a project without an install date: adopting one
// that has a date clears it with one PATCH (installDate null), the state
// holds "" and the plan stays empty; a date set in the app later shows as
// an update back to "", which clears it again.
func TestAccProject_installDateCleared(t *testing.T) {
	m := newTestMock(t)
	seed := testProjectSeed()
	seed.Reference, seed.InstallDate = "", "2027-03-15"
	id := seedTestProject(t, m, seed)
	cfg := projectCfg(m, id, `install_date = ""`)
	noDate := []statecheck.StateCheck{
		expectProject(knownvalue.StringExact(""), "install_date"),
		expectProject(knownvalue.MapExact(map[string]knownvalue.Check{}), "milestones"),
	}
	testAccParallel(t, []resource.TestStep{
		{
			PreConfig:         m.ResetCounts,
			Config:            cfg,
			ConfigStateChecks: noDate,
			Check: resource.ComposeAggregateTestCheckFunc(
				// The mock clears the date only for installDate null.
				checkCounts(m, map[string]int{getProject: 2, moveStage: 0, patchProject: 1}),
				mockCheck(func() error { return checkRemote(m, id, "Proposal", "", false) }),
			),
		},
		stepPlansNothing(m.ResetCounts, cfg),
		{
			PreConfig: func() {
				countsNow(t, m, map[string]int{getProject: 1, patchProject: 0})()
				inApp(t, m, id, func(p map[string]any) {
					p["milestones"].(map[string]any)["installScheduled"] = "2027-02-01"
				})()
			},
			Config:             cfg,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate),
				expectPlannedAttr(projectAddr, "install_date", knownvalue.StringExact("")),
			}},
		},
		{
			PreConfig:         m.ResetCounts,
			Config:            cfg,
			ConfigStateChecks: noDate,
			Check: resource.ComposeAggregateTestCheckFunc(
				// The refresh, the PATCH, the read back.
				checkCounts(m, map[string]int{getProject: 2, moveStage: 0, patchProject: 1}),
				mockCheck(func() error { return checkRemote(m, id, "Proposal", "", false) }),
			),
		},
		// Left out again, the date is no longer managed: no change.
		stepPlansNothing(m.ResetCounts, projectCfg(m, id)),
	})
}

// install_date = "" on a project without an install date writes nothing:
// adopting it is one GET, and the state holds "" with an empty plan.
func TestAccProject_installDateNone(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m)
	cfg := projectCfg(m, id, `install_date = ""`)
	testAccParallel(t, []resource.TestStep{
		{
			PreConfig:         m.ResetCounts,
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{expectProject(knownvalue.StringExact(""), "install_date")},
			Check:             checkCounts(m, map[string]int{getProject: 1, moveStage: 0, patchProject: 0}),
		},
		stepPlansNothing(m.ResetCounts, cfg),
	})
}

// An import of a project without an install date stores null, as before;
// configuring install_date = "" then only changes the stored form: an
// update with nothing unknown and no call beyond the refresh.
func TestAccProject_installDateImportThenNone(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m)
	testAccParallel(t, []resource.TestStep{
		{Config: projectCfg(m, id)},
		{
			ResourceName:  projectAddr,
			ImportState:   true,
			ImportStateId: id,
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				if day, ok := states[0].Attributes["install_date"]; len(states) != 1 || ok {
					return fmt.Errorf("imported install_date %q (set: %v), want null", day, ok)
				}
				return nil
			},
		},
		{
			PreConfig: m.ResetCounts,
			Config:    projectCfg(m, id, `install_date = ""`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate),
				expectPlannedAttr(projectAddr, "install_date", knownvalue.StringExact("")),
				expectPlannedAttr(projectAddr, "updated_at", knownvalue.NotNull()),
				expectPlannedAttr(projectAddr, "milestones", knownvalue.NotNull()),
			}},
			ConfigStateChecks: []statecheck.StateCheck{expectProject(knownvalue.StringExact(""), "install_date")},
			Check:             checkCounts(m, map[string]int{getProject: 1, moveStage: 0, patchProject: 0}),
		},
	})
}
