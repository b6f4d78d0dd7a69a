package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// Every page is read: 150 projects are two calls.
func TestAccProjectsDataSource(t *testing.T) {
	m := newTestMock(t)
	ids := m.SeedRandomProjects(149)
	adaID := seedTestProject(t, m, testProjectSeed()) // newest change: listed first
	hi := testProjectSeed()
	hi.Reference, hi.ProductLine, hi.Stage = "", "hi", "Sold"
	hiID := seedTestProject(t, m, hi)
	const all, hiOnly = "data.pipesolar_projects.all", "data.pipesolar_projects.hi"
	testAccParallel(t, []resource.TestStep{{
		PreConfig: m.ResetCounts,
		Config: pipeProvider(m) + `
data "pipesolar_projects" "all" {}
data "pipesolar_projects" "hi" {
  product_line = "hi"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(all, tfjsonpath.New("ids"), knownvalue.ListSizeExact(len(ids)+2)),
			statecheck.ExpectKnownValue(all, tfjsonpath.New("projects"), knownvalue.ListSizeExact(len(ids)+2)),
			statecheck.ExpectKnownValue(hiOnly, tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(hiID)})),
			statecheck.ExpectKnownValue(hiOnly, tfjsonpath.New("projects").AtSliceIndex(0).AtMapKey("stage"), knownvalue.StringExact("Sold")),
			statecheck.ExpectKnownValue(hiOnly, tfjsonpath.New("projects").AtSliceIndex(0).AtMapKey("customer").AtMapKey("first_name"),
				knownvalue.StringExact("Ada")),
			statecheck.ExpectKnownValue(all, tfjsonpath.New("projects").AtSliceIndex(1).AtMapKey("id"), knownvalue.StringExact(adaID)),
			statecheck.ExpectKnownValue(all, tfjsonpath.New("projects").AtSliceIndex(1).AtMapKey("reference"), knownvalue.StringExact("D4YR1VSK7K")),
			statecheck.ExpectKnownValue(all, tfjsonpath.New("projects").AtSliceIndex(1).AtMapKey("address").AtMapKey("city"),
				knownvalue.StringExact("Sunville")),
			statecheck.ExpectKnownValue(all, tfjsonpath.New("projects").AtSliceIndex(1).AtMapKey("ntp_granted"), knownvalue.Bool(false)),
		},
		// Two pages for all, one for hi; no project is read one by one.
		Check: checkCounts(m, map[string]int{mockapi.EndpointListProjects: 3, getProject: 0}),
	}})
}

func TestAccProjectsDataSource_updatedSince(t *testing.T) {
	m := newTestMock(t)
	seedProject(t, m)
	testAccParallel(t, []resource.TestStep{{
		Config: pipeProvider(m) + `
data "pipesolar_projects" "recent" {
  updated_since = "2999-01-01T00:00:00Z"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.pipesolar_projects.recent", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
		},
	}})
}
