package provider

import (
	"context"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

const projectAddr = "pipesolar_project.test"

// fullProjectArgs sets every argument, with values the API re-formats:
// surrounding spaces, a mixed-case email, 8.5 ("8.50"), 18450.01
// ("18,450.01") and 0.1 + 0.2 (not exactly 0.3 as a binary number).
const fullProjectArgs = `
  address             = " 123 Solar St, Sunville, CA 90210 "
  first_name          = " Ada "
  last_name           = "Lovelace"
  email               = "Ada.Lovelace@Example.COM"
  phone_number        = "555-123-9876"
  org_id              = "org-1"
  sales_rep           = "michael.scott@pipesolar.com"
  setter              = "dwight.schrute@pipesolar.com"
  system_size         = 8.5
  annual_production   = 15584.44
  consumption         = 12000
  system_cost         = 18450.01
  final_ppw           = 2.349 # the API keeps two decimals: "2.35"
  base_ppw            = 2.15
  adder_ppw           = 0.2
  financing_type      = "Loan"
  term_years          = 20
  apr                 = 0.1 + 0.2
  project_stage       = "Proposal"
  panel_profile_id    = "qcells-400"
  panel_count         = 20
  inverter_profile_id = "enphase-iq8"
  inverter_count      = 1
  lease_ppa_rate      = 0.125
  pre_itc_payment     = 1000
  escalator_rate      = 2.9
  site_survey_photos  = ["https://photos.example.com/roof.jpg"]
  adders              = ["Main panel upgrade", "Roof work"]
`

// projectConfig is a provider block plus one pipesolar_project with body.
func projectConfig(m *mockapi.Server, body string) string {
	return pipeProvider(m) + "resource \"pipesolar_project\" \"test\" {\n" + body + "\n}\n"
}

// minimalProjectArgs sets only what create_project requires.
func minimalProjectArgs(extra string) string {
	return `
  address      = "1 Main St, Springfield, IL 62701"
  first_name   = "Grace"
  last_name    = "Hopper"
  email        = "grace@example.com"
  phone_number = "555-000-1111"
  org_id       = "org-1"
  sales_rep    = "rep@example.com"
  setter       = "setter@example.com"
` + extra
}

// onlyProjectID returns the id of the single project in the mock.
func onlyProjectID(t *testing.T, m *mockapi.Server) string {
	t.Helper()
	ids := m.ProjectIDs("")
	if len(ids) != 1 {
		t.Fatalf("mock holds %d projects, want exactly 1: %v", len(ids), ids)
	}
	return ids[0]
}

func num(s string) knownvalue.Check {
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	return knownvalue.NumberExact(f)
}

func TestAccProjectResource_lifecycle(t *testing.T) {
	eachRefreshPath(t, func(t *testing.T, m *mockapi.Server, rp refreshPath) {
		testAccParallel(t, []resource.TestStep{
			{
				// Create with every argument; the harness's own follow-up
				// plan proves the re-formatted values do not diff.
				Config: projectConfig(m, fullProjectArgs),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(projectAddr, "id", knownvalue.StringRegexp(regexp.MustCompile(`^[A-Z0-9]{10}$`))),
					expectAttr(projectAddr, "first_name", knownvalue.StringExact(" Ada ")),
					expectAttr(projectAddr, "email", knownvalue.StringExact("Ada.Lovelace@Example.COM")),
					expectAttr(projectAddr, "system_cost", num("18450.01")),
					expectAttr(projectAddr, "system_size", num("8.5")),
					expectAttr(projectAddr, "panel_count", knownvalue.Int64Exact(20)),
					expectAttr(projectAddr, "project_stage", knownvalue.StringExact("Proposal")),
					expectAttr(projectAddr, "customer_city", knownvalue.StringExact("Sunville")),
					expectAttr(projectAddr, "submitted_date", knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`))),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("file_urls").AtMapKey("installation_photos"), knownvalue.StringRegexp(regexp.MustCompile(`^https://`))),
					expectAttr(projectAddr, "file_urls", knownvalue.MapSizeExact(12)),
					expectAttr(projectAddr, "finance_amount", num("18450.01")),
					expectAttr(projectAddr, "secondary_customer", knownvalue.Null()),
					expectAttr(projectAddr, "contract_signed_date", knownvalue.Null()),
				},
				Check: mockCheck(func() error {
					id := onlyProjectID(t, m)
					in, _ := m.ProjectInput(id)
					for key, want := range map[string]string{"org_id": "org-1", "sales_rep": "michael.scott@pipesolar.com",
						"consumption": "12000", "term_years": "20", "lease_ppa_rate": "0.125", "apr": "0.3", "panel_count": "20"} {
						if got := fmt.Sprint(in[key]); got != want {
							return fmt.Errorf("create_project sent %s = %q, want %q", key, got, want)
						}
					}
					return countsError(m, map[string]int{mockapi.EndpointCreateProject: 1})
				}),
			},
			{
				// Import: every argument fetch_project returns matches;
				// the ones it cannot return are absent after import.
				ResourceName:      projectAddr,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{
					"org_id", "sales_rep", "setter", "consumption", "adder_ppw", "panel_profile_id",
					"inverter_profile_id", "lease_ppa_rate", "pre_itc_payment", "escalator_rate", "site_survey_photos",
					// Stored as configured; the API returns them normalised.
					"first_name", "address", "email", "apr", "final_ppw",
				},
			},
			{
				// The stage changes in place with one update_stage call.
				PreConfig: m.ResetCounts,
				Config:    projectConfig(m, strings.Replace(fullProjectArgs, `"Proposal"`, `"Contract Signed"`, 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(projectAddr, tfjsonpath.New("contract_signed_date")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(projectAddr, "project_stage", knownvalue.StringExact("Contract Signed")),
					expectAttr(projectAddr, "contract_signed_date", knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`))),
				},
				Check: mockCheck(func() error {
					if err := countsError(m, map[string]int{mockapi.EndpointUpdateStage: 1, mockapi.EndpointCreateProject: 0}); err != nil {
						return err
					}
					data, _ := m.Project(onlyProjectID(t, m))
					if data["projectStatus"] != "Contract Signed" {
						return fmt.Errorf("mock stage = %v", data["projectStatus"])
					}
					return nil
				}),
			},
			{
				// A formatting-only edit (email case, 8.5 → 8.50, trailing
				// spaces) plans nothing.
				Config: projectConfig(m, strings.NewReplacer(
					`"Proposal"`, `"Contract Signed"`,
					`"Ada.Lovelace@Example.COM"`, `"ada.lovelace@example.com"`,
					`system_size         = 8.5`, `system_size         = 8.50`,
					`"Lovelace"`, `"Lovelace  "`,
				).Replace(fullProjectArgs)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		})
	})
}

func TestAccProjectResource_immutableArguments(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{
		{Config: projectConfig(m, minimalProjectArgs(`system_size = 2.9`))},
		{
			Config:      projectConfig(m, minimalProjectArgs(`system_size = 3.1`)),
			ExpectError: expectError(`Cannot change system_size.*current value: 2.9.*configuration: 3.1.*ignore_changes = \[system_size\].*-replace`),
		},
		{
			Config:      projectConfig(m, strings.Replace(minimalProjectArgs(""), `"Grace"`, `"Ada"`, 1)),
			ExpectError: expectError(`Cannot change first_name.*current value: "Grace".*configuration: "Ada"`),
		},
		{
			Config:      projectConfig(m, strings.Replace(minimalProjectArgs(""), `"org-1"`, `"org-2"`, 1)),
			ExpectError: expectError(`Cannot change org_id.*current value: "org-1".*configuration: "org-2"`),
		},
		{
			// The ways out: ignore_changes plans clean.
			Config: projectConfig(m, minimalProjectArgs(`system_size = 3.1
  lifecycle {
    ignore_changes = [system_size]
  }`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		{
			// Removing an optional argument keeps the stored value.
			// (PlanOnly fails on a non-empty plan.)
			Config:   projectConfig(m, minimalProjectArgs("")),
			PlanOnly: true,
		},
	})
}

func TestAccProjectResource_drift(t *testing.T) {
	eachRefreshPath(t, func(t *testing.T, m *mockapi.Server, rp refreshPath) {
		cfg := projectConfig(m, minimalProjectArgs(`project_stage = "Proposal"`))
		testAccParallel(t, []resource.TestStep{
			{Config: cfg},
			{
				// The stage changed in the app: the plan puts it back.
				PreConfig: func() {
					m.EditProject(onlyProjectID(t, m), func(d map[string]any) { d["projectStatus"] = "NTP" })
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate),
				}},
			},
			{Config: cfg},
			{
				// A name changed in the app shows as a difference that
				// cannot be applied.
				PreConfig: func() {
					m.EditProject(onlyProjectID(t, m), func(d map[string]any) { d["customerLastName"] = "Hopper-Smith" })
				},
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: expectError(`Cannot change last_name.*current value: "Hopper-Smith".*configuration: "Hopper"`),
			},
			{
				// Refresh shows the app's value when the configuration does
				// not set the argument.
				Config:   projectConfig(m, strings.Replace(minimalProjectArgs(`project_stage = "Proposal"`), `last_name    = "Hopper"`, "", 1)),
				PlanOnly: true,
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(projectAddr, "last_name", knownvalue.StringExact("Hopper-Smith")),
				},
			},
		})
	})
}

// List elements compare the way single strings do: pipe.solar trims what it
// stores, so padded elements neither diff nor fail the plan as an immutable
// change; a real change of an element still does.
func TestAccProjectResource_paddedListElements(t *testing.T) {
	eachRefreshPath(t, func(t *testing.T, m *mockapi.Server, rp refreshPath) {
		cfg := projectConfig(m, minimalProjectArgs(`adders = [" Roof work ", "Main panel upgrade  "]`))
		testAccParallel(t, []resource.TestStep{
			{
				// The harness's plan after apply (and after a refresh that
				// reads the trimmed elements) must be empty.
				Config: cfg,
				Check: mockCheck(func() error {
					p, _ := m.Project(onlyProjectID(t, m))
					if got := fmt.Sprint(p["adders"]); got != "[Roof work Main panel upgrade]" {
						return fmt.Errorf("pipe.solar stored adders %s", got)
					}
					return nil
				}),
			},
			{
				// Re-padding the configuration plans nothing either.
				Config:   projectConfig(m, minimalProjectArgs(`adders = ["Roof work", " Main panel upgrade"]`)),
				PlanOnly: true,
			},
			{
				Config:      projectConfig(m, minimalProjectArgs(`adders = ["Roof work", "Trenching"]`)),
				PlanOnly:    true,
				ExpectError: expectError(`Cannot change adders of an existing project`),
			},
		})
	})
}

func TestAccProjectResource_deletedOutOfBand(t *testing.T) {
	for _, style := range notFoundStyles {
		t.Run(style, func(t *testing.T) {
			eachRefreshPath(t, func(t *testing.T, m *mockapi.Server, _ refreshPath) {
				m.SetPipeBehaviour(mockapi.PipeBehaviour{NotFound: style})
				cfg := projectConfig(m, minimalProjectArgs(""))
				testAccParallel(t, []resource.TestStep{
					{Config: cfg},
					{
						PreConfig:          func() { m.DeleteProject(onlyProjectID(t, m)) },
						Config:             cfg,
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionCreate),
						}},
					},
				})
			})
		})
	}
}

// checkMock is a plan check that runs fn on the mock: it sees the calls
// the plan's refresh made.
type checkMock func() error

func (c checkMock) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c()
}

// With batch_refresh, a refresh of an org's projects lists the org once
// (its pages, plus at most 2 calls to see the end) and calls fetch_project
// only to confirm a project the listing lacks; the plans are the ones
// fetch_project gives.
func TestAccProjectResource_batchRefreshCalls(t *testing.T) {
	const managed, others = 75, 40 // org-1 holds 115 projects: 3 pages
	m := newTestMock(t)
	batchMocks.Store(m, true)
	t.Cleanup(func() { batchMocks.Delete(m) })
	if _, err := m.SeedRandomProjects("org-1", "inst-1", others); err != nil {
		t.Fatal(err)
	}
	if _, err := m.SeedRandomProjects("org-2", "inst-1", 60); err != nil { // never listed
		t.Fatal(err)
	}
	cfg := pipeProvider(m) + fmt.Sprintf(`
resource "pipesolar_project" "p" {
  count = %d
%s
}
`, managed, strings.Replace(minimalProjectArgs(`project_stage = "Proposal"`), `"grace@example.com"`, `"grace${count.index}@example.com"`, 1))
	var ids []string
	calls := func(list, fetch int) checkMock {
		return func() error {
			if got := m.Count(mockapi.EndpointListOrg); got > list {
				return fmt.Errorf("fetch_all_project called %d times, want at most %d (3 pages + 2)", got, list)
			}
			if got := m.Count(mockapi.EndpointFetchProject); got != fetch {
				return fmt.Errorf("fetch_project called %d times, want %d", got, fetch)
			}
			return nil
		}
	}
	testAccParallel(t, []resource.TestStep{
		{
			Config: cfg,
			Check: func(s *terraform.State) error {
				for i := range managed {
					ids = append(ids, s.RootModule().Resources[fmt.Sprintf("pipesolar_project.p.%d", i)].Primary.ID)
				}
				return nil
			},
		},
		{
			PreConfig:        m.ResetCounts,
			Config:           cfg,
			PlanOnly:         true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{calls(5, 0)}},
		},
		{
			// One project deleted and one moved on in the app: only the
			// deleted one is read with fetch_project.
			PreConfig: func() {
				m.ResetCounts()
				m.DeleteProject(ids[3])
				m.EditProject(ids[70], func(d map[string]any) { d["projectStatus"] = "NTP" })
			},
			Config:             cfg,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				calls(5, 1),
				plancheck.ExpectResourceAction("pipesolar_project.p[3]", plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction("pipesolar_project.p[70]", plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction("pipesolar_project.p[0]", plancheck.ResourceActionNoop),
			}},
		},
	})
}

func TestAccProjectResource_readErrorsKeepState(t *testing.T) {
	eachRefreshPath(t, func(t *testing.T, m *mockapi.Server, rp refreshPath) {
		cfg := strings.Replace(projectConfig(m, minimalProjectArgs("")), "base_url", "max_retries = 0\n  base_url", 1)
		testAccParallel(t, []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					m.SetFaults(mockapi.Faults{Seed: 1, Rate500: 1, Endpoints: []string{rp.readEndpoint}})
				},
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: expectError(`Could not read pipe.solar project.*HTTP 500`),
			},
			{
				// The failed refresh did not drop the project from state.
				// (PlanOnly fails on a non-empty plan.)
				PreConfig: func() { m.SetFaults(mockapi.Faults{}) },
				Config:    cfg,
				PlanOnly:  true,
			},
		})
	})
}

func TestAccProjectResource_createIDStyles(t *testing.T) {
	for _, style := range []string{"id", "project_id", "data", "envelope", "none"} {
		t.Run(style, func(t *testing.T) {
			m := newTestMock(t)
			m.SetPipeBehaviour(mockapi.PipeBehaviour{CreateIDStyle: style, ListShape: "response", ListIDKey: "_id"})
			other := seedProject(t, m, "org-1") // an unrelated project in the same org
			testAccParallel(t, []resource.TestStep{{
				Config: projectConfig(m, minimalProjectArgs("")),
				Check: func(s *terraform.State) error {
					got := s.RootModule().Resources[projectAddr].Primary.ID
					ids := m.ProjectIDs("org-1")
					if len(ids) != 2 || ids[1] != got || got == other {
						return fmt.Errorf("state id %q, mock projects %v (other %s)", got, ids, other)
					}
					return nil
				},
			}})
		})
	}
}

func TestAccProjectResource_noIDAmbiguous(t *testing.T) {
	m := newTestMock(t)
	m.SetPipeBehaviour(mockapi.PipeBehaviour{CreateIDStyle: "none"})
	// Someone already has a project for the same customer at the same address.
	body := map[string]any{"address": "1 Main St, Springfield, IL 62701", "first_name": "Grace", "last_name": "Hopper",
		"email": "grace@example.com", "phone_number": "555-000-1111", "org_id": "org-1", "sales_rep": "r", "setter": "s"}
	if _, err := m.SeedProject("org-1", "", body); err != nil {
		t.Fatal(err)
	}
	testAccParallel(t, []resource.TestStep{{
		Config:      projectConfig(m, minimalProjectArgs("")),
		ExpectError: expectError(`cannot tell which one is the new project.*import it`),
	}})
}

func TestAccProjectResource_ambiguousCreateIsReconciled(t *testing.T) {
	m := newTestMock(t)
	m.SetFaults(mockapi.Faults{DropAfterCommit: 1, Endpoints: []string{mockapi.EndpointCreateProject}})
	testAccParallel(t, []resource.TestStep{{
		Config: projectConfig(m, minimalProjectArgs("")),
		Check: func(s *terraform.State) error {
			id := onlyProjectID(t, m) // exactly one project: no duplicate
			if got := s.RootModule().Resources[projectAddr].Primary.ID; got != id {
				return fmt.Errorf("state id %q, mock project %q", got, id)
			}
			// The dropped request, then no other: the project was adopted.
			return countsError(m, map[string]int{mockapi.EndpointCreateProject: 1})
		},
	}})
}

func TestAccProjectResource_invalidStage(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{
		{
			Config:      projectConfig(m, minimalProjectArgs(`project_stage = "Teleported"`)),
			ExpectError: expectError(`Could not create pipe.solar project.*Teleported`),
		},
		{Config: projectConfig(m, minimalProjectArgs(`project_stage = "Proposal"`))},
		{
			Config:      projectConfig(m, minimalProjectArgs(`project_stage = "Teleported"`)),
			ExpectError: expectError(`Could not change the project stage.*Invalid project_stage_name 'Teleported'`),
		},
	})
}

func TestAccProjectResource_validation(t *testing.T) {
	m := newTestMock(t)
	cases := map[string]struct{ body, want string }{
		"missing org_id":      {strings.Replace(minimalProjectArgs(""), `org_id       = "org-1"`, "", 1), `org_id.*required to create`},
		"missing email":       {strings.Replace(minimalProjectArgs(""), `email        = "grace@example.com"`, "", 1), `"email" is required to create`},
		"bad email":           {strings.Replace(minimalProjectArgs(""), `grace@example.com`, `grace.example.com`, 1), `email.*must be an email address`},
		"negative size":       {minimalProjectArgs(`system_size = -1`), `system_size must be zero or more`},
		"negative cost":       {minimalProjectArgs(`system_cost = -0.01`), `system_cost must be zero or more`},
		"fractional panels":   {minimalProjectArgs(`panel_count = 2.5`), `panel_count`},
		"negative inverters":  {minimalProjectArgs(`inverter_count = -1`), `inverter_count.*at least 0`},
		"empty first name":    {strings.Replace(minimalProjectArgs(""), `"Grace"`, `""`, 1), `first_name.*must not be empty or only white space`},
		"photo not a URL":     {minimalProjectArgs(`site_survey_photos = ["roof.jpg"]`), `site_survey_photos.*must start with https://`},
		"empty adder":         {minimalProjectArgs(`adders = [""]`), `adders\[0\].*must not be empty or only white space`},
		"bad timeout":         {minimalProjectArgs("timeouts {\n    create = \"soon\"\n  }"), `Invalid Attribute Value Time Duration.*create = "soon"`},
		"empty project stage": {minimalProjectArgs(`project_stage = ""`), `project_stage.*must not be empty or only white space`},
		"blank last name":     {strings.Replace(minimalProjectArgs(""), `"Hopper"`, `"   "`, 1), `last_name.*must not be empty or only white space`},
	}
	// The subtests run in parallel after this function returns; the count is
	// checked when they all have finished.
	t.Cleanup(func() {
		if n := m.Count(mockapi.EndpointCreateProject); n != 0 {
			t.Errorf("validation failures reached the API: %d create_project requests", n)
		}
	})
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			testAccParallel(t, []resource.TestStep{{
				Config:      projectConfig(m, tc.body),
				PlanOnly:    true,
				ExpectError: expectError(tc.want),
			}})
		})
	}
}

// After an import, a plan with the user's original configuration adopts the
// arguments pipe.solar cannot return, without any API write and without
// replacing anything.
func TestAccProjectResource_importWithOriginalConfig(t *testing.T) {
	m := newTestMock(t)
	id, err := m.SeedProject("org-1", "", map[string]any{
		"address": "1 Main St, Springfield, IL 62701", "first_name": "Grace", "last_name": "Hopper",
		"email": "Grace@Example.com", "phone_number": "555-000-1111", "org_id": "org-1",
		"sales_rep": "rep@example.com", "setter": "setter@example.com", "system_size": 7.25, "project_stage": "NTP",
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := projectConfig(m, minimalProjectArgs(`system_size = 7.25
  project_stage = "NTP"`)) + fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", projectAddr, id)
	testAccParallel(t, []resource.TestStep{
		{
			PreConfig: m.ResetCounts,
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				// Recorded from configuration: an in-place update, never a replacement.
				plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr(projectAddr, "id", knownvalue.StringExact(id)),
				expectAttr(projectAddr, "org_id", knownvalue.StringExact("org-1")),
				expectAttr(projectAddr, "sales_rep", knownvalue.StringExact("rep@example.com")),
			},
			Check: checkCounts(m, map[string]int{mockapi.EndpointCreateProject: 0, mockapi.EndpointUpdateStage: 0}),
		},
	})
}

// An import block plans clean with a configuration that sets only what
// fetch_project returns (the arguments it cannot return are recorded from
// the configuration: TestAccProjectResource_importWithOriginalConfig), and
// -generate-config-out writes a configuration that plans clean.
func TestAccProjectResource_importBlock(t *testing.T) {
	m := newTestMock(t)
	returnedOnly := projectConfig(m, `
  address        = "123 Solar St, Sunville, CA 90210"
  first_name     = "Ada"
  last_name      = "Lovelace"
  email          = "ada.lovelace@example.com"
  phone_number   = "555-123-9876"
  system_size    = 8.5
  system_cost    = 18450.01
  final_ppw      = 2.35
  base_ppw       = 2.15
  financing_type = "Loan"
  term_years     = 20
  apr            = 0.3
  project_stage  = "Proposal"
  panel_count    = 20
  inverter_count = 1
  annual_production = 15584.44
  adders         = ["Main panel upgrade", "Roof work"]
`)
	testAccParallel(t, []resource.TestStep{
		{Config: projectConfig(m, fullProjectArgs)},
		{
			Config:          returnedOnly,
			ResourceName:    projectAddr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionNoop),
			}},
		},
		{
			Config:          pipeProvider(m),
			ResourceName:    projectAddr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			GenerateConfig:  true,
		},
	})
}

// Terraform writes null for every argument it has no value for when it
// generates configuration after an import; a Required argument would then make
// the file invalid, so create-only requirements are checked at plan time.
func TestProjectResource_noRequiredArguments(t *testing.T) {
	t.Parallel()
	resp := &fwresource.SchemaResponse{}
	NewProjectResource().Schema(context.Background(), fwresource.SchemaRequest{}, resp)
	if len(resp.Schema.Attributes) < 50 {
		t.Fatalf("schema has only %d attributes", len(resp.Schema.Attributes))
	}
	for name, a := range resp.Schema.Attributes {
		if a.IsRequired() {
			t.Errorf("attribute %s is Required", name)
		}
		if a.GetMarkdownDescription() == "" {
			t.Errorf("attribute %s has no MarkdownDescription", name)
		}
	}
}
