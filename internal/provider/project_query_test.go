package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// `terraform query -generate-config-out` over a company's projects, in
// process: each list result's state goes through the framework's
// GenerateResourceConfig, and planning that configuration against the
// state an import by the result's identity stores must change nothing (the
// plan of "N to import, 0 to add, 0 to change, 0 to destroy"), never hold
// both stage and stage_id, and never call a write.
func TestProtocol_queryGenerateConfigPlansNoChange(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	seedTestProject(t, m, testProjectSeed())
	scheduled := testProjectSeed()
	scheduled.Reference, scheduled.InstallDate, scheduled.NTPGranted, scheduled.Stage = "", "2027-02-01", true, "permitting"
	seedTestProject(t, m, scheduled)
	hi := testProjectSeed()
	hi.Reference, hi.ProductLine, hi.Stage = "", "hi", "Sold"
	seedTestProject(t, m, hi)
	m.SeedRandomProjects(5)
	p := newProtoProject(t, m)

	results := p.listResults(t, nil, true, 100, nil)
	if len(results) != 8 {
		t.Fatalf("%d results, want 8", len(results))
	}
	m.ResetCounts()
	for _, r := range results {
		generated, config := p.generateConfig(t, r.Resource)
		for name, v := range config {
			if !v.IsNull() && !projectArgument(name) {
				t.Errorf("%s: generated configuration sets %s, which is not an argument", r.DisplayName, name)
			}
		}
		if !config["stage"].IsNull() && !config["stage_id"].IsNull() {
			t.Errorf("%s: generated configuration sets both stage and stage_id", r.DisplayName)
		}
		if config["project_id"].IsNull() || config["stage"].IsNull() || config["ntp_granted"].IsNull() {
			t.Errorf("%s: generated configuration lacks project_id, stage or ntp_granted: %v", r.DisplayName, config)
		}

		plan := p.plan(t, r.Resource, generated)
		if len(plan.RequiresReplace) != 0 {
			t.Errorf("%s: the plan replaces it: %v", r.DisplayName, plan.RequiresReplace)
		}
		prior := decodedValue(t, p.state, r.Resource)
		planned := decodedValue(t, p.state, plan.PlannedState)
		if diffs, err := prior.Diff(planned); err != nil || len(diffs) != 0 {
			t.Errorf("%s: the plan changes %v (%v)", r.DisplayName, diffPaths(diffs), err)
		}
	}
	if counts := m.Counts(); len(counts) != 0 {
		t.Errorf("planning generated configuration called the API: %v", counts)
	}
}

func projectArgument(name string) bool {
	switch name {
	case "project_id", "stage", "stage_id", "install_date", "ntp_granted":
		return true
	}
	return false
}

func diffPaths(diffs []tftypes.ValueDiff) []string {
	var out []string
	for _, d := range diffs {
		out = append(out, d.Path.String())
	}
	return out
}

// generateConfig is the configuration the framework generates for state
// (`terraform query -generate-config-out`), encoded and decoded into its
// attributes; an error fails the test.
func (p protoResource) generateConfig(t *testing.T, state *tfprotov6.DynamicValue) (*tfprotov6.DynamicValue, map[string]tftypes.Value) {
	t.Helper()
	gen, err := p.srv.GenerateResourceConfig(context.Background(), &tfprotov6.GenerateResourceConfigRequest{
		TypeName: p.typeName, State: state,
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, gen.Diagnostics)
	return gen.Config, decoded(t, p.state, gen.Config)
}

// plan is PlanResourceChange of prior towards config, with the proposed new
// state Terraform would send: config where set, else prior. An error
// diagnostic fails the test.
func (p protoResource) plan(t *testing.T, prior, config *tfprotov6.DynamicValue) *tfprotov6.PlanResourceChangeResponse {
	t.Helper()
	resp, err := p.srv.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: p.typeName, PriorState: prior, Config: config,
		ProposedNewState: dynamic(t, p.state, proposedNewState(t, p.state, prior, config)),
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, resp.Diagnostics)
	return resp
}

// proposedNewState is what Terraform proposes for config against prior:
// the configuration where set, else the prior value.
func proposedNewState(t *testing.T, typ tftypes.Object, prior, config *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	priorAttrs, configAttrs := decoded(t, typ, prior), decoded(t, typ, config)
	proposed := make(map[string]tftypes.Value, len(priorAttrs))
	for name, v := range priorAttrs {
		proposed[name] = v
		if c := configAttrs[name]; !c.IsNull() {
			proposed[name] = c
		}
	}
	return tftypes.NewValue(typ, proposed)
}

// End to end on Terraform 1.14 and later (CI's Terraform is older: the
// protocol tests above cover the same).
func TestAccProject_query(t *testing.T) {
	m := newTestMock(t)
	for range 3 {
		seedProject(t, m)
	}
	testAccQuerySolar(t, m, "pipesolar_project", 3)
}

// testAccQuerySolar runs `terraform query` with the list resource typeName
// filtered by product_line "solar" and expects want results (Terraform 1.14
// and later).
func testAccQuerySolar(t *testing.T, m *mockapi.Server, typeName string, want int) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{Config: pipeProvider(m)},
			{
				Query: true,
				// The step's file sits beside step 1's, which already
				// configures the provider: only the list block goes here.
				Config: fmt.Sprintf(`
list %q "all" {
  provider = pipesolar
  config {
    product_line = "solar"
  }
}
`, typeName),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("list."+typeName+".all", want),
				},
			},
		},
	})
}

// Import by identity end to end (Terraform 1.12 and later).
func TestAccProject_importByIdentity(t *testing.T) {
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed())
	cfg := projectCfg(m, id)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				Config:          cfg,
				ResourceName:    projectAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// Import blocks for a company's projects, with configuration that names
// only the project: the plan imports each and changes nothing, the apply
// writes nothing, and each project is read once.
func TestAccProject_bulkImport(t *testing.T) {
	m := newTestMock(t)
	ids := m.SeedRandomProjects(25)
	cfg := projectsConfig(m, ids)
	var noop []plancheck.PlanCheck
	for i := range ids {
		noop = append(noop, plancheck.ExpectResourceAction(fmt.Sprintf("pipesolar_project.p%d", i), plancheck.ResourceActionNoop))
	}
	testAccParallel(t, []resource.TestStep{
		{
			PreConfig:        m.ResetCounts,
			Config:           cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: noop},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("pipesolar_project.p0", tfjsonpath.New("id"), knownvalue.StringExact(ids[0])),
			},
			Check: checkCounts(m, map[string]int{getProject: len(ids), moveStage: 0, patchProject: 0,
				mockapi.EndpointListProjects: 0}),
		},
	})
}

// projectsConfig renders an import block and a resource for each id, as
// -generate-config-out would (with only project_id: every other argument
// is optional and computed).
func projectsConfig(m *mockapi.Server, ids []string) string {
	var b strings.Builder
	b.WriteString(pipeProvider(m))
	for i, id := range ids {
		fmt.Fprintf(&b, "import {\n  to = pipesolar_project.p%d\n  id = %q\n}\n", i, id)
		fmt.Fprintf(&b, "resource \"pipesolar_project\" \"p%d\" {\n  project_id = %q\n}\n", i, id)
	}
	return b.String()
}
