package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccProjectDataSource(t *testing.T) {
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed())
	p, _ := m.Project(id)
	stage, _ := p["stage"].(map[string]any)
	stageID, _ := stage["id"].(string)
	at := func(attr string, keys ...string) tfjsonpath.Path {
		p := tfjsonpath.New(attr)
		for _, k := range keys {
			p = p.AtMapKey(k)
		}
		return p
	}
	const addr = "data.pipesolar_project.p"
	testAccParallel(t, []resource.TestStep{{
		PreConfig: m.ResetCounts,
		Config:    pipeProvider(m) + projectLookup("D4YR1VSK7K"),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, at("id"), knownvalue.StringExact("D4YR1VSK7K")),
			statecheck.ExpectKnownValue(addr, at("project_id"), knownvalue.StringExact(id)),
			statecheck.ExpectKnownValue(addr, at("stage"), knownvalue.StringExact("Proposal")),
			statecheck.ExpectKnownValue(addr, at("stage_id"), knownvalue.StringExact(stageID)),
			statecheck.ExpectKnownValue(addr, at("customer", "last_name"), knownvalue.StringExact("Lovelace")),
			statecheck.ExpectKnownValue(addr, at("address", "postal_code"), knownvalue.StringExact("90210")),
			statecheck.ExpectKnownValue(addr, at("custom_fields", "roof_age"), knownvalue.StringExact("12.5")),
			statecheck.ExpectKnownValue(addr, at("install_date"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, at("products"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, at("system"), knownvalue.NotNull()),
		},
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(addr, "system.size_kw", "8.5"),
			checkCounts(m, map[string]int{getProject: 1}),
		),
	}})
}

func TestAccProjectDataSource_unknown(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{{
		Config:      pipeProvider(m) + projectLookup("NOSUCHPROJ"),
		ExpectError: expectError(`Project not found.*"NOSUCHPROJ"`),
	}})
}
