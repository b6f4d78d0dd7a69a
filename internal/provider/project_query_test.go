package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// End-to-end tests of resource identity (Terraform 1.12 and later) and of
// the list resource (terraform query, 1.14 and later). They are skipped on
// older Terraform (CI runs 1.11); the same logic is covered there by the
// protocol-level tests (project_protocol_test.go,
// project_list_resource_test.go). Run them with
// TF_ACC_TERRAFORM_PATH=/path/to/terraform-1.14-or-later.

func TestAccProjectResource_identity(t *testing.T) {
	m := newTestMock(t)
	idPattern := knownvalue.StringRegexp(regexp.MustCompile(`^[A-Z0-9]{10}$`))
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: projectConfig(m, minimalProjectArgs(`project_stage = "Proposal"`)) + `
resource "pipesolar_project_stage" "s" {
  project_id = pipesolar_project.test.id
  stage      = "Proposal"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(projectAddr, map[string]knownvalue.Check{"id": idPattern}),
					statecheck.ExpectIdentityValueMatchesState(projectAddr, tfjsonpath.New("id")),
					statecheck.ExpectIdentity("pipesolar_project_stage.s", map[string]knownvalue.Check{"project_id": idPattern}),
				},
			},
			{
				// Import by identity plans no change to what fetch_project
				// returns; the arguments it cannot return are recorded.
				ResourceName:    projectAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate),
				}},
				ExpectNonEmptyPlan: true, // org_id, sales_rep and setter are recorded from the configuration
			},
			{
				ResourceName:    "pipesolar_project_stage.s",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// TestAccProjectList_query lists an org with terraform query: identities,
// display names, and with include_resource the state plus org_id.
func TestAccProjectList_query(t *testing.T) {
	m := newTestMock(t)
	ids := seedOrg(t, m, "org-q", 3)
	seedOrg(t, m, "org-other", 2)
	m.SetPipeBehaviour(mockapi.PipeBehaviour{PageSize: 2})
	checks := []querycheck.QueryResultCheck{querycheck.ExpectLength("pipesolar_project.org", 3)}
	for _, id := range ids {
		p, _ := m.Project(id)
		byID := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
		checks = append(checks,
			querycheck.ExpectIdentity("pipesolar_project.org", map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}),
			querycheck.ExpectResourceDisplayName("pipesolar_project.org", byID,
				knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(fmt.Sprint(p["customerFirstName"]))+`.*\(`+id+`\)$`))),
			querycheck.ExpectResourceKnownValues("pipesolar_project.org", byID, []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("org_id"), KnownValue: knownvalue.StringExact("org-q")},
				{Path: tfjsonpath.New("first_name"), KnownValue: knownvalue.StringExact(fmt.Sprint(p["customerFirstName"]))},
			}),
		)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// Query steps add a .tfquery.hcl to this configuration, which must
			// not configure the provider again.
			{Config: `output "projects" { value = "listed by terraform query" }`},
			{
				Query: true,
				Config: pipeProvider(m) + `
list "pipesolar_project" "org" {
  provider         = pipesolar
  include_resource = true
  config {
    org_id = "org-q"
  }
}
`,
				QueryResultChecks: checks,
			},
			{
				// limit stops the listing.
				Query: true,
				Config: pipeProvider(m) + `
list "pipesolar_project" "org" {
  provider = pipesolar
  limit    = 1
  config {
    org_id = "org-q"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength("pipesolar_project.org", 1)},
			},
			{
				Query: true,
				Config: pipeProvider(m) + `
list "pipesolar_project" "bad" {
  provider = pipesolar
  config {
    org_id       = "org-q"
    installer_id = "inst-1"
  }
}
`,
				ExpectError: regexp.MustCompile(`(?s)installer_id|org_id`),
			},
		},
	})
}
